package io.unwind.chain.market;

import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.risk.BorrowerPosition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every borrower of some Morpho Blue markets, kept up to date block by block.
 *
 * <p>Borrowers are found in Morpho's position events ({@link MorphoEvents}), read with eth_getLogs in chunks of
 * {@code logRange} blocks from {@code startBlock}; after the first scan, each refresh reads only the logs since the
 * last one (and the last {@code reorgOverlap} blocks again, so a short re-org cannot hide a borrower). Positions are
 * read from Morpho's storage with {@code extSloads}, many per eth_call, pinned to the head: the touched borrowers'
 * only, with every market's borrow totals each refresh, since interest moves every debt. A borrower whose position is
 * empty drops out. A market added later is scanned from {@code startBlock} on its own first.
 *
 * <p>Debts are the stored borrow shares converted with the stored totals, rounded up as Morpho's {@code toAssetsUp}:
 * the interest accrued since the market's last interaction is not in them (Morpho adds it at the next one).
 *
 * <p>Not thread-safe: one refresher calls it.
 */
public final class MarketBorrowers {
    /**
     * @param startBlock the first block to look for events in (the Morpho deployment's block spares the early chain)
     * @param logRange blocks per eth_getLogs request
     * @param reorgOverlap blocks read again at each refresh
     * @param slotsPerCall storage slots per extSloads call
     */
    public record Settings(long startBlock, int logRange, int reorgOverlap, int slotsPerCall) {
        public Settings {
            if (startBlock < 0 || logRange < 1 || reorgOverlap < 0 || slotsPerCall < 2)
                throw new IllegalArgumentException("bad borrower scan settings: " + this);
        }

        public static Settings defaults() {
            return new Settings(0, 10_000, 8, 500);
        }
    }

    /** One market's positions at one block. */
    public record MarketPositions(
            String marketId, BlockRef block, MorphoStorage.BorrowTotals totals, List<BorrowerPosition> positions) {}

    /** What one refresh cost, for the logs and the docs. */
    public record Cost(int getLogs, int extSloads, int touched) {}

    private final ChainClient chain;
    private final Address morpho;
    private final Settings settings;
    private final Map<String, Map<Address, MorphoStorage.RawPosition>> markets = new LinkedHashMap<>();
    private final Map<String, MorphoStorage.BorrowTotals> totals = new HashMap<>();
    /** The last block scanned for every market in {@link #markets}; -1 before the first scan. */
    private long scannedTo = -1;
    /** Borrowers found in logs already scanned whose positions were not read yet (a refresh failed in between). */
    private final Map<String, Set<Address>> pending = new HashMap<>();
    /**
     * Blocks per eth_getLogs now: halved after a request fails (a provider that caps log ranges or result sizes answers
     * with an error, which counts against its endpoint's breaker: one a refresh at most), never more than the
     * configured range.
     */
    private int logRange;

    private Cost lastCost = new Cost(0, 0, 0);

    public MarketBorrowers(ChainClient chain, Address morpho, Settings settings) {
        this.chain = chain;
        this.morpho = morpho;
        this.settings = settings;
        this.logRange = settings.logRange();
    }

    /**
     * Brings {@code marketIds} up to {@code head} and returns their positions there. Markets no longer asked for are
     * forgotten.
     */
    public List<MarketPositions> refresh(Set<String> marketIds, BlockRef head) {
        Set<String> wanted = new HashSet<>();
        for (String m : marketIds) wanted.add(m.toLowerCase(Locale.ROOT));
        markets.keySet().retainAll(wanted);
        totals.keySet().retainAll(wanted);
        if (markets.isEmpty()) scannedTo = -1;
        pending.keySet().retainAll(wanted);
        int[] logCalls = {0};
        // Markets new to this reader: everything from the start block up to where the others are.
        Set<String> fresh = new HashSet<>(wanted);
        fresh.removeAll(markets.keySet());
        if (!fresh.isEmpty() && scannedTo >= settings.startBlock()) {
            Map<String, Set<Address>> found = new HashMap<>();
            scan(fresh, settings.startBlock(), Math.min(scannedTo, head.number()), found, logCalls, false);
            found.forEach(
                    (m, bs) -> pending.computeIfAbsent(m, k -> new HashSet<>()).addAll(bs));
        }
        for (String m : fresh) markets.put(m, new HashMap<>());
        long from = scannedTo < 0
                ? settings.startBlock()
                : Math.max(settings.startBlock(), Math.min(scannedTo, head.number()) - settings.reorgOverlap() + 1);
        // Progress is kept chunk by chunk: a long first scan that fails goes on where it stopped.
        scan(markets.keySet(), from, head.number(), pending, logCalls, true);
        Map<String, Set<Address>> touched = pending;

        // One slot list across the markets: each market's borrow totals, then the touched positions.
        List<byte[]> slots = new ArrayList<>();
        List<Runnable> apply = new ArrayList<>();
        List<byte[]> words = new ArrayList<>();
        for (String m : markets.keySet()) {
            int at = slots.size();
            slots.add(MorphoStorage.totalBorrowSlot(m));
            apply.add(() -> totals.put(m, MorphoStorage.totals(words.get(at))));
            for (Address b : touched.getOrDefault(m, Set.of())) {
                int i = slots.size();
                slots.add(MorphoStorage.positionSlot(m, b));
                apply.add(() -> {
                    var p = MorphoStorage.position(words.get(i));
                    if (p.isEmpty()) markets.get(m).remove(b);
                    else markets.get(m).put(b, p);
                });
            }
        }
        int calls = 0;
        for (int i = 0; i < slots.size(); i += settings.slotsPerCall()) {
            words.addAll(MorphoStorage.extSloads(
                    chain, morpho, slots.subList(i, Math.min(slots.size(), i + settings.slotsPerCall())), head.hash()));
            calls++;
        }
        apply.forEach(Runnable::run);
        lastCost = new Cost(
                logCalls[0],
                calls,
                touched.values().stream().mapToInt(Set::size).sum());
        pending.clear();

        List<MarketPositions> out = new ArrayList<>();
        for (var e : markets.entrySet()) {
            var t = totals.get(e.getKey());
            List<BorrowerPosition> ps = new ArrayList<>();
            for (var p : e.getValue().entrySet()) {
                ps.add(new BorrowerPosition(
                        p.getKey(),
                        p.getValue().collateral(),
                        t.toAssetsUp(p.getValue().borrowShares())));
            }
            out.add(new MarketPositions(e.getKey(), head, t, List.copyOf(ps)));
        }
        return out;
    }

    /** What the last refresh cost in requests. */
    public Cost lastCost() {
        return lastCost;
    }

    private void scan(
            Set<String> of,
            long from,
            long to,
            Map<String, Set<Address>> touched,
            int[] calls,
            boolean advancesCursor) {
        if (of.isEmpty() || from > to) return;
        long a = from;
        while (a <= to) {
            long b = Math.min(to, a + logRange - 1);
            List<Receipt.LogEntry> logs;
            try {
                calls[0]++;
                logs = chain.logs(List.of(morpho), MorphoEvents.TOPIC0S, a, b);
            } catch (RuntimeException e) {
                logRange = Math.max(1, logRange / 2);
                throw e;
            }
            for (var log : logs) {
                if (!log.address().equals(morpho)) continue;
                var m = MorphoEvents.market(log);
                if (m.isEmpty() || !of.contains(m.get())) continue;
                MorphoEvents.borrower(log)
                        .ifPresent(who -> touched.computeIfAbsent(m.get(), k -> new HashSet<>())
                                .add(who));
            }
            if (advancesCursor) scannedTo = b;
            a = b + 1;
        }
    }

    /** Blocks per eth_getLogs request now (the configured range, halved after each failed request). */
    public int logRange() {
        return logRange;
    }

    /** How many borrowers each market has now. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> out = new LinkedHashMap<>();
        markets.forEach((m, ps) -> out.put(m, ps.size()));
        return out;
    }
}
