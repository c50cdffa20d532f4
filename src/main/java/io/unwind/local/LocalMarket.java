package io.unwind.local;

import io.unwind.contracts.ChainlinkOracleAdapter;
import io.unwind.contracts.IrmMock;
import io.unwind.contracts.Morpho;
import io.unwind.contracts.NonfungiblePositionManager;
import io.unwind.contracts.QuoterV2;
import io.unwind.contracts.SettablePriceFeed;
import io.unwind.contracts.SwapRouter;
import io.unwind.contracts.SwapRouter02;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UniswapV2Factory;
import io.unwind.contracts.UniswapV2Router02;
import io.unwind.contracts.UniswapV3Factory;
import io.unwind.contracts.VaultFactory;
import io.unwind.contracts.VaultLens;
import io.unwind.contracts.WETH9;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Deploys a real market on a local chain: Morpho Blue 1.0.0 compiled from its npm source (with its IrmMock), Uniswap V3
 * (factory, SwapRouter, SwapRouter02, QuoterV2, position manager) and V2 (factory, router, WETH9) from the bytecode in
 * the npm packages, OpenZeppelin tokens with the spec's decimals, a settable Chainlink-style feed with the Morpho
 * oracle adapter over it, the Unwind factory and lens, lenders' liquidity in Morpho, and the spec's pools seeded at the
 * oracle price.
 */
public final class LocalMarket {
    public static final int FEED_DECIMALS = 8;
    static final BigInteger DEADLINE = BigInteger.TWO.pow(40);
    /** Full range for tick spacing 60 (fee 3000); other tiers round it to their spacing. */
    static final int MAX_TICK = 887_272;

    private LocalMarket() {}

    /** Deploys with anvil's account 0 as deployer and account 1 as the lender. */
    public static MarketDeployment deploy(Web3j web3j, long chainId, MarketSpec spec) {
        return deploy(web3j, chainId, spec, LocalChain.devAccount(0), LocalChain.devAccount(1));
    }

    @SuppressWarnings("rawtypes") // web3j encodes constructor arguments from a List<Type>, with Type raw
    public static MarketDeployment deploy(
            Web3j web3j, long chainId, MarketSpec spec, Credentials deployer, Credentials lender) {
        DevWallet d = new DevWallet(web3j, deployer, chainId);
        Contracts c = new Contracts(web3j, deployer.getAddress());

        Address morpho = d.deploy(Morpho.BINARY, encode(new org.web3j.abi.datatypes.Address(deployer.getAddress())));
        Address irm = d.deploy(IrmMock.BINARY, "");
        Assets x = deployAssets(d, spec);
        Address collateral = x.collateralToken().address();
        Address loan = x.loanToken().address();
        Token collateralToken = x.collateralToken();
        Token loanToken = x.loanToken();
        Address feed = x.feed();
        Address oracle = x.oracle();

        BigInteger lltv = spec.lltv().movePointRight(18).toBigIntegerExact();
        Morpho.MarketParams params =
                new Morpho.MarketParams(loan.hex(), collateral.hex(), oracle.hex(), irm.hex(), lltv);
        Morpho m = c.morpho(morpho);
        d.call(morpho, m.enableIrm(irm.hex()).encodeFunctionCall());
        d.call(morpho, m.enableLltv(lltv).encodeFunctionCall());
        d.call(morpho, m.createMarket(params).encodeFunctionCall());
        Address factory = d.deploy(VaultFactory.BINARY, encode(new org.web3j.abi.datatypes.Address(morpho.hex())));
        // No Aave pool on this chain yet: the lens reads Morpho vaults only.
        Address lens = d.deploy(
                VaultLens.BINARY, encode(new org.web3j.abi.datatypes.Address(morpho.hex()), addr(Address.ZERO)));

        // Uniswap from the npm artifacts.
        Address weth9 = d.deploy(WETH9.BINARY, "");
        Address v3Factory = d.deploy(UniswapV3Factory.BINARY, "");
        Address swapRouter = d.deploy(SwapRouter.BINARY, encode(addr(v3Factory), addr(weth9)));
        Address quoter = d.deploy(QuoterV2.BINARY, encode(addr(v3Factory), addr(weth9)));
        Address positionManager =
                d.deploy(NonfungiblePositionManager.BINARY, encode(addr(v3Factory), addr(weth9), addr(Address.ZERO)));
        Address v2Factory =
                d.deploy(UniswapV2Factory.BINARY, encode(new org.web3j.abi.datatypes.Address(deployer.getAddress())));
        Address v2Router = d.deploy(UniswapV2Router02.BINARY, encode(addr(v2Factory), addr(weth9)));
        Address arbitrageur = d.deploy(io.unwind.contracts.PoolArbitrageur.BINARY, "");
        // SwapRouter02 over the same V2 and V3 factories: the only V3 router on most L2s. Deployed last so that the
        // addresses the deployer made before it stay what they were.
        Address swapRouter02 = d.deploy(
                SwapRouter02.BINARY, encode(addr(v2Factory), addr(v3Factory), addr(positionManager), addr(weth9)));
        d.flush();

        List<MarketDeployment.Pool> pools = fund(
                web3j, chainId, d, c, spec, x, params, morpho, lender, positionManager, v3Factory, v2Factory, v2Router);

        String marketId = marketId(params);
        return new MarketDeployment(
                chainId,
                d.address(),
                morpho,
                irm,
                collateralToken,
                loanToken,
                feed,
                FEED_DECIMALS,
                oracle,
                lltv,
                marketId,
                factory,
                lens,
                weth9,
                v3Factory,
                swapRouter,
                swapRouter02,
                quoter,
                positionManager,
                v2Factory,
                v2Router,
                arbitrageur,
                pools);
    }

    /** A market's own contracts: its two tokens, its feed and the Morpho oracle over it. */
    private record Assets(Token collateralToken, Token loanToken, Prices prices, Address feed, Address oracle) {}

    private static Assets deployAssets(DevWallet d, MarketSpec spec) {
        return deployAssets(d, spec, List.of());
    }

    /**
     * The market's tokens (those of {@code onChain} with the same symbol, else new ones), its feed and its oracle. A
     * shared token must have the decimals the spec gives it.
     */
    @SuppressWarnings("rawtypes") // web3j encodes constructor arguments from a List<Type>, with Type raw
    private static Assets deployAssets(DevWallet d, MarketSpec spec, List<MarketDeployment> onChain) {
        Token collateralToken = tokenFor(d, spec.collateral(), onChain);
        Token loanToken = tokenFor(d, spec.loan(), onChain);
        if (collateralToken.address().equals(loanToken.address()))
            throw new IllegalArgumentException("a market's collateral and loan token must differ: both are "
                    + spec.collateral().symbol());
        Prices prices = new Prices(collateralToken, loanToken, FEED_DECIMALS);

        Address feed = d.deploy(
                SettablePriceFeed.BINARY,
                FunctionEncoder.encodeConstructor(List.<Type>of(
                        new Uint8(FEED_DECIMALS),
                        new org.web3j.abi.datatypes.Utf8String(
                                spec.collateral().symbol() + " / " + spec.loan().symbol()),
                        new org.web3j.abi.datatypes.generated.Int256(prices.feedAnswer(spec.price())))));
        Address oracle = d.deploy(
                ChainlinkOracleAdapter.BINARY,
                FunctionEncoder.encodeConstructor(List.<Type>of(
                        new org.web3j.abi.datatypes.Address(feed.hex()),
                        new Uint8(spec.collateral().decimals()),
                        new Uint8(spec.loan().decimals()),
                        new Uint256(spec.oracleMaxAge().toSeconds()))));

        return new Assets(collateralToken, loanToken, prices, feed, oracle);
    }

    /** The token of {@code onChain} with {@code t}'s symbol, or a new one. */
    @SuppressWarnings("rawtypes") // web3j encodes constructor arguments from a List<Type>, with Type raw
    private static Token tokenFor(DevWallet d, MarketSpec.TokenSpec t, List<MarketDeployment> onChain) {
        for (MarketDeployment m : onChain) {
            for (Token have : List.of(m.collateral(), m.loan())) {
                if (!have.symbol().equals(t.symbol())) continue;
                if (have.decimals() != t.decimals())
                    throw new IllegalArgumentException("token " + t.symbol() + " is on this chain with "
                            + have.decimals() + " decimals, not " + t.decimals());
                return have;
            }
        }
        Address a = d.deploy(
                TestToken.BINARY,
                FunctionEncoder.encodeConstructor(List.<Type>of(
                        new org.web3j.abi.datatypes.Utf8String(tokenName(t.symbol())),
                        new org.web3j.abi.datatypes.Utf8String(t.symbol()),
                        new Uint8(t.decimals()))));
        return new Token(a, t.symbol(), t.decimals());
    }

    /** Lenders' liquidity in the Morpho market, and the spec's pools seeded at its price. */
    private static List<MarketDeployment.Pool> fund(
            Web3j web3j,
            long chainId,
            DevWallet d,
            Contracts c,
            MarketSpec spec,
            Assets x,
            Morpho.MarketParams params,
            Address morpho,
            Credentials lender,
            Address positionManager,
            Address v3Factory,
            Address v2Factory,
            Address v2Router) {
        Address collateral = x.collateralToken().address();
        Address loan = x.loanToken().address();
        Token loanToken = x.loanToken();
        Prices prices = x.prices();
        Morpho m = c.morpho(morpho);
        // Lenders' liquidity.
        BigInteger liquidity =
                loanToken.parse(spec.marketLiquidity().toPlainString()).units();
        if (liquidity.signum() > 0) {
            DevWallet l = new DevWallet(web3j, lender, chainId);
            d.call(loan, c.token(loan).mint(lender.getAddress(), liquidity).encodeFunctionCall());
            d.flush();
            l.call(loan, c.token(loan).approve(morpho.hex(), liquidity).encodeFunctionCall());
            l.call(
                    morpho,
                    m.supply(params, liquidity, BigInteger.ZERO, lender.getAddress(), new byte[0])
                            .encodeFunctionCall());
            l.flush();
        }

        List<MarketDeployment.Pool> pools = new ArrayList<>();
        for (MarketSpec.PoolSpec p : spec.pools()) {
            BigInteger depth = loanToken
                    .parse(p.depth()
                            .setScale(Math.min(p.depth().scale(), loanToken.decimals()), RoundingMode.DOWN)
                            .toPlainString())
                    .units();
            BigInteger collateralDepth = prices.collateralFor(depth, spec.price());
            switch (p.dex()) {
                case UNISWAP_V3 ->
                    pools.add(seedV3(
                            d, c, prices, positionManager, v3Factory, p.fee(), spec.price(), depth, collateralDepth));
                case UNISWAP_V2 ->
                    pools.add(seedV2(d, c, v2Factory, v2Router, collateral, loan, depth, collateralDepth));
            }
        }
        d.flush();

        return pools;
    }

    /**
     * Deploys another market on the chain of {@code first}: on the same Morpho, Unwind factory and lens, with its pools
     * on the same Uniswap deployment (one set of routers and one quoter serve every market, as on a real chain); its
     * own tokens (its own loan token too), feed, oracle, lenders' liquidity and pools. Anvil's account 0 deploys (the
     * one that deployed {@code first}, Morpho's owner) and account 1 lends.
     */
    public static MarketDeployment deployAlongside(Web3j web3j, MarketSpec spec, MarketDeployment first) {
        return deployAlongside(web3j, spec, first, List.of());
    }

    /**
     * As {@link #deployAlongside(Web3j, MarketSpec, MarketDeployment)}, sharing tokens: a token whose symbol one of
     * {@code onChain} already uses is that token (as markets on one real chain share USDC), so pools of one pair serve
     * every market on it. Markets that share a pair share its pools too: this market's pools add liquidity to them.
     */
    public static MarketDeployment deployAlongside(
            Web3j web3j, MarketSpec spec, MarketDeployment first, List<MarketDeployment> onChain) {
        Credentials deployer = LocalChain.devAccount(0);
        long chainId = first.chainId();
        DevWallet d = new DevWallet(web3j, deployer, chainId);
        Contracts c = new Contracts(web3j, deployer.getAddress());
        Assets x = deployAssets(d, spec, onChain);
        BigInteger lltv = spec.lltv().movePointRight(18).toBigIntegerExact();
        Morpho.MarketParams params = new Morpho.MarketParams(
                x.loanToken().address().hex(),
                x.collateralToken().address().hex(),
                x.oracle().hex(),
                first.irm().hex(),
                lltv);
        Morpho m = c.morpho(first.morpho());
        // Morpho refuses to enable an LLTV twice: a second market enables only one that is new.
        if (!c.call(() -> m.isLltvEnabled(lltv).send()))
            d.call(first.morpho(), m.enableLltv(lltv).encodeFunctionCall());
        d.call(first.morpho(), m.createMarket(params).encodeFunctionCall());
        d.flush();
        List<MarketDeployment.Pool> pools = fund(
                web3j,
                chainId,
                d,
                c,
                spec,
                x,
                params,
                first.morpho(),
                LocalChain.devAccount(1),
                first.positionManager(),
                first.uniswapV3Factory(),
                first.uniswapV2Factory(),
                first.uniswapV2Router());
        return new MarketDeployment(
                chainId,
                d.address(),
                first.morpho(),
                first.irm(),
                x.collateralToken(),
                x.loanToken(),
                x.feed(),
                FEED_DECIMALS,
                x.oracle(),
                lltv,
                marketId(params),
                first.vaultFactory(),
                first.vaultLens(),
                first.weth9(),
                first.uniswapV3Factory(),
                first.swapRouter(),
                first.swapRouter02(),
                first.quoterV2(),
                first.positionManager(),
                first.uniswapV2Factory(),
                first.uniswapV2Router(),
                first.arbitrageur(),
                pools);
    }

    private static MarketDeployment.Pool seedV3(
            DevWallet d,
            Contracts c,
            Prices prices,
            Address positionManager,
            Address v3Factory,
            int fee,
            BigDecimal price,
            BigInteger loanDepth,
            BigInteger collateralDepth) {
        Token coll = prices.collateral();
        Token loan = prices.loan();
        boolean collateralIs0 = coll.address().compareTo(loan.address()) < 0;
        Address token0 = collateralIs0 ? coll.address() : loan.address();
        Address token1 = collateralIs0 ? loan.address() : coll.address();
        NonfungiblePositionManager npm = c.positionManager(positionManager);
        d.call(
                positionManager,
                npm.createAndInitializePoolIfNecessary(
                                token0.hex(),
                                token1.hex(),
                                BigInteger.valueOf(fee),
                                prices.sqrtPriceX96(price),
                                BigInteger.ZERO)
                        .encodeFunctionCall());
        if (loanDepth.signum() > 0) {
            BigInteger amount0 = collateralIs0 ? collateralDepth : loanDepth;
            BigInteger amount1 = collateralIs0 ? loanDepth : collateralDepth;
            d.call(token0, c.token(token0).mint(d.address().hex(), amount0).encodeFunctionCall());
            d.call(token1, c.token(token1).mint(d.address().hex(), amount1).encodeFunctionCall());
            d.call(
                    token0,
                    c.token(token0).approve(positionManager.hex(), amount0).encodeFunctionCall());
            d.call(
                    token1,
                    c.token(token1).approve(positionManager.hex(), amount1).encodeFunctionCall());
            int spacing = tickSpacing(fee);
            int maxTick = MAX_TICK / spacing * spacing;
            d.call(
                    positionManager,
                    npm.mint(
                                    new NonfungiblePositionManager.MintParams(
                                            token0.hex(),
                                            token1.hex(),
                                            BigInteger.valueOf(fee),
                                            BigInteger.valueOf(-maxTick),
                                            BigInteger.valueOf(maxTick),
                                            amount0,
                                            amount1,
                                            BigInteger.ZERO,
                                            BigInteger.ZERO,
                                            d.address().hex(),
                                            DEADLINE),
                                    BigInteger.ZERO)
                            .encodeFunctionCall());
        }
        d.flush();
        String pool = c.call(() -> c.v3Factory(v3Factory)
                .getPool(token0.hex(), token1.hex(), BigInteger.valueOf(fee))
                .send());
        return new MarketDeployment.Pool(MarketSpec.Dex.UNISWAP_V3.id(), fee, Address.of(pool));
    }

    private static MarketDeployment.Pool seedV2(
            DevWallet d,
            Contracts c,
            Address v2Factory,
            Address v2Router,
            Address collateral,
            Address loan,
            BigInteger loanDepth,
            BigInteger collateralDepth) {
        d.call(
                v2Factory,
                c.v2Factory(v2Factory).createPair(collateral.hex(), loan.hex()).encodeFunctionCall());
        if (loanDepth.signum() > 0) {
            d.call(
                    collateral,
                    c.token(collateral).mint(d.address().hex(), collateralDepth).encodeFunctionCall());
            d.call(loan, c.token(loan).mint(d.address().hex(), loanDepth).encodeFunctionCall());
            d.call(
                    collateral,
                    c.token(collateral).approve(v2Router.hex(), collateralDepth).encodeFunctionCall());
            d.call(loan, c.token(loan).approve(v2Router.hex(), loanDepth).encodeFunctionCall());
            d.call(
                    v2Router,
                    c.v2Router(v2Router)
                            .addLiquidity(
                                    collateral.hex(),
                                    loan.hex(),
                                    collateralDepth,
                                    loanDepth,
                                    BigInteger.ZERO,
                                    BigInteger.ZERO,
                                    d.address().hex(),
                                    DEADLINE)
                            .encodeFunctionCall());
        }
        d.flush();
        String pair = c.call(() ->
                c.v2Factory(v2Factory).getPair(collateral.hex(), loan.hex()).send());
        return new MarketDeployment.Pool(MarketSpec.Dex.UNISWAP_V2.id(), 0, Address.of(pair));
    }

    static int tickSpacing(int fee) {
        return switch (fee) {
            case 100 -> 1;
            case 500 -> 10;
            case 3000 -> 60;
            case 10000 -> 200;
            default ->
                throw new IllegalArgumentException("unknown Uniswap V3 fee tier " + fee + " (100, 500, 3000, 10000)");
        };
    }

    /**
     * Deploys Aave V3 beside {@code m} on the same chain and the same two tokens (see {@link LocalAave}), with the
     * default spec. Nothing deploys it unless asked: Morpho-only set-ups stay as fast as they were.
     */
    public static AaveDeployment deployAave(Web3j web3j, MarketDeployment m) {
        return LocalAave.deploy(web3j, m);
    }

    public static AaveDeployment deployAave(Web3j web3j, MarketDeployment m, AaveSpec spec) {
        return LocalAave.deploy(web3j, m, spec);
    }

    /** Morpho's market id: keccak256(abi.encode(MarketParams)). */
    static String marketId(Morpho.MarketParams params) {
        return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(org.web3j.abi.TypeEncoder.encode(params))));
    }

    private static String tokenName(String symbol) {
        return "Unwind Local " + symbol;
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    private static String encode(Type<?>... args) {
        return FunctionEncoder.encodeConstructor(List.of(args));
    }

    /** Read-only wrapper instances, used to encode calls and read views. */
    static final class Contracts {
        private final Web3j web3j;
        private final ReadonlyTransactionManager ro;

        @SuppressWarnings("deprecation")
        private final DefaultGasProvider gas = new DefaultGasProvider();

        Contracts(Web3j web3j, String from) {
            this.web3j = web3j;
            this.ro = new ReadonlyTransactionManager(web3j, from);
        }

        Morpho morpho(Address a) {
            return Morpho.load(a.hex(), web3j, ro, gas);
        }

        TestToken token(Address a) {
            return TestToken.load(a.hex(), web3j, ro, gas);
        }

        SettablePriceFeed feed(Address a) {
            return SettablePriceFeed.load(a.hex(), web3j, ro, gas);
        }

        NonfungiblePositionManager positionManager(Address a) {
            return NonfungiblePositionManager.load(a.hex(), web3j, ro, gas);
        }

        UniswapV3Factory v3Factory(Address a) {
            return UniswapV3Factory.load(a.hex(), web3j, ro, gas);
        }

        UniswapV2Factory v2Factory(Address a) {
            return UniswapV2Factory.load(a.hex(), web3j, ro, gas);
        }

        UniswapV2Router02 v2Router(Address a) {
            return UniswapV2Router02.load(a.hex(), web3j, ro, gas);
        }

        SwapRouter swapRouter(Address a) {
            return SwapRouter.load(a.hex(), web3j, ro, gas);
        }

        VaultFactory vaultFactory(Address a) {
            return VaultFactory.load(a.hex(), web3j, ro, gas);
        }

        io.unwind.contracts.AaveVaultFactory aaveVaultFactory(Address a) {
            return io.unwind.contracts.AaveVaultFactory.load(a.hex(), web3j, ro, gas);
        }

        io.unwind.contracts.UnwindVault vault(Address a) {
            return io.unwind.contracts.UnwindVault.load(a.hex(), web3j, ro, gas);
        }

        io.unwind.contracts.UniswapV3Pool v3Pool(Address a) {
            return io.unwind.contracts.UniswapV3Pool.load(a.hex(), web3j, ro, gas);
        }

        io.unwind.contracts.PoolArbitrageur arbitrageur(Address a) {
            return io.unwind.contracts.PoolArbitrageur.load(a.hex(), web3j, ro, gas);
        }

        io.unwind.contracts.UniswapV2Pair v2Pair(Address a) {
            return io.unwind.contracts.UniswapV2Pair.load(a.hex(), web3j, ro, gas);
        }

        <T> T call(CheckedCall<T> call) {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException("read failed: " + e.getMessage(), e);
            }
        }

        interface CheckedCall<T> {
            T call() throws Exception;
        }
    }
}
