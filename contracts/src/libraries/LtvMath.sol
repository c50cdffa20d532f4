// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice LTV and oracle-floor arithmetic shared by the vault and the lens.
/// Prices are Morpho oracle prices: loan-token base units per collateral base unit, scaled by 1e36,
/// so token decimals are already folded into the price and never assumed here.
library LtvMath {
    uint256 internal constant ORACLE_PRICE_SCALE = 1e36;
    uint256 internal constant WAD = 1e18;
    uint256 internal constant BPS = 10_000;
    uint256 internal constant BPS_TO_WAD = 1e14;

    /// @notice Value of `collateral` in loan-token base units at `price`, rounded down.
    function collateralValue(uint256 collateral, uint256 price) internal pure returns (uint256) {
        return Math.mulDiv(collateral, price, ORACLE_PRICE_SCALE);
    }

    /// @notice debt / collateral value as a WAD, rounded up (an LTV is never understated).
    /// Zero debt is LTV 0; debt against worthless collateral is type(uint256).max.
    function ltv(uint256 collateral, uint256 debt, uint256 price) internal pure returns (uint256) {
        if (debt == 0) return 0;
        uint256 value = collateralValue(collateral, price);
        if (value == 0) return type(uint256).max;
        return Math.mulDiv(debt, WAD, value, Math.Rounding.Ceil);
    }

    /// @notice The least loan-token amount a sale of `collateral` may bring: its oracle value minus
    /// `slippageBps`, rounded up so that rounding never lets a keeper under-deliver.
    function oracleFloor(uint256 collateral, uint256 price, uint256 slippageBps) internal pure returns (uint256) {
        return Math.mulDiv(
            Math.mulDiv(collateral, price, ORACLE_PRICE_SCALE, Math.Rounding.Ceil), BPS - slippageBps, BPS, Math.Rounding.Ceil
        );
    }

    function bpsToWad(uint256 bps) internal pure returns (uint256) {
        return bps * BPS_TO_WAD;
    }
}
