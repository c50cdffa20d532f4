package io.unwind.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.route.aggregator.SwapCalldata;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class UniswapCalldataTest {
    private static final Address WETH = Address.of("0x" + "11".repeat(20));
    private static final Address USDC = Address.of("0x" + "22".repeat(20));
    private static final Address VAULT = Address.of("0x" + "33".repeat(20));
    private static final BigInteger IN = new BigInteger("3000000000000000000");
    private static final BigInteger DEADLINE = BigInteger.valueOf(1_900_000_000L);

    @Test
    void onlyTheMinimumOfASingleUniswapSwapIsRewrittenAndEverythingElseStays() {
        byte[] v3 = UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, IN, BigInteger.valueOf(9_000));
        byte[] v2 = UniswapCalldata.v2SwapExactTokensForTokens(
                IN, BigInteger.valueOf(9_000), List.of(WETH, USDC), VAULT, DEADLINE);
        BigInteger lower = BigInteger.valueOf(8_123);

        byte[] v3Lower = UniswapCalldata.withMinOut(v3, lower).orElseThrow();
        byte[] v2Lower = UniswapCalldata.withMinOut(v2, lower).orElseThrow();

        // Exactly what building the swap with the lower minimum gives: nothing else moved.
        assertThat(v3Lower).isEqualTo(UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, IN, lower));
        assertThat(v2Lower)
                .isEqualTo(UniswapCalldata.v2SwapExactTokensForTokens(IN, lower, List.of(WETH, USDC), VAULT, DEADLINE));
        // And the check every quote goes through reads the new minimum, with the same tokens, amount and recipient.
        var terms = SwapCalldata.decode(v3Lower, VAULT).orElseThrow();
        assertThat(terms.minOut()).isEqualTo(lower);
        assertThat(terms.amountIn()).isEqualTo(IN);
        assertThat(terms.recipient()).isEqualTo(VAULT);
    }

    @Test
    void anythingElseIsNeverRewritten() {
        byte[] v3 = UniswapCalldata.v3ExactInputSingle(WETH, USDC, 500, VAULT, DEADLINE, IN, BigInteger.ONE);
        byte[] multicall = new byte[4 + 64];
        System.arraycopy(new byte[] {(byte) 0xac, (byte) 0x96, 0x50, (byte) 0xd8}, 0, multicall, 0, 4);
        assertThat(UniswapCalldata.withMinOut(multicall, BigInteger.ONE)).isEmpty();
        assertThat(UniswapCalldata.withMinOut(java.util.Arrays.copyOf(v3, v3.length - 1), BigInteger.ONE))
                .isEmpty();
        assertThat(UniswapCalldata.withMinOut(v3, BigInteger.ONE.shiftLeft(256)))
                .isEmpty();
        assertThat(UniswapCalldata.withMinOut(new byte[3], BigInteger.ONE)).isEmpty();
    }
}
