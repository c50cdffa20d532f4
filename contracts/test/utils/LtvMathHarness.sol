// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice `LtvMath` behind external functions, for the Java differential test
/// (src/test/java/io/unwind/integration/LtvAgainstLtvMathTest.java). Each batch function evaluates a whole
/// array of cases in one call, and says per case whether the library reverted (an overflow), so that
/// thousands of cases cost a handful of eth_calls.
contract LtvMathHarness {
    function collateralValues(uint256[] calldata collateral, uint256[] calldata price)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        (ok, out) = _new(collateral.length);
        for (uint256 i = 0; i < collateral.length; i++) {
            try this.collateralValue(collateral[i], price[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    function ltvs(uint256[] calldata collateral, uint256[] calldata debt, uint256[] calldata price)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        (ok, out) = _new(collateral.length);
        for (uint256 i = 0; i < collateral.length; i++) {
            try this.ltv(collateral[i], debt[i], price[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    function oracleFloors(uint256[] calldata collateral, uint256[] calldata price, uint256[] calldata slippageBps)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        (ok, out) = _new(collateral.length);
        for (uint256 i = 0; i < collateral.length; i++) {
            try this.oracleFloor(collateral[i], price[i], slippageBps[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    function bpsToWads(uint256[] calldata bps) external view returns (bool[] memory ok, uint256[] memory out) {
        (ok, out) = _new(bps.length);
        for (uint256 i = 0; i < bps.length; i++) {
            try this.bpsToWad(bps[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    /// The vault's other rounding-up division (Math.ceilDiv), the counterpart of the Java `Ltv.divUp`.
    function ceilDivs(uint256[] calldata a, uint256[] calldata b)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        (ok, out) = _new(a.length);
        for (uint256 i = 0; i < a.length; i++) {
            try this.ceilDiv(a[i], b[i]) returns (uint256 v) {
                (ok[i], out[i]) = (true, v);
            } catch {}
        }
    }

    function collateralValue(uint256 collateral, uint256 price) external pure returns (uint256) {
        return LtvMath.collateralValue(collateral, price);
    }

    function ltv(uint256 collateral, uint256 debt, uint256 price) external pure returns (uint256) {
        return LtvMath.ltv(collateral, debt, price);
    }

    function oracleFloor(uint256 collateral, uint256 price, uint256 slippageBps) external pure returns (uint256) {
        return LtvMath.oracleFloor(collateral, price, slippageBps);
    }

    function bpsToWad(uint256 bps) external pure returns (uint256) {
        return LtvMath.bpsToWad(bps);
    }

    function ceilDiv(uint256 a, uint256 b) external pure returns (uint256) {
        return Math.ceilDiv(a, b);
    }

    function _new(uint256 n) private pure returns (bool[] memory ok, uint256[] memory out) {
        ok = new bool[](n);
        out = new uint256[](n);
    }
}
