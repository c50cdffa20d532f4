package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.FeeHistoryData;
import io.unwind.domain.fee.FeeHistory;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class FeeHistoriesTest {
    private static BigInteger g(long gwei) {
        return BigInteger.valueOf(gwei).multiply(BigInteger.TEN.pow(9));
    }

    @Test
    void theLastBaseFeeIsTheNextBlocksAndRewardsFollowThePercentiles() {
        FeeHistoryData d = new FeeHistoryData(
                10, List.of(g(10), g(12), g(11)), List.of(0.5, 0.9), List.of(List.of(g(1), g(3)), List.of(g(2), g(4))));
        FeeHistory h = FeeHistories.toDomain(d, List.of(25, 90));
        assertThat(h.baseFees()).containsExactly(Wei.gwei(10), Wei.gwei(12));
        assertThat(h.nextBaseFee()).isEqualTo(Wei.gwei(11));
        assertThat(h.rewardsAt(25)).containsExactly(Wei.gwei(1), Wei.gwei(2));
        assertThat(h.rewardsAt(90)).containsExactly(Wei.gwei(3), Wei.gwei(4));
    }

    @Test
    void missingRewardsCountAsZeroTips() {
        FeeHistoryData d = new FeeHistoryData(0, List.of(g(1), g(1)), List.of(0.0), List.of());
        FeeHistory h = FeeHistories.toDomain(d, List.of(25, 90));
        assertThat(h.rewardsAt(90)).containsExactly(Wei.ZERO);
        assertThat(h.nextBaseFee()).isEqualTo(Wei.gwei(1));
    }
}
