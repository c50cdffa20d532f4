// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The parts of Aave V3 (core 1.19.3, v3.0.x) the Aave vault, its factory and its oracle adapter call,
/// written against the ABI of @aave/core-v3's interfaces (IPool, IPoolAddressesProvider, IAaveOracle,
/// IFlashLoanSimpleReceiver, DataTypes). Only what is used; the calls' encodings are Aave's.

/// @dev DataTypes.ReserveData of Aave v3.0.x (v3.1+ changed this struct: see docs/VAULT.md).
struct AaveReserveData {
    uint256 configuration;
    uint128 liquidityIndex;
    uint128 currentLiquidityRate;
    uint128 variableBorrowIndex;
    uint128 currentVariableBorrowRate;
    uint128 currentStableBorrowRate;
    uint40 lastUpdateTimestamp;
    uint16 id;
    address aTokenAddress;
    address stableDebtTokenAddress;
    address variableDebtTokenAddress;
    address interestRateStrategyAddress;
    uint128 accruedToTreasury;
    uint128 unbacked;
    uint128 isolationModeTotalDebt;
}

/// @dev DataTypes.EModeCategory of Aave v3.0.x.
struct AaveEModeCategory {
    uint16 ltv;
    uint16 liquidationThreshold;
    uint16 liquidationBonus;
    address priceSource;
    string label;
}

interface IAavePool {
    function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
    function withdraw(address asset, uint256 amount, address to) external returns (uint256);
    function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf)
        external;
    function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf)
        external
        returns (uint256);
    function flashLoanSimple(
        address receiverAddress,
        address asset,
        uint256 amount,
        bytes calldata params,
        uint16 referralCode
    ) external;
    function setUserEMode(uint8 categoryId) external;
    function getUserEMode(address user) external view returns (uint256);
    /// @dev Returns DataTypes.ReserveConfigurationMap, a struct of one uint256: the same encoding.
    function getConfiguration(address asset) external view returns (uint256);
    function getReserveData(address asset) external view returns (AaveReserveData memory);
    function getEModeCategoryData(uint8 id) external view returns (AaveEModeCategory memory);
    function getUserAccountData(address user)
        external
        view
        returns (
            uint256 totalCollateralBase,
            uint256 totalDebtBase,
            uint256 availableBorrowsBase,
            uint256 currentLiquidationThreshold,
            uint256 ltv,
            uint256 healthFactor
        );
    function FLASHLOAN_PREMIUM_TOTAL() external view returns (uint128);
    function liquidationCall(
        address collateralAsset,
        address debtAsset,
        address user,
        uint256 debtToCover,
        bool receiveAToken
    ) external;
}

interface IAavePoolAddressesProvider {
    function getPool() external view returns (address);
    function getPriceOracle() external view returns (address);
}

interface IAaveOracle {
    /// @dev In the oracle's base currency (USD, 8 decimals, on Aave V3's markets); reverts when there is no
    /// positive price (the fallback oracle is asked, and with none set the call fails).
    function getAssetPrice(address asset) external view returns (uint256);
    function BASE_CURRENCY_UNIT() external view returns (uint256);
}

interface IFlashLoanSimpleReceiver {
    function executeOperation(address asset, uint256 amount, uint256 premium, address initiator, bytes calldata params)
        external
        returns (bool);
}

/// @dev Bits of Aave V3's ReserveConfigurationMap (ReserveConfiguration.sol, v3.0.x).
library AaveReserveConfig {
    function ltv(uint256 c) internal pure returns (uint256) {
        return c & 0xFFFF;
    }

    function liquidationThreshold(uint256 c) internal pure returns (uint256) {
        return (c >> 16) & 0xFFFF;
    }

    function decimals(uint256 c) internal pure returns (uint256) {
        return (c >> 48) & 0xFF;
    }

    function active(uint256 c) internal pure returns (bool) {
        return (c >> 56) & 1 != 0;
    }

    function frozen(uint256 c) internal pure returns (bool) {
        return (c >> 57) & 1 != 0;
    }

    function borrowingEnabled(uint256 c) internal pure returns (bool) {
        return (c >> 58) & 1 != 0;
    }

    function paused(uint256 c) internal pure returns (bool) {
        return (c >> 60) & 1 != 0;
    }

    function siloedBorrowing(uint256 c) internal pure returns (bool) {
        return (c >> 62) & 1 != 0;
    }

    function flashLoanEnabled(uint256 c) internal pure returns (bool) {
        return (c >> 63) & 1 != 0;
    }

    function eModeCategory(uint256 c) internal pure returns (uint256) {
        return (c >> 168) & 0xFF;
    }

    function debtCeiling(uint256 c) internal pure returns (uint256) {
        return (c >> 212) & 0xFFFFFFFFFF;
    }
}
