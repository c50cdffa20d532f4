package io.unwind.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class VenueBackoffTest {

    @Test
    void aVenueWhoseSalesRevertTwiceInARowIsLeftAloneForLongerWithEachRevertAndOnlyItself() {
        VenueBackoff b = new VenueBackoff();
        b.reverted("uniswap-v3-500", 100);
        // One revert is a race lost once: the next plan is a new sale from the new state.
        assertThat(b.open("uniswap-v3-500", 101)).isTrue();

        b.reverted("uniswap-v3-500", 101);
        assertThat(b.open("uniswap-v3-500", 102)).isFalse();
        assertThat(b.open("uniswap-v3-500", 103)).isTrue();
        assertThat(b.open("uniswap-v2", 102)).as("the other venues stay open").isTrue();

        b.reverted("uniswap-v3-500", 103);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(107);
        b.reverted("uniswap-v3-500", 107);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(115);
        for (int i = 0; i < 10; i++) b.reverted("uniswap-v3-500", 200);
        assertThat(b.until("uniswap-v3-500")).isEqualTo(200 + VenueBackoff.MAX_BLOCKS);
    }

    @Test
    void aSaleThatSucceedsClosesTheBreaker() {
        VenueBackoff b = new VenueBackoff();
        b.reverted("1inch", 10);
        b.reverted("1inch", 11);
        b.succeeded("1inch");
        assertThat(b.open("1inch", 12)).isTrue();
        b.reverted("1inch", 20);
        assertThat(b.open("1inch", 21)).as("counted from one again").isTrue();
    }
}
