package io.unwind.domain.money;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** How amounts and LTVs read for people: rounded to a few significant digits, never in exponent form, never "inf". */
@Tag("pure")
class TokenAmountTest {
    private static final Token WETH = new Token(Address.of("0x" + "1".repeat(40)), "WETH", 18);
    private static final Token USDC = new Token(Address.of("0x" + "2".repeat(40)), "USDC", 6);

    @Test
    void anAmountIsShownWithSixSignificantDigitsButEveryWholeUnit() {
        assertThat(WETH.amount(new BigInteger("3475891234567891234")).display()).isEqualTo("3.47589 WETH");
        assertThat(WETH.amount(new BigInteger("4556204571346458152")).display()).isEqualTo("4.5562 WETH");
        assertThat(USDC.amount(new BigInteger("9642041234")).display()).isEqualTo("9642.04 USDC");
        assertThat(USDC.amount(new BigInteger("12211226641")).display()).isEqualTo("12211.2 USDC");
        assertThat(USDC.amount(new BigInteger("1250000123456")).display())
                .as("whole units are never rounded away")
                .isEqualTo("1250000 USDC");
        assertThat(WETH.amount(new BigInteger("12345678901")).display())
                .as("small amounts keep their digits")
                .isEqualTo("0.0000000123457 WETH");
        assertThat(USDC.amount(new BigInteger("1500000")).display()).isEqualTo("1.5 USDC");
        assertThat(USDC.amount(BigInteger.ZERO).display()).isEqualTo("0 USDC");
        assertThat(USDC.amount(new BigInteger("1")).display()).isEqualTo("0.000001 USDC");
        // The exact value is still what toString gives (journals, JSON and parsing rely on it).
        assertThat(WETH.amount(new BigInteger("3475891234567891234")).toString())
                .isEqualTo("3.475891234567891234 WETH");
    }

    @Test
    void anLtvAgainstWorthlessCollateralIsSaidInWords() {
        assertThat(Ltv.percent(Ltv.UINT256_MAX)).isEqualTo("no collateral value");
        assertThat(Ltv.percent(Ltv.bpsToWad(8030))).isEqualTo("80.30%");
    }
}
