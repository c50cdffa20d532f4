package io.unwind.route.aggregator;

import static io.unwind.testing.RecordedAnswers.AMOUNT_IN;
import static io.unwind.testing.RecordedAnswers.OTHER_TOKEN;
import static io.unwind.testing.RecordedAnswers.SETTLER;
import static io.unwind.testing.RecordedAnswers.THIEF;
import static io.unwind.testing.RecordedAnswers.USDC;
import static io.unwind.testing.RecordedAnswers.VAULT;
import static io.unwind.testing.RecordedAnswers.WETH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.route.AllowedRoute;
import io.unwind.domain.route.Quote;
import io.unwind.domain.route.QuoteCheck;
import io.unwind.domain.route.RejectReason;
import io.unwind.domain.route.Rejection;
import io.unwind.domain.route.SaleRequest;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import io.unwind.testing.LoopbackHttp;
import io.unwind.testing.RecordedAnswers;
import io.unwind.testing.RecordedAnswers.Recording;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The clients against each vendor's recorded answers (its own JSON, calldata in its router's real layout) served from
 * 127.0.0.1: the quote's tokens, amount, minimum and recipient are what the real layout says, and calldata that pays
 * someone else, swaps other tokens, sells another amount or accepts less is seen for what it is. (That these are
 * refused before any simulation is {@code CheckedBeforeSimulationTest}.)
 */
@Tag("pure")
class RecordedAnswersTest {
    private static final TxHash BLOCK = TxHash.of("0x" + "ab".repeat(32));
    private static final Instant DEADLINE = Instant.parse("2026-01-01T00:02:00Z");
    private static final Address POOL = Address.of("0x" + "99".repeat(20));
    private static final BigInteger LOW_MIN = new BigInteger("10000000000");

    /** The recorded calldata is web3j's encoding of the router's ABI, byte for byte, for the recording's terms. */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void recordedCalldataIsTheRoutersOwnLayout(Vendor v) {
        Recording r = RecordedAnswers.of(v);
        String recorded = RecordedAnswers.load(v, r.swapFile()).at(r.calldata()).asText();
        assertThat(recorded).isEqualTo("0x" + HexFormat.of().formatHex(recordedCalldata(v)));
        assertThat(recorded).startsWith(r.selector());
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void eachVendorsAnswerIsReadInItsRouterLayout(Vendor v) {
        try (RecordedAnswers answers = RecordedAnswers.serve(v)) {
            Recording r = answers.recording();
            Quote q = quote(answers);
            assertThat(q.router()).isEqualTo(r.router());
            assertThat(q.calldata().selector().hex()).isEqualTo(r.selector());
            assertThat(q.sellToken()).isEqualTo(WETH.address());
            assertThat(q.buyToken()).isEqualTo(USDC.address());
            assertThat(q.amountIn()).isEqualTo(AMOUNT_IN);
            assertThat(q.expectedOut()).isEqualTo(r.expectedOut());
            assertThat(q.minOut()).isEqualTo(r.minOut());
            // ParaSwap's recording leaves the beneficiary 0: the router pays msg.sender, the vault.
            assertThat(q.recipient()).isEqualTo(VAULT);
            assertThat(QuoteCheck.check(q, sale(q))).isEmpty();
            assertThat(answers.requests())
                    .extracting(x -> x.method() + " " + x.path())
                    .containsExactlyInAnyOrderElementsOf(r.files().keySet());
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void calldataPayingSomeoneElseIsReadFromTheRecipientWord(Vendor v) {
        try (RecordedAnswers answers = RecordedAnswers.serve(v)) {
            if (v == Vendor.PARASWAP) {
                answers.setWord(7, THIEF); // the beneficiary, 0 in the recording
            } else {
                assertThat(answers.replaceWord(VAULT, THIEF)).isEqualTo(1);
            }
            Quote q = quote(answers);
            assertThat(q.recipient()).isEqualTo(THIEF);
            assertThat(QuoteCheck.check(q, sale(q)))
                    .get()
                    .extracting(Rejection::reason)
                    .isEqualTo(RejectReason.WRONG_RECIPIENT);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void calldataBuyingAnotherTokenIsReadFromTheTokenWord(Vendor v) {
        try (RecordedAnswers answers = RecordedAnswers.serve(v)) {
            answers.replaceWord(USDC.address(), OTHER_TOKEN);
            Quote q = quote(answers);
            assertThat(q.buyToken()).isEqualTo(OTHER_TOKEN);
            assertThat(QuoteCheck.check(q, sale(q)))
                    .get()
                    .extracting(Rejection::reason)
                    .isEqualTo(RejectReason.WRONG_TOKEN);
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void calldataSellingAnotherAmountIsReadFromTheAmountWord(Vendor v) {
        try (RecordedAnswers answers = RecordedAnswers.serve(v)) {
            BigInteger less = AMOUNT_IN.subtract(BigInteger.TEN.pow(15));
            answers.replaceWord(AMOUNT_IN, less);
            Quote q = quote(answers);
            assertThat(q.amountIn()).isEqualTo(less);
            assertThat(QuoteCheck.check(q, sale(q)))
                    .get()
                    .extracting(Rejection::reason)
                    .isEqualTo(RejectReason.WRONG_AMOUNT);
        }
    }

    /** The JSON keeps its figures; the floor that counts is the calldata's (the oracle-floor check then refuses it). */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aLowerMinimumInTheCalldataIsTheMinimumTheQuoteCarries(Vendor v) {
        try (RecordedAnswers answers = RecordedAnswers.serve(v)) {
            answers.replaceWord(answers.recording().minOut(), LOW_MIN);
            Quote q = quote(answers);
            assertThat(q.minOut()).isEqualTo(LOW_MIN);
            assertThat(q.expectedOut()).isEqualTo(answers.recording().expectedOut());
        }
    }

    @Test
    void odosIsAskedForTheAbiEncodedSwapAndItsPackedFormIsRefused() {
        try (RecordedAnswers answers = RecordedAnswers.serve(Vendor.ODOS)) {
            quote(answers);
            LoopbackHttp.Request q = answers.requests().get(0);
            assertThat(q.path()).isEqualTo("/sor/quote/v2");
            assertThat(q.body()).contains("\"compact\":false");
            answers.calldata("0x83bd37f90001" + WETH.address().hex().substring(2) + "0001"
                    + USDC.address().hex().substring(2) + "083a4ad8a1c9c2000004" + "00000000");
            assertThatThrownBy(() -> quote(answers))
                    .isInstanceOfSatisfying(
                            AggregatorException.class,
                            e -> assertThat(e.kind()).isEqualTo(AggregatorException.Kind.REJECTED))
                    .hasMessageContaining("swapCompact");
        }
    }

    @Test
    void zeroExAllowanceHolderLettingAnotherContractSpendIsRefused() {
        try (RecordedAnswers answers = RecordedAnswers.serve(Vendor.ZERO_X)) {
            answers.setWord(0, THIEF); // the operator allowed to pull the vault's collateral
            assertThatThrownBy(() -> quote(answers))
                    .isInstanceOf(AggregatorException.class)
                    .hasMessageContaining("spend but calls");
        }
    }

    /** Anonymised: no key, no address but the tests' own. */
    @ParameterizedTest
    @EnumSource(Vendor.class)
    void recordingsCarryNoKeyAndOnlyTheTestsAddresses(Vendor v) {
        Set<String> ours =
                Set.of("aa", "be", "c0", "d0", "11", "12", "22", "23", "33", "34", "44", "45", "55", "56", "99", "00");
        for (String file : RecordedAnswers.of(v).files().values()) {
            String text = RecordedAnswers.load(v, file).toString().toLowerCase();
            assertThat(text).doesNotContain("apikey").doesNotContain("bearer").doesNotContain("api-key");
            var m = java.util.regex.Pattern.compile("\"0x([0-9a-f]{40})\"").matcher(text);
            while (m.find())
                assertThat(ours).as(file + " " + m.group(1)).contains(m.group(1).substring(0, 2));
        }
    }

    private static Quote quote(RecordedAnswers answers) {
        RouteSource client = Aggregators.client(answers.settings());
        List<Quote> quotes = client.quote(request());
        assertThat(quotes).hasSize(1);
        return quotes.get(0);
    }

    private static QuoteRequest request() {
        return RecordedAnswers.request(BLOCK, DEADLINE);
    }

    /** The sale as the keeper checks it, with the quote's own (router, selector) allow-listed. */
    private static SaleRequest sale(Quote q) {
        return new SaleRequest(
                VAULT,
                WETH.address(),
                USDC.address(),
                AMOUNT_IN,
                Set.of(new AllowedRoute(q.router(), q.calldata().selector())),
                Set.of());
    }

    // The recordings' calldata: the terms of RecordedAnswers.ALL, the vendors' helper contracts, and opaque executor
    // programs made up for these tests.

    private static final Address ONE_INCH_EXECUTOR = Address.of("0x" + "12".repeat(20));
    private static final Address PARASWAP_EXECUTOR = Address.of("0x" + "34".repeat(20));
    private static final Address ODOS_EXECUTOR = Address.of("0x" + "45".repeat(20));
    private static final Address KYBER_EXECUTOR = Address.of("0x" + "56".repeat(20));
    private static final Address ZERO = Address.of("0x" + "00".repeat(20));

    static byte[] recordedCalldata(Vendor v) {
        Recording r = RecordedAnswers.of(v);
        return switch (v) {
            case ONE_INCH ->
                RouterCalldata.oneInchSwap(
                        ONE_INCH_EXECUTOR,
                        WETH.address(),
                        USDC.address(),
                        ONE_INCH_EXECUTOR,
                        VAULT,
                        AMOUNT_IN,
                        r.minOut(),
                        BigInteger.ZERO,
                        bytes(
                                "00000000000000000000000000000000000000000000000000009e00006800a0",
                                "744c8c09",
                                WETH.address(),
                                POOL,
                                "0000000000000000000000000000000000000000000000003a4965bf58a40000",
                                "4101",
                                USDC.address(),
                                "0000000000000000000000000000000000000000000000000000000000000001"));
            case ZERO_X ->
                RouterCalldata.allowanceHolderExec(
                        SETTLER,
                        WETH.address(),
                        AMOUNT_IN,
                        SETTLER,
                        RouterCalldata.settlerExecute(
                                VAULT,
                                USDC.address(),
                                r.minOut(),
                                List.of(
                                        RouterCalldata.settlerTransferFrom(
                                                SETTLER,
                                                WETH.address(),
                                                AMOUNT_IN,
                                                new BigInteger("2241959297937691820908574931991569"),
                                                BigInteger.valueOf(1767225720),
                                                new byte[0]),
                                        RouterCalldata.settlerUniswapV3(
                                                SETTLER,
                                                BigInteger.valueOf(10_000),
                                                bytes(WETH.address(), "000001f4", USDC.address()),
                                                BigInteger.ZERO)),
                                bytes("7c9f0a51d3e2b4a6c8e0f2130000000000000000000000000000000000000000")));
            case PARASWAP ->
                RouterCalldata.paraSwapExactAmountIn(
                        PARASWAP_EXECUTOR,
                        WETH.address(),
                        USDC.address(),
                        AMOUNT_IN,
                        r.minOut(),
                        r.expectedOut(),
                        bytes("3f6a9c1e7b2d4e8f9a0b1c2d3e4f5a6b", "000000000000000000000000014dcc3f"),
                        ZERO,
                        BigInteger.ZERO,
                        new byte[0],
                        bytes(
                                WETH.address(),
                                "0000006000240000ff000003",
                                POOL,
                                "00000000000001f4",
                                USDC.address(),
                                "0000000000000000000000000000000000000000000000000000000000002710"));
            case ODOS ->
                RouterCalldata.odosSwap(
                        WETH.address(),
                        AMOUNT_IN,
                        ODOS_EXECUTOR,
                        USDC.address(),
                        r.expectedOut(),
                        r.minOut(),
                        VAULT,
                        bytes(
                                "010203000a0101010201ff000000000000000000000000000000000000000000",
                                POOL,
                                "000000000000000000000000"),
                        ODOS_EXECUTOR,
                        0);
            case KYBERSWAP ->
                RouterCalldata.kyberSwap(
                        KYBER_EXECUTOR,
                        ZERO,
                        bytes(
                                "0000000000000000000000000000000000000000000000000000000000000020",
                                "0000000000000000000000000000000000000000000000000000000000000001",
                                POOL,
                                "000000000000000000000000",
                                "0000000000000000000000000000000000000000000000003a4965bf58a40000"),
                        RouterCalldata.kyberDescription(
                                WETH.address(),
                                USDC.address(),
                                List.of(KYBER_EXECUTOR),
                                List.of(AMOUNT_IN),
                                List.of(),
                                List.of(),
                                VAULT,
                                AMOUNT_IN,
                                r.minOut(),
                                BigInteger.ZERO,
                                new byte[0]),
                        ("{\"Source\":\"unwind-keeper\",\"AmountInUSD\":\"10495.8\",\"AmountOutUSD\":\"10487.51\",\"Referral\":\"\",\"Flags\":0,"
                                        + "\"AmountOut\":\"" + r.expectedOut()
                                        + "\",\"Timestamp\":1767225600,\"RouteID\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"}")
                                .getBytes(StandardCharsets.UTF_8));
        };
    }

    private static byte[] bytes(Object... parts) {
        StringBuilder h = new StringBuilder();
        for (Object p : parts) h.append(p instanceof Address a ? a.hex().substring(2) : p.toString());
        if (h.length() % 2 != 0) h.append('0');
        return HexFormat.of().parseHex(h);
    }
}
