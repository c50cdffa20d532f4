package io.unwind.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.CallResult;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.contracts.NonfungiblePositionManager;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.Decision;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.plan.MarketConditions;
import io.unwind.domain.plan.Plan;
import io.unwind.domain.plan.Planner;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.DevWallet;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.Prices;
import io.unwind.route.ContractCaller;
import io.unwind.route.UniswapV2Source;
import io.unwind.route.UniswapV3Source;
import io.unwind.testing.MarketFixture;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Route choice net of gas, with real pools: a Uniswap V3 0.05% pool whose liquidity sits in a ladder of narrow ranges
 * (it pays a little more, but a sale crosses many initialized ticks, which costs gas), against a deep V2 pool (0.3%,
 * cheaper to swap through). At a low gas price the V3 route wins; when gas is expensive, V2 does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
@Tag("chain")
class GasAwareRoutingTest {
    private static final int RUNGS = 40;

    private MarketFixture f;
    private Address vault;
    private RouteFinder finder;

    @BeforeAll
    void setUp() throws Exception {
        f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(List.of(
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V2, 0, new BigDecimal("5000000")),
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 500, BigDecimal.ZERO))));
        // A 3% slippage cap: the equity bound (equity x (slippage + fee caps)) then lets the deep V2 pool's 0.3% fee
        // and its impact (~0.6% of a sale of ~12,000 USDC) through; under the fixture's 1% it allows 67.5 USDC of
        // loss, and V2's sale to the target is refused below the vault's equity floor whatever the gas price.
        vault = f.openProtected(
                "10",
                "0.75",
                new io.unwind.domain.position.Policy(
                        8000, 7000, 500, 300, 50, 10_000, Duration.ZERO, io.unwind.domain.money.Wei.gwei(1000)));
        f.movePrice("2700"); // the empty V3 pool's price just moves along
        seedLadder(f, 500, new BigDecimal("2700"));
        ContractCaller caller = (to, data, block) -> switch (f.client.call(null, to, data, block)) {
            case CallResult.Success s -> Optional.of(s.data());
            case CallResult.Reverted r -> Optional.empty();
        };
        finder = new RouteFinder(
                List.of(
                        new UniswapV3Source(caller, f.market.quoterV2(), f.market.swapRouter(), List.of(500)),
                        new UniswapV2Source(caller, f.market.uniswapV2Router())),
                new VaultSimulator(f.client, Address.of(MarketFixture.KEEPER.getAddress())),
                Set.of(f.market.morpho()),
                10,
                Duration.ofSeconds(5));
    }

    @AfterAll
    void tearDown() {
        f.close();
    }

    @Test
    void theCheapestRouteNetOfGasWinsAndTheAnswerChangesWithTheGasPrice() {
        VaultHealth h = f.health(vault);
        var head = f.head();
        Plan.Sell sell = plan(h);
        BigInteger nativePrice = h.price().multiply(BigInteger.TEN.pow(18)).divide(Ltv.PRICE_SCALE);

        RouteFinder.Found cheapGas =
                finder.find(h, sell, KeeperSettings.defaults(), Wei.gwei(1), nativePrice, head, head.timestamp());
        RouteFinder.Found dearGas =
                finder.find(h, sell, KeeperSettings.defaults(), Wei.gwei(5000), nativePrice, head, head.timestamp());

        var v3 = cheapGas.choice().ranking().stream()
                .filter(r -> r.candidate().source().equals("uniswap-v3-500"))
                .findFirst()
                .orElseThrow();
        var v2 = cheapGas.choice().ranking().stream()
                .filter(r -> r.candidate().source().equals("uniswap-v2"))
                .findFirst()
                .orElseThrow();
        // The ladder pays more per unit sold but costs far more gas (tick crossings).
        assertThat(proceedsPerUnit(v3)).isGreaterThan(proceedsPerUnit(v2));
        assertThat(v3.candidate().gasUnits()).isGreaterThan(v2.candidate().gasUnits() + 50_000);

        assertThat(cheapGas.best())
                .get()
                .extracting(Candidate -> Candidate.source())
                .isEqualTo("uniswap-v3-500");
        assertThat(dearGas.best())
                .get()
                .extracting(Candidate -> Candidate.source())
                .isEqualTo("uniswap-v2");
        var dearV3 = dearGas.choice().ranking().stream()
                .filter(r -> r.candidate().source().equals("uniswap-v3-500"))
                .findFirst()
                .orElseThrow();
        assertThat(dearV3.gasCost())
                .isGreaterThan(dearGas.choice().best().orElseThrow().gasCost());
    }

    /**
     * On an OP-stack chain (Optimism's own GasPriceOracle and L1Block on this chain, L1 at 30 gwei) each route is also
     * charged the L1 data fee of its exact vault call, as the chain's oracle computes it; the ranking's cost is gas
     * plus that fee. Runs last: the predeploys stay on the fixture's chain.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE)
    void onAnOpStackChainEachRouteIsChargedTheL1DataFeeOfItsExactCall() {
        io.unwind.local.LocalOpStack.install(
                f.chain, new io.unwind.local.LocalOpStack.L1Values(Wei.gwei(30), Wei.of(1), 2269, 1_055_762));
        var oracle = new io.unwind.chain.fee.OpStackL1DataFee(f.client);
        RouteFinder onL2 = new RouteFinder(
                        List.of(new UniswapV2Source(
                                (to, data, block) -> switch (f.client.call(null, to, data, block)) {
                                    case CallResult.Success s -> Optional.of(s.data());
                                    case CallResult.Reverted r -> Optional.empty();
                                },
                                f.market.uniswapV2Router())),
                        new VaultSimulator(f.client, Address.of(MarketFixture.KEEPER.getAddress())),
                        Set.of(f.market.morpho()),
                        10,
                        Duration.ofSeconds(5))
                .withDataFee(oracle);
        VaultHealth h = f.health(vault);
        var head = f.head();
        BigInteger nativePrice = h.price().multiply(BigInteger.TEN.pow(18)).divide(Ltv.PRICE_SCALE);
        RouteFinder.Found found =
                onL2.find(h, plan(h), KeeperSettings.defaults(), Wei.gwei(1), nativePrice, head, head.timestamp());
        var best = found.choice().best().orElseThrow();
        Wei dataFee = best.candidate().dataFee();
        assertThat(dataFee.value()).isPositive();
        assertThat(dataFee).isEqualTo(oracle.of(vault, found.bestCalldata().orElseThrow()));
        BigInteger gasOnly =
                io.unwind.domain.fee.GasCost.inLoanUnits(best.candidate().gasUnits(), Wei.gwei(1), nativePrice);
        assertThat(best.gasCost())
                .isEqualTo(gasOnly.add(io.unwind.domain.fee.GasCost.weiInLoanUnits(dataFee, nativePrice)));
        System.out.printf(
                "on an OP-stack chain (L1 at 30 gwei): the V2 sale's call of %d bytes pays %s wei of L1 data fee, %s"
                        + " loan units, beside %s of gas at 1 gwei%n",
                found.bestCalldata().orElseThrow().length,
                dataFee.value(),
                best.gasCost().subtract(gasOnly),
                gasOnly);
    }

    private static BigDecimal proceedsPerUnit(io.unwind.domain.route.Ranked r) {
        var sim = r.candidate().simulation();
        return new BigDecimal(sim.proceeds())
                .divide(new BigDecimal(r.collateralSold()), 30, java.math.RoundingMode.DOWN);
    }

    private Plan.Sell plan(VaultHealth h) {
        Decision d = Planner.decide(
                h,
                KeeperSettings.defaults(),
                MarketConditions.calm(30, Wei.gwei(1)),
                f.head().timestamp());
        assertThat(d).isInstanceOf(Decision.Act.class);
        Plan p = ((Decision.Act) d).plan();
        assertThat(p).isInstanceOf(Plan.Sell.class);
        return (Plan.Sell) p;
    }

    /**
     * Liquidity in {@link #RUNGS} ranges one tick spacing wide, below the current price (where a collateral sale pushes
     * it when the collateral is token0, above it otherwise), each holding 3,000 USDC: a sale of ~10k USDC crosses a few
     * of them.
     */
    private static void seedLadder(MarketFixture f, int fee, BigDecimal price) {
        var m = f.market;
        Prices prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        DevWallet d = f.wallet(LocalChain.devAccount(0));
        var ro = new ReadonlyTransactionManager(f.web3j, d.address().hex());
        @SuppressWarnings("deprecation")
        var gas = new DefaultGasProvider();
        NonfungiblePositionManager npm =
                NonfungiblePositionManager.load(m.positionManager().hex(), f.web3j, ro, gas);
        boolean collateralIs0 = m.collateral().address().compareTo(m.loan().address()) < 0;
        Address token0 = collateralIs0 ? m.collateral().address() : m.loan().address();
        Address token1 = collateralIs0 ? m.loan().address() : m.collateral().address();
        BigInteger huge = BigInteger.TWO.pow(200);
        for (Address t : List.of(token0, token1)) {
            TestToken tok = TestToken.load(t.hex(), f.web3j, ro, gas);
            d.call(t, tok.mint(d.address().hex(), huge).encodeFunctionCall());
            d.call(t, tok.approve(m.positionManager().hex(), huge).encodeFunctionCall());
        }
        d.flush();
        int spacing = 10;
        double sqrt = prices.sqrtPriceX96(price).doubleValue() / Math.pow(2, 96);
        int tick = (int) Math.floor(Math.log(sqrt * sqrt) / Math.log(1.0001));
        int base = Math.floorDiv(tick, spacing) * spacing;
        BigInteger loanPerRung =
                BigInteger.valueOf(3_000).multiply(BigInteger.TEN.pow(m.loan().decimals()));
        for (int i = 1; i <= RUNGS; i++) {
            // Ranges entirely on one side of the price hold only the loan token.
            int lower = collateralIs0 ? base - i * spacing : base + i * spacing;
            int upper = lower + spacing;
            BigInteger amount0 = collateralIs0 ? BigInteger.ZERO : loanPerRung;
            BigInteger amount1 = collateralIs0 ? loanPerRung : BigInteger.ZERO;
            d.call(
                    m.positionManager(),
                    npm.mint(
                                    new NonfungiblePositionManager.MintParams(
                                            token0.hex(),
                                            token1.hex(),
                                            BigInteger.valueOf(fee),
                                            BigInteger.valueOf(lower),
                                            BigInteger.valueOf(upper),
                                            amount0,
                                            amount1,
                                            BigInteger.ZERO,
                                            BigInteger.ZERO,
                                            d.address().hex(),
                                            BigInteger.TWO.pow(40)),
                                    BigInteger.ZERO)
                            .encodeFunctionCall());
        }
        List<TransactionReceipt> receipts = d.flush();
        assertThat(receipts).hasSize(RUNGS);
    }
}
