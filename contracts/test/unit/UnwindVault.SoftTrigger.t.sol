// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The soft trigger: the owner lets keepers act early, between the soft trigger and the trigger, with a
/// complete deleverage only (ending at or under the target). Every setter branch, the policy interplay, soft-zone
/// sales and top-ups, the partial (dust) early action a griefing keeper would send, and every other limit still
/// holding in the soft zone.
contract UnwindVaultSoftTriggerTest is VaultFixture {
    uint16 internal constant SOFT = 7600;
    uint16 internal constant PROBABILITY = 500; // 5%
    /// Feed answer that puts the default 75% position at 78%: over the soft trigger, under the 80% trigger.
    int256 internal constant SOFT_ZONE_PRICE = 2885e8;
    uint256 internal constant RESERVE = 10_000e6;
    /// A sale of 30% of the collateral at the oracle floor takes 78% to about 69%: complete.
    uint256 internal constant FULL_SELL = 3e18;
    uint256 internal constant DUST_SELL = 1e17;

    HostileRouter internal router;

    function setUp() public {
        setUpVault();
        router = new HostileRouter(address(collateralToken));
        loanToken.mint(owner, RESERVE);
        vm.startPrank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        loanToken.approve(address(vault), RESERVE);
        vault.depositReserve(RESERVE);
        vm.stopPrank();
        movePrice(SOFT_ZONE_PRICE);
        assertGt(ltvOf(address(vault)), bps(SOFT));
        assertLt(ltvOf(address(vault)), bps(8000));
    }

    // ---- the setter ----

    function test_setSoftTrigger_storesEmitsAndReads() public {
        vm.expectEmit(address(vault));
        emit IUnwindVault.SoftTriggerSet(SOFT, PROBABILITY);
        _setSoft(SOFT, PROBABILITY);
        (uint16 soft, uint16 probability) = vault.softTrigger();
        assertEq(soft, SOFT);
        assertEq(probability, PROBABILITY);
        assertEq(vault.state(address(0)).softTriggerLtvBps, SOFT, "state() carries it for the lens");
        assertEq(vault.state(address(0)).maxLiquidationProbabilityBps, PROBABILITY);
    }

    function test_setSoftTrigger_offClearsIt() public {
        _setSoft(SOFT, PROBABILITY);
        vm.expectEmit(address(vault));
        emit IUnwindVault.SoftTriggerSet(0, 0);
        _setSoft(0, 0);
        (uint16 soft, uint16 probability) = vault.softTrigger();
        assertEq(soft, 0);
        assertEq(probability, 0);
    }

    function test_setSoftTrigger_refusesEachInvalidValue() public {
        _expectInvalid(0, 1, "probability must be 0 without a soft trigger");
        _expectInvalid(7000, PROBABILITY, "soft trigger must be > target");
        _expectInvalid(6999, PROBABILITY, "soft trigger must be > target");
        _expectInvalid(8000, PROBABILITY, "soft trigger must be < trigger");
        _expectInvalid(9000, PROBABILITY, "soft trigger must be < trigger");
        _expectInvalid(SOFT, 0, "probability must be in (0, 100%)");
        _expectInvalid(SOFT, 10_000, "probability must be in (0, 100%)");
        _expectInvalid(SOFT, type(uint16).max, "probability must be in (0, 100%)");
        // The bounds themselves, one point inside.
        _setSoft(7001, 1);
        _setSoft(7999, 9999);
    }

    function test_setSoftTrigger_needsAPolicy() public {
        address other = makeAddr("other");
        UnwindVault fresh = openVault(other, 1e18, 0);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, "soft trigger needs a policy"));
        fresh.setSoftTrigger(SOFT, PROBABILITY);
    }

    function test_setSoftTrigger_onlyOwner() public {
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setSoftTrigger(SOFT, PROBABILITY);
        vm.prank(stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setSoftTrigger(0, 0);
    }

    function test_setSoftTrigger_worksWhilePaused() public {
        vm.startPrank(owner);
        vault.setPaused(true);
        vault.setSoftTrigger(SOFT, PROBABILITY);
        vm.stopPrank();
        (uint16 soft,) = vault.softTrigger();
        assertEq(soft, SOFT);
    }

    function test_setPolicy_refusesToBreakTheSoftTrigger() public {
        _setSoft(SOFT, PROBABILITY);
        Policy memory p = defaultPolicy();
        p.targetLtvBps = SOFT; // target up to the soft trigger
        _expectPolicyRefused(p);
        p = defaultPolicy();
        p.triggerLtvBps = SOFT; // trigger down to the soft trigger
        _expectPolicyRefused(p);
        p.triggerLtvBps = 7500;
        _expectPolicyRefused(p);
        // Inside the new bounds, and after clearing it, the policy goes through.
        p = defaultPolicy();
        p.targetLtvBps = SOFT - 1;
        p.triggerLtvBps = SOFT + 1;
        setPolicy(p);
        _setSoft(0, 0);
        p.triggerLtvBps = 7500;
        p.targetLtvBps = 7000;
        setPolicy(p);
    }

    function test_softTrigger_survivesAnOwnershipTransferThatClearsAccess() public {
        _setSoft(SOFT, PROBABILITY);
        address heir = makeAddr("heir");
        vm.prank(owner);
        vault.transferOwnership(heir);
        vm.prank(heir);
        vault.acceptOwnership(false);
        (uint16 soft, uint16 probability) = vault.softTrigger();
        assertEq(soft, SOFT, "the soft trigger is the position's rule, like the policy");
        assertEq(probability, PROBABILITY);
    }

    // ---- the rule at action time ----

    function test_softOff_underTheTrigger_isBelowTrigger() public {
        uint256 ltv = ltvOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.topUp(2500e6, block.timestamp, 0);
    }

    function test_underTheSoftTrigger_isBelowTrigger() public {
        _setSoft(7900, PROBABILITY);
        uint256 ltv = ltvOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.topUp(2500e6, block.timestamp, 0);
        _payingRouter(FULL_SELL);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.deleverage(FULL_SELL, address(router), _swapData(FULL_SELL), 0, block.timestamp, 0);
    }

    function test_softZone_completeTopUpSucceedsAndStartsTheCooldown() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 amount = 2500e6;
        uint256 fee = amount * 50 / 10_000;
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 ltvAfter = LtvMath.ltv(10e18, debtAfterRepay(address(vault), amount), oracle.price());
        assertLe(ltvAfter, bps(7000));
        vm.expectEmit(address(vault));
        emit IUnwindVault.ToppedUp(keeper, amount, fee, ltvBefore, ltvAfter);
        vm.prank(keeper);
        vault.topUp(amount, block.timestamp, fee);
        assertEq(ltvOf(address(vault)), ltvAfter);
        assertEq(vault.lastActionAt(), block.timestamp);
    }

    function test_softZone_partialTopUp_isSoftActionIncomplete() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 ltvAfter = LtvMath.ltv(10e18, debtAfterRepay(address(vault), 1000e6), oracle.price());
        assertGt(ltvAfter, bps(7000));
        uint256 debtBefore = debtOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SoftActionIncomplete.selector, ltvAfter, bps(7000)));
        vault.topUp(1000e6, block.timestamp, 0);
        assertEq(debtOf(address(vault)), debtBefore);
        assertEq(vault.lastActionAt(), 0, "no cooldown started");
    }

    function test_softZone_completeSaleSucceeds() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 floor = floorOf(FULL_SELL);
        _payingRouter(FULL_SELL);
        uint256 ltvAfter = LtvMath.ltv(10e18 - FULL_SELL, debtAfterRepay(address(vault), floor), oracle.price());
        assertLe(ltvAfter, bps(7000));
        assertGe(ltvAfter, bps(6500));
        vm.prank(keeper);
        (uint256 repaid,) = vault.deleverage(FULL_SELL, address(router), _swapData(FULL_SELL), 0, block.timestamp, 0);
        assertEq(repaid, floor);
        assertEq(ltvOf(address(vault)), ltvAfter);
        assertEq(vault.lastActionAt(), block.timestamp);
    }

    function test_softZone_completeSaleThroughUniswapV3Succeeds() public {
        _setSoft(SOFT, PROBABILITY);
        // Repaying more than the floor: the keeper's minimum takes the position under the target.
        uint256 minRepaid = quoteV3(FULL_SELL) - 1;
        vm.prank(keeper);
        vault.deleverage(
            FULL_SELL, address(swapRouter), v3SellCalldata(address(vault), FULL_SELL, 0), minRepaid, block.timestamp, 0
        );
        assertLe(ltvOf(address(vault)), bps(7000));
    }

    function test_softZone_dustSale_isSoftActionIncomplete() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 floor = floorOf(DUST_SELL);
        _payingRouter(DUST_SELL);
        uint256 ltvAfter = LtvMath.ltv(10e18 - DUST_SELL, debtAfterRepay(address(vault), floor), oracle.price());
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SoftActionIncomplete.selector, ltvAfter, bps(7000)));
        vault.deleverage(DUST_SELL, address(router), _swapData(DUST_SELL), 0, block.timestamp, 0);
    }

    /// The griefing attempt the rule closes: a router that is also a keeper sells dust early so that the cooldown
    /// would keep honest keepers out when the trigger is crossed.
    function test_hostileRouterKeeper_dustSoftSaleToStartTheCooldown_reverts() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 days;
        setPolicy(p);
        _setSoft(SOFT, PROBABILITY);
        vm.prank(owner);
        vault.setKeeper(address(router), true);
        _payingRouter(DUST_SELL);
        uint256 ltvAfter =
            LtvMath.ltv(10e18 - DUST_SELL, debtAfterRepay(address(vault), floorOf(DUST_SELL)), oracle.price());
        bytes memory call = abi.encodeCall(
            UnwindVault.deleverage, (DUST_SELL, address(router), _swapData(DUST_SELL), 0, block.timestamp, 0)
        );
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SoftActionIncomplete.selector, ltvAfter, bps(7000)));
        router.exec(address(vault), call);
        bytes memory topUp = abi.encodeCall(UnwindVault.topUp, (10e6, block.timestamp, 0));
        vm.expectRevert();
        router.exec(address(vault), topUp);
        assertEq(vault.lastActionAt(), 0, "no cooldown started");

        // The trigger is crossed: an honest keeper acts at once.
        movePrice(CRASH_PRICE);
        vm.prank(keeper);
        vault.topUp(3000e6, block.timestamp, 0);
    }

    function test_hardPath_partialActionStillAllowedWithASoftTrigger() public {
        _setSoft(SOFT, PROBABILITY);
        movePrice(CRASH_PRICE); // 83.3%
        vm.prank(keeper);
        vault.topUp(1000e6, block.timestamp, 0); // ends above the target, as a chunk may
        assertGt(ltvOf(address(vault)), bps(7000));
    }

    // ---- every other limit still holds in the soft zone ----

    function test_softZone_cooldownStillApplies() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 hours;
        setPolicy(p);
        _setSoft(SOFT, PROBABILITY);
        vm.prank(keeper);
        vault.topUp(2500e6, block.timestamp, 0);
        // Back in the soft zone within the cooldown.
        movePrice(2590e8);
        assertGt(ltvOf(address(vault)), bps(SOFT));
        assertLt(ltvOf(address(vault)), bps(8000));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.CoolingDown.selector, block.timestamp + 1 hours));
        vault.topUp(2500e6, block.timestamp, 0);
    }

    function test_softZone_rateLimitStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        vm.prank(owner);
        vault.setGuard(Guard(address(0), 0, 0, 1 days, 2000));
        _payingRouter(FULL_SELL);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WindowExceeded.selector, 3000, 2000));
        vault.deleverage(FULL_SELL, address(router), _swapData(FULL_SELL), 0, block.timestamp, 0);
    }

    function test_softZone_oracleFloorStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 floor = floorOf(FULL_SELL);
        router.setPlan(_plan(FULL_SELL, floor - 1));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, floor - 1, floor));
        vault.deleverage(FULL_SELL, address(router), _swapData(FULL_SELL), 0, block.timestamp, 0);
    }

    function test_softZone_equityBoundStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 allowance = equityAllowanceOf(vault, marketParams, oracle.price());
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.EquityLoss.selector, allowance + 1, allowance));
        vault.topUp(2500e6, block.timestamp, allowance + 1);
    }

    function test_softZone_feeCapStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 maxFee = 2500e6 * 50 / 10_000;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, maxFee + 1, maxFee));
        vault.topUp(2500e6, block.timestamp, maxFee + 1);
    }

    function test_softZone_bandFloorStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 ltvAfter = LtvMath.ltv(10e18, debtAfterRepay(address(vault), 6000e6), oracle.price());
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.Oversold.selector, ltvAfter, bps(6500)));
        vault.topUp(6000e6, block.timestamp, 0);
    }

    function test_softZone_staleFeedStillRefused() public {
        _setSoft(SOFT, PROBABILITY);
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 0, 0, 0));
        (,,, uint256 updatedAt,) = feed.latestRoundData();
        vm.warp(updatedAt + 1 hours + 1);
        // The adapter refuses the stale feed first in this market: either way, no early action on a stale price.
        vm.prank(keeper);
        vm.expectRevert();
        vault.topUp(2500e6, block.timestamp, 0);
    }

    function test_softZone_routeAllowListStillApplies() public {
        _setSoft(SOFT, PROBABILITY);
        HostileRouter unlisted = new HostileRouter(address(collateralToken));
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(unlisted), HostileRouter.swap.selector)
        );
        vault.deleverage(FULL_SELL, address(unlisted), _swapData(FULL_SELL), 0, block.timestamp, 0);
    }

    function test_softZone_strangersAndPauseStillRefused() public {
        _setSoft(SOFT, PROBABILITY);
        vm.prank(stranger);
        vm.expectRevert(IUnwindVault.NotKeeper.selector);
        vault.topUp(2500e6, block.timestamp, 0);
        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.IsPaused.selector);
        vault.topUp(2500e6, block.timestamp, 0);
    }

    function test_ownerExitsUnaffectedBySoftTrigger() public {
        _setSoft(SOFT, PROBABILITY);
        uint256 debt = debtOf(address(vault));
        loanToken.mint(owner, debt);
        vm.startPrank(owner);
        loanToken.approve(address(vault), debt);
        vault.repay(type(uint256).max);
        vault.withdrawCollateral(10e18, owner);
        vault.withdrawReserve(RESERVE, owner);
        vm.stopPrank();
        assertEq(debtOf(address(vault)), 0);
        assertEq(collateralOf(address(vault)), 0);
    }

    // ---- helpers ----

    function _setSoft(uint16 soft, uint16 probability) internal {
        vm.prank(owner);
        vault.setSoftTrigger(soft, probability);
    }

    function _expectInvalid(uint16 soft, uint16 probability, string memory reason) internal {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, reason));
        vault.setSoftTrigger(soft, probability);
    }

    function _expectPolicyRefused(Policy memory p) internal {
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IUnwindVault.InvalidPolicy.selector, "soft trigger must stay between target and trigger; clear it first"
            )
        );
        vault.setPolicy(p);
    }

    function _plan(uint256 pull, uint256 pay) internal view returns (HostileRouter.Plan memory p) {
        p.pull = pull;
        p.payToken = address(loanToken);
        p.pay = pay;
    }

    /// The router pays exactly the oracle floor for `sell`: an honest fill at the worst price the vault accepts.
    function _payingRouter(uint256 sell) internal {
        router.setPlan(_plan(sell, floorOf(sell)));
    }

    function _swapData(uint256 sell) internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (sell, 0));
    }
}
