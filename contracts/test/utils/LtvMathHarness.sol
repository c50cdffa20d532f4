// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice `LtvMath` behind one external batch function, for the Java differential test
/// (src/test/java/io/unwind/integration/LtvAgainstLtvMathTest.java): `evaluate` runs one function over a
/// whole array of cases in one call and says per case whether it reverted (an overflow), so that thousands
/// of cases cost a handful of eth_calls.
contract LtvMathHarness {
    /// The functions, in the order the Java test numbers them. CeilDiv is the vault's other rounding-up
    /// division (Math.ceilDiv), the counterpart of the Java `Ltv.divUp`.
    enum Fn {
        CollateralValue,
        Ltv,
        OracleFloor,
        BpsToWad,
        CeilDiv
    }

    /// @param a, b, c the arguments of case i are (a[i], b[i], c[i]); unused ones are ignored
    function evaluate(Fn fn, uint256[] calldata a, uint256[] calldata b, uint256[] calldata c)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        ok = new bool[](a.length);
        out = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; i++) {
            try this.one(fn, a[i], b[i], c[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    function one(Fn fn, uint256 a, uint256 b, uint256 c) external pure returns (uint256) {
        if (fn == Fn.CollateralValue) return LtvMath.collateralValue(a, b);
        if (fn == Fn.Ltv) return LtvMath.ltv(a, b, c);
        if (fn == Fn.OracleFloor) return LtvMath.oracleFloor(a, b, c);
        if (fn == Fn.BpsToWad) return LtvMath.bpsToWad(a);
        return Math.ceilDiv(a, b);
    }
}
