package io.unwind.local;

import io.unwind.contracts.AaveACLManager;
import io.unwind.contracts.AaveAToken;
import io.unwind.contracts.AaveBorrowLogic;
import io.unwind.contracts.AaveBridgeLogic;
import io.unwind.contracts.AaveConfiguratorLogic;
import io.unwind.contracts.AaveEModeLogic;
import io.unwind.contracts.AaveFlashLoanLogic;
import io.unwind.contracts.AaveInterestRateStrategy;
import io.unwind.contracts.AaveLiquidationLogic;
import io.unwind.contracts.AaveMockAggregator;
import io.unwind.contracts.AaveOracle;
import io.unwind.contracts.AavePool;
import io.unwind.contracts.AavePoolAddressesProvider;
import io.unwind.contracts.AavePoolConfigurator;
import io.unwind.contracts.AavePoolLogic;
import io.unwind.contracts.AaveProtocolDataProvider;
import io.unwind.contracts.AaveStableDebtToken;
import io.unwind.contracts.AaveSupplyLogic;
import io.unwind.contracts.AaveVariableDebtToken;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Int256;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Deploys the real Aave V3 protocol (core 1.19.3, the V3.0 pool) on a local chain from the npm package's compiled
 * artifacts, beside a {@link LocalMarket}: a reserve for each of the market's two tokens (the same tokens Morpho and
 * the Uniswap pools use, so one set of pools serves both protocols), the collateral usable as collateral with the
 * spec's risk parameters, the loan token borrowable at a variable rate, and a lender's liquidity.
 *
 * <p>The order is the one Aave's own deployment follows: the logic libraries (linked into Pool and PoolConfigurator),
 * the addresses provider, the ACL, the pool and configurator behind the provider's proxies, the oracle, the data
 * provider, the token implementations and rate strategies, then {@code initReserves} and the reserves' configuration;
 * then the flash-loan premium Aave's deployment sets (the pool starts at 0). {@link #deployAlongside} lists a further
 * market's tokens on the same pool.
 *
 * <p>Prices: {@code AaveOracle} reads {@code latestAnswer()} from each asset's source, which the project's
 * {@code SettablePriceFeed} does not implement (it has only {@code latestRoundData}, all Morpho's adapter reads), so
 * the sources are the package's own {@code MockAggregator} (USD, 8 decimals). A MockAggregator's answer is fixed: a
 * price move deploys a new one and points the oracle at it ({@code setAssetSources}), two transactions from the pool
 * admin, mined in order with whatever else that admin sends (the Morpho feed's move, in {@link PriceMover}).
 */
public final class LocalAave {
    static final String MARKET_NAME = "Unwind Local";
    private static final int VARIABLE_RATE = 2;

    private LocalAave() {}

    /** Deploys with the default spec, anvil's account 0 as deployer (Morpho's owner too) and account 1 as lender. */
    public static AaveDeployment deploy(Web3j web3j, MarketDeployment m) {
        return deploy(web3j, m, AaveSpec.defaults());
    }

    public static AaveDeployment deploy(Web3j web3j, MarketDeployment m, AaveSpec spec) {
        return deploy(web3j, m, spec, LocalChain.devAccount(0), LocalChain.devAccount(1));
    }

    public static AaveDeployment deploy(
            Web3j web3j, MarketDeployment m, AaveSpec spec, Credentials deployer, Credentials lender) {
        DevWallet d = new DevWallet(web3j, deployer, m.chainId());
        Contracts c = new Contracts(web3j, deployer.getAddress());
        Address me = d.address();
        Token coll = m.collateral();
        Token loan = m.loan();
        BigDecimal price = marketPrice(web3j, m);

        // 1. The logic libraries; FlashLoanLogic itself links BorrowLogic.
        Address borrowLogic = d.deploy(AaveBorrowLogic.BINARY, "");
        Map<String, Address> libraries = Map.of(
                "BorrowLogic", borrowLogic,
                "BridgeLogic", d.deploy(AaveBridgeLogic.BINARY, ""),
                "EModeLogic", d.deploy(AaveEModeLogic.BINARY, ""),
                "LiquidationLogic", d.deploy(AaveLiquidationLogic.BINARY, ""),
                "PoolLogic", d.deploy(AavePoolLogic.BINARY, ""),
                "SupplyLogic", d.deploy(AaveSupplyLogic.BINARY, ""),
                "FlashLoanLogic",
                        d.deploy(
                                LibraryLinker.link(
                                        AaveFlashLoanLogic.BINARY,
                                        AaveFlashLoanLogic.LINK_REFERENCES,
                                        Map.of("BorrowLogic", borrowLogic)),
                                ""),
                "ConfiguratorLogic", d.deploy(AaveConfiguratorLogic.BINARY, ""));

        // 2-3. The addresses provider (owned by the deployer) and the ACL, with the deployer as pool admin.
        Address provider = d.deploy(AavePoolAddressesProvider.BINARY, encode(new Utf8String(MARKET_NAME), addr(me)));
        AavePoolAddressesProvider p = c.provider(provider);
        d.call(provider, p.setACLAdmin(me.hex()).encodeFunctionCall());
        Address acl = d.deploy(AaveACLManager.BINARY, encode(addr(provider)));
        d.call(provider, p.setACLManager(acl.hex()).encodeFunctionCall());
        d.call(acl, c.acl(acl).addPoolAdmin(me.hex()).encodeFunctionCall());

        // 4-5. Pool and PoolConfigurator implementations; the provider puts each behind its proxy and initialises it.
        Address poolImpl = d.deploy(
                LibraryLinker.link(AavePool.BINARY, AavePool.LINK_REFERENCES, libraries), encode(addr(provider)));
        d.call(provider, p.setPoolImpl(poolImpl.hex()).encodeFunctionCall());
        Address configuratorImpl = d.deploy(
                LibraryLinker.link(AavePoolConfigurator.BINARY, AavePoolConfigurator.LINK_REFERENCES, libraries), "");
        d.call(provider, p.setPoolConfiguratorImpl(configuratorImpl.hex()).encodeFunctionCall());

        // 6. Price sources (USD, 8 decimals) and the oracle over them; base currency USD (address 0, unit 1e8).
        Address collSource =
                d.deploy(AaveMockAggregator.BINARY, encode(new Int256(usdAnswer(spec.collateralUsdPrice(price)))));
        Address loanSource = d.deploy(AaveMockAggregator.BINARY, encode(new Int256(usdAnswer(spec.loanUsdPrice()))));
        Address oracle = d.deploy(
                AaveOracle.BINARY,
                encode(
                        addr(provider),
                        addresses(coll.address(), loan.address()),
                        addresses(collSource, loanSource),
                        addr(Address.ZERO),
                        addr(Address.ZERO),
                        new Uint256(BigInteger.TEN.pow(AaveDeployment.PRICE_DECIMALS))));
        d.call(provider, p.setPriceOracle(oracle.hex()).encodeFunctionCall());

        // 7. The data provider.
        Address dataProvider = d.deploy(AaveProtocolDataProvider.BINARY, encode(addr(provider)));
        d.call(provider, p.setPoolDataProvider(dataProvider.hex()).encodeFunctionCall());
        d.flush();
        Address pool = Address.of(c.call(() -> p.getPool().send()));
        Address configurator = Address.of(c.call(() -> p.getPoolConfigurator().send()));

        // The flash-loan premium, as Aave's own deployment sets it (the pool starts at 0).
        if (spec.flashLoanPremiumBps() > 0)
            d.call(
                    configurator,
                    c.configurator(configurator)
                            .updateFlashloanPremiumTotal(BigInteger.valueOf(spec.flashLoanPremiumBps()))
                            .encodeFunctionCall());

        // 8. Token implementations (bound to the pool proxy), shared by every reserve.
        AaveDeployment.TokenImplementations impls = new AaveDeployment.TokenImplementations(
                d.deploy(AaveAToken.BINARY, encode(addr(pool))),
                d.deploy(AaveVariableDebtToken.BINARY, encode(addr(pool))),
                d.deploy(AaveStableDebtToken.BINARY, encode(addr(pool))));
        Protocol protocol =
                new Protocol(m.chainId(), me, provider, acl, pool, configurator, oracle, dataProvider, me, impls);
        return listReserves(web3j, d, c, protocol, m, spec, lender, collSource, loanSource);
    }

    /**
     * Lists another market's two tokens on the Aave pool of {@code first}, as {@link LocalMarket#deployAlongside} adds
     * a market on the same Morpho: one pool holds every reserve, as on a real chain. A token already listed (a shared
     * loan token) keeps its reserve. Anvil's account 0 (the pool admin) configures, account 1 lends.
     */
    public static AaveDeployment deployAlongside(Web3j web3j, MarketDeployment m, AaveSpec spec, AaveDeployment first) {
        Credentials deployer = LocalChain.devAccount(0);
        DevWallet d = new DevWallet(web3j, deployer, m.chainId());
        Contracts c = new Contracts(web3j, deployer.getAddress());
        BigDecimal price = marketPrice(web3j, m);
        Address collSource =
                d.deploy(AaveMockAggregator.BINARY, encode(new Int256(usdAnswer(spec.collateralUsdPrice(price)))));
        Address loanSource = d.deploy(AaveMockAggregator.BINARY, encode(new Int256(usdAnswer(spec.loanUsdPrice()))));
        d.call(
                first.oracle(),
                c.oracle(first.oracle())
                        .setAssetSources(
                                List.of(
                                        m.collateral().address().hex(),
                                        m.loan().address().hex()),
                                List.of(collSource.hex(), loanSource.hex()))
                        .encodeFunctionCall());
        Protocol protocol = new Protocol(
                first.chainId(),
                first.deployer(),
                first.addressesProvider(),
                first.aclManager(),
                first.pool(),
                first.configurator(),
                first.oracle(),
                first.dataProvider(),
                first.treasury(),
                first.tokenImplementations());
        return listReserves(web3j, d, c, protocol, m, spec, LocalChain.devAccount(1), collSource, loanSource);
    }

    /** The protocol's contracts, before any reserve is listed. */
    private record Protocol(
            long chainId,
            Address deployer,
            Address provider,
            Address acl,
            Address pool,
            Address configurator,
            Address oracle,
            Address dataProvider,
            Address treasury,
            AaveDeployment.TokenImplementations impls) {}

    /**
     * Steps 9-10 for one market: {@code initReserves}, each with its own rate strategy, for the tokens not listed yet,
     * the collateral usable as collateral with the spec's parameters, the loan token borrowable; then the lender's
     * supply.
     */
    private static AaveDeployment listReserves(
            Web3j web3j,
            DevWallet d,
            Contracts c,
            Protocol p,
            MarketDeployment m,
            AaveSpec spec,
            Credentials lender,
            Address collSource,
            Address loanSource) {
        Token coll = m.collateral();
        Token loan = m.loan();
        List<AavePoolConfigurator.InitReserveInput> inputs = new ArrayList<>();
        if (!listed(c, p, coll)) {
            Address rates =
                    d.deploy(AaveInterestRateStrategy.BINARY, rateStrategyArgs(p.provider(), spec.collateralRates()));
            inputs.add(reserveInput(coll, p.impls(), rates, p.treasury()));
        }
        if (!listed(c, p, loan)) {
            Address rates = d.deploy(AaveInterestRateStrategy.BINARY, rateStrategyArgs(p.provider(), spec.loanRates()));
            inputs.add(reserveInput(loan, p.impls(), rates, p.treasury()));
        }
        AavePoolConfigurator conf = c.configurator(p.configurator());
        if (!inputs.isEmpty())
            d.call(p.configurator(), conf.initReserves(inputs).encodeFunctionCall());
        d.call(
                p.configurator(),
                conf.configureReserveAsCollateral(
                                coll.address().hex(),
                                BigInteger.valueOf(spec.ltvBps()),
                                BigInteger.valueOf(spec.liquidationThresholdBps()),
                                BigInteger.valueOf(spec.liquidationBonusBps()))
                        .encodeFunctionCall());
        d.call(
                p.configurator(),
                conf.setReserveBorrowing(loan.address().hex(), true).encodeFunctionCall());
        // Aave's own listings enable flash loans on a borrowable asset (initReserves leaves them off): the Aave vault's
        // sale path borrows the loan token for the length of its transaction.
        d.call(
                p.configurator(),
                conf.setReserveFlashLoaning(loan.address().hex(), true).encodeFunctionCall());
        d.flush();

        AaveDeployment.Reserve collReserve = reserve(c, p.pool(), coll, collSource);
        AaveDeployment.Reserve loanReserve = reserve(c, p.pool(), loan, loanSource);

        // The lender's liquidity.
        BigInteger liquidity = units(spec.liquidity(), loan);
        if (liquidity.signum() > 0) {
            DevWallet l = new DevWallet(web3j, lender, p.chainId());
            TestToken t = c.token(loan.address());
            l.call(loan.address(), t.mint(lender.getAddress(), liquidity).encodeFunctionCall());
            l.call(loan.address(), t.approve(p.pool().hex(), liquidity).encodeFunctionCall());
            l.call(
                    p.pool(),
                    c.pool(p.pool())
                            .supply(loan.address().hex(), liquidity, lender.getAddress(), BigInteger.ZERO)
                            .encodeFunctionCall());
            l.flush();
        }

        return new AaveDeployment(
                p.chainId(),
                p.deployer(),
                p.provider(),
                p.acl(),
                p.pool(),
                p.configurator(),
                p.oracle(),
                p.dataProvider(),
                p.treasury(),
                p.impls(),
                collReserve,
                loanReserve,
                spec.loanUsdPrice());
    }

    /** Whether the pool already has a reserve for {@code t} (its aToken is set). */
    private static boolean listed(Contracts c, Protocol p, Token t) {
        return !Address.of(c.call(
                        () -> c.pool(p.pool()).getReserveData(t.address().hex()).send().aTokenAddress))
                .isZero();
    }

    /**
     * Sets {@code asset}'s USD price in the Aave oracle and waits until it is mined: a new source with that answer,
     * then the oracle pointed at it. {@code admin} must be the pool admin (the deployer).
     */
    public static void setUsdPrice(Web3j web3j, AaveDeployment a, Credentials admin, Address asset, BigDecimal usd) {
        DevWallet w = new DevWallet(web3j, admin, a.chainId());
        sendUsdPrice(w, new Contracts(web3j, admin.getAddress()), a, asset, usd);
        w.flush();
    }

    /** Sets {@code asset}'s USD price with anvil's account 0 (the deployer). */
    public static void setUsdPrice(Web3j web3j, AaveDeployment a, Address asset, BigDecimal usd) {
        setUsdPrice(web3j, a, LocalChain.devAccount(0), asset, usd);
    }

    /** Sends the two transactions of a price move from {@code admin} without waiting for them. */
    static void sendUsdPrice(DevWallet admin, Contracts c, AaveDeployment a, Address asset, BigDecimal usd) {
        Address source = admin.deploy(AaveMockAggregator.BINARY, encode(new Int256(usdAnswer(usd))));
        admin.call(
                a.oracle(),
                c.oracle(a.oracle())
                        .setAssetSources(List.of(asset.hex()), List.of(source.hex()))
                        .encodeFunctionCall());
    }

    /** The oracle's USD price of {@code asset} (8 decimals). */
    public static BigInteger usdPrice(Web3j web3j, AaveDeployment a, Address asset) {
        Contracts c = new Contracts(web3j, a.deployer().hex());
        return c.call(() -> c.oracle(a.oracle()).getAssetPrice(asset.hex()).send());
    }

    /** {@code user}'s health factor in the pool, 1e18-scaled (max uint256 without debt). */
    public static BigInteger healthFactor(Web3j web3j, AaveDeployment a, Address user) {
        Contracts c = new Contracts(web3j, a.deployer().hex());
        return c.call(() -> c.pool(a.pool()).getUserAccountData(user.hex()).send())
                .component6();
    }

    /** Borrows at the variable rate, the only mode the Unwind vaults use (V3.0 still has stable debt). */
    static String encodeBorrow(Contracts c, AaveDeployment a, Address asset, BigInteger amount, Address onBehalfOf) {
        return c.pool(a.pool())
                .borrow(asset.hex(), amount, BigInteger.valueOf(VARIABLE_RATE), BigInteger.ZERO, onBehalfOf.hex())
                .encodeFunctionCall();
    }

    /** The market's price now: its Morpho feed's latest answer (loan tokens per whole collateral token). */
    static BigDecimal marketPrice(Web3j web3j, MarketDeployment m) {
        LocalMarket.Contracts mc = new LocalMarket.Contracts(web3j, m.deployer().hex());
        BigInteger answer =
                mc.call(() -> mc.feed(m.feed()).latestRoundData().send()).component2();
        return new BigDecimal(answer, m.feedDecimals());
    }

    /** The USD answer for {@code usd}, rounded down to 8 decimals. */
    static BigInteger usdAnswer(BigDecimal usd) {
        return usd.movePointRight(AaveDeployment.PRICE_DECIMALS)
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    private static BigInteger units(BigDecimal whole, Token t) {
        return whole.movePointRight(t.decimals()).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    private static AaveDeployment.Reserve reserve(Contracts c, Address pool, Token t, Address source) {
        var r = c.call(() -> c.pool(pool).getReserveData(t.address().hex()).send());
        return new AaveDeployment.Reserve(
                t,
                Address.of(r.aTokenAddress),
                Address.of(r.variableDebtTokenAddress),
                Address.of(r.stableDebtTokenAddress),
                Address.of(r.interestRateStrategyAddress),
                source);
    }

    private static AavePoolConfigurator.InitReserveInput reserveInput(
            Token t, AaveDeployment.TokenImplementations impls, Address rates, Address treasury) {
        String sym = t.symbol();
        return new AavePoolConfigurator.InitReserveInput(
                impls.aToken().hex(),
                impls.stableDebtToken().hex(),
                impls.variableDebtToken().hex(),
                BigInteger.valueOf(t.decimals()),
                rates.hex(),
                t.address().hex(),
                treasury.hex(),
                Address.ZERO.hex(),
                "Aave " + MARKET_NAME + " " + sym,
                "a" + sym,
                "Aave " + MARKET_NAME + " Variable Debt " + sym,
                "variableDebt" + sym,
                "Aave " + MARKET_NAME + " Stable Debt " + sym,
                "stableDebt" + sym,
                new byte[0]);
    }

    private static String rateStrategyArgs(Address provider, AaveSpec.RateCurve r) {
        return encode(
                addr(provider),
                ray(r.optimalUsage()),
                ray(r.baseVariableRate()),
                ray(r.variableSlope1()),
                ray(r.variableSlope2()),
                ray(r.stableSlope1()),
                ray(r.stableSlope2()),
                ray(r.baseStableRateOffset()),
                ray(r.stableRateExcessOffset()),
                ray(r.optimalStableToTotalDebtRatio()));
    }

    private static Uint256 ray(BigDecimal fraction) {
        return new Uint256(fraction.movePointRight(27).toBigIntegerExact());
    }

    private static DynamicArray<org.web3j.abi.datatypes.Address> addresses(Address... as) {
        return new DynamicArray<>(
                org.web3j.abi.datatypes.Address.class,
                java.util.Arrays.stream(as).map(LocalAave::addr).toList());
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    /** Unwind's contracts for Aave V3 on a local chain: the vault factory and a lens that reads Morpho and Aave. */
    public record UnwindOnAave(Address vaultFactory, Address vaultLens) {}

    /**
     * Deploys the Aave vault factory over {@code a}'s pool and a VaultLens that reads both Morpho's vaults (on
     * {@code first}'s Morpho) and the pool's. Anvil's account 0 deploys.
     */
    public static UnwindOnAave deployUnwind(Web3j web3j, MarketDeployment first, AaveDeployment a) {
        DevWallet d = new DevWallet(web3j, LocalChain.devAccount(0), first.chainId());
        Address factory = d.deploy(
                io.unwind.contracts.AaveVaultFactory.BINARY,
                encode(new org.web3j.abi.datatypes.Address(a.addressesProvider().hex())));
        Address lens = d.deploy(
                io.unwind.contracts.VaultLens.BINARY,
                encode(
                        new org.web3j.abi.datatypes.Address(first.morpho().hex()),
                        new org.web3j.abi.datatypes.Address(a.pool().hex())));
        d.flush();
        return new UnwindOnAave(factory, lens);
    }

    /**
     * The id of the Aave V3 market an Unwind vault on {@code pool} borrowing {@code loan} against {@code collateral} in
     * e-mode {@code eMode} (0: none) is on, as AaveVaultFactory computes it: keccak256(abi.encode(pool, loan,
     * collateral, eMode)).
     */
    public static String marketId(Address pool, Address loan, Address collateral, int eMode) {
        String encoded = encode(
                new org.web3j.abi.datatypes.Address(pool.hex()),
                new org.web3j.abi.datatypes.Address(loan.hex()),
                new org.web3j.abi.datatypes.Address(collateral.hex()),
                new org.web3j.abi.datatypes.generated.Uint8(eMode));
        return org.web3j.utils.Numeric.toHexString(
                org.web3j.crypto.Hash.sha3(org.web3j.utils.Numeric.hexStringToByteArray(encoded)));
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

        AavePoolAddressesProvider provider(Address a) {
            return AavePoolAddressesProvider.load(a.hex(), web3j, ro, gas);
        }

        AaveACLManager acl(Address a) {
            return AaveACLManager.load(a.hex(), web3j, ro, gas);
        }

        AavePool pool(Address a) {
            return AavePool.load(a.hex(), web3j, ro, gas);
        }

        AavePoolConfigurator configurator(Address a) {
            return AavePoolConfigurator.load(a.hex(), web3j, ro, gas);
        }

        AaveOracle oracle(Address a) {
            return AaveOracle.load(a.hex(), web3j, ro, gas);
        }

        AaveProtocolDataProvider dataProvider(Address a) {
            return AaveProtocolDataProvider.load(a.hex(), web3j, ro, gas);
        }

        TestToken token(Address a) {
            return TestToken.load(a.hex(), web3j, ro, gas);
        }

        <T> T call(LocalMarket.Contracts.CheckedCall<T> call) {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException("read failed: " + e.getMessage(), e);
            }
        }
    }
}
