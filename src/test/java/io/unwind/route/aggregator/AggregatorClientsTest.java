package io.unwind.route.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.route.Quote;
import io.unwind.local.MarketSpec;
import io.unwind.local.aggregator.AggregatorEmulator;
import io.unwind.local.aggregator.Call;
import io.unwind.local.aggregator.Misbehaviour;
import io.unwind.route.QuoteRequest;
import io.unwind.route.UniswapCalldata;
import io.unwind.testing.LoopbackHttp;
import io.unwind.testing.MarketFixture;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each vendor's client against the emulator on a real local market: the exact requests it sends (paths, query, headers,
 * bodies), its reading of the answers in both number forms, and of each vendor's "no route" and errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class AggregatorClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Address VAULT = Address.of("0x00000000000000000000000000000000000a0175");
    private static final Address KEEPER = Address.of(MarketFixture.KEEPER.getAddress());

    private MarketFixture f;
    private AggregatorEmulator emu;
    private BigInteger oneEth;
    private Instant deadline;

    @BeforeAll
    void setUp() {
        f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(List.of(
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 500, new BigDecimal("300000")),
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("300000")),
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V2, 0, new BigDecimal("200000")))));
        emu = AggregatorEmulator.start(f.client, f.market);
        oneEth = BigInteger.TEN.pow(18);
        deadline = Instant.ofEpochSecond(f.now().longValue() + 120);
    }

    @AfterAll
    void tearDown() {
        emu.close();
        f.close();
    }

    @BeforeEach
    void reset() {
        for (Vendor v : Vendor.values()) emu.behave(v, Misbehaviour.HONEST);
        emu.swapNumberForms(false);
        emu.clearCalls();
    }

    private AggregatorSettings settings(Vendor v) {
        return new AggregatorSettings(
                v,
                emu.baseUrl(v),
                emu.apiKey(v),
                Duration.ofSeconds(5),
                100,
                0,
                f.chain.chainId(),
                AggregatorEmulator.CHAIN_SLUG,
                KEEPER);
    }

    private QuoteRequest request(BigInteger amount) {
        return new QuoteRequest(
                VAULT, f.market.collateral(), f.market.loan(), amount, f.head().hash(), deadline, 20);
    }

    private static Map<String, String> query(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** What any honest quote must say: the vault is paid, the tokens and amount are the request's, a real floor. */
    private void assertHonest(Quote q, String source, BigInteger amount) {
        assertThat(q.source()).isEqualTo(source);
        assertThat(q.recipient()).isEqualTo(VAULT);
        assertThat(q.sellToken()).isEqualTo(f.market.collateral().address());
        assertThat(q.buyToken()).isEqualTo(f.market.loan().address());
        assertThat(q.amountIn()).isEqualTo(amount);
        assertThat(q.minOut()).isPositive().isLessThan(q.expectedOut());
        // 20 bps below what the calldata's pools deliver (per leg, rounded down): never more than asked.
        assertThat(q.minOut())
                .isGreaterThanOrEqualTo(q.expectedOut()
                        .multiply(BigInteger.valueOf(9980))
                        .divide(BigInteger.valueOf(10_000))
                        .subtract(BigInteger.TWO));
        assertThat(q.gasUnits()).isGreaterThan(AggregatorQuote.VAULT_OVERHEAD_GAS);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneInchSendsTheDocumentedSwapRequestAndReadsBothNumberForms(boolean swapped) {
        emu.swapNumberForms(swapped);
        BigInteger amount = oneEth.multiply(BigInteger.valueOf(20));
        Quote q = single(new OneInchClient(settings(Vendor.ONE_INCH)).quote(request(amount)));
        assertHonest(q, "1inch", amount);

        Call c = only(Vendor.ONE_INCH);
        assertThat(c.method()).isEqualTo("GET");
        assertThat(c.path()).isEqualTo("/swap/v6.0/31337/swap");
        assertThat(c.query())
                .containsExactlyEntriesOf(query(
                        "src",
                        f.market.collateral().address().hex(),
                        "dst",
                        f.market.loan().address().hex(),
                        "amount",
                        amount.toString(),
                        "from",
                        VAULT.hex(),
                        "origin",
                        KEEPER.hex(),
                        "slippage",
                        "0.2",
                        "disableEstimate",
                        "true",
                        "includeGas",
                        "true"));
        assertThat(c.header("authorization"))
                .isEqualTo("Bearer " + emu.apiKey(Vendor.ONE_INCH).orElseThrow().reveal());
        // A sale this size pays more split across the two V3 pools than in either: one SwapRouter multicall.
        assertThat(q.router()).isEqualTo(f.market.swapRouter());
        assertThat(q.calldata().selector().hex()).isEqualTo(SwapCalldata.V3_MULTICALL);
        assertThat(q.expectedOut()).isGreaterThan(f.quoteV3(amount, 500)).isGreaterThan(f.quoteV3(amount, 3000));
    }

    @Test
    void oneInchNoRouteIsAnEmptyAnswerAndABadKeyARejection() {
        emu.behave(Vendor.ONE_INCH, Misbehaviour.NO_ROUTE);
        assertThat(new OneInchClient(settings(Vendor.ONE_INCH)).quote(request(oneEth)))
                .isEmpty();
        emu.behave(Vendor.ONE_INCH, Misbehaviour.HONEST);
        ApiKey wrong = new ApiKey("not-the-key-4711");
        var bad = new AggregatorSettings(
                Vendor.ONE_INCH,
                emu.baseUrl(Vendor.ONE_INCH),
                Optional.of(wrong),
                Duration.ofSeconds(5),
                100,
                0,
                31337,
                "local",
                KEEPER);
        assertThatThrownBy(() -> new OneInchClient(bad).quote(request(oneEth)))
                .isInstanceOfSatisfying(AggregatorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(AggregatorException.Kind.REJECTED);
                    assertThat(e.getMessage())
                            .contains("401")
                            .contains("Invalid API key")
                            .doesNotContain("not-the-key-4711");
                });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void zeroExSendsItsHeadersAndTakesItsOwnMinimum(boolean swapped) {
        emu.swapNumberForms(swapped);
        BigInteger amount = oneEth.multiply(BigInteger.TWO);
        Quote q = single(new ZeroExClient(settings(Vendor.ZERO_X)).quote(request(amount)));
        assertHonest(q, "0x", amount);
        Call c = only(Vendor.ZERO_X);
        assertThat(c.path()).isEqualTo("/swap/allowance-holder/quote");
        assertThat(c.query())
                .containsExactlyEntriesOf(query(
                        "chainId",
                        "31337",
                        "sellToken",
                        f.market.collateral().address().hex(),
                        "buyToken",
                        f.market.loan().address().hex(),
                        "sellAmount",
                        amount.toString(),
                        "taker",
                        VAULT.hex(),
                        "slippageBps",
                        "20"));
        assertThat(c.header("0x-api-key"))
                .isEqualTo(emu.apiKey(Vendor.ZERO_X).orElseThrow().reveal());
        assertThat(c.header("0x-version")).isEqualTo("v2");
        assertThat(q.calldata().selector().hex())
                .isIn(UniswapCalldata.V3_EXACT_INPUT_SINGLE, UniswapCalldata.V2_SWAP_EXACT_TOKENS_FOR_TOKENS);
    }

    @Test
    void zeroExLiquidityUnavailableIsNoRouteAndInputInvalidIsARejection() {
        emu.behave(Vendor.ZERO_X, Misbehaviour.NO_ROUTE);
        assertThat(new ZeroExClient(settings(Vendor.ZERO_X)).quote(request(oneEth)))
                .isEmpty();
        emu.behave(Vendor.ZERO_X, Misbehaviour.HONEST);
        var otherChain = new AggregatorSettings(
                Vendor.ZERO_X,
                emu.baseUrl(Vendor.ZERO_X),
                emu.apiKey(Vendor.ZERO_X),
                Duration.ofSeconds(5),
                100,
                0,
                1,
                "ethereum",
                KEEPER);
        assertThatThrownBy(() -> new ZeroExClient(otherChain).quote(request(oneEth)))
                .isInstanceOfSatisfying(AggregatorException.class, e -> {
                    assertThat(e.kind()).isEqualTo(AggregatorException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("INPUT_INVALID").contains("chainId");
                });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void paraSwapPricesThenBuildsWithThePriceRouteVerbatim(boolean swapped) {
        emu.swapNumberForms(swapped);
        BigInteger amount = oneEth.multiply(BigInteger.valueOf(3));
        Quote q = single(new ParaSwapClient(settings(Vendor.PARASWAP)).quote(request(amount)));
        assertHonest(q, "paraswap", amount);
        List<Call> calls = emu.calls(Vendor.PARASWAP);
        assertThat(calls).hasSize(2);
        Call prices = calls.get(0);
        assertThat(prices.method() + " " + prices.path()).isEqualTo("GET /prices");
        assertThat(prices.query())
                .containsExactlyEntriesOf(query(
                        "srcToken",
                        f.market.collateral().address().hex(),
                        "srcDecimals",
                        "18",
                        "destToken",
                        f.market.loan().address().hex(),
                        "destDecimals",
                        "6",
                        "amount",
                        amount.toString(),
                        "side",
                        "SELL",
                        "network",
                        "31337",
                        "version",
                        "6.2"));
        Call build = calls.get(1);
        assertThat(build.method() + " " + build.path()).isEqualTo("POST /transactions/31337");
        assertThat(build.query()).containsExactlyEntriesOf(query("ignoreChecks", "true"));
        JsonNode body = build.body();
        assertThat(fieldNames(body))
                .containsExactly("priceRoute", "srcToken", "destToken", "srcAmount", "slippage", "userAddress");
        assertThat(body.get("priceRoute")).isEqualTo(read(prices, "priceRoute"));
        assertThat(body.get("slippage").isInt()).isTrue();
        assertThat(body.get("slippage").asInt()).isEqualTo(20);
        assertThat(body.get("userAddress").asText()).isEqualTo(VAULT.hex());
        assertThat(body.get("srcAmount").asText()).isEqualTo(amount.toString());
    }

    @Test
    void paraSwapPricesAgainWhenTheBuildCallsThePriceRouteStale() {
        emu.staleOnce(Vendor.PARASWAP);
        Quote q = single(new ParaSwapClient(settings(Vendor.PARASWAP)).quote(request(oneEth)));
        assertHonest(q, "paraswap", oneEth);
        assertThat(emu.calls(Vendor.PARASWAP))
                .extracting(c -> c.method() + " " + c.path())
                .containsExactly("GET /prices", "POST /transactions/31337", "GET /prices", "POST /transactions/31337");
        emu.behave(Vendor.PARASWAP, Misbehaviour.NO_ROUTE);
        assertThat(new ParaSwapClient(settings(Vendor.PARASWAP)).quote(request(oneEth)))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void odosQuotesThenAssemblesThePathId(boolean swapped) {
        emu.swapNumberForms(swapped);
        BigInteger amount = oneEth.multiply(BigInteger.valueOf(20));
        Quote q = single(new OdosClient(settings(Vendor.ODOS)).quote(request(amount)));
        assertHonest(q, "odos", amount);
        List<Call> calls = emu.calls(Vendor.ODOS);
        assertThat(calls)
                .extracting(c -> c.method() + " " + c.path())
                .containsExactly("POST /sor/quote/v2", "POST /sor/assemble");
        JsonNode quote = calls.get(0).body();
        assertThat(quote.toString())
                .isEqualTo(JSON.createObjectNode()
                        .put("chainId", 31337)
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "inputTokens",
                                JSON.createArrayNode()
                                        .add(JSON.createObjectNode()
                                                .put(
                                                        "tokenAddress",
                                                        f.market
                                                                .collateral()
                                                                .address()
                                                                .hex())
                                                .put("amount", amount.toString())))
                        .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                                "outputTokens",
                                JSON.createArrayNode()
                                        .add(JSON.createObjectNode()
                                                .put(
                                                        "tokenAddress",
                                                        f.market
                                                                .loan()
                                                                .address()
                                                                .hex())
                                                .put("proportion", 1)))
                        .put("userAddr", VAULT.hex())
                        .put("slippageLimitPercent", new BigDecimal("0.2"))
                        .put("compact", false)
                        .toString());
        JsonNode assemble = calls.get(1).body();
        assertThat(fieldNames(assemble)).containsExactly("userAddr", "pathId");
        assertThat(assemble.get("pathId").asText())
                .isEqualTo(read(calls.get(0), "pathId").asText());
        assertThat(q.calldata().selector().hex()).isEqualTo(SwapCalldata.V3_MULTICALL);
    }

    @Test
    void odosQuotesAgainWhenThePathIdExpiredAndReadsErrorCode2000AsNoRoute() {
        emu.staleOnce(Vendor.ODOS);
        assertHonest(single(new OdosClient(settings(Vendor.ODOS)).quote(request(oneEth))), "odos", oneEth);
        assertThat(emu.calls(Vendor.ODOS))
                .extracting(Call::path)
                .containsExactly("/sor/quote/v2", "/sor/assemble", "/sor/quote/v2", "/sor/assemble");
        emu.behave(Vendor.ODOS, Misbehaviour.NO_ROUTE);
        assertThat(new OdosClient(settings(Vendor.ODOS)).quote(request(oneEth))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void kyberSwapSendsTheRouteSummaryBackWithAnExplicitSlippage(boolean swapped) {
        emu.swapNumberForms(swapped);
        BigInteger amount = oneEth.multiply(BigInteger.valueOf(3));
        Quote q = single(new KyberSwapClient(settings(Vendor.KYBERSWAP)).quote(request(amount)));
        assertHonest(q, "kyberswap", amount);
        List<Call> calls = emu.calls(Vendor.KYBERSWAP);
        assertThat(calls)
                .extracting(c -> c.method() + " " + c.path())
                .containsExactly("GET /local/api/v1/routes", "POST /local/api/v1/route/build");
        assertThat(calls.get(0).query())
                .containsExactlyEntriesOf(query(
                        "tokenIn",
                        f.market.collateral().address().hex(),
                        "tokenOut",
                        f.market.loan().address().hex(),
                        "amountIn",
                        amount.toString()));
        assertThat(calls).allSatisfy(c -> assertThat(c.header("x-client-id")).isEqualTo("unwind-keeper"));
        JsonNode build = calls.get(1).body();
        assertThat(fieldNames(build))
                .containsExactly(
                        "routeSummary", "sender", "recipient", "slippageTolerance", "deadline", "skipSimulateTx");
        assertThat(build.get("routeSummary"))
                .isEqualTo(read(calls.get(0), "data").get("routeSummary"));
        assertThat(build.get("slippageTolerance").asInt()).isEqualTo(20);
        assertThat(build.get("sender").asText()).isEqualTo(VAULT.hex());
        assertThat(build.get("recipient").asText()).isEqualTo(VAULT.hex());
        assertThat(build.get("deadline").asLong()).isEqualTo(deadline.getEpochSecond());
    }

    @Test
    void kyberSwapRouteNotFoundIsNoRoute() {
        emu.behave(Vendor.KYBERSWAP, Misbehaviour.NO_ROUTE);
        assertThat(new KyberSwapClient(settings(Vendor.KYBERSWAP)).quote(request(oneEth)))
                .isEmpty();
    }

    /** Each way a vendor's service can fail, what it is taken for, and whether it counts against the breaker. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "SERVER_ERROR, SERVER_ERROR, true",
        "RATE_LIMITED, RATE_LIMITED, true",
        "MALFORMED_JSON, MALFORMED, true",
        "HTML_ERROR, MALFORMED, true",
        "SLOW, TIMEOUT, true"
    })
    void serviceFailuresAreTypedCountedAndTripTheBreaker(Misbehaviour m, AggregatorException.Kind kind, boolean trips) {
        emu.slowDelay(Duration.ofSeconds(2));
        for (Vendor v : Vendor.values()) {
            emu.behave(v, m);
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            ResilientSource source = Aggregators.build(
                            List.of(withTimeout(settings(v), Duration.ofMillis(400))), registry)
                    .get(0);
            assertThatThrownBy(() -> source.quote(request(oneEth)))
                    .as(v + " " + m)
                    .isInstanceOfSatisfying(AggregatorException.class, e -> {
                        assertThat(e.kind()).isEqualTo(kind);
                        emu.apiKey(v).ifPresent(k -> assertThat(e.getMessage()).doesNotContain(k.reveal()));
                    });
            assertThat(source.breaker().getMetrics().getNumberOfFailedCalls())
                    .as(v + " " + m)
                    .isEqualTo(trips ? 1 : 0);
            assertThat(AggregatorMetrics.count(registry, v.id(), kind.label())).isEqualTo(1);
            emu.behave(v, Misbehaviour.HONEST);
        }
    }

    @Test
    void noRouteAndBusinessErrorsAreAnswersNotBreakerFailures() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        emu.behave(Vendor.KYBERSWAP, Misbehaviour.NO_ROUTE);
        ResilientSource kyber =
                Aggregators.build(List.of(settings(Vendor.KYBERSWAP)), registry).get(0);
        for (int i = 0; i < 6; i++) assertThat(kyber.quote(request(oneEth))).isEmpty();
        assertThat(kyber.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(kyber.breaker().getState())
                .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
        assertThat(AggregatorMetrics.count(registry, "kyberswap", "no_route")).isEqualTo(6);
        var otherChain = new AggregatorSettings(
                Vendor.ZERO_X,
                emu.baseUrl(Vendor.ZERO_X),
                emu.apiKey(Vendor.ZERO_X),
                Duration.ofSeconds(5),
                100,
                0,
                1,
                "ethereum",
                KEEPER);
        ResilientSource zeroEx =
                Aggregators.build(List.of(otherChain), registry).get(0);
        for (int i = 0; i < 6; i++)
            assertThatThrownBy(() -> zeroEx.quote(request(oneEth))).isInstanceOf(AggregatorException.class);
        assertThat(zeroEx.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(AggregatorMetrics.count(registry, "0x", "rejected")).isEqualTo(6);
    }

    @Test
    void anOpenBreakerSparesTheVendorAndTheRateLimitRefusesWithoutAsking() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        emu.behave(Vendor.ODOS, Misbehaviour.SERVER_ERROR);
        var oneRetry = new AggregatorSettings(
                Vendor.ODOS,
                emu.baseUrl(Vendor.ODOS),
                Optional.empty(),
                Duration.ofSeconds(5),
                100,
                1,
                31337,
                "local",
                KEEPER);
        ResilientSource odos = Aggregators.build(List.of(oneRetry), registry).get(0);
        for (int i = 0; i < 2; i++)
            assertThatThrownBy(() -> odos.quote(request(oneEth))).isInstanceOf(AggregatorException.class);
        // A 5xx is retried once: two attempts per quote, each a failure for the breaker; four open it.
        assertThat(emu.calls(Vendor.ODOS)).hasSize(4);
        assertThat(odos.breaker().getState())
                .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> odos.quote(request(oneEth))).hasMessageContaining("circuit breaker open");
        assertThat(emu.calls(Vendor.ODOS)).hasSize(4);
        assertThat(AggregatorMetrics.count(registry, "odos", "breaker_open")).isEqualTo(1);

        var slowRate = new AggregatorSettings(
                Vendor.PARASWAP,
                emu.baseUrl(Vendor.PARASWAP),
                Optional.empty(),
                Duration.ofSeconds(5),
                0.2,
                0,
                31337,
                "local",
                KEEPER);
        ResilientSource paraswap =
                Aggregators.build(List.of(slowRate), registry).get(0);
        assertThat(paraswap.quote(request(oneEth))).hasSize(1);
        int sent = emu.calls(Vendor.PARASWAP).size();
        assertThatThrownBy(() -> paraswap.quote(request(oneEth))).hasMessageContaining("rate limit");
        assertThat(emu.calls(Vendor.PARASWAP)).hasSize(sent);
        assertThat(paraswap.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(AggregatorMetrics.count(registry, "paraswap", "throttled")).isEqualTo(1);
    }

    @Test
    void keysNeverShowInSettingsOrConfig() {
        ApiKey key = new ApiKey("sk-live-0123456789");
        var s = new AggregatorSettings(
                Vendor.ONE_INCH,
                emu.baseUrl(Vendor.ONE_INCH),
                Optional.of(key),
                Duration.ofSeconds(1),
                1,
                0,
                1,
                "ethereum",
                KEEPER);
        assertThat(s.toString()).doesNotContain("sk-live").contains("redacted");
        assertThat(key.matches("sk-live-0123456789")).isTrue();
        assertThat(key.matches("sk-live-0123456780")).isFalse();
    }

    @Test
    void aKeyEchoedBackByAVendorIsBlankedOutOfErrors() {
        // A real server on 127.0.0.1 that, like some gateways, echoes the request's headers in its error answers.
        try (var echo = LoopbackHttp.start(r -> LoopbackHttp.Response.json(
                r.path().startsWith("/html") ? 502 : 400,
                "{\"error\":\"Bad Request\",\"description\":\"bad header " + r.header("Authorization")
                        + "\",\"statusCode\":400}"))) {
            ApiKey key = new ApiKey("sk-echoed-31415926");
            for (String prefix : List.of("", "/html")) {
                var s = new AggregatorSettings(
                        Vendor.ONE_INCH,
                        echo.uri(prefix),
                        Optional.of(key),
                        Duration.ofSeconds(2),
                        100,
                        0,
                        1,
                        "ethereum",
                        KEEPER);
                ResilientSource source = Aggregators.build(
                                List.of(s), new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                        .get(0);
                assertThatThrownBy(() -> source.quote(request(oneEth)))
                        .isInstanceOf(AggregatorException.class)
                        .hasMessageContaining("bad header")
                        .hasMessageNotContaining("sk-echoed-31415926");
            }
        }
    }

    private static AggregatorSettings withTimeout(AggregatorSettings s, Duration t) {
        return new AggregatorSettings(
                s.vendor(),
                s.baseUrl(),
                s.apiKey(),
                t,
                s.requestsPerSecond(),
                s.retries(),
                s.chainId(),
                s.chainSlug(),
                s.origin());
    }

    private static <T> T single(List<T> l) {
        assertThat(l).hasSize(1);
        return l.get(0);
    }

    private Call only(Vendor v) {
        List<Call> c = emu.calls(v);
        assertThat(c).hasSize(1);
        return c.get(0);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A field of the emulator's answer to {@code call}. */
    private static JsonNode read(Call call, String field) {
        return call.responseJson().get(field);
    }
}
