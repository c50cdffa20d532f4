// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {UnwindHedge} from "../../src/UnwindHedge.sol";
import {InverseOracle} from "../../src/oracle/InverseOracle.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {VaultFixture} from "./VaultFixture.sol";
import {ISwapRouter} from "./UniswapInterfaces.sol";

/// @notice A vault on the real local Morpho market and a hedge on the reverse market (the vault's loan token as
/// collateral, its collateral borrowed), priced by the inverse of the vault's oracle, with lenders of the collateral.
abstract contract HedgeFixture is VaultFixture {
    using MorphoBalancesLib for IMorpho;

    MarketParams internal reverseParams;
    InverseOracle internal inverseOracle;
    UnwindHedge internal hedge;
    address internal assetLender = makeAddr("asset-lender");

    /// Loan-token units (whole) the owner puts in the hedge by default.
    uint256 internal constant HEDGE_DEPOSIT_WHOLE = 20_000;

    function defaultHedgePolicy() internal pure returns (UnwindHedge.HedgePolicy memory) {
        return UnwindHedge.HedgePolicy({
            maxRatioBps: 5000,
            openLtvBps: 7000,
            triggerLtvBps: 7500,
            targetLtvBps: 6500,
            maxSlippageBps: 100,
            maxFeeBps: 50,
            cooldown: 0
        });
    }

    function setUpHedge() internal {
        setUpHedge(defaultConfig(), 10e18, 7500);
    }

    function setUpHedge(MarketConfig memory c, uint256 collateral, uint256 ltvBps) internal {
        setUpHedge(c, collateral, ltvBps, HEDGE_DEPOSIT_WHOLE * 10 ** c.loanDecimals);
    }

    /// @param deposit loan-token base units the owner puts in the hedge
    function setUpHedge(MarketConfig memory c, uint256 collateral, uint256 ltvBps, uint256 deposit) internal {
        setUpVault(c, collateral, ltvBps);
        // The reverse market: C lent by a lender, L as collateral, the inverse price, the same LLTV.
        vm.startPrank(deployer);
        inverseOracle = new InverseOracle(IOracle(address(oracle)));
        reverseParams = MarketParams(address(collateralToken), address(loanToken), address(inverseOracle), irm, c.lltv);
        morpho.createMarket(reverseParams);
        vm.stopPrank();
        uint256 lent = 100 * collateral + 1000 * 10 ** collateralToken.decimals();
        collateralToken.mint(assetLender, lent);
        vm.startPrank(assetLender);
        collateralToken.approve(address(morpho), type(uint256).max);
        morpho.supply(reverseParams, lent, 0, assetLender, "");
        vm.stopPrank();

        vm.prank(owner);
        hedge = new UnwindHedge(morpho, address(vault), reverseParams, defaultHedgePolicy());
        depositToHedge(deposit);
    }

    function depositToHedge(uint256 amount) internal {
        loanToken.mint(owner, amount);
        vm.startPrank(owner);
        loanToken.approve(address(hedge), amount);
        hedge.deposit(amount);
        vm.stopPrank();
    }

    function setHedgePolicy(UnwindHedge.HedgePolicy memory p) internal {
        vm.prank(owner);
        hedge.setPolicy(p);
    }

    /// @notice Uniswap V3 calldata selling `amountIn` of `tokenIn` for the other token, to the hedge.
    function v3Swap(address tokenIn, uint256 amountIn, uint256 minOut) internal view returns (bytes memory) {
        address tokenOut = tokenIn == address(collateralToken) ? address(loanToken) : address(collateralToken);
        return abi.encodeCall(
            ISwapRouter.exactInputSingle,
            (ISwapRouter.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: V3_FEE,
                recipient: address(hedge),
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: minOut,
                sqrtPriceLimitX96: 0
            }))
        );
    }

    function oraclePrice() internal view returns (uint256) {
        return oracle.price();
    }

    /// @notice The hedge's LTV as the contract judges it: C owed at the vault's price (up) over L supplied.
    function hedgeLtv() internal view returns (uint256) {
        (uint256 coll, uint256 debt,) = hedge.position();
        if (debt == 0) return 0;
        uint256 owed = Math.mulDiv(debt, oraclePrice(), LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        return Math.mulDiv(owed, LtvMath.WAD, coll, Math.Rounding.Ceil);
    }

    /// @notice The owner's equity in L at the oracle price: the vault's (collateral value + reserve - debt) plus the
    /// hedge's (L supplied + C loose - C owed) plus the tokens the owner holds, with both debts' interest accrued to
    /// the block (an action that writes the accrual to storage changes nothing the owner owns).
    function ownerEquity() internal view returns (int256) {
        uint256 p = oraclePrice();
        (uint256 hc, uint256 hd, uint256 held) = hedge.position();
        // Interest accrued to the block, whether or not an action has written it to Morpho's storage yet.
        int256 vaultPart = int256(LtvMath.collateralValue(collateralOf(address(vault)), p))
            + int256(loanToken.balanceOf(address(vault))) - int256(morpho.expectedBorrowAssets(marketParams, address(vault)));
        int256 hedgePart = int256(hc) + int256(LtvMath.collateralValue(held, p))
            - int256(Math.mulDiv(hd, p, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil));
        int256 wallet =
            int256(loanToken.balanceOf(owner)) + int256(LtvMath.collateralValue(collateralToken.balanceOf(owner), p));
        return vaultPart + hedgePart + wallet;
    }
}
