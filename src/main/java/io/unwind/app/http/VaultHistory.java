package io.unwind.app.http;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxKind;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the status page shows, kept in memory from the engine's events: each vault's latest health and what the last
 * tick did about it, its LTV block by block (the last {@code points} blocks), and the keeper's recent actions. Bounded:
 * at most {@code maxVaults} vaults are tracked (the first seen), so a factory with thousands of vaults cannot grow it
 * without limit. Lost on restart; the journal and the chain are the record.
 */
public final class VaultHistory implements KeeperEvents {
    /** One block of one vault: LTV and the policy's lines at that block, as fractions (0.8 = 80%). */
    public record Point(long block, long time, double ltv, double trigger, double target) {}

    /** A keeper action as the engine reported it when it was sent. */
    public record Action(long block, Address vault, TxKind kind, String route, Optional<TxHash> tx, Instant at) {}

    /** A vault's latest state. */
    public record Vault(
            VaultHealth health, long block, Instant time, String outcome, String detail, List<Point> points) {}

    private final int maxVaults;
    private final int points;
    private final int maxActions;
    private final Map<Address, Track> vaults = new ConcurrentHashMap<>();
    private final Deque<Action> actions = new ArrayDeque<>();
    private volatile BlockRef head;

    private static final class Track {
        VaultHealth health;
        long block;
        Instant time;
        String outcome = "";
        String detail = "";
        final Deque<Point> points = new ArrayDeque<>();
    }

    public VaultHistory(int maxVaults, int points, int maxActions) {
        this.maxVaults = maxVaults;
        this.points = points;
        this.maxActions = maxActions;
    }

    @Override
    public void observed(VaultHealth h, BlockRef block) {
        Track t = vaults.get(h.vault());
        if (t == null) {
            if (vaults.size() >= maxVaults) return;
            t = vaults.computeIfAbsent(h.vault(), a -> new Track());
        }
        synchronized (t) {
            t.health = h;
            t.block = block.number();
            t.time = block.timestamp();
            if (!h.priceKnown()) return;
            Point p = new Point(
                    block.number(),
                    block.timestamp().getEpochSecond(),
                    fraction(h.ltv()),
                    h.policy().trigger().fraction(),
                    h.policy().target().fraction());
            if (!t.points.isEmpty() && t.points.peekLast().block() >= block.number())
                t.points.pollLast(); // a re-tick or a re-org
            t.points.addLast(p);
            while (t.points.size() > points) t.points.pollFirst();
        }
    }

    @Override
    public void submitted(VaultHealth h, BlockRef block, TxKind kind, String route, Optional<TxHash> tx) {
        synchronized (actions) {
            actions.addFirst(new Action(block.number(), h.vault(), kind, route, tx, block.timestamp()));
            while (actions.size() > maxActions) actions.pollLast();
        }
    }

    @Override
    public void ticked(TickResult r) {
        head = r.block();
        for (VaultOutcome o : r.outcomes()) {
            Track t = vaults.get(o.vault());
            if (t == null) continue;
            synchronized (t) {
                t.outcome = o.kind().describe();
                t.detail = o.detail();
            }
        }
    }

    public Optional<BlockRef> head() {
        return Optional.ofNullable(head);
    }

    /** Every tracked vault with a copy of its history. */
    public List<Vault> vaults() {
        List<Vault> out = new ArrayList<>();
        for (Track t : vaults.values()) {
            synchronized (t) {
                if (t.health != null)
                    out.add(new Vault(t.health, t.block, t.time, t.outcome, t.detail, List.copyOf(t.points)));
            }
        }
        return out;
    }

    public List<Action> actions() {
        synchronized (actions) {
            return List.copyOf(actions);
        }
    }

    static double fraction(BigInteger wad) {
        return Ltv.fractionAsDouble(wad);
    }
}
