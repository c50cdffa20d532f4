// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {HighLltvFixture} from "../utils/HighLltvFixture.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The equity bound (issue 14, "the policy bounds the loss per token sold, not the loss of equity"): on a
/// 98% LLTV market at LTV 89.5, just under 1 - 10% slippage, one sale at the oracle floor sold 94% of the
/// collateral and destroyed 89.5% of the owner's equity while LTV went down. A keeper action may now lower the
/// equity at the oracle price by at most (maxSlippage + maxFee) of it; the fee alone may not pass that either.
contract UnwindVaultEquityTest is HighLltvFixture {
    function setUp() public {
        Policy memory p = defaultPolicy();
        (p.triggerLtvBps, p.targetLtvBps, p.bandBps, p.maxSlippageBps, p.maxFeeBps) = (8900, 8500, 500, 1000, 500);
        setUpHighVault(8950, p);
    }

    function test_finding_oneSaleAtTheFloorCanNoLongerDestroyTheEquity() public {
        uint256 sell = 9.4e18;
        uint256 price = oracle.price();
        uint256 equity = hvEquity();
        assertEq(equity, 2835e6); // 27,000 of collateral, 24,165 of debt
        uint256 floor = LtvMath.oracleFloor(sell, price, 1000);
        assertEq(floor, 22_842e6);
        // At the floor the sale would leave 1,620 of collateral against 1,323 of debt: LTV 89.5 -> 81.7, in the
        // band, and 2,538 of the 2,835 of equity gone. The vault now asks for the value sold less 15% of the equity.
        uint256 required = 25_380e6 - equity * 1500 / 10_000;
        assertEq(requiredOf(hv, highMarket, sell), required);
        planSale(sell, floor);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, floor, required));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);
        assertEq(hvCollateral(), 10e18);
        assertEq(hvEquity(), equity);
    }

    function test_equityFloor_bindsAboveTheOracleFloorToTheUnit() public {
        uint256 sell = 3e18;
        uint256 equity = hvEquity();
        uint256 allowance = equity * 1500 / 10_000; // 425.25
        uint256 required = 8100e6 - allowance;
        assertGt(required, LtvMath.oracleFloor(sell, oracle.price(), 1000), "the equity floor is the higher one");
        assertEq(requiredOf(hv, highMarket, sell), required);

        planSale(sell, required - 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, required - 1, required));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);

        planSale(sell, required);
        uint256 ltvBefore = hvLtv();
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0);
        assertEq(repaid, required);
        assertEq(proceeds, required);
        assertEq(hvCollateral(), 7e18);
        assertLt(hvLtv(), ltvBefore);
        // Exactly the allowance lost (to a unit of rounding in the debt), never more.
        assertGe(hvEquity() + allowance, equity);
        assertApproxEqAbs(hvEquity() + allowance, equity, 1);
    }

    /// @dev The fee cap is a share of what an action repays, the allowance a share of the equity: they part ways
    /// when little equity is left. Here the price fell to 2,300 (LTV 105%) and a reserve of 1,300 leaves 135.
    function _thinEquity() internal returns (uint256 allowance) {
        movePrice(2300e8);
        loanToken.mint(address(hv), 1300e6);
        assertEq(hvEquity(), 135e6);
        allowance = equityAllowanceOf(hv, highMarket, oracle.price());
        assertEq(allowance, 20.25e6);
    }

    function test_feeOverTheEquityAllowance_isRefusedInATopUp() public {
        uint256 allowance = _thinEquity();
        uint256 amount = 1200e6;
        assertGt(amount * 500 / 10_000, allowance + 1, "the fee cap alone would allow it");
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.EquityLoss.selector, allowance + 1, allowance));
        hv.topUp(amount, block.timestamp, allowance + 1);

        uint256 equity = hvEquity();
        vm.prank(keeper);
        hv.topUp(amount, block.timestamp, allowance);
        assertEq(loanToken.balanceOf(keeper), allowance);
        assertGe(hvEquity() + allowance, equity);
    }

    function test_feeOverTheEquityAllowance_isRefusedInADeleverage() public {
        uint256 allowance = _thinEquity();
        uint256 sell = 3e18;
        assertGt(requiredOf(hv, highMarket, sell) * 500 / 10_000, allowance + 1, "the fee cap alone would allow it");
        planSale(sell, 10_000e6);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.EquityLoss.selector, allowance + 1, allowance));
        hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, allowance + 1);
        assertEq(hvCollateral(), 10e18);
    }
}
