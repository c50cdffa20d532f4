package io.unwind.route.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import io.unwind.route.QuoteRequest;
import io.unwind.route.UniswapCalldata;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.utils.Numeric;

/**
 * Reading a swap's real terms from its calldata, and refusing quotes whose calldata has no floor or does not decode.
 */
@Tag("pure")
class SwapCalldataTest {
    private static final Address WETH = Address.of("0x00000000000000000000000000000000000000e1");
    private static final Address USDC = Address.of("0x00000000000000000000000000000000000000c2");
    private static final Address VAULT = Address.of("0x00000000000000000000000000000000000a0175");
    private static final Address ROUTER = Address.of("0x0000000000000000000000000000000000000f00");
    private static final BigInteger DEADLINE = BigInteger.valueOf(2_000_000_000L);

    @Test
    void readsExactInputSingleAndV2Swaps() {
        var v3 = SwapCalldata.decode(
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, BigInteger.TEN, BigInteger.TWO),
                VAULT);
        assertThat(v3).contains(new SwapCalldata.Terms(WETH, USDC, BigInteger.TEN, BigInteger.TWO, VAULT, 1));
        var v2 = SwapCalldata.decode(
                UniswapCalldata.v2SwapExactTokensForTokens(
                        BigInteger.valueOf(7), BigInteger.valueOf(3), List.of(WETH, USDC), VAULT, DEADLINE),
                VAULT);
        assertThat(v2)
                .contains(new SwapCalldata.Terms(WETH, USDC, BigInteger.valueOf(7), BigInteger.valueOf(3), VAULT, 1));
    }

    @Test
    void addsUpTheLegsOfAMulticallSplit() {
        byte[] a = UniswapCalldata.v3ExactInputSingle(
                WETH, USDC, 500, VAULT, DEADLINE, BigInteger.valueOf(60), BigInteger.valueOf(50));
        byte[] b = UniswapCalldata.v3ExactInputSingle(
                WETH, USDC, 3000, VAULT, DEADLINE, BigInteger.valueOf(40), BigInteger.valueOf(30));
        assertThat(SwapCalldata.decode(multicall(a, b), VAULT))
                .contains(
                        new SwapCalldata.Terms(WETH, USDC, BigInteger.valueOf(100), BigInteger.valueOf(80), VAULT, 2));
        // A leg that pays someone else, or that is not a swap, spoils the whole call.
        byte[] thief =
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 3000, ROUTER, DEADLINE, BigInteger.ONE, BigInteger.ONE);
        assertThatThrownBy(() -> SwapCalldata.decode(multicall(a, thief), VAULT))
                .hasMessageContaining("disagree");
        byte[] sweep = Numeric.hexStringToByteArray("0xdf2ab5bb" + "00".repeat(96));
        assertThatThrownBy(() -> SwapCalldata.decode(multicall(a, sweep), VAULT))
                .hasMessageContaining("not exactInputSingle");
    }

    @Test
    void unknownLayoutsAreLeftToTheSimulationAndTruncatedKnownOnesRefused() {
        assertThat(SwapCalldata.decode(Numeric.hexStringToByteArray("0x12345678" + "00".repeat(64)), VAULT))
                .isEmpty();
        byte[] v3 =
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, BigInteger.TEN, BigInteger.TWO);
        assertThatThrownBy(() -> SwapCalldata.decode(Arrays.copyOf(v3, 100), VAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aQuoteTakesItsTermsFromTheCalldataAndNeverAZeroFloor() {
        QuoteRequest r = new QuoteRequest(
                VAULT,
                new Token(WETH, "WETH", 18),
                new Token(USDC, "USDC", 6),
                BigInteger.TEN,
                TxHash.of("0x" + "ab".repeat(32)),
                Instant.ofEpochSecond(2_000_000_000L),
                20);
        // The JSON claims 1000 out; the calldata pays a stranger and accepts 2: the quote says what the calldata does.
        byte[] elsewhere =
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, ROUTER, DEADLINE, BigInteger.TEN, BigInteger.TWO);
        var q = AggregatorQuote.of(
                "x", r, ROUTER, elsewhere, BigInteger.ZERO, BigInteger.valueOf(1000), Optional.empty(), 100_000);
        assertThat(q.recipient()).isEqualTo(ROUTER);
        assertThat(q.minOut()).isEqualTo(BigInteger.TWO);
        assertThat(q.gasUnits()).isEqualTo(100_000 + AggregatorQuote.VAULT_OVERHEAD_GAS);
        byte[] noFloor =
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, BigInteger.TEN, BigInteger.ZERO);
        assertThatThrownBy(() -> AggregatorQuote.of(
                        "x", r, ROUTER, noFloor, BigInteger.ZERO, BigInteger.valueOf(1000), Optional.empty(), 0))
                .isInstanceOfSatisfying(
                        AggregatorException.class,
                        e -> assertThat(e.kind()).isEqualTo(AggregatorException.Kind.REJECTED))
                .hasMessageContaining("zero output");
        byte[] fine =
                UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, BigInteger.TEN, BigInteger.ONE);
        assertThatThrownBy(() -> AggregatorQuote.of(
                        "x", r, ROUTER, fine, BigInteger.ONE, BigInteger.valueOf(1000), Optional.empty(), 0))
                .hasMessageContaining("native value");
        // Unknown layout: the floor is what was asked, the expectation less the slippage.
        var unknown = AggregatorQuote.of(
                "x",
                r,
                ROUTER,
                Numeric.hexStringToByteArray("0x12345678"),
                BigInteger.ZERO,
                BigInteger.valueOf(10_000),
                Optional.empty(),
                0);
        assertThat(unknown.minOut()).isEqualTo(BigInteger.valueOf(9_980));
        assertThat(unknown.recipient()).isEqualTo(VAULT);
    }

    @Test
    void percentagesAreWrittenAsVendorsWantThem() {
        assertThat(Json.percent(20).toPlainString()).isEqualTo("0.2");
        assertThat(Json.percent(100).toPlainString()).isEqualTo("1");
        assertThat(Json.percent(5).toPlainString()).isEqualTo("0.05");
    }

    @Test
    void amountsAreReadFromStringsOrNumbersAndNothingElse() throws Exception {
        Json json = new Json("t");
        var n = HttpJson.MAPPER.readTree("""
                {"s": "123456789012345678901234567890", "n": 123456789012345678901234567890, "e": 2.5E6, "f": 1.5,
                 "neg": "-1", "text": "12abc", "huge": "1%s"}""".formatted("0".repeat(78)));
        assertThat(json.amount(n, "s")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(json.amount(n, "n")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(json.amount(n, "e")).isEqualTo(BigInteger.valueOf(2_500_000));
        for (String bad : List.of("f", "neg", "text", "huge", "missing")) {
            assertThatThrownBy(() -> json.amount(n, bad))
                    .isInstanceOfSatisfying(
                            AggregatorException.class,
                            e -> assertThat(e.kind()).isEqualTo(AggregatorException.Kind.MALFORMED));
        }
    }

    private static byte[] multicall(byte[]... calls) {
        var arr = new DynamicArray<>(
                DynamicBytes.class, Arrays.stream(calls).map(DynamicBytes::new).toList());
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("multicall", List.of(arr), List.of())));
    }
}
