// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";

/// @notice Callbacks and re-entry: `onMorphoRepay` only from the market and only inside the vault's own
/// deleverage; every entry point refuses to be entered again while a deleverage is running, even by
/// the owner's own wallet acting as the router.
contract UnwindVaultReentrancyTest is VaultFixture {
    uint256 internal constant SELL = 2e18;
    bytes internal GUARD = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);

    HostileRouter internal router;

    function setUp() public {
        setUpVault();
        router = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        vault.setKeeper(address(router), true); // worst case: the attacker holds a keeper key too
        vm.stopPrank();
        movePrice(CRASH_PRICE);
    }

    // ---- onMorphoRepay ----

    function test_onMorphoRepay_refusesAnyoneButTheMarket() public {
        bytes memory data = abi.encode(SELL, address(router), "", 0);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMorpho.selector));
        vault.onMorphoRepay(1, data);
    }

    function test_onMorphoRepay_refusesTheMarketOutsideADeleverage() public {
        bytes memory data = abi.encode(SELL, address(router), "", 0);
        vm.prank(address(morpho));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.UnexpectedCallback.selector));
        vault.onMorphoRepay(1, data);
        assertEq(collateralOf(address(vault)), 10e18);
    }

    function test_routerCannotCallTheCallbackMidSwap() public {
        bytes memory inner = abi.encode(SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0);
        _reenterAndExpect(
            vault,
            address(vault),
            abi.encodeCall(UnwindVault.onMorphoRepay, (1, inner)),
            abi.encodeWithSelector(IUnwindVault.NotMorpho.selector)
        );
    }

    // ---- keeper entry points, re-entered by a keeper's router ----

    function test_routerCannotReenterDeleverage() public {
        bytes memory again = abi.encodeCall(
            UnwindVault.deleverage,
            (SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0)
        );
        _reenterAndExpect(vault, address(vault), again, GUARD);
    }

    function test_routerCannotReenterTopUp() public {
        loanToken.mint(address(vault), 5000e6);
        _reenterAndExpect(vault, address(vault), abi.encodeCall(UnwindVault.topUp, (1000e6, block.timestamp, 0)), GUARD);
    }

    function test_aSwallowedReentryLeavesTheVaultConsistent() public {
        uint256 floor = floorOf(SELL);
        HostileRouter.Plan memory p = _plan(floor);
        p.reenterTarget = address(vault);
        p.reenterData = abi.encodeCall(UnwindVault.topUp, (1, block.timestamp, 0));
        router.setPlan(p); // bubble = false: the router ignores the failure and pays
        uint256 debtAfter = debtAfterRepay(address(vault), floor);

        vm.prank(keeper);
        vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 0);

        assertFalse(router.breached());
        assertEq(router.lastReentryError(), GUARD);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(collateralOf(address(vault)), 10e18 - SELL);
        assertEq(collateralToken.allowance(address(vault), address(router)), 0);
    }

    // ---- owner entry points, re-entered by the owner's own wallet acting as router ----

    function test_ownerWalletCannotReenterAnyEntryPoint() public {
        (HostileRouter wallet, UnwindVault v) = _walletOwnedVault();
        bytes[] memory calls = _ownerCalls(address(wallet));
        for (uint256 i = 0; i < calls.length; i++) {
            _reenterAndExpect(v, address(v), calls[i], GUARD);
        }
    }

    // ---- helpers ----

    function _plan(uint256 pay) internal view returns (HostileRouter.Plan memory p) {
        p.pull = SELL;
        p.payToken = address(loanToken);
        p.pay = pay;
    }

    function _swapData() internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (SELL, 0));
    }

    /// @dev The vault's router (the keeper's, or the owner's wallet) re-enters `target` with `data` and
    /// bubbles the failure; the whole deleverage must revert with exactly `err`.
    function _reenterAndExpect(UnwindVault v, address target, bytes memory data, bytes memory err) internal {
        HostileRouter r = v == vault ? router : HostileRouter(v.owner());
        HostileRouter.Plan memory p = _plan(floorOf(SELL) * 2);
        (p.reenterTarget, p.reenterData, p.bubble) = (target, data, true);
        vm.prank(r.controller());
        r.setPlan(p);
        uint256 debtBefore = debtOf(address(v));
        vm.prank(keeper);
        vm.expectRevert(err);
        v.deleverage(SELL, address(r), _swapData(), 0, block.timestamp, 0);
        assertEq(debtOf(address(v)), debtBefore);
        assertEq(collateralOf(address(v)), 10e18);
    }

    /// @dev A vault whose owner is a contract wallet that is also allow-listed as a router.
    function _walletOwnedVault() internal returns (HostileRouter wallet, UnwindVault v) {
        wallet = new HostileRouter(address(collateralToken));
        vm.prank(address(wallet));
        v = factory.createVault(marketParams);
        collateralToken.mint(address(wallet), 10e18);
        loanToken.mint(address(wallet), 1000e6);
        wallet.exec(address(collateralToken), abi.encodeCall(IERC20.approve, (address(v), type(uint256).max)));
        wallet.exec(address(loanToken), abi.encodeCall(IERC20.approve, (address(v), type(uint256).max)));
        wallet.exec(address(v), abi.encodeCall(UnwindVault.supplyCollateral, (10e18)));
        wallet.exec(address(v), abi.encodeCall(UnwindVault.borrow, (22_500e6, address(wallet))));
        wallet.exec(address(v), abi.encodeCall(UnwindVault.setPolicy, (defaultPolicy())));
        wallet.exec(address(v), abi.encodeCall(UnwindVault.setKeeper, (keeper, true)));
        wallet.exec(
            address(v), abi.encodeCall(UnwindVault.setRoute, (address(wallet), HostileRouter.swap.selector, true))
        );
        wallet.exec(address(v), abi.encodeCall(UnwindVault.transferOwnership, (address(wallet))));
        loanToken.mint(address(v), 1000e6);
        assertGe(ltvOf(address(v)), bps(8000));
    }

    function _ownerCalls(address w) internal view returns (bytes[] memory c) {
        Policy memory p = defaultPolicy();
        p.maxSlippageBps = 1000;
        c = new bytes[](15);
        c[0] = abi.encodeCall(UnwindVault.supplyCollateral, (1));
        c[1] = abi.encodeCall(UnwindVault.withdrawCollateral, (1, w));
        c[2] = abi.encodeCall(UnwindVault.borrow, (1, w));
        c[3] = abi.encodeCall(UnwindVault.repay, (1));
        c[4] = abi.encodeCall(UnwindVault.depositReserve, (1));
        c[5] = abi.encodeCall(UnwindVault.withdrawReserve, (1, w));
        c[6] = abi.encodeCall(UnwindVault.sweep, (address(loanToken), 1, w));
        c[7] = abi.encodeCall(UnwindVault.setPolicy, (p));
        c[8] = abi.encodeCall(UnwindVault.setKeeper, (stranger, true));
        c[9] = abi.encodeCall(UnwindVault.setRoute, (address(swapRouter), ISwapRouter.exactInputSingle.selector, true));
        c[10] = abi.encodeCall(UnwindVault.setPaused, (true));
        c[11] = abi.encodeCall(UnwindVault.transferOwnership, (stranger));
        c[12] = abi.encodeCall(UnwindVault.acceptOwnership, (true));
        c[13] = abi.encodeCall(UnwindVault.topUp, (1, block.timestamp, 0));
        c[14] = abi.encodeCall(
            UnwindVault.deleverage, (1, w, abi.encodeCall(HostileRouter.swap, (1, 0)), 0, block.timestamp, 0)
        );
    }
}
