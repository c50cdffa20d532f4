package io.unwind.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.local.LocalChain;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("chain")
class HeadTrackerTest {

    private static BlockRef block(long n, String hashDigit) {
        return new BlockRef(
                n,
                TxHash.of("0x" + hashDigit.repeat(64)),
                TxHash.of("0x" + "0".repeat(64)),
                Instant.ofEpochSecond(1_700_000_000L + n));
    }

    @Test
    void passesOnlyHeadsThatMoveTheChainForwardOrReorgTheTip() {
        List<BlockRef> seen = new CopyOnWriteArrayList<>();
        HeadTracker t = new HeadTracker(null, Optional.empty(), Duration.ofSeconds(1), seen::add, Clock.systemUTC());
        assertThat(t.offer(block(10, "a"))).isTrue();
        assertThat(t.offer(block(11, "b"))).isTrue();
        assertThat(t.offer(block(9, "c")))
                .as("an older block (lagging or lying node)")
                .isFalse();
        assertThat(t.offer(block(11, "b"))).as("the same head again").isFalse();
        assertThat(t.offer(block(11, "d")))
                .as("another block at the tip: a re-org")
                .isTrue();
        assertThat(t.offer(block(12, "e"))).isTrue();
        assertThat(seen).extracting(BlockRef::number).containsExactly(10L, 11L, 11L, 12L);
        assertThat(t.ignoredHeads()).isEqualTo(1);
        assertThat(t.lastHead()).contains(block(12, "e"));
    }

    @Test
    void followsANodeOverWebSocketAndPolling() throws Exception {
        try (LocalChain chain = LocalChain.start();
                Web3jChainClient client = Web3jChainClient.single(chain.chainId(), chain.httpUrl())) {
            List<BlockRef> seen = new CopyOnWriteArrayList<>();
            try (HeadTracker t = new HeadTracker(
                    client, Optional.of(chain.wsUrl()), Duration.ofMillis(200), seen::add, Clock.systemUTC())) {
                t.start();
                chain.mine(3);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (t.lastHead().map(BlockRef::number).orElse(-1L) < 3 && System.nanoTime() < deadline)
                    Thread.sleep(20);
                assertThat(t.lastHead()).map(BlockRef::number).contains(3L);
                assertThat(t.subscribed()).isTrue();
                assertThat(seen).extracting(BlockRef::number).isSorted();
            }
        }
    }
}
