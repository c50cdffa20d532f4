// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

import {IAaveOracle} from "../interfaces/IAaveV3.sol";

/// @title AaveOracleAdapter
/// @notice Morpho's `IOracle.price()` (loan-token base units per collateral base unit, x 1e36) from an Aave V3
/// oracle, which prices every asset on its own in one base currency: collateralPrice x 10^(36 + loanDecimals -
/// collateralDecimals) / loanPrice. So the Aave vault is judged, floored and bounded by the very prices Aave
/// computes its health factor with, in the unit every other Unwind vault uses.
///
/// Decimals are read once, here. A zero price reverts (Aave's own oracle already reverts on a source that
/// answers <= 0 without a fallback oracle). No age check: Aave's oracle has none either, and the vault's guard
/// (`setGuard`) is what refuses keepers on a stale or disagreeing feed. One adapter per (oracle, collateral,
/// loan), created by the Aave vault factory on first use.
contract AaveOracleAdapter is IOracle {
    IAaveOracle public immutable ORACLE;
    address public immutable COLLATERAL;
    address public immutable LOAN;
    /// 10^(36 + loanDecimals - collateralDecimals), split so that it never underflows.
    uint256 public immutable SCALE_MUL;
    uint256 public immutable SCALE_DIV;

    error ZeroPrice(address asset);

    constructor(IAaveOracle oracle, address collateral, address loan) {
        ORACLE = oracle;
        COLLATERAL = collateral;
        LOAN = loan;
        int256 exp = 36 + int256(uint256(IERC20Metadata(loan).decimals()))
            - int256(uint256(IERC20Metadata(collateral).decimals()));
        if (exp >= 0) {
            SCALE_MUL = 10 ** uint256(exp);
            SCALE_DIV = 1;
        } else {
            SCALE_MUL = 1;
            SCALE_DIV = 10 ** uint256(-exp);
        }
    }

    function price() external view override returns (uint256) {
        uint256 collateralPrice = ORACLE.getAssetPrice(COLLATERAL);
        if (collateralPrice == 0) revert ZeroPrice(COLLATERAL);
        uint256 loanPrice = ORACLE.getAssetPrice(LOAN);
        if (loanPrice == 0) revert ZeroPrice(LOAN);
        return Math.mulDiv(collateralPrice, SCALE_MUL, loanPrice * SCALE_DIV);
    }
}
