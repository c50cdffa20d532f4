// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {LtvMath} from "../../src/libraries/LtvMath.sol";

contract LtvMathTest is Test {
    uint256 internal constant P_WETH_USDC = 3000e6 * 1e36 / 1e18; // 3000 USDC per WETH

    function test_collateralValue_roundsDown() public pure {
        assertEq(LtvMath.collateralValue(10e18, P_WETH_USDC), 30_000e6);
        assertEq(LtvMath.collateralValue(1, P_WETH_USDC), 0); // 1 wei of WETH is 3e-9 USDC base units
        assertEq(LtvMath.collateralValue(333_333_333_334, P_WETH_USDC), 1000);
    }

    function test_ltv_isDebtOverValueInWad() public pure {
        assertEq(LtvMath.ltv(10e18, 24_000e6, P_WETH_USDC), 0.8e18);
        assertEq(LtvMath.ltv(10e18, 0, P_WETH_USDC), 0);
        assertEq(LtvMath.ltv(0, 0, P_WETH_USDC), 0);
    }

    function test_ltv_roundsUp() public pure {
        // 1 / 3 of a WAD is 333...333.33: the LTV is never understated.
        assertEq(LtvMath.ltv(1e18, 1000e6, P_WETH_USDC), 333_333_333_333_333_334);
    }

    function test_ltv_debtAgainstWorthlessCollateralIsMax() public pure {
        assertEq(LtvMath.ltv(0, 1, P_WETH_USDC), type(uint256).max);
        assertEq(LtvMath.ltv(1, 1, P_WETH_USDC), type(uint256).max);
        assertEq(LtvMath.ltv(1e18, 1, 0), type(uint256).max);
    }

    function test_oracleFloor_takesSlippageOffTheValue() public pure {
        assertEq(LtvMath.oracleFloor(2e18, P_WETH_USDC, 100), 5940e6);
        assertEq(LtvMath.oracleFloor(2e18, P_WETH_USDC, 0), 6000e6);
        assertEq(LtvMath.oracleFloor(2e18, P_WETH_USDC, 10_000), 0);
    }

    function test_oracleFloor_roundsUp() public pure {
        // 1 wei of WETH is worth 3e-9 USDC base units: the floor is still 1, never 0.
        assertEq(LtvMath.oracleFloor(1, P_WETH_USDC, 100), 1);
        // 101 base units * 99% = 99.99 -> 100.
        assertEq(LtvMath.oracleFloor(101, 1e36, 100), 100);
    }

    function test_bpsToWad() public pure {
        assertEq(LtvMath.bpsToWad(8000), 0.8e18);
        assertEq(LtvMath.bpsToWad(10_000), 1e18);
        assertEq(LtvMath.bpsToWad(1), 1e14);
    }
}
