package io.unwind.domain.position;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.Wei;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The two questions every reader of a vault asks, answered once: over its trigger? how far from liquidation? */
@Tag("pure")
class VaultHealthTest {
    private static final Token LOAN = new Token(Address.of("0x00000000000000000000000000000000000000a1"), "USDC", 6);
    private static final Token COLL = new Token(Address.of("0x00000000000000000000000000000000000000b2"), "WETH", 18);
    private static final Policy POLICY = new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.ZERO);
    private static final Policy UNSET = new Policy(0, 0, 0, 0, 0, 0, Duration.ZERO, Wei.ZERO);

    private static VaultHealth vault(long debt, long price, BigInteger ltv, Policy p) {
        return new VaultHealth(
                Address.of("0x00000000000000000000000000000000000000c3"),
                Address.of("0x00000000000000000000000000000000000000d4"),
                "m",
                LOAN,
                COLL,
                BigInteger.TEN,
                BigInteger.ONE,
                BigInteger.valueOf(debt),
                BigInteger.valueOf(price),
                ltv,
                wad(8600),
                p,
                BigInteger.ZERO,
                Instant.EPOCH,
                false,
                true);
    }

    private static BigInteger wad(int bps) {
        return Ltv.bpsToWad(bps);
    }

    @Test
    void overTriggerNeedsPriceDebtAndPolicy() {
        assertThat(vault(1, 1, wad(8000), POLICY).overTrigger()).isTrue();
        assertThat(vault(1, 1, wad(7999), POLICY).overTrigger()).isFalse();
        assertThat(vault(0, 1, wad(8000), POLICY).overTrigger()).as("no debt").isFalse();
        assertThat(vault(1, 0, wad(8000), POLICY).overTrigger()).as("no price").isFalse();
        assertThat(vault(1, 1, wad(8000), UNSET).overTrigger()).as("no policy").isFalse();
        assertThat(vault(1, 1, Ltv.UINT256_MAX, POLICY).overTrigger())
                .as("worthless collateral")
                .isTrue();
        assertThat(vault(1, 1, wad(7500), UNSET)
                        .overTrigger(new Policy(7500, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.ZERO)))
                .as("against a policy about to be set")
                .isTrue();
    }

    @Test
    void distanceToLiquidationIsHeldToZeroAndOne() {
        assertThat(vault(1, 1, wad(4300), POLICY).liquidationDistance())
                .hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo("0.5"));
        assertThat(vault(1, 1, wad(8600), POLICY).liquidationDistance()).hasValue(BigDecimal.ZERO);
        assertThat(vault(1, 1, wad(9000), POLICY).liquidationDistance())
                .as("past the LLTV")
                .hasValue(BigDecimal.ZERO);
        assertThat(vault(1, 1, Ltv.UINT256_MAX, POLICY).liquidationDistance()).hasValue(BigDecimal.ZERO);
        assertThat(vault(0, 1, BigInteger.ZERO, POLICY).liquidationDistance())
                .as("no debt")
                .hasValue(BigDecimal.ONE);
        assertThat(vault(1, 0, wad(4300), POLICY).liquidationDistance())
                .as("no price")
                .isEmpty();
        assertThat(vault(1, 1, wad(8600), POLICY).liquidatable()).isTrue();
        assertThat(vault(0, 1, BigInteger.ZERO, POLICY).liquidatable()).isFalse();
    }

    @Test
    void wadsReadAsPercentagesOneWay() {
        assertThat(Ltv.percent(wad(8123))).isEqualTo("81.23%");
        assertThat(Ltv.percent(new BigDecimal("0.123456"), java.math.RoundingMode.DOWN))
                .isEqualTo("12.34%");
        assertThat(Ltv.fractionAsDouble(Ltv.UINT256_MAX)).isInfinite();
        assertThat(io.unwind.domain.money.Bps.of(50).percent()).isEqualTo("0.5%");
        assertThat(io.unwind.domain.money.Bps.of(8000).toWad()).isEqualTo(wad(8000));
    }
}
