// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveMarket} from "../utils/AaveMarket.sol";

/// @notice The fixture's Aave V3 is the real protocol: it reproduces the outcome checked in
/// reference/aave-v3-local.md on anvil (health factors and the liquidation's numbers, to the unit).
contract AaveMarketTest is AaveMarket {
    address internal borrower = makeAddr("borrower");
    address internal liquidator = makeAddr("liquidator");

    function setUp() public {
        vm.warp(1_700_000_000);
        MarketConfig memory c = defaultConfig();
        c.price = 2000e8;
        AaveConfig memory a = defaultAaveConfig();
        a.liquidity = 100_000e6;
        deployAaveMarket(c, a);
    }

    function test_referenceOutcome_healthFactorsAndLiquidation() public {
        collateralToken.mint(borrower, 10e18);
        vm.startPrank(borrower);
        collateralToken.approve(address(aavePool), 10e18);
        aavePool.supply(address(collateralToken), 10e18, borrower, 0);
        aavePool.borrow(address(loanToken), 14_000e6, 2, 0, borrower);
        vm.stopPrank();
        // 10 x 2000 x 0.825 / 14,000
        assertApproxEqAbs(healthFactorOf(borrower), 1.1786e18, 0.0001e18, "HF at $2000");

        vm.prank(deployer);
        feed.setAnswer(1600e8);
        assertApproxEqAbs(healthFactorOf(borrower), 0.9429e18, 0.0001e18, "HF at $1600");

        loanToken.mint(liquidator, 7000e6);
        vm.startPrank(liquidator);
        loanToken.approve(address(aavePool), 7000e6);
        aavePool.liquidationCall(address(collateralToken), address(loanToken), borrower, 7000e6, false);
        vm.stopPrank();
        // 7000 / 1600 x 1.05
        assertEq(collateralToken.balanceOf(liquidator), 4.59375e18, "liquidator's collateral");
        assertApproxEqAbs(healthFactorOf(borrower), 1.0195e18, 0.0001e18, "HF after the liquidation");
    }

    function test_flashPremiumAndReserves() public view {
        assertEq(aavePool.FLASHLOAN_PREMIUM_TOTAL(), 9);
        assertEq(aaveOracle.getAssetPrice(address(collateralToken)), 2000e8);
        assertEq(aaveOracle.getAssetPrice(address(loanToken)), 1e8);
        assertTrue(address(aCollateral) != address(0) && address(variableDebtLoan) != address(0));
    }
}
