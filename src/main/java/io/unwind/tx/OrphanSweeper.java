package io.unwind.tx;

import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Journal;
import io.unwind.store.KeeperNodes;
import io.unwind.store.TxRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster, settles what a stopped node left in flight. Only the node that signed a transaction can replace it, so
 * when that node is gone its unsettled transactions would block their vaults forever: a live node settles them from the
 * chain instead — mined: recorded as confirmed with the receipt (also when the node died between broadcasting and
 * recording it); never broadcast, or not mined {@code abandonAfterBlocks} blocks after the node was last seen: given
 * up, so the vault can be acted on again. A late inclusion of a given-up transaction cannot harm the vault: the
 * contract refuses any action while the position is under its trigger.
 */
public final class OrphanSweeper {
    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

    private final ChainClient chain;
    private final Journal journal;
    private final KeeperNodes nodes;
    private final Address me;
    private final Duration deadAfter;
    private final int abandonAfterBlocks;

    public OrphanSweeper(
            ChainClient chain,
            Journal journal,
            KeeperNodes nodes,
            Address me,
            Duration deadAfter,
            int abandonAfterBlocks) {
        this.chain = chain;
        this.journal = journal;
        this.nodes = nodes;
        this.me = me;
        this.deadAfter = deadAfter;
        this.abandonAfterBlocks = abandonAfterBlocks;
    }

    /** What was settled at this head: (tx id, what happened). */
    public List<String> sweep(BlockRef head) {
        List<String> done = new ArrayList<>();
        for (TxRecord t : journal.inFlight(chain.chainId())) {
            if (t.from().equals(me) || nodes.senderAlive(chain.chainId(), t.from(), deadAfter)) continue;
            try {
                settle(t, head).ifPresent(done::add);
            } catch (RuntimeException e) {
                log.debug("cannot settle tx #{} of stopped sender {}: {}", t.id(), t.from(), e.getMessage());
            }
        }
        return done;
    }

    private Optional<String> settle(TxRecord t, BlockRef head) {
        List<AttemptRecord> attempts = journal.attempts(t.id());
        for (AttemptRecord a : attempts) {
            Optional<Receipt> r = chain.receipt(a.hash());
            if (r.isPresent() && (t.state() == TxState.UNCONFIRMED || t.state() == TxState.IN_PROGRESS)) {
                Receipt rc = r.get();
                // Signed, broadcast and mined, but its node died before it could record the broadcast: it did get out.
                if (t.state() == TxState.IN_PROGRESS) journal.markSent(t.id());
                journal.markMined(
                        t.id(),
                        a.id(),
                        rc.blockNumber(),
                        rc.blockHash(),
                        rc.success(),
                        rc.gasUsed().longValueExact(),
                        Wei.of(rc.effectiveGasPrice()));
                log.info(
                        "tx #{} of stopped sender {} was mined in block {}: settled",
                        t.id(),
                        t.from(),
                        rc.blockNumber());
                return Optional.of("#" + t.id() + " mined");
            }
        }
        long sentAt = attempts.stream()
                .map(AttemptRecord::lastSentBlock)
                .filter(java.util.OptionalLong::isPresent)
                .mapToLong(java.util.OptionalLong::getAsLong)
                .max()
                .orElse(-1);
        boolean neverSent = sentAt < 0;
        if (neverSent || head.number() - sentAt >= abandonAfterBlocks) {
            journal.markAbandoned(
                    t.id(),
                    "its node (sender " + t.from() + ") stopped and it was "
                            + (neverSent
                                    ? "never broadcast"
                                    : "not mined " + (head.number() - sentAt) + " blocks after it was sent")
                            + "; given up at block " + head.number());
            log.warn("tx #{} of stopped sender {} given up at block {}", t.id(), t.from(), head.number());
            return Optional.of("#" + t.id() + " abandoned");
        }
        return Optional.empty();
    }
}
