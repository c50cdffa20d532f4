package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class UnitsTest {
    private static final Token USDC = new Token(Address.of("0x00000000000000000000000000000000000000aa"), "USDC", 6);

    @Test
    void percentagesBecomeBasisPointsExactly() {
        assertThat(Units.bps("80%", "--trigger")).isEqualTo(8000);
        assertThat(Units.bps(" 0.5% ", "--max-fee")).isEqualTo(50);
        assertThat(Units.bps("8000bps", "--trigger")).isEqualTo(8000);
        assertThat(Units.bps("12.34%", "--band")).isEqualTo(1234);
        assertThat(Units.bps("8_000bps", "--trigger")).isEqualTo(8000);
    }

    @Test
    void aPercentageWithoutAUnitIsRefusedWithBothReadings() {
        assertThatThrownBy(() -> Units.bps("0.8", "--trigger"))
                .isInstanceOf(ExitCodes.UserError.class)
                .hasMessage("--trigger: '0.8' has no unit: write 80% (if you meant the fraction 0.8) or 0.8%");
        assertThatThrownBy(() -> Units.bps("80", "--trigger"))
                .hasMessage("--trigger: '80' has no unit: write 80% (or 80bps if you meant basis points)");
        assertThatThrownBy(() -> Units.bps("1", "policy.yaml: maxSlippage"))
                .hasMessageStartingWith("policy.yaml: maxSlippage: '1' has no unit")
                .hasMessageContaining("100% (if you meant the fraction 1) or 1%");
        assertThatThrownBy(() -> Units.bps("1e2%", "--trigger")).hasMessageContaining("not a percentage");
        assertThatThrownBy(() -> Units.bps("0,8%", "--trigger")).hasMessageContaining("not a percentage");
    }

    @Test
    void percentagesThatAreNotBasisPointsAreRefusedWithTheOption() {
        assertThatThrownBy(() -> Units.bps("80.123%", "--trigger"))
                .hasMessageContaining("--trigger")
                .hasMessageContaining("finer than a basis point");
        assertThatThrownBy(() -> Units.bps("-1%", "--band")).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Units.bps("eighty", "--trigger")).hasMessageContaining("not a percentage");
    }

    @Test
    void amountsAreExactInBaseUnitsAndDecimalsAreTheTokens() {
        assertThat(Units.amount(USDC, "21_000.5", "AMOUNT").units()).isEqualTo(21_000_500_000L);
        assertThat(Units.amount(USDC, " 21000.5 ", "AMOUNT").units()).isEqualTo(21_000_500_000L);
        assertThat(Units.amount(USDC, "0.000001", "AMOUNT").units()).isEqualTo(1);
        assertThatThrownBy(() -> Units.amount(USDC, "0.0000001", "AMOUNT")).hasMessageContaining("USDC has 6 decimals");
        assertThatThrownBy(() -> Units.amount(USDC, "0", "AMOUNT")).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> Units.amount(USDC, "lots", "AMOUNT")).hasMessageContaining("not an amount of USDC");
        assertThat(Units.amount(USDC.amount(java.math.BigInteger.valueOf(21_000_500_000L))))
                .isEqualTo("21,000.5 USDC");
    }

    @Test
    void aCommaInAnAmountIsRefusedNotDropped() {
        assertThatThrownBy(() -> Units.amount(USDC, "0,5", "AMOUNT"))
                .isInstanceOf(ExitCodes.UserError.class)
                .hasMessageStartingWith("AMOUNT: '0,5': write 0.5; ',' is not a decimal separator here");
        assertThatThrownBy(() -> Units.amount(USDC, "21,000.5", "AMOUNT"))
                .hasMessageStartingWith("AMOUNT: '21,000.5': write 21_000.5;");
        assertThatThrownBy(() -> Units.amount(USDC, "1,000", "AMOUNT"))
                .hasMessageStartingWith("AMOUNT: '1,000': write 1.000 or 1_000;");
        for (String odd : new String[] {"1e3", "-5", "+5", "1.2.3", "5 USDC", "_5", "5_", "0x10", ".5"}) {
            assertThatThrownBy(() -> Units.amount(USDC, odd, "AMOUNT"))
                    .as(odd)
                    .hasMessageContaining("is not an amount of USDC");
        }
        assertThat(Units.amount(USDC.amount(java.math.BigInteger.valueOf(1_234_567)), 2))
                .isEqualTo("~1.23 USDC");
    }

    @Test
    void durationsReadAndPrintTheSameWay() {
        assertThat(Units.duration("10m", "--cooldown")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Units.duration("90", "--cooldown")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Units.duration(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThatThrownBy(() -> Units.duration("ten minutes", "--cooldown")).hasMessageContaining("not a duration");
    }
}
