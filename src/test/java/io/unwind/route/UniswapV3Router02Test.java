package io.unwind.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import io.unwind.domain.route.Quote;
import io.unwind.domain.route.Selector;
import io.unwind.route.aggregator.SwapCalldata;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** SwapRouter02's exactInputSingle as the keeper writes it, and the V3 source offering a tier through both routers. */
@Tag("pure")
class UniswapV3Router02Test {
    private static final Address WETH = Address.of("0x" + "11".repeat(20));
    private static final Address USDC = Address.of("0x" + "22".repeat(20));
    private static final Address VAULT = Address.of("0x" + "33".repeat(20));
    private static final Address QUOTER = Address.of("0x" + "44".repeat(20));
    private static final Address ROUTER = Address.of("0x" + "55".repeat(20));
    private static final Address ROUTER02 = Address.of("0x" + "66".repeat(20));
    private static final BigInteger IN = new BigInteger("3000000000000000000");

    @Test
    void theSelectorIsSwapRouter02sExactInputSingleWithoutADeadline() {
        String signature = "exactInputSingle((address,address,uint24,address,uint256,uint256,uint160))";
        String selector = Hash.sha3String(signature).substring(0, 10);
        assertThat(selector).isEqualTo("0x04e45aaf");
        assertThat(UniswapCalldata.V3_ROUTER02_EXACT_INPUT_SINGLE).isEqualTo(selector);
        assertThat(UniswapV3Router.Kind.SWAP_ROUTER_02.selector()).isEqualTo(selector);
    }

    @Test
    void theStructIsTokenInTokenOutFeeRecipientAmountInMinimumAndNoPriceLimit() {
        byte[] data = UniswapCalldata.v3Router02ExactInputSingle(WETH, USDC, 500, VAULT, IN, BigInteger.valueOf(9_000));

        assertThat(data).hasSize(4 + 7 * 32); // a static struct: seven words in place, no offset
        assertThat(Numeric.toHexString(data, 0, 4, true)).isEqualTo("0x04e45aaf");
        assertThat(word(data, 0)).isEqualTo(new BigInteger(1, HexFormat.of().parseHex("11".repeat(20))));
        assertThat(word(data, 1)).isEqualTo(new BigInteger(1, HexFormat.of().parseHex("22".repeat(20))));
        assertThat(word(data, 2)).isEqualTo(BigInteger.valueOf(500));
        assertThat(word(data, 3)).isEqualTo(new BigInteger(1, HexFormat.of().parseHex("33".repeat(20))));
        assertThat(word(data, 4)).isEqualTo(IN);
        assertThat(word(data, 5)).isEqualTo(BigInteger.valueOf(9_000));
        assertThat(word(data, 6)).isZero();
    }

    @Test
    void itsMinimumIsRewrittenInPlaceAndTheQuoteCheckReadsItsTerms() {
        byte[] data = UniswapCalldata.v3Router02ExactInputSingle(WETH, USDC, 500, VAULT, IN, BigInteger.valueOf(9_000));
        BigInteger lower = BigInteger.valueOf(8_123);

        assertThat(UniswapCalldata.withMinOut(data, lower))
                .hasValue(UniswapCalldata.v3Router02ExactInputSingle(WETH, USDC, 500, VAULT, IN, lower));
        var terms = SwapCalldata.decode(data, VAULT).orElseThrow();
        assertThat(terms.tokenIn()).isEqualTo(WETH);
        assertThat(terms.tokenOut()).isEqualTo(USDC);
        assertThat(terms.amountIn()).isEqualTo(IN);
        assertThat(terms.minOut()).isEqualTo(BigInteger.valueOf(9_000));
        assertThat(terms.recipient()).isEqualTo(VAULT);
        // SwapRouter02 reads recipient 1 as its caller: the vault, when the vault calls it.
        byte[] toCaller = UniswapCalldata.v3Router02ExactInputSingle(
                WETH, USDC, 500, Address.of("0x" + "00".repeat(19) + "01"), IN, BigInteger.ONE);
        assertThat(SwapCalldata.decode(toCaller, VAULT).orElseThrow().recipient())
                .isEqualTo(VAULT);
    }

    @Test
    void eachTierIsQuotedOnceAndOfferedThroughEveryRouterUnderItsOwnVenue() {
        AtomicInteger quoterCalls = new AtomicInteger();
        ContractCaller quoter = (to, data, block) -> {
            assertThat(to).isEqualTo(QUOTER);
            quoterCalls.incrementAndGet();
            byte[] out = new byte[128];
            byte[] amountOut = Numeric.toBytesPadded(BigInteger.valueOf(8_000_000_000L), 32);
            System.arraycopy(amountOut, 0, out, 0, 32);
            out[127] = 100; // gas estimate
            return Optional.of(out);
        };
        var source = new UniswapV3Source(
                quoter,
                QUOTER,
                List.of(UniswapV3Router.swapRouter(ROUTER), UniswapV3Router.swapRouter02(ROUTER02)),
                List.of(500, 3000));
        var request = new QuoteRequest(
                VAULT,
                new Token(WETH, "WETH", 18),
                new Token(USDC, "USDC", 6),
                IN,
                TxHash.of("0x" + "ab".repeat(32)),
                Instant.parse("2030-01-01T00:00:00Z"),
                50);

        List<Quote> quotes = source.quote(request);

        assertThat(quoterCalls).hasValue(2);
        assertThat(quotes)
                .extracting(Quote::source)
                .containsExactly("uniswap-v3-500", "uniswap-v3-02-500", "uniswap-v3-3000", "uniswap-v3-02-3000");
        Quote v1 = quotes.get(0);
        Quote v02 = quotes.get(1);
        assertThat(v1.router()).isEqualTo(ROUTER);
        assertThat(v1.calldata().selector()).isEqualTo(Selector.of(UniswapCalldata.V3_EXACT_INPUT_SINGLE));
        assertThat(v02.router()).isEqualTo(ROUTER02);
        assertThat(v02.calldata().selector()).isEqualTo(Selector.of(UniswapCalldata.V3_ROUTER02_EXACT_INPUT_SINGLE));
        assertThat(v02.expectedOut()).isEqualTo(v1.expectedOut());
        assertThat(v02.minOut()).isEqualTo(v1.minOut());
        assertThat(v02.calldata().bytes())
                .isEqualTo(UniswapCalldata.v3Router02ExactInputSingle(WETH, USDC, 500, VAULT, IN, v1.minOut()));
    }

    private static BigInteger word(byte[] d, int i) {
        return new BigInteger(1, java.util.Arrays.copyOfRange(d, 4 + 32 * i, 4 + 32 * i + 32));
    }
}
