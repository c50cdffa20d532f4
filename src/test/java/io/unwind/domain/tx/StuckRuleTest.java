package io.unwind.domain.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class StuckRuleTest {

    @Test
    void stuckOnceTheGivenNumberOfBlocksHavePassedSinceSending() {
        StuckRule rule = new StuckRule(3);
        assertThat(rule.isStuck(100, 100)).isFalse();
        assertThat(rule.isStuck(100, 102)).isFalse();
        assertThat(rule.isStuck(100, 103)).isTrue();
        assertThat(rule.blocksWaiting(100, 107)).isEqualTo(7);
    }

    @Test
    void aHeadBehindTheSendingBlockIsNotProgress() {
        // A lagging node can report a head below the one the attempt was sent at.
        StuckRule rule = new StuckRule(1);
        assertThat(rule.blocksWaiting(100, 95)).isZero();
        assertThat(rule.isStuck(100, 95)).isFalse();
    }

    @Test
    void needsAtLeastOneBlock() {
        assertThatThrownBy(() -> new StuckRule(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
