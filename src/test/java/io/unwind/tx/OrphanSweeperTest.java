package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.chain.SendResult;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxState;
import io.unwind.store.KeeperNodes;
import io.unwind.store.TxRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cluster node dies with transactions in flight; a live node settles them from the chain: one that got out and was
 * mined is recorded as mined (even when its node died before recording the broadcast), one that never got out is given
 * up so that its vault can be acted on again, and a live sender's transactions are left alone.
 */
@Tag("chain")
class OrphanSweeperTest {
    private static final Wei VALUE = Wei.of(1_000_000_000_000_000L);
    private static final Address SURVIVOR = Address.of("0x976ea74026e726554db657fa54763abd0c3a0aa9");

    @Test
    void aDeadNodesTransactionsAreSettledFromTheChain() {
        try (TxHarness h = TxHarness.automine()) {
            KeeperNodes nodes = new KeeperNodes(h.db.dataSource(), Clock.systemUTC());
            OrphanSweeper sweeper = new OrphanSweeper(h.chain, h.journal, nodes, SURVIVOR, Duration.ofSeconds(10), 10);
            nodes.heartbeat("dying", TxHarness.CHAIN_ID, h.keeper(), Optional.empty());

            // 1. Broadcast and mined, and then the power goes before the node can record that it was sent.
            TxManager sentThenDied = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            h.chain.broadcast(signed);
                            throw new IllegalStateException("power cut");
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            assertThatThrownBy(() -> sentThenDied.submit(TxHarness.transfer(
                            "got-out", TxHarness.vault(1), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .hasMessageContaining("power cut");
            TxRecord gotOut = h.journal.findByKey("got-out").orElseThrow();
            assertThat(gotOut.state()).isEqualTo(TxState.IN_PROGRESS);
            TxHarness.await("the transfer to be mined", () -> h.minedNonce() == 1);

            // While the node still counts as alive, its transactions are its own.
            assertThat(sweeper.sweep(h.head())).isEmpty();
            assertThat(h.journal.find(gotOut.id()).orElseThrow().state()).isEqualTo(TxState.IN_PROGRESS);

            // It stops checking in; a minute later it is dead to the others.
            new KeeperNodes(h.db.dataSource(), Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC))
                    .heartbeat("dying", TxHarness.CHAIN_ID, h.keeper(), Optional.empty());
            assertThat(sweeper.sweep(h.head())).containsExactly("#" + gotOut.id() + " mined");
            TxRecord settled = h.journal.find(gotOut.id()).orElseThrow();
            assertThat(settled.state()).isEqualTo(TxState.CONFIRMED);
            assertThat(h.journal.inFlightForVault(TxHarness.CHAIN_ID, TxHarness.vault(1)))
                    .isEmpty();

            // 2. Signed and journaled, and the power goes before anything reaches a node.
            TxManager diedBeforeSending = h.manager(
                    new ForwardingChainClient(h.chain) {
                        @Override
                        public List<SendResult> broadcast(byte[] signed) {
                            throw new IllegalStateException("power cut");
                        }
                    },
                    ReorgHook.ALWAYS_REBROADCAST);
            assertThatThrownBy(() -> diedBeforeSending.submit(TxHarness.transfer(
                            "stuck", TxHarness.vault(2), h.newRecipient(), VALUE, TxHarness.gwei("10", "1"))))
                    .hasMessageContaining("power cut");
            TxRecord stuck = h.journal.findByKey("stuck").orElseThrow();
            assertThat(h.journal.inFlightForVault(TxHarness.CHAIN_ID, TxHarness.vault(2)))
                    .isPresent();
            assertThat(sweeper.sweep(h.head())).containsExactly("#" + stuck.id() + " abandoned");
            TxRecord givenUp = h.journal.find(stuck.id()).orElseThrow();
            assertThat(givenUp.state()).isEqualTo(TxState.FATAL_ERROR);
            assertThat(h.journal.inFlightForVault(TxHarness.CHAIN_ID, TxHarness.vault(2)))
                    .as("the vault is free again")
                    .isEmpty();
            assertThat(h.minedNonce()).as("nothing more reached the chain").isEqualTo(1);
        }
    }
}
