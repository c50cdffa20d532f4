// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IMorpho, Id, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {UnwindVault} from "../../src/UnwindVault.sol";
import {VaultFactory} from "../../src/VaultFactory.sol";
import {VaultLens} from "../../src/VaultLens.sol";
import {Policy} from "../../src/interfaces/IUnwindVault.sol";
import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {
    INonfungiblePositionManager,
    ISwapRouter,
    IQuoterV2,
    IUniswapV3Factory,
    IUniswapV3Pool,
    IUniswapV2Factory,
    IUniswapV2Pair,
    IUniswapV2Router02
} from "./UniswapInterfaces.sol";

/// @notice A real local market for the Foundry tests: Morpho Blue 1.0.0 as compiled from its npm source
/// (out-morpho/, with its IrmMock), Uniswap V3 and V2 from the npm packages' bytecode, OpenZeppelin
/// tokens with any decimals, a settable Chainlink-style feed and the Morpho oracle adapter over it.
abstract contract LocalMarket is Test {
    using MarketParamsLib for MarketParams;

    string internal constant V3_CORE = "node_modules/@uniswap/v3-core/artifacts/contracts/";
    string internal constant V3_PERIPHERY = "node_modules/@uniswap/v3-periphery/artifacts/contracts/";
    string internal constant V2_CORE = "node_modules/@uniswap/v2-core/build/";
    string internal constant V2_PERIPHERY = "node_modules/@uniswap/v2-periphery/build/";

    uint8 internal constant FEED_DECIMALS = 8;
    uint24 internal constant V3_FEE = 3000;
    int24 internal constant V3_TICK_SPACING = 60;
    uint256 internal constant PRICE_MAX_AGE = 1 hours;

    struct MarketConfig {
        uint8 collateralDecimals;
        uint8 loanDecimals;
        /// Feed answer with 8 decimals: loan tokens per whole collateral token (3000e8 = 3000).
        int256 price;
        uint256 lltv;
        /// Loan-token base units supplied to Morpho for borrowers.
        uint256 marketLiquidity;
        /// Loan-token value (base units) put on each side of the V3 and V2 pools.
        uint256 v3Depth;
        uint256 v2Depth;
    }

    address internal deployer = makeAddr("deployer");
    address internal lender = makeAddr("lender");
    address internal trader = makeAddr("trader");

    IMorpho internal morpho;
    address internal irm;
    TestToken internal collateralToken;
    TestToken internal loanToken;
    SettablePriceFeed internal feed;
    ChainlinkOracleAdapter internal oracle;
    MarketParams internal marketParams;
    VaultFactory internal factory;
    VaultLens internal lens;

    address internal weth9;
    address internal v3Factory;
    ISwapRouter internal swapRouter;
    IQuoterV2 internal quoter;
    INonfungiblePositionManager internal positionManager;
    IUniswapV3Pool internal v3Pool;
    address internal v2Factory;
    IUniswapV2Router02 internal v2Router;
    IUniswapV2Pair internal v2Pair;

    function defaultConfig() internal pure returns (MarketConfig memory) {
        return MarketConfig({
            collateralDecimals: 18,
            loanDecimals: 6,
            price: 3000e8,
            lltv: 0.86e18,
            marketLiquidity: 10_000_000e6,
            v3Depth: 2_000_000e6,
            v2Depth: 500_000e6
        });
    }

    function deployMarket(MarketConfig memory c) internal {
        vm.startPrank(deployer);
        morpho = IMorpho(deployCode("out-morpho/Morpho.sol/Morpho.json", abi.encode(deployer)));
        irm = deployCode("out-morpho/IrmMock.sol/IrmMock.json");
        collateralToken = new TestToken("Wrapped Ether", "WETH", c.collateralDecimals);
        loanToken = new TestToken("USD Coin", "USDC", c.loanDecimals);
        feed = new SettablePriceFeed(FEED_DECIMALS, "WETH / USDC", c.price);
        oracle = new ChainlinkOracleAdapter(IPriceFeed(address(feed)), c.collateralDecimals, c.loanDecimals, PRICE_MAX_AGE);
        marketParams = MarketParams(address(loanToken), address(collateralToken), address(oracle), irm, c.lltv);
        morpho.enableIrm(irm);
        morpho.enableLltv(c.lltv);
        morpho.createMarket(marketParams);
        factory = new VaultFactory(morpho);
        lens = new VaultLens(morpho, address(0));
        vm.stopPrank();

        loanToken.mint(lender, c.marketLiquidity);
        vm.startPrank(lender);
        loanToken.approve(address(morpho), type(uint256).max);
        morpho.supply(marketParams, c.marketLiquidity, 0, lender, "");
        vm.stopPrank();

        _deployUniswap();
        _seedV3(c.v3Depth);
        _seedV2(c.v2Depth);
    }

    // ---------------------------------------------------------------------------------------------
    // Prices
    // ---------------------------------------------------------------------------------------------

    /// @notice Loan base units per whole collateral token at feed answer `answer`.
    function loanPerCollateralToken(int256 answer) internal view returns (uint256) {
        return uint256(answer) * 10 ** loanToken.decimals() / 10 ** FEED_DECIMALS;
    }

    /// @notice Value in loan base units of `amount` collateral base units at feed answer `answer`.
    function valueOf(uint256 amount, int256 answer) internal view returns (uint256) {
        return Math.mulDiv(amount, loanPerCollateralToken(answer), 10 ** collateralToken.decimals());
    }

    /// @notice sqrt(token1 per token0, in base units) as Q64.96, for a pool at feed answer `answer`.
    function sqrtPriceX96At(int256 answer) internal view returns (uint160) {
        uint256 num = loanPerCollateralToken(answer);
        uint256 den = 10 ** collateralToken.decimals();
        if (address(collateralToken) > address(loanToken)) (num, den) = (den, num); // loan is token0
        return uint160(Math.sqrt(Math.mulDiv(num, 1 << 192, den)));
    }

    /// @notice Sets the feed and trades both pools to `answer`, as a market move would.
    function movePrice(int256 answer) internal {
        vm.prank(deployer);
        feed.setAnswer(answer);
        _tradeV3To(answer);
        _tradeV2To(answer);
    }

    // ---------------------------------------------------------------------------------------------
    // Vaults
    // ---------------------------------------------------------------------------------------------

    function defaultPolicy() internal pure returns (Policy memory) {
        return Policy({
            triggerLtvBps: 8000,
            targetLtvBps: 7000,
            bandBps: 500,
            maxSlippageBps: 100,
            maxFeeBps: 50,
            maxSellBps: 10_000,
            cooldown: 0,
            maxGasPrice: 1000 gwei
        });
    }

    /// @notice A vault owned by `owner` with `collateral` supplied and debt at `ltvBps` of its value.
    function openVault(address owner, uint256 collateral, uint256 ltvBps) internal returns (UnwindVault vault) {
        vm.prank(owner);
        vault = factory.createVault(marketParams);
        collateralToken.mint(owner, collateral);
        vm.startPrank(owner);
        collateralToken.approve(address(vault), collateral);
        vault.supplyCollateral(collateral);
        (, int256 answer,,,) = feed.latestRoundData();
        uint256 debt = valueOf(collateral, answer) * ltvBps / 10_000;
        if (debt > 0) vault.borrow(debt, owner);
        vm.stopPrank();
    }

    function allowUniswap(UnwindVault vault) internal {
        vm.startPrank(vault.owner());
        vault.setRoute(address(swapRouter), ISwapRouter.exactInputSingle.selector, true);
        vault.setRoute(address(v2Router), IUniswapV2Router02.swapExactTokensForTokens.selector, true);
        vm.stopPrank();
    }

    function v3SellCalldata(address vault, uint256 amountIn, uint256 minOut) internal view returns (bytes memory) {
        return abi.encodeCall(
            ISwapRouter.exactInputSingle,
            (ISwapRouter.ExactInputSingleParams({
                tokenIn: address(collateralToken),
                tokenOut: address(loanToken),
                fee: V3_FEE,
                recipient: vault,
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: minOut,
                sqrtPriceLimitX96: 0
            }))
        );
    }

    function v2SellCalldata(address vault, uint256 amountIn, uint256 minOut) internal view returns (bytes memory) {
        address[] memory path = new address[](2);
        path[0] = address(collateralToken);
        path[1] = address(loanToken);
        return abi.encodeCall(IUniswapV2Router02.swapExactTokensForTokens, (amountIn, minOut, path, vault, block.timestamp));
    }

    function quoteV3(uint256 amountIn) internal returns (uint256 out) {
        (out,,,) = quoter.quoteExactInputSingle(
            IQuoterV2.QuoteExactInputSingleParams(address(collateralToken), address(loanToken), amountIn, V3_FEE, 0)
        );
    }

    // ---------------------------------------------------------------------------------------------
    // Uniswap
    // ---------------------------------------------------------------------------------------------

    function _deployUniswap() private {
        vm.startPrank(deployer);
        weth9 = _deployV2Artifact(string.concat(V2_PERIPHERY, "WETH9.json"), "");
        v3Factory = deployCode(string.concat(V3_CORE, "UniswapV3Factory.sol/UniswapV3Factory.json"));
        swapRouter = ISwapRouter(deployCode(string.concat(V3_PERIPHERY, "SwapRouter.sol/SwapRouter.json"), abi.encode(v3Factory, weth9)));
        quoter = IQuoterV2(deployCode(string.concat(V3_PERIPHERY, "lens/QuoterV2.sol/QuoterV2.json"), abi.encode(v3Factory, weth9)));
        positionManager = INonfungiblePositionManager(
            deployCode(
                string.concat(V3_PERIPHERY, "NonfungiblePositionManager.sol/NonfungiblePositionManager.json"),
                abi.encode(v3Factory, weth9, address(0))
            )
        );
        v2Factory = _deployV2Artifact(string.concat(V2_CORE, "UniswapV2Factory.json"), abi.encode(deployer));
        v2Router = IUniswapV2Router02(_deployV2Artifact(string.concat(V2_PERIPHERY, "UniswapV2Router02.json"), abi.encode(v2Factory, weth9)));
        vm.stopPrank();
    }

    /// @dev The V2 build files are waffle JSON that vm.getCode cannot read; their `bytecode` is hex without 0x.
    function _deployV2Artifact(string memory path, bytes memory args) private returns (address addr) {
        bytes memory code = bytes.concat(vm.parseJsonBytes(vm.readFile(path), ".bytecode"), args);
        assembly ("memory-safe") {
            addr := create(0, add(code, 0x20), mload(code))
        }
        require(addr != address(0), string.concat("deploy failed: ", path));
    }

    function _sorted() private view returns (address token0, address token1) {
        (token0, token1) = address(collateralToken) < address(loanToken)
            ? (address(collateralToken), address(loanToken))
            : (address(loanToken), address(collateralToken));
    }

    function _seedV3(uint256 depth) private {
        (, int256 answer,,,) = feed.latestRoundData();
        (address token0, address token1) = _sorted();
        v3Pool = IUniswapV3Pool(positionManager.createAndInitializePoolIfNecessary(token0, token1, V3_FEE, sqrtPriceX96At(answer)));
        if (depth == 0) return;
        uint256 collateralAmount = Math.mulDiv(depth, 10 ** collateralToken.decimals(), loanPerCollateralToken(answer));
        (uint256 amount0, uint256 amount1) =
            token0 == address(collateralToken) ? (collateralAmount, depth) : (depth, collateralAmount);
        TestToken(token0).mint(deployer, amount0);
        TestToken(token1).mint(deployer, amount1);
        vm.startPrank(deployer);
        TestToken(token0).approve(address(positionManager), amount0);
        TestToken(token1).approve(address(positionManager), amount1);
        int24 maxTick = 887_272 / V3_TICK_SPACING * V3_TICK_SPACING;
        positionManager.mint(
            INonfungiblePositionManager.MintParams(token0, token1, V3_FEE, -maxTick, maxTick, amount0, amount1, 0, 0, deployer, block.timestamp)
        );
        vm.stopPrank();
    }

    function _seedV2(uint256 depth) private {
        vm.prank(deployer);
        v2Pair = IUniswapV2Pair(IUniswapV2Factory(v2Factory).createPair(address(collateralToken), address(loanToken)));
        if (depth == 0) return;
        (, int256 answer,,,) = feed.latestRoundData();
        uint256 collateralAmount = Math.mulDiv(depth, 10 ** collateralToken.decimals(), loanPerCollateralToken(answer));
        collateralToken.mint(deployer, collateralAmount);
        loanToken.mint(deployer, depth);
        vm.startPrank(deployer);
        collateralToken.approve(address(v2Router), collateralAmount);
        loanToken.approve(address(v2Router), depth);
        v2Router.addLiquidity(address(collateralToken), address(loanToken), collateralAmount, depth, 0, 0, deployer, block.timestamp);
        vm.stopPrank();
    }

    /// @dev Swaps in the V3 pool with a price limit at the target, so the swap stops there.
    function _tradeV3To(int256 answer) private {
        if (v3Pool.liquidity() == 0) return;
        uint160 target = sqrtPriceX96At(answer);
        (uint160 current,,,,,,) = v3Pool.slot0();
        if (target == current) return;
        address token0 = v3Pool.token0();
        // Selling token0 lowers sqrtPrice (token1 per token0); selling token1 raises it.
        (address tokenIn, address tokenOut) = target < current
            ? (token0, token0 == address(collateralToken) ? address(loanToken) : address(collateralToken))
            : (token0 == address(collateralToken) ? address(loanToken) : address(collateralToken), token0);
        uint256 big = type(uint128).max;
        TestToken(tokenIn).mint(trader, big);
        vm.startPrank(trader);
        TestToken(tokenIn).approve(address(swapRouter), big);
        swapRouter.exactInputSingle(ISwapRouter.ExactInputSingleParams(tokenIn, tokenOut, V3_FEE, trader, block.timestamp, big, 0, target));
        TestToken(tokenIn).approve(address(swapRouter), 0);
        vm.stopPrank();
    }

    /// @dev Trades the V2 pair so that its reserves stand at the target price: with x*y = k and the
    /// target y/x = p, the collateral reserve must become sqrt(k / p) (the 0.3% fee is ignored).
    function _tradeV2To(int256 answer) private {
        (uint112 r0, uint112 r1,) = v2Pair.getReserves();
        if (r0 == 0) return;
        bool collateralIs0 = v2Pair.token0() == address(collateralToken);
        (uint256 rc, uint256 rl) = collateralIs0 ? (uint256(r0), uint256(r1)) : (uint256(r1), uint256(r0));
        uint256 k = rc * rl;
        uint256 targetRc = Math.sqrt(Math.mulDiv(k, 10 ** collateralToken.decimals(), loanPerCollateralToken(answer)));
        address[] memory path = new address[](2);
        uint256 amountIn;
        if (targetRc > rc) {
            amountIn = (targetRc - rc) * 1000 / 997;
            (path[0], path[1]) = (address(collateralToken), address(loanToken));
        } else {
            uint256 targetRl = k / targetRc;
            if (targetRl <= rl) return;
            amountIn = (targetRl - rl) * 1000 / 997;
            (path[0], path[1]) = (address(loanToken), address(collateralToken));
        }
        // Too small a move to buy a single base unit: the pair is already as close as it gets.
        if (amountIn == 0 || v2Router.getAmountsOut(amountIn, path)[1] == 0) return;
        TestToken(path[0]).mint(trader, amountIn);
        vm.startPrank(trader);
        TestToken(path[0]).approve(address(v2Router), amountIn);
        v2Router.swapExactTokensForTokens(amountIn, 0, path, trader, block.timestamp);
        vm.stopPrank();
    }
}
