// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HighLltvFixture} from "../utils/HighLltvFixture.sol";
import {IUnwindVault, Guard, Policy} from "../../src/interfaces/IUnwindVault.sol";

/// @notice The rate limit (issue 14, "per-call cap and cooldown are not a rate limit"): under "10% per call,
/// one-day cooldown" seven calls in one block sold 52% of the collateral, since a sale that ends above the
/// trigger never starts the cooldown. A window caps the share sold, counted whatever the LTV after.
contract UnwindVaultRateLimitTest is HighLltvFixture {
    function setUp() public {
        Policy memory p = defaultPolicy();
        (p.triggerLtvBps, p.targetLtvBps, p.bandBps, p.maxSellBps, p.cooldown) = (8500, 8000, 500, 1000, 1 days);
        setUpHighVault(9200, p);
    }

    function test_finding_withoutAWindowSevenCallsInOneBlockSellHalf() public {
        for (uint256 i = 0; i < 7; i++) {
            _sell(hvCollateral() / 10);
        }
        // 1 - 0.9^7: 52% of the collateral gone in one block, the per-call cap and the cooldown both respected.
        assertApproxEqRel(hvCollateral(), 4.782969e18, 1e12);
        assertEq(hv.windowSellLeftBps(), 10_000, "no window, no limit");
    }

    function test_window_refusesTheThirdTenPercentSale() public {
        _setGuard(Guard(address(0), 0, 0, 1 days, 2000));
        assertEq(hv.windowSellLeftBps(), 2000);
        _sell(hvCollateral() / 10);
        assertEq(hv.windowSellLeftBps(), 1000);
        _sell(hvCollateral() / 10);
        assertEq(hv.windowSellLeftBps(), 0);
        assertGe(hvLtv(), bps(8500), "still over the trigger: the cooldown has not started");
        assertEq(hv.lastActionAt(), 0);

        uint256 sell = hvCollateral() / 10;
        planSale(sell, requiredOf(hv, highMarket, sell));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WindowExceeded.selector, 1000, 0));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);
        assertEq(hvCollateral(), 8.1e18, "19% sold, not 52%");
    }

    function test_window_aNewWindowOpensAfterItsLength() public {
        _setGuard(Guard(address(0), 0, 0, 1 days, 2000));
        uint256 start = block.timestamp;
        _sell(hvCollateral() / 10);
        _sell(hvCollateral() / 10);
        _warpKeepingTheFeedFresh(start + 1 days - 1);
        assertEq(hv.windowSellLeftBps(), 0);
        uint256 sell = hvCollateral() / 10;
        planSale(sell, requiredOf(hv, highMarket, sell));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WindowExceeded.selector, 1000, 0));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);

        _warpKeepingTheFeedFresh(start + 1 days);
        assertEq(hv.windowSellLeftBps(), 2000);
        _sell(sell);
        assertEq(hv.windowSellLeftBps(), 1000);
    }

    function test_window_countsASaleWhateverTheLtvAfter() public {
        Policy memory p = hv.policy();
        (p.maxSellBps, p.cooldown, p.bandBps) = (10_000, 0, 8000);
        vm.prank(owner);
        hv.setPolicy(p);
        _setGuard(Guard(address(0), 0, 0, 1 days, 6000));
        // One sale of 55% takes LTV under the trigger: it counts all the same.
        _sell(5.5e18);
        assertLt(hvLtv(), bps(8500));
        assertEq(hv.windowSellLeftBps(), 500);
        // The price falls, LTV is over the trigger again: a 10% sale no longer fits the window.
        movePrice(2500e8);
        assertGe(hvLtv(), bps(8500));
        uint256 sell = hvCollateral() / 10;
        planSale(sell, requiredOf(hv, highMarket, sell));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WindowExceeded.selector, 1000, 500));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);
        _sell(hvCollateral() * 5 / 100); // what is left of the window still can be sold
        assertEq(hv.windowSellLeftBps(), 0);
    }

    function test_window_settingTheGuardAgainKeepsTheCount() public {
        _setGuard(Guard(address(0), 0, 0, 1 days, 2000));
        _sell(hvCollateral() / 10);
        _setGuard(Guard(address(0), 0, 0, 1 days, 3000));
        assertEq(hv.windowSellLeftBps(), 2000, "the 10% sold still counts under the new share");
    }

    // ---- helpers ----

    function _setGuard(Guard memory g) internal {
        vm.prank(owner);
        hv.setGuard(g);
    }

    /// @dev A sale the router pays exactly what the vault requires for.
    function _sell(uint256 sell) internal {
        uint256 required = requiredOf(hv, highMarket, sell);
        planSale(sell, required);
        uint256 collateral = hvCollateral();
        vm.prank(keeper);
        (uint256 repaid,) = hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);
        assertEq(repaid, required);
        assertEq(hvCollateral(), collateral - sell);
    }

    /// @dev The adapter refuses a feed older than an hour: the feed publishes its same answer at `t`.
    function _warpKeepingTheFeedFresh(uint256 t) internal {
        vm.warp(t);
        (, int256 answer,,,) = feed.latestRoundData();
        vm.prank(deployer);
        feed.setAnswer(answer);
    }
}
