package io.unwind.domain.fee;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
@net.jqwik.api.Tag("pure")
class GasCostTest {
    static final BigInteger E18 = BigInteger.TEN.pow(18);

    @Test
    void exactCostInUsdc() {
        // 300,000 gas at 10 gwei with ETH at 3,000 USDC: 0.003 ETH = 9 USDC.
        assertThat(GasCost.inLoanUnits(300_000, Wei.gwei(10), BigInteger.valueOf(3_000_000_000L)))
                .isEqualTo(BigInteger.valueOf(9_000_000));
    }

    @Test
    void aFractionOfABaseUnitCostsAWholeOne() {
        assertThat(GasCost.inLoanUnits(1, Wei.of(1), BigInteger.ONE)).isEqualTo(BigInteger.ONE);
        assertThat(GasCost.inLoanUnits(0, Wei.gwei(10), BigInteger.TEN)).isZero();
    }

    @Test
    void inAnEighteenDecimalLoanToken() {
        // 21,000 gas at 1.5 gwei with ETH at 2,500 DAI: 0.0000315 ETH = 0.07875 DAI.
        assertThat(GasCost.inLoanUnits(21_000, Wei.parseGwei("1.5"), new BigInteger("2500").multiply(E18)))
                .isEqualTo(new BigInteger("78750000000000000"));
    }

    @Property(tries = 2000)
    void costsRoundUpNeverDown(
            @ForAll @LongRange(min = 0, max = 30_000_000) long gas,
            @ForAll @BigRange(min = "0", max = "10000000000000") BigInteger feePerGas,
            @ForAll @BigRange(min = "0", max = "100000000000000000000000") BigInteger nativePrice) {
        BigInteger cost = GasCost.inLoanUnits(gas, Wei.of(feePerGas), nativePrice);
        BigInteger exactTimes1e18 = BigInteger.valueOf(gas).multiply(feePerGas).multiply(nativePrice);
        assertThat(cost.multiply(E18)).isGreaterThanOrEqualTo(exactTimes1e18);
        assertThat(cost.subtract(BigInteger.ONE).multiply(E18)).isLessThan(exactTimes1e18.max(BigInteger.ONE));
    }
}
