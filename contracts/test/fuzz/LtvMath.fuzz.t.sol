// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice LTV and floor arithmetic for every pairing of 6, 8 and 18 decimals, over realistic ranges:
/// up to 10^12 whole collateral tokens, 10^13 whole loan tokens of debt, whole-token prices from 10^-8
/// to 10^9. Checked against 512-bit products, not against the same formula.
contract LtvMathFuzzTest is Test {
    uint8[3] internal DECIMALS = [6, 8, 18];

    struct Case {
        uint256 collateral;
        uint256 debt;
        uint256 price;
    }

    function _case(uint256 dSeed, uint256 collateralTokens, uint256 debtTokens, uint256 answer8)
        internal
        view
        returns (Case memory c)
    {
        uint8 dc = DECIMALS[dSeed % 3];
        uint8 dl = DECIMALS[(dSeed / 3) % 3];
        // Sub-unit amounts down to 1 base unit as well as whole amounts.
        c.collateral = _bound(collateralTokens, 1, 1e12 * 10 ** dc);
        c.debt = _bound(debtTokens, 0, 1e13 * 10 ** dl);
        uint256 a = _bound(answer8, 1, 1e17); // whole-token price with 8 decimals: 1e-8 .. 1e9
        c.price = a * 10 ** (36 + dl - dc) / 1e8; // what the adapter returns for an 8-decimal feed
    }

    function testFuzz_ltv_roundsUpAndNeverOverflows(uint256 d, uint256 c, uint256 debt, uint256 a) public view {
        Case memory k = _case(d, c, debt, a);
        uint256 ltv = LtvMath.ltv(k.collateral, k.debt, k.price);
        uint256 value = LtvMath.collateralValue(k.collateral, k.price);
        if (k.debt == 0) return assertEq(ltv, 0);
        if (value == 0) return assertEq(ltv, type(uint256).max);
        // ltv is the least integer with ltv * value >= debt * 1e18.
        assertTrue(_ge512(ltv, value, k.debt, 1e18), "ltv * value >= debt * WAD");
        assertTrue(_lt512(ltv - 1, value, k.debt, 1e18), "(ltv - 1) * value < debt * WAD");
    }

    function testFuzz_collateralValue_roundsDown(uint256 d, uint256 c, uint256 a) public view {
        Case memory k = _case(d, c, 0, a);
        uint256 value = LtvMath.collateralValue(k.collateral, k.price);
        assertTrue(_ge512(k.collateral, k.price, value, 1e36), "value * 1e36 <= collateral * price");
        assertTrue(_lt512(k.collateral, k.price, value + 1, 1e36), "(value + 1) * 1e36 > collateral * price");
    }

    function testFuzz_oracleFloor_roundsUpAtMostOneUnit(uint256 d, uint256 c, uint256 a, uint256 slippage) public view {
        Case memory k = _case(d, c, 0, a);
        uint256 s = _bound(slippage, 0, 1000);
        uint256 floor = LtvMath.oracleFloor(k.collateral, k.price, s);
        // The exact floor collateral * price * (1 - s) / 1e36, rounded up in one step.
        uint256 exact = Math.mulDiv(k.collateral, k.price * (10_000 - s), 1e40, Math.Rounding.Ceil);
        assertGe(floor, exact, "never below the exact floor");
        assertLe(floor, exact + 1, "two roundings up cost at most one unit");
        assertLe(floor, Math.mulDiv(k.collateral, k.price, 1e36, Math.Rounding.Ceil), "never above the value");
        if (k.collateral > 0 && s < 10_000) assertGe(floor, 1, "selling anything must bring something");
    }

    function testFuzz_floorCoversTheDebtShareOfWhatIsSold(uint256 d, uint256 c, uint256 a, uint256 slippage)
        public
        view
    {
        // With slippage s, selling at the floor lowers LTV whenever LTV < 1 - s: what the sale repays
        // per unit of value is at least 1 - s, rounded in the vault's favour.
        Case memory k = _case(d, c, 0, a);
        uint256 s = _bound(slippage, 0, 1000);
        uint256 value = LtvMath.collateralValue(k.collateral, k.price);
        vm.assume(value > 0);
        uint256 floor = LtvMath.oracleFloor(k.collateral, k.price, s);
        assertGe(floor * 10_000, value * (10_000 - s));
    }

    function testFuzz_bpsToWad_isExact(uint16 b) public pure {
        assertEq(LtvMath.bpsToWad(b), uint256(b) * 1e18 / 1e4);
    }

    /// a * b >= c * d, in 512 bits.
    function _ge512(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (bool) {
        (uint256 h1, uint256 l1) = Math.mul512(a, b);
        (uint256 h2, uint256 l2) = Math.mul512(c, d);
        return h1 > h2 || (h1 == h2 && l1 >= l2);
    }

    /// a * b < c * d, in 512 bits.
    function _lt512(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (bool) {
        return !_ge512(a, b, c, d);
    }
}
