package io.unwind.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.position.Policy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic and the care of a fork rehearsal that need no chain: the oracle's scale, the policy, the URL shown.
 */
@Tag("pure")
class ForkRehearsalTest {
    private static final Token WETH = new Token(Address.of("0x" + "11".repeat(20)), "WETH", 18);
    private static final Token USDC = new Token(Address.of("0x" + "22".repeat(20)), "USDC", 6);
    private static final Token WBTC = new Token(Address.of("0x" + "33".repeat(20)), "WBTC", 8);

    @Test
    void theOraclePriceIsLoanUnitsPerCollateralUnitTimes1e36WithEachTokensDecimals() {
        // 2,650 USDC per WETH: 2650e6 / 1e18 x 1e36 = 2650e24.
        assertThat(ForkRehearsal.oracleScale(new BigDecimal("2650"), WETH, USDC))
                .isEqualTo(new BigInteger("2650").multiply(BigInteger.TEN.pow(24)));
        // 60,000.5 USDC per WBTC: 60000.5e6 / 1e8 x 1e36 = 600005e33.
        assertThat(ForkRehearsal.oracleScale(new BigDecimal("60000.5"), WBTC, USDC))
                .isEqualTo(new BigInteger("600005").multiply(BigInteger.TEN.pow(33)));
        // 0.0005 WETH per USDC (a reversed market): 0.0005e18 / 1e6 x 1e36 = 5e44.
        assertThat(ForkRehearsal.oracleScale(new BigDecimal("0.0005"), USDC, WETH))
                .isEqualTo(BigInteger.valueOf(5).multiply(BigInteger.TEN.pow(44)));
        for (Token[] pair : new Token[][] {{WETH, USDC}, {WBTC, USDC}, {USDC, WETH}}) {
            BigDecimal p = new BigDecimal("1234.5678");
            assertThat(ForkRehearsal.humanPrice(ForkRehearsal.oracleScale(p, pair[0], pair[1]), pair[0], pair[1]))
                    .isEqualByComparingTo(p);
        }
    }

    @Test
    void thePolicyFollowsTheMarketsLltvAndALowLltvIsRefused() {
        Policy p = ForkRehearsal.policyFor(8600);
        assertThat(p.triggerLtvBps()).isEqualTo(8000);
        assertThat(p.targetLtvBps()).isEqualTo(7000);
        assertThat(ForkRehearsal.policyFor(9450).triggerLtvBps()).isEqualTo(8850);
        assertThatThrownBy(() -> ForkRehearsal.policyFor(1500)).hasMessageContaining("too low");
    }

    @Test
    void aUrlIsShownWithoutItsPathQueryOrCredentials() {
        assertThat(ForkRehearsal.redact(URI.create("https://eth-mainnet.example.com/v2/abcdef123")))
                .isEqualTo("https://eth-mainnet.example.com/…");
        assertThat(ForkRehearsal.redact(URI.create("https://rpc.example.org/?apikey=s3cret")))
                .isEqualTo("https://rpc.example.org/…")
                .doesNotContain("s3cret");
        assertThat(ForkRehearsal.redact(URI.create("https://user:pw@node.example.net:8545")))
                .isEqualTo("https://node.example.net:8545/…")
                .doesNotContain("pw");
        assertThat(ForkRehearsal.redact(URI.create("http://127.0.0.1:8545"))).isEqualTo("http://127.0.0.1:8545");
    }
}
