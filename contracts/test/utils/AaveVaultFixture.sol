// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {AaveMarket} from "./AaveMarket.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice An Aave market with one Aave vault: 10 collateral tokens at 3000, borrowed to 75% LTV against a
/// liquidation threshold of 82.5%, the default policy (trigger 80%, target 70%, band 5%), the Uniswap routes
/// allowed and one keeper. CRASH_PRICE puts it at 80.9%: over the trigger, still healthy on Aave (HF 1.019), so
/// a small sale can withdraw first (direct path) and a large one needs the flash loan.
abstract contract AaveVaultFixture is AaveMarket {
    uint256 internal constant START_TIME = 1_700_000_000;
    int256 internal constant CRASH_PRICE = 2780e8;
    /// At CRASH_PRICE: a sale this small leaves HF >= 1 after the withdrawal (direct), this large does not (flash).
    uint256 internal constant DIRECT_SELL = 0.1e18;
    uint256 internal constant FLASH_SELL = 2e18;

    address internal owner = makeAddr("owner");
    address internal keeper = makeAddr("keeper");
    address internal stranger = makeAddr("stranger");
    AaveVault internal vault;

    function setUpAaveVault() internal {
        setUpAaveVault(defaultConfig(), defaultAaveConfig(), 10e18, 7500, 0);
    }

    function setUpAaveVault(
        MarketConfig memory c,
        AaveConfig memory a,
        uint256 collateral,
        uint256 ltvBps,
        uint8 category
    ) internal {
        vm.warp(START_TIME);
        deployAaveMarket(c, a);
        if (category != 0) addEModeCategory(category);
        vault = openAaveVault(owner, collateral, ltvBps, category);
        allowUniswapOn(vault);
        vm.startPrank(owner);
        vault.setPolicy(defaultPolicy());
        vault.setKeeper(keeper, true);
        vm.stopPrank();
    }

    /// @notice E-mode `category`: LTV 90%, liquidation threshold 93%, bonus 102%, both assets in it.
    function addEModeCategory(uint8 category) internal {
        vm.startPrank(deployer);
        aaveConfigurator.setEModeCategory(category, 9000, 9300, 10_200, address(0), "correlated");
        aaveConfigurator.setAssetEModeCategory(address(collateralToken), category);
        aaveConfigurator.setAssetEModeCategory(address(loanToken), category);
        vm.stopPrank();
    }

    function setPolicy(Policy memory p) internal {
        vm.prank(vault.owner());
        vault.setPolicy(p);
    }

    function collateralOf(address v) internal view returns (uint256) {
        return aaveCollateralOf(v);
    }

    function debtOf(address v) internal view returns (uint256) {
        return aaveDebtOf(v);
    }

    function priceNow() internal view returns (uint256) {
        return aavePrice(vault);
    }

    function ltvOf(address v) internal view returns (uint256) {
        return LtvMath.ltv(collateralOf(v), debtOf(v), priceNow());
    }

    function floorOf(uint256 collateralAmount) internal view returns (uint256) {
        return LtvMath.oracleFloor(collateralAmount, priceNow(), vault.policy().maxSlippageBps);
    }

    /// @notice The owner's equity at `price`: collateral value + the vault's loan balance - debt (0 under water).
    function equityOf(address v, uint256 price) internal view returns (uint256) {
        uint256 assets = LtvMath.collateralValue(collateralOf(v), price) + loanToken.balanceOf(v);
        uint256 debt = debtOf(v);
        return assets > debt ? assets - debt : 0;
    }

    function equityAllowanceOf(AaveVault v, uint256 price) internal view returns (uint256) {
        Policy memory p = v.policy();
        return equityOf(address(v), price) * (uint256(p.maxSlippageBps) + p.maxFeeBps) / 10_000;
    }

    /// @notice What a sale of `sell` must repay at least (keeper minimum 0): the oracle floor or the value sold
    /// less the equity allowance, whichever is higher.
    function requiredOf(uint256 sell) internal view returns (uint256) {
        uint256 price = priceNow();
        uint256 floor = LtvMath.oracleFloor(sell, price, vault.policy().maxSlippageBps);
        uint256 valueSold = Math.mulDiv(sell, price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        uint256 allowance = equityAllowanceOf(vault, price);
        return Math.max(floor, valueSold > allowance ? valueSold - allowance : 0);
    }

    /// @notice The flash premium Aave charges on a loan of `amount` (percentMul, half up).
    function premiumOf(uint256 amount) internal view returns (uint256) {
        return (amount * aavePool.FLASHLOAN_PREMIUM_TOTAL() + 5000) / 10_000;
    }

    /// @notice Whether Aave would accept withdrawing `sell` before any repayment (the vault's direct path).
    function directPathFor(uint256 sell) internal view returns (bool) {
        uint256 left = LtvMath.collateralValue(collateralOf(address(vault)) - sell, priceNow());
        return left * 8250 >= debtOf(address(vault)) * 10_001;
    }

    function bps(uint256 b) internal pure returns (uint256) {
        return LtvMath.bpsToWad(b);
    }

    function loanBalance(address a) internal view returns (uint256) {
        return IERC20(address(loanToken)).balanceOf(a);
    }
}
