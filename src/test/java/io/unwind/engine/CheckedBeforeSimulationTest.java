package io.unwind.engine;

import static io.unwind.testing.RecordedAnswers.AMOUNT_IN;
import static io.unwind.testing.RecordedAnswers.OTHER_TOKEN;
import static io.unwind.testing.RecordedAnswers.THIEF;
import static io.unwind.testing.RecordedAnswers.USDC;
import static io.unwind.testing.RecordedAnswers.VAULT;
import static io.unwind.testing.RecordedAnswers.WETH;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.FeeHistoryData;
import io.unwind.chain.Receipt;
import io.unwind.chain.SendResult;
import io.unwind.chain.TxInfo;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.plan.Plan;
import io.unwind.domain.plan.Sizing;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.route.AllowedRoute;
import io.unwind.domain.route.Candidate;
import io.unwind.domain.route.Selector;
import io.unwind.domain.testing.Fixtures;
import io.unwind.route.RouteSource;
import io.unwind.route.aggregator.Aggregators;
import io.unwind.route.aggregator.Vendor;
import io.unwind.testing.RecordedAnswers;
import io.unwind.testing.RecordedAnswers.Recording;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The route finder against the five vendors' recorded answers (real router layouts): a quote naming a router the vault
 * never allowed, or whose calldata pays someone else, swaps other tokens, sells another amount or accepts less than the
 * oracle floor, is rejected before any simulation. The chain here answers the vault's {@code isRouteAllowed} from a
 * list and counts every simulated {@code deleverage}; the honest recordings, allowed, show that it does count them.
 */
@Tag("pure")
class CheckedBeforeSimulationTest {
    private static final String IS_ROUTE_ALLOWED = "0x"
            + HexFormat.of()
                    .formatHex(Arrays.copyOf(
                            org.web3j.crypto.Hash.sha3(
                                    "isRouteAllowed(address,bytes4)".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                            4));
    private static final String DELEVERAGE = selector(
            VaultCalls.deleverage(BigInteger.ONE, VAULT, new byte[0], BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO));
    private static final Address KEEPER = Address.of("0x" + "be".repeat(20));
    private static final Address MORPHO = Address.of("0x" + "4d".repeat(20));
    private static final Address UNLISTED = Address.of("0x" + "77".repeat(20));
    private static final BlockRef HEAD = new BlockRef(
            21_876_543, TxHash.of("0x" + "ab".repeat(32)), TxHash.of("0x" + "ac".repeat(32)), Fixtures.NOW);
    /**
     * 100 WETH at 2,500 USDC, 82% LTV: over the 80% trigger. Selling 4.2 WETH, the oracle floor (1%) is 10,395 USDC.
     */
    private static final VaultHealth VAULT_HEALTH = Fixtures.vault(WETH, USDC)
            .collateral("100")
            .price("2500")
            .ltvBps(8200)
            .build();

    private static final Set<AllowedRoute> EVERY_RECORDED_ROUTE = Set.copyOf(RecordedAnswers.ALL.stream()
            .map(r -> new AllowedRoute(r.router(), Selector.of(r.selector())))
            .toList());

    @Test
    void honestRecordingsOfAllowedRoutersAreSimulated() {
        Round round = round(EVERY_RECORDED_ROUTE, Map.of());
        assertThat(round.rejectedBefore()).isEmpty();
        assertThat(round.simulations()).isEqualTo(RecordedAnswers.ALL.size());
    }

    @Test
    void routersTheVaultNeverAllowedAreRejectedBeforeAnySimulation() {
        Round round = round(Set.of(), Map.of());
        assertThat(round.simulations()).isZero();
        assertThat(round.rejectedBefore()).hasSize(RecordedAnswers.ALL.size()).allSatisfy(r -> {
            assertThat(r.reason().name()).isEqualTo("TARGET_NOT_ALLOWED");
            assertThat(r.rejection().detail()).contains("is not allow-listed");
        });
    }

    /** The vault allows each vendor's real router; the answer names another contract. */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aQuoteNamingAnUnlistedRouterIsRejectedBeforeAnySimulation(Vendor v) {
        Round round = round(EVERY_RECORDED_ROUTE, Map.of(v, a -> a.router(UNLISTED)));
        assertThat(round.simulations()).as("simulations").isEqualTo(RecordedAnswers.ALL.size() - 1);
        assertThat(round.rejectedBefore()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo(v.id());
            assertThat(r.router()).contains(UNLISTED);
            assertThat(r.reason().name()).isEqualTo("TARGET_NOT_ALLOWED");
        });
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void lyingCalldataInTheRealLayoutIsRejectedBeforeAnySimulation(Vendor v) {
        Recording rec = RecordedAnswers.of(v);
        Map<String, Consumer<RecordedAnswers>> lies = Map.of(
                "WRONG_RECIPIENT",
                        a -> {
                            if (v == Vendor.PARASWAP) a.setWord(7, THIEF);
                            else a.replaceWord(VAULT, THIEF);
                        },
                "WRONG_TOKEN", a -> a.replaceWord(USDC.address(), OTHER_TOKEN),
                "WRONG_AMOUNT", a -> a.replaceWord(AMOUNT_IN, AMOUNT_IN.subtract(BigInteger.TEN.pow(15))),
                // 10,000 USDC: under the oracle floor of 10,395, though the JSON still says more.
                "BELOW_FLOOR", a -> a.replaceWord(rec.minOut(), new BigInteger("10000000000")));
        lies.forEach((reason, lie) -> {
            Round round = round(EVERY_RECORDED_ROUTE, Map.of(v, lie));
            assertThat(round.rejectedBefore()).as(reason).singleElement().satisfies(r -> {
                assertThat(r.source()).isEqualTo(v.id());
                assertThat(r.reason().name()).isEqualTo(reason);
            });
            // Only the four honest vendors were simulated.
            assertThat(round.simulations()).as(reason + " simulations").isEqualTo(RecordedAnswers.ALL.size() - 1);
        });
    }

    private record Round(List<Candidate.Rejected> rejectedBefore, int simulations) {}

    /**
     * One routing round over all five recorded vendors, {@code lies} applied to some, with {@code allowed} on the
     * vault.
     */
    private static Round round(Set<AllowedRoute> allowed, Map<Vendor, Consumer<RecordedAnswers>> lies) {
        List<RecordedAnswers> served = new ArrayList<>();
        try {
            List<RouteSource> sources = new ArrayList<>();
            for (Recording r : RecordedAnswers.ALL) {
                RecordedAnswers a = RecordedAnswers.serve(r.vendor());
                served.add(a);
                Optional.ofNullable(lies.get(r.vendor())).ifPresent(lie -> lie.accept(a));
                sources.add(Aggregators.client(a.settings()));
            }
            VaultChain chain = new VaultChain(allowed);
            RouteFinder finder = new RouteFinder(
                    sources,
                    new VaultSimulator(chain, KEEPER),
                    Set.of(MORPHO),
                    RecordedAnswers.SLIPPAGE_BPS,
                    Duration.ofSeconds(10));
            RouteFinder.Found found = finder.find(
                    VAULT_HEALTH,
                    sale(),
                    KeeperSettings.defaults(),
                    Wei.gwei(1),
                    BigInteger.valueOf(2_500_000_000L),
                    HEAD,
                    HEAD.timestamp());
            List<Candidate.Rejected> before = found.choice().rejected().stream()
                    .filter(r -> !r.reason().name().startsWith("SIMULATION"))
                    .toList();
            return new Round(before, chain.simulations.get());
        } finally {
            served.forEach(RecordedAnswers::close);
        }
    }

    /** The planned sale: the recordings' 4.2 WETH, one chunk capped by liquidity (so it is not grown). */
    private static Plan.Sell sale() {
        var coll = WETH.amount(AMOUNT_IN);
        BigInteger floor = Ltv.oracleFloor(
                AMOUNT_IN, VAULT_HEALTH.price(), VAULT_HEALTH.policy().maxSlippageBps());
        return new Plan.Sell(
                coll,
                coll,
                USDC.amount(new BigInteger("10480000000")),
                USDC.amount(floor),
                USDC.amount(floor),
                USDC.amount(BigInteger.ZERO),
                50,
                new Sizing.Chunk(Sizing.Cap.LIQUIDITY, 10, Optional.empty()),
                VAULT_HEALTH.ltv(),
                VAULT_HEALTH.ltv(),
                Ltv.bpsToWad(7000));
    }

    private static String selector(byte[] call) {
        return "0x" + HexFormat.of().formatHex(call, 0, 4);
    }

    /**
     * The only chain calls a routing round makes: the vault's isRouteAllowed, answered from a list, and the simulated
     * deleverage, counted (and answered as a sale that delivered 10,480 USDC). Anything else fails the test.
     */
    private static final class VaultChain implements ChainClient {
        final AtomicInteger simulations = new AtomicInteger();
        private final Set<AllowedRoute> allowed;

        VaultChain(Set<AllowedRoute> allowed) {
            this.allowed = allowed;
        }

        @Override
        public CallResult call(Address from, Address to, byte[] data, TxHash blockHash) {
            assertThat(to).isEqualTo(VAULT);
            String selector = selector(data);
            if (selector.equals(IS_ROUTE_ALLOWED)) {
                Address router = Address.of("0x" + HexFormat.of().formatHex(data, 4 + 12, 4 + 32));
                Selector s = Selector.of("0x" + HexFormat.of().formatHex(data, 4 + 32, 4 + 36));
                return new CallResult.Success(
                        word(allowed.contains(new AllowedRoute(router, s)) ? BigInteger.ONE : BigInteger.ZERO));
            }
            assertThat(selector)
                    .as("a chain call other than isRouteAllowed or deleverage")
                    .isEqualTo(DELEVERAGE);
            simulations.incrementAndGet();
            BigInteger proceeds = new BigInteger("10480000000");
            byte[] out = new byte[64];
            System.arraycopy(word(proceeds), 0, out, 0, 32);
            System.arraycopy(word(proceeds), 0, out, 32, 32);
            return new CallResult.Success(out);
        }

        private static byte[] word(BigInteger v) {
            byte[] w = new byte[32];
            byte[] b = v.toByteArray();
            System.arraycopy(b, Math.max(0, b.length - 32), w, 32 - Math.min(32, b.length), Math.min(32, b.length));
            return w;
        }

        private static <T> T unexpected() {
            throw new AssertionError("routing made an unexpected chain request");
        }

        @Override
        public long chainId() {
            return RecordedAnswers.CHAIN_ID;
        }

        @Override
        public BlockRef latestBlock() {
            return unexpected();
        }

        @Override
        public Optional<BlockRef> blockByNumber(long number) {
            return unexpected();
        }

        @Override
        public Optional<BlockRef> finalizedBlock() {
            return unexpected();
        }

        @Override
        public CallResult callLatest(Address from, Address to, byte[] data) {
            return unexpected();
        }

        @Override
        public EstimateResult estimateGas(Address from, Address to, byte[] data) {
            return unexpected();
        }

        @Override
        public FeeHistoryData feeHistory(int blocks, List<Double> rewardPercentiles) {
            return unexpected();
        }

        @Override
        public BigInteger nonce(Address account, boolean pending) {
            return unexpected();
        }

        @Override
        public Wei balance(Address account) {
            return unexpected();
        }

        @Override
        public List<SendResult> broadcast(byte[] signedTransaction) {
            return unexpected();
        }

        @Override
        public Optional<Receipt> receipt(TxHash hash) {
            return unexpected();
        }

        @Override
        public Optional<TxInfo> transaction(TxHash hash) {
            return unexpected();
        }

        @Override
        public List<Receipt.LogEntry> logs(
                List<Address> addresses, List<String> topic0s, long fromBlock, long toBlock) {
            return unexpected();
        }

        @Override
        public void close() {}
    }
}
