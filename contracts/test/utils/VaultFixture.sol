// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Id, Market, MarketParams, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";

import {LocalMarket} from "./LocalMarket.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice A local market with one vault: 10 collateral tokens at 3000, borrowed to 75% LTV, the default
/// policy (trigger 80%, target 70%, band 5%), the Uniswap routes allowed and one keeper.
abstract contract VaultFixture is LocalMarket {
    using MarketParamsLib for MarketParams;
    using SharesMathLib for uint256;

    /// A realistic clock: Foundry starts at timestamp 1, under which any cooldown looks like it is running.
    uint256 internal constant START_TIME = 1_700_000_000;
    /// Feed answer that puts the default 75% position at 83.3%, over the 80% trigger.
    int256 internal constant CRASH_PRICE = 2700e8;

    address internal owner = makeAddr("owner");
    address internal keeper = makeAddr("keeper");
    address internal stranger = makeAddr("stranger");
    UnwindVault internal vault;

    function setUpVault() internal {
        setUpVault(defaultConfig(), 10e18, 7500);
    }

    function setUpVault(MarketConfig memory c, uint256 collateral, uint256 ltvBps) internal {
        vm.warp(START_TIME);
        deployMarket(c);
        vault = openVault(owner, collateral, ltvBps);
        allowUniswap(vault);
        vm.startPrank(owner);
        vault.setPolicy(defaultPolicy());
        vault.setKeeper(keeper, true);
        vm.stopPrank();
    }

    function setPolicy(Policy memory p) internal {
        vm.prank(vault.owner());
        vault.setPolicy(p);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the position the way the vault does: debt rounded up, LTV at the oracle price.
    // ---------------------------------------------------------------------------------------------

    function collateralOf(address v) internal view returns (uint256) {
        return morpho.position(marketParams.id(), v).collateral;
    }

    function collateralOf(address v, MarketParams memory params) internal view returns (uint256) {
        return morpho.position(params.id(), v).collateral;
    }

    /// @notice LTV of `v` on the market `params`, at that market's oracle price.
    function ltvOf(address v, MarketParams memory params) internal view returns (uint256) {
        return LtvMath.ltv(collateralOf(v, params), debtOf(v, params), IOracle(params.oracle).price());
    }

    function debtOf(address v) internal view returns (uint256) {
        return debtOf(v, marketParams);
    }

    function debtOf(address v, MarketParams memory params) internal view returns (uint256) {
        Position memory p = morpho.position(params.id(), v);
        Market memory m = morpho.market(params.id());
        return uint256(p.borrowShares).toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
    }

    function ltvOf(address v) internal view returns (uint256) {
        return LtvMath.ltv(collateralOf(v), debtOf(v), oracle.price());
    }

    /// @notice The debt `v` owes after repaying `assets` by assets, as Morpho computes it.
    function debtAfterRepay(address v, uint256 assets) internal view returns (uint256) {
        Position memory p = morpho.position(marketParams.id(), v);
        Market memory m = morpho.market(marketParams.id());
        uint256 shares = assets.toSharesDown(m.totalBorrowAssets, m.totalBorrowShares);
        return (uint256(p.borrowShares) - shares).toAssetsUp(m.totalBorrowAssets - assets, m.totalBorrowShares - shares);
    }

    function floorOf(uint256 collateralAmount) internal view returns (uint256) {
        return LtvMath.oracleFloor(collateralAmount, oracle.price(), vault.policy().maxSlippageBps);
    }

    /// @notice The owner's equity in `v` at oracle price `price`, as the vault bounds it: collateral value plus the
    /// vault's loan-token balance minus debt (0 when under water).
    function equityOf(address v, MarketParams memory params, uint256 price) internal view returns (uint256) {
        uint256 assets = LtvMath.collateralValue(morpho.position(params.id(), v).collateral, price)
            + IERC20(params.loanToken).balanceOf(v);
        uint256 debt = debtOf(v, params);
        return assets > debt ? assets - debt : 0;
    }

    /// @notice How much one keeper action on `v` may lower that equity: (maxSlippage + maxFee) of it.
    function equityAllowanceOf(UnwindVault v, MarketParams memory params, uint256 price) internal view returns (uint256) {
        Policy memory p = v.policy();
        return equityOf(address(v), params, price) * (uint256(p.maxSlippageBps) + p.maxFeeBps) / 10_000;
    }

    /// @notice What a sale of `sell` from `v` must repay at least, as the vault computes it (keeper minimum 0):
    /// the oracle floor or the value sold less the equity allowance, whichever is higher.
    function requiredOf(UnwindVault v, MarketParams memory params, uint256 sell) internal view returns (uint256) {
        uint256 price = IOracle(params.oracle).price();
        uint256 floor = LtvMath.oracleFloor(sell, price, v.policy().maxSlippageBps);
        uint256 valueSold = Math.mulDiv(sell, price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        uint256 allowance = equityAllowanceOf(v, params, price);
        return Math.max(floor, valueSold > allowance ? valueSold - allowance : 0);
    }

    function requiredOf(uint256 sell) internal view returns (uint256) {
        return requiredOf(vault, marketParams, sell);
    }

    function bps(uint256 b) internal pure returns (uint256) {
        return LtvMath.bpsToWad(b);
    }
}
