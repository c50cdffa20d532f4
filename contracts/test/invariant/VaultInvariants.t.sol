// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMorpho, MarketParams, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {VaultHandler} from "./VaultHandler.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {ISwapRouter, IUniswapV2Router02} from "../utils/UniswapInterfaces.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice The twelve invariants of reference/threats.md, held over random sequences of the handler's
/// actions. Ghost counters carry what the handler observed inside each action; the rest is read from
/// chain after every call, and some invariants probe the vault directly.
contract VaultInvariantTest is Test {
    using MarketParamsLib for MarketParams;

    VaultHandler internal h;
    UnwindVault internal vault;
    IMorpho internal morpho;
    TestToken internal loan;
    TestToken internal coll;
    address internal owner;
    address internal keeper;
    address[3] internal strangers;

    function setUp() public {
        h = new VaultHandler();
        vault = UnwindVault(h.vaultAddress());
        morpho = IMorpho(h.morphoAddress());
        (loan, coll) = h.tokens();
        (owner, keeper, strangers) = h.actors();

        bytes4[] memory s = new bytes4[](23);
        s[0] = VaultHandler.deleverageUniswap.selector;
        s[1] = VaultHandler.deleverageHostile.selector;
        s[2] = VaultHandler.topUp.selector;
        s[3] = VaultHandler.keeperAfterDeadline.selector;
        s[4] = VaultHandler.keeperUnlistedRoute.selector;
        s[5] = VaultHandler.strangerKeeperCall.selector;
        s[6] = VaultHandler.strangerRandomCall.selector;
        s[7] = VaultHandler.strangerMorphoOnBehalf.selector;
        s[8] = VaultHandler.fakeCallback.selector;
        s[9] = VaultHandler.movePriceBy.selector;
        s[10] = VaultHandler.breakFeed.selector;
        s[11] = VaultHandler.passTime.selector;
        s[12] = VaultHandler.liquidate.selector;
        s[13] = VaultHandler.ownerBorrow.selector;
        s[14] = VaultHandler.ownerRepay.selector;
        s[15] = VaultHandler.ownerSupply.selector;
        s[16] = VaultHandler.ownerWithdraw.selector;
        s[17] = VaultHandler.ownerReserve.selector;
        s[18] = VaultHandler.ownerSetPolicy.selector;
        s[19] = VaultHandler.ownerSetPaused.selector;
        s[20] = VaultHandler.ownerAllowForbiddenRoute.selector;
        s[21] = VaultHandler.pushOverTrigger.selector;
        s[22] = VaultHandler.ownerSetKeeper.selector;
        // The keeper paths, and the price pushes that make them possible, carry more weight.
        bytes4[] memory weighted = new bytes4[](s.length + 7);
        for (uint256 i = 0; i < s.length; i++) {
            weighted[i] = s[i];
        }
        weighted[s.length] = VaultHandler.deleverageUniswap.selector;
        weighted[s.length + 1] = VaultHandler.deleverageUniswap.selector;
        weighted[s.length + 2] = VaultHandler.deleverageHostile.selector;
        weighted[s.length + 3] = VaultHandler.deleverageHostile.selector;
        weighted[s.length + 4] = VaultHandler.topUp.selector;
        weighted[s.length + 5] = VaultHandler.pushOverTrigger.selector;
        weighted[s.length + 6] = VaultHandler.pushOverTrigger.selector;
        targetContract(address(h));
        targetSelector(FuzzSelector({addr: address(h), selectors: weighted}));
    }

    /// 1. Only keepers or the owner can deleverage; anyone else always reverts.
    function invariant_01_onlyKeepersOrOwnerCanAct() public {
        assertEq(h.ghostStrangerKeeperCallOk(), 0, "a stranger's keeper call went through");
        assertEq(h.ghostStrangerChangedState(), 0, "a stranger changed the vault");
        for (uint256 i = 0; i < strangers.length; i++) {
            vm.prank(strangers[i]);
            vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
            vault.deleverage(1, address(1), hex"00000000", 0, type(uint256).max, 0);
            vm.prank(strangers[i]);
            vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
            vault.topUp(1, type(uint256).max, 0);
        }
    }

    /// 2. After a deleverage, debt is lower and LTV is not higher, at the market's oracle price.
    function invariant_02_deleverageLowersDebtAndLtv() public view {
        assertEq(h.ghostNotDeleveraged(), 0);
    }

    /// 3. Debt repaid >= collateral sold * oracle price * (1 - maxSlippage); a short-paying router reverts.
    function invariant_03_repaidAtLeastTheOracleFloor() public view {
        assertEq(h.ghostUnderFloor(), 0);
    }

    /// 4. The vault's allowance to every router is 0 after every call.
    function invariant_04_noAllowanceLeftToAnyRouter() public view {
        assertEq(h.ghostAllowanceLeft(), 0, "allowance left right after a sale");
        address[5] memory routers = h.routers();
        for (uint256 i = 0; i < routers.length; i++) {
            assertEq(coll.allowance(address(vault), routers[i]), 0, "collateral allowance left");
            assertEq(loan.allowance(address(vault), routers[i]), 0, "loan allowance left");
        }
    }

    /// 5. Nothing leaves the vault except to the market, the allow-listed router (exact amount) and the
    /// capped fee; keeper and attacker balances rise by at most the fee.
    function invariant_05_valueLeavesOnlyToMarketRouterOrFee() public view {
        assertEq(h.ghostLeak(), 0, "an outflow the policy does not allow");
        assertEq(loan.balanceOf(keeper), h.ghostFeesToKeeper(), "keeper gained more than its fees");
        assertEq(coll.balanceOf(keeper), 0);
        HostileRouter hostile = h.hostile();
        assertEq(coll.balanceOf(address(hostile)), h.ghostCollateralSoldToHostile(), "router took unsold collateral");
        assertEq(loan.balanceOf(address(hostile)), 0, "router kept loan tokens");
        for (uint256 i = 0; i < strangers.length; i++) {
            assertEq(loan.balanceOf(strangers[i]), 0);
            assertEq(coll.balanceOf(strangers[i]), 0);
        }
    }

    /// 6. A non-allow-listed (target, selector), or a target that is a token, the market or the vault, reverts.
    function invariant_06_unlistedOrForbiddenRoutesRevert() public view {
        assertEq(h.ghostUnlistedRouteOk(), 0);
        address[5] memory forbidden = [address(loan), address(coll), address(morpho), address(vault), h.oracleAddress()];
        bytes4[6] memory sels = [
            IERC20.transfer.selector,
            IERC20.transferFrom.selector,
            IERC20.approve.selector,
            HostileRouter.swap.selector,
            ISwapRouter.exactInputSingle.selector,
            IUniswapV2Router02.swapExactTokensForTokens.selector
        ];
        for (uint256 i = 0; i < forbidden.length; i++) {
            for (uint256 j = 0; j < sels.length; j++) {
                assertFalse(vault.isRouteAllowed(forbidden[i], sels[j]));
            }
        }
    }

    /// 7. Callbacks from anyone but the market, or outside a deleverage, revert; re-entry reverts.
    function invariant_07_callbacksOnlyFromTheMarketDuringADeleverage() public {
        assertEq(h.ghostFakeCallbackOk(), 0, "a fake callback went through");
        assertFalse(h.hostile().breached(), "a re-entry or an extra pull went through");
        bytes memory data = abi.encode(uint256(1), address(h.hostile()), "", uint256(0));
        vm.prank(address(morpho));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.UnexpectedCallback.selector));
        vault.onMorphoRepay(1, data);
        vm.prank(strangers[0]);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMorpho.selector));
        vault.onMorphoRepay(1, data);
    }

    /// 8. Collateral == 0 implies debt == 0.
    function invariant_08_noCollateralMeansNoDebt() public view {
        Position memory p = morpho.position(h.market().id(), address(vault));
        if (p.collateral == 0) assertEq(p.borrowShares, 0);
    }

    /// 9. A stale, zero or negative price makes deleverage revert.
    function invariant_09_badPriceStopsKeepers() public view {
        assertEq(h.ghostBadPriceOk(), 0);
    }

    /// 10. Per-call size cap and cooldown hold.
    function invariant_10_sizeCapAndCooldownHold() public view {
        assertEq(h.ghostSizeCapBroken(), 0, "sold more than maxSellBps");
        assertEq(h.ghostCooldownBroken(), 0, "acted inside the cooldown");
    }

    /// 11. The owner can always repay and withdraw, whatever the keeper did: from the state reached,
    /// repay everything, take all collateral and the reserve out, then roll back.
    function invariant_11_ownerCanAlwaysRepayAndWithdrawEverything() public {
        assertEq(h.ghostOwnerBlocked(), 0, "an owner repay or withdrawal failed during the run");
        MarketParams memory params = h.market();
        uint256 snap = vm.snapshotState();
        vm.startPrank(owner);
        if (morpho.position(params.id(), address(vault)).borrowShares > 0) {
            loan.mint(owner, type(uint128).max);
            loan.approve(address(vault), type(uint256).max);
            vault.repay(type(uint256).max);
        }
        Position memory p = morpho.position(params.id(), address(vault));
        assertEq(p.borrowShares, 0, "debt left after repaying all");
        uint256 collBefore = coll.balanceOf(owner);
        if (p.collateral > 0) vault.withdrawCollateral(p.collateral, owner);
        uint256 reserve = vault.reserve();
        if (reserve > 0) vault.withdrawReserve(reserve, owner);
        vm.stopPrank();
        assertEq(morpho.position(params.id(), address(vault)).collateral, 0);
        assertEq(coll.balanceOf(owner), collBefore + p.collateral);
        assertEq(vault.reserve(), 0);
        vm.revertToState(snap);
    }

    /// 12. After the deadline, or while paused, keeper calls revert.
    function invariant_12_deadlineAndPauseStopKeepers() public {
        assertEq(h.ghostExpiredOk(), 0, "a late keeper call went through");
        assertEq(h.ghostPausedOk(), 0, "a keeper call went through while paused");
        bytes4 want = vault.paused() ? IUnwindVault.IsPaused.selector : IUnwindVault.Expired.selector;
        if (!vault.isKeeper(keeper)) want = IUnwindVault.NotKeeper.selector;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(want));
        vault.topUp(1, block.timestamp - 1, 0);
    }

    function afterInvariant() external view {
        string[12] memory names = [
            "deleverage.v3",
            "deleverage.v2",
            "deleverage.hostile",
            "topUp",
            "price.push",
            "feed.break",
            "liquidation",
            "owner.borrow",
            "owner.repay",
            "owner.withdraw",
            "owner.policy",
            "stranger.call.ok"
        ];
        for (uint256 i = 0; i < names.length; i++) {
            console2.log(names[i], h.calls(keccak256(bytes(names[i]))));
        }
    }
}
