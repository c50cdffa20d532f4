package io.unwind.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class VenueBackoffTest {

    @Test
    void aVenueWhoseSaleRevertedIsLeftAloneForLongerWithEachRevertInARowAndOnlyItself() {
        VenueBackoff b = new VenueBackoff();
        b.reverted("uniswap-v3-500", 100);

        assertThat(b.open("uniswap-v3-500", 101)).isFalse();
        assertThat(b.open("uniswap-v3-500", 102)).isTrue();
        assertThat(b.open("uniswap-v2", 101)).as("the other venues stay open").isTrue();

        b.reverted("uniswap-v3-500", 102);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(106);
        b.reverted("uniswap-v3-500", 106);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(114);
        for (int i = 0; i < 10; i++) b.reverted("uniswap-v3-500", 200);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(200 + VenueBackoff.MAX_BLOCKS);
    }

    @Test
    void aSaleThatSucceedsClosesTheBreaker() {
        VenueBackoff b = new VenueBackoff();
        b.reverted("1inch", 10);
        b.reverted("1inch", 12);
        b.succeeded("1inch");
        assertThat(b.open("1inch", 12)).isTrue();
        b.reverted("1inch", 20);
        assertThat(b.until("1inch")).as("counted from one again").isEqualTo(22);
    }
}
