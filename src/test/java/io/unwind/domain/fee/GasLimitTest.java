package io.unwind.domain.fee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One gas-limit rule with each sender's margin, and one reading of eth_feeHistory. */
@Tag("pure")
class GasLimitTest {
    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    @Test
    void marginRoundsUpThenAddsHeadroom() {
        assertThat(GasLimit.KEEPER_ACTION.forEstimate(big(200_000))).isEqualTo(big(275_000));
        assertThat(GasLimit.KEEPER_ACTION.forEstimate(big(200_001))).isEqualTo(big(275_002)); // 250,001.25 up
        assertThat(GasLimit.OWNER_TRANSACTION.forEstimate(big(100_000))).isEqualTo(big(130_000));
        assertThat(GasLimit.ofPermille(1100).forEstimate(big(21_001))).isEqualTo(big(23_102)); // 23,101.1 up
        assertThat(GasLimit.ofPermille(1000).forEstimate(big(21_000))).isEqualTo(big(21_000));
        assertThatThrownBy(() -> GasLimit.ofPermille(999)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void feeHistoryFromTheNodeTakesTheLastBaseFeeAsNextAndMissingTipsAsZero() {
        FeeHistory h = FeeHistory.fromNode(
                List.of(big(10), big(11), big(12)), List.of(List.of(big(1), big(2))), List.of(25, 90));
        assertThat(h.baseFees()).containsExactly(Wei.of(10L), Wei.of(11L));
        assertThat(h.nextBaseFee()).isEqualTo(Wei.of(12L));
        assertThat(h.rewardsAt(90)).containsExactly(Wei.of(2L), Wei.ZERO);
        FeeHistory empty = FeeHistory.fromNode(List.of(big(7), big(8)), List.of(), List.of(50));
        assertThat(empty.rewardsAt(50)).containsExactly(Wei.ZERO);
        assertThatThrownBy(() -> FeeHistory.fromNode(List.of(), List.of(), List.of(50)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
