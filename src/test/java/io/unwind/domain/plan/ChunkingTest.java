package io.unwind.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** "Halve up to four times": the chunking rule the keeper follows when pools are too shallow for the whole sale. */
@Tag("pure")
class ChunkingTest {
    private static final BigInteger TEN = BigInteger.valueOf(10_000);

    @Test
    void triesSmallerOnlyForLiquidityAndAtMostFourTimes() {
        assertThat(Chunking.trySmaller(true, 0, true)).isTrue();
        assertThat(Chunking.trySmaller(true, 3, true)).isTrue();
        assertThat(Chunking.trySmaller(true, Chunking.MAX_HALVINGS, true))
                .as("after four smaller tries")
                .isFalse();
        assertThat(Chunking.trySmaller(false, 0, true)).as("chunking off").isFalse();
        assertThat(Chunking.trySmaller(true, 0, false))
                .as("refused for something else than the floor")
                .isFalse();
    }

    @Test
    void firstChunkIsTheBestVenuesCapacityThenHalves() {
        assertThat(Chunking.nextCap(0, TEN, BigInteger.valueOf(3_000))).isEqualTo(BigInteger.valueOf(3_000));
        assertThat(Chunking.nextCap(0, TEN, BigInteger.ZERO))
                .as("no venue takes any")
                .isEqualTo(BigInteger.valueOf(5_000));
        assertThat(Chunking.nextCap(1, BigInteger.valueOf(3_000), BigInteger.valueOf(9_999)))
                .isEqualTo(BigInteger.valueOf(1_500));
        assertThat(Chunking.nextCap(2, BigInteger.valueOf(3), BigInteger.ZERO))
                .as("rounded down")
                .isEqualTo(BigInteger.ONE);
        assertThat(Chunking.probeCapacity(0)).isTrue();
        assertThat(Chunking.probeCapacity(1)).isFalse();
    }

    @Test
    void sequenceOfCapsForAnUnprobedVenueHalvesFourTimes() {
        BigInteger size = BigInteger.valueOf(1_600);
        int tries = 0;
        for (int halvings = 0; Chunking.trySmaller(true, halvings, true); halvings++) {
            size = Chunking.nextCap(halvings, size, BigInteger.ZERO);
            tries++;
        }
        assertThat(tries).isEqualTo(4);
        assertThat(size).isEqualTo(BigInteger.valueOf(100));
    }
}
