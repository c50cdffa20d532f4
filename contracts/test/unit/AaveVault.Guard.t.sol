// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {AaveOracleAdapter} from "../../src/oracle/AaveOracleAdapter.sol";
import {IUnwindVault, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Every rule of VaultCore holds on the Aave vault as on the Morpho one, each refused with its error:
/// who may call, pause, deadline, policy, trigger, cooldown, size cap, routes and forbidden targets (Aave's own
/// included: aToken, debt token, pool, adapter, Aave oracle), fee cap, oversell, progress, the price guard, the
/// rate limit and the equity bound, on the direct and the flash path.
contract AaveVaultGuardTest is AaveVaultFixture {
    function setUp() public {
        setUpAaveVault();
        movePrice(CRASH_PRICE);
    }

    function _sell(address caller, uint256 amount, uint256 fee) internal returns (uint256 repaid) {
        vm.prank(caller);
        (repaid,) = vault.deleverage(
            amount, address(swapRouter), v3SellCalldata(address(vault), amount, 0), 0, block.timestamp, fee
        );
    }

    function _expectSell(address caller, uint256 amount, uint256 fee, bytes memory err) internal {
        bytes memory data = v3SellCalldata(address(vault), amount, 0);
        vm.prank(caller);
        vm.expectRevert(err);
        vault.deleverage(amount, address(swapRouter), data, 0, block.timestamp, fee);
    }

    // ---- who, when ----

    function test_strangerAndRevokedKeeper_refused() public {
        _expectSell(stranger, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
        vm.prank(stranger);
        vm.expectRevert(IUnwindVault.NotKeeper.selector);
        vault.topUp(1, block.timestamp, 0);
        vm.prank(owner);
        vault.setKeeper(keeper, false);
        _expectSell(keeper, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
    }

    function test_ownerMayActAsKeeper() public {
        assertGt(_sell(owner, FLASH_SELL, 0), 0);
    }

    function test_paused_expired_refused() public {
        vm.prank(owner);
        vault.setPaused(true);
        _expectSell(keeper, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.IsPaused.selector));
        vm.prank(owner);
        vault.setPaused(false);
        bytes memory data = v3SellCalldata(address(vault), FLASH_SELL, 0);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.Expired.selector);
        vault.deleverage(FLASH_SELL, address(swapRouter), data, 0, block.timestamp - 1, 0);
    }

    function test_withoutAPolicy_refused() public {
        AaveVault other = openAaveVault(stranger, 1e18, 7500, 0);
        vm.prank(stranger);
        other.setKeeper(keeper, true);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.PolicyNotSet.selector);
        other.topUp(1, block.timestamp, 0);
    }

    function test_belowTheTrigger_refused() public {
        movePrice(3000e8);
        _expectSell(
            keeper, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltvOf(address(vault)), bps(8000))
        );
    }

    function test_cooldown_afterASaleThatEndsUnderTheTrigger() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 hours;
        setPolicy(p);
        _sell(keeper, FLASH_SELL, 0); // ends at 76.4%
        movePrice(2640e8); // back over the trigger (80.5%), still healthy on Aave (a sale must leave HF >= 1)
        _expectSell(
            keeper, 1e18, 0, abi.encodeWithSelector(IUnwindVault.CoolingDown.selector, block.timestamp + 1 hours)
        );
        vm.warp(block.timestamp + 1 hours);
        movePrice(2640e8); // the feed's age
        assertGt(_sell(keeper, 1e18, 0), 0);
    }

    // ---- size, routes, targets ----

    function test_sizeCap_andZeroAmount() public {
        Policy memory p = defaultPolicy();
        p.maxSellBps = 1000;
        setPolicy(p);
        _expectSell(keeper, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.SellTooLarge.selector, FLASH_SELL, 1e18));
        _expectSell(keeper, 0, 0, abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.topUp(0, block.timestamp, 0);
    }

    function test_unlistedRouteOrSelector_refused() public {
        bytes memory data = abi.encodeWithSelector(bytes4(0xdeadbeef), 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(swapRouter), bytes4(0xdeadbeef)));
        vault.deleverage(FLASH_SELL, address(swapRouter), data, 0, block.timestamp, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(aavePool), bytes4(0)));
        vault.deleverage(FLASH_SELL, address(aavePool), "", 0, block.timestamp, 0);
    }

    function test_everyAaveTargetIsForbidden_asRouteAndAsFeed() public {
        address adapter = vault.marketParams().oracle;
        address[9] memory targets = [
            address(loanToken),
            address(collateralToken),
            address(aCollateral),
            address(variableDebtLoan),
            address(aavePool),
            adapter,
            address(AaveOracleAdapter(adapter).ORACLE()),
            address(vault),
            address(0)
        ];
        vm.startPrank(owner);
        for (uint256 i = 0; i < targets.length; i++) {
            vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, targets[i]));
            vault.setRoute(targets[i], bytes4(0x12345678), true);
            if (targets[i] == address(0)) continue; // no feed is "no guard"
            vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, targets[i]));
            vault.setGuard(Guard(targets[i], 1 hours, 0, 0, 0));
        }
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, stranger));
        vault.setRoute(stranger, bytes4(0x12345678), true); // no code
        vm.stopPrank();
    }

    // ---- fee, oversell, progress ----

    function test_feeCap_andGasPriceCap() public {
        Policy memory p = defaultPolicy();
        p.maxSlippageBps = 300; // room in the pool's price for the largest fee
        setPolicy(p);
        uint256 required = requiredOf(FLASH_SELL);
        uint256 maxFee = required * 50 / 10_000;
        _expectSell(keeper, FLASH_SELL, maxFee + 1, abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, maxFee + 1, maxFee));
        vm.txGasPrice(2000 gwei);
        _expectSell(keeper, FLASH_SELL, 1, abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, 1, 0));
        assertGt(_sell(keeper, FLASH_SELL, 0), 0, "no fee above the gas price cap is fine");
    }

    function test_oversell_refused() public {
        Policy memory p = defaultPolicy();
        (p.bandBps, p.maxSlippageBps) = (0, 300); // nothing under 70%
        setPolicy(p);
        bytes memory data = v3SellCalldata(address(vault), 4.5e18, 0);
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.Oversold.selector);
        vault.deleverage(4.5e18, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_noProgress_refused() public {
        // A dust sale: LTV moves by far less than 0.1 point and stays over the trigger.
        bytes memory data = v3SellCalldata(address(vault), 1e12, 0);
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.NotDeleveraged.selector);
        vault.deleverage(1e12, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_keepersMinimum_binds() public {
        uint256 quote = quoteV3(FLASH_SELL);
        bytes memory data = v3SellCalldata(address(vault), FLASH_SELL, 0);
        uint256 premium = premiumOf(quote + 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, quote, quote + 1 + premium));
        vault.deleverage(FLASH_SELL, address(swapRouter), data, quote + 1, block.timestamp, 0);
    }

    // ---- prices ----

    function test_zeroPrice_refused() public {
        vm.prank(deployer);
        feed.setAnswer(0);
        bytes memory data = v3SellCalldata(address(vault), FLASH_SELL, 0);
        vm.prank(keeper);
        vm.expectRevert(); // Aave's oracle asks its fallback (none) for a non-positive source answer
        vault.deleverage(FLASH_SELL, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_guard_stalePrice_refusesKeepersNotTheOwner() public {
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 500, 0, 0));
        vm.warp(block.timestamp + 2 hours);
        (,,, uint256 updatedAt,) = feed.latestRoundData();
        _expectSell(keeper, FLASH_SELL, 0, abi.encodeWithSelector(IUnwindVault.PriceStale.selector, updatedAt, 1 hours));
        loanToken.mint(owner, 1e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), 1e6);
        vault.repay(1e6);
        vm.stopPrank();
    }

    function test_guard_deviation_refused() public {
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 100, 0, 0));
        // Aave prices the loan token at $1.05: the adapter's price moves 4.8% off the guard's feed.
        vm.prank(deployer);
        loanUsdFeed.setAnswer(1.05e8);
        bytes memory data = v3SellCalldata(address(vault), FLASH_SELL, 0);
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.PriceDeviation.selector);
        vault.deleverage(FLASH_SELL, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_rateLimit_countsEverySale() public {
        vm.prank(owner);
        vault.setGuard(Guard(address(0), 0, 0, 1 days, 2000));
        _sell(keeper, 0.3e18, 0); // 3% of the collateral; LTV 80.9% -> 80.4%, still over the trigger
        uint256 coll = collateralOf(address(vault));
        uint256 soldBps = (1.8e18 * 10_000 + coll - 1) / coll;
        _expectSell(keeper, 1.8e18, 0, abi.encodeWithSelector(IUnwindVault.WindowExceeded.selector, soldBps, 1700));
    }

    // ---- the owner's equity ----

    function test_feeOverTheEquityAllowance_refused() public {
        Policy memory p = defaultPolicy();
        (p.maxSlippageBps, p.maxFeeBps) = (0, 500);
        setPolicy(p);
        movePrice(2570e8); // 87.5%: over Aave's threshold, equity thin
        uint256 allowance = equityAllowanceOf(vault, priceNow());
        _expectSell(keeper, 1e18, allowance + 1, abi.encodeWithSelector(IUnwindVault.EquityLoss.selector, allowance + 1, allowance));
    }

    function test_topUp_repaysFromTheReserve_andItsGuards() public {
        loanToken.mint(address(vault), 3001e6);
        uint256 debtBefore = debtOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 3001e6, 3002e6));
        vault.topUp(3001e6, block.timestamp, 1e6);
        vm.prank(keeper);
        uint256 repaid = vault.topUp(3000e6, block.timestamp, 1e6);
        assertEq(repaid, 3000e6);
        assertApproxEqAbs(debtOf(address(vault)), debtBefore - 3000e6, 1);
        assertEq(loanToken.balanceOf(keeper), 1e6);
        assertEq(vault.reserve(), 0);
        assertLt(ltvOf(address(vault)), bps(8000));
    }

    function test_topUp_ofTheWholeDebt_repaysItExactly() public {
        Policy memory p = defaultPolicy();
        p.bandBps = p.targetLtvBps;
        setPolicy(p);
        loanToken.mint(address(vault), 30_000e6);
        vm.prank(keeper);
        uint256 repaid = vault.topUp(30_000e6, block.timestamp, 0);
        assertEq(repaid, 22_500e6);
        assertEq(debtOf(address(vault)), 0);
        assertEq(vault.reserve(), 30_000e6 - 22_500e6);
    }
}
