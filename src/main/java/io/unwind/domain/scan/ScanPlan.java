package io.unwind.domain.scan;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which vaults a tick reads from chain, when the operator lets far-from-trigger vaults be read less often.
 *
 * <p>A vault's LTV moves with its market's oracle price (exactly: LTV is debt over collateral times price), and
 * otherwise only by interest, which is slow, and by its owner's or a keeper's own transactions. So each tick reads, in
 * a first lens call: every vault never read, every vault last read {@code fullEvery} or more blocks ago (staggered so
 * that the whole fleet is not due at once), every vault whose last LTV is within {@code marginBps} of its trigger, and
 * one vault per market of the rest (so that the market's current price is known). From those prices, a second call
 * reads any other vault whose LTV at the current price would be within the margin. A vault left out is one whose LTV,
 * re-priced to this block's oracle price, is still at least the margin below its trigger; its health is carried over,
 * re-priced. With {@code fullEvery = 1} every vault is read every block.
 */
public final class ScanPlan {
    private record Seen(long block, VaultHealth health) {}

    private final int fullEvery;
    private final BigInteger margin;
    private final Map<Address, Seen> seen = new ConcurrentHashMap<>();

    public ScanPlan(int fullEvery, int marginBps) {
        if (fullEvery < 1) throw new IllegalArgumentException("fullEvery must be at least 1 block");
        if (marginBps < 0 || marginBps > 10_000) throw new IllegalArgumentException("marginBps in [0, 10000]");
        this.fullEvery = fullEvery;
        this.margin = Ltv.bpsToWad(marginBps);
    }

    public boolean everyVaultEveryBlock() {
        return fullEvery == 1;
    }

    /** The vaults to read first at {@code block}: never read, due, near their trigger, or one per market. */
    public List<Address> first(List<Address> all, long block) {
        if (fullEvery == 1) return all;
        List<Address> out = new ArrayList<>();
        Map<String, Address> sentinel = new HashMap<>();
        Set<String> marketsRead = new HashSet<>();
        for (Address v : all) {
            Seen s = seen.get(v);
            if (s == null || due(v, s, block) || !far(s.health(), s.health().ltv())) {
                out.add(v);
                if (s != null) marketsRead.add(s.health().marketId());
                continue;
            }
            // The rest wait; the one nearest its trigger stands for its market.
            sentinel.merge(
                    s.health().marketId(),
                    v,
                    (a, b) -> headroom(seen.get(a).health())
                                            .compareTo(headroom(seen.get(b).health()))
                                    <= 0
                            ? a
                            : b);
        }
        sentinel.forEach((market, v) -> {
            if (!marketsRead.contains(market)) out.add(v);
        });
        return out;
    }

    /**
     * The vaults not read first whose LTV at the market's current price would be within the margin of their trigger (or
     * whose market's price is unknown this block): they are read too.
     */
    public List<Address> second(List<Address> all, Collection<Address> read, Map<String, BigInteger> prices) {
        if (fullEvery == 1) return List.of();
        Set<Address> done = new HashSet<>(read);
        List<Address> out = new ArrayList<>();
        for (Address v : all) {
            if (done.contains(v)) continue;
            Seen s = seen.get(v);
            BigInteger price = s == null ? null : prices.get(s.health().marketId());
            if (s == null || price == null || price.signum() <= 0 || !far(s.health(), repricedLtv(s.health(), price)))
                out.add(v);
        }
        return out;
    }

    /** A vault not read at this block, its last health re-priced to the market's current price. */
    public Optional<VaultHealth> carried(Address v, Map<String, BigInteger> prices) {
        Seen s = seen.get(v);
        if (s == null) return Optional.empty();
        VaultHealth h = s.health();
        BigInteger price = prices.get(h.marketId());
        if (price == null || price.signum() <= 0) return Optional.empty();
        return Optional.of(h.repriced(price, repricedLtv(h, price)));
    }

    public void record(VaultHealth h, long block) {
        if (fullEvery > 1) seen.put(h.vault(), new Seen(block, h));
    }

    /** Forgets a vault: the next tick reads it (after an error, or when it acted). */
    public void forget(Address v) {
        seen.remove(v);
    }

    private boolean due(Address v, Seen s, long block) {
        long age = block - s.block();
        // Staggered: each vault is due on its own residue of the block number, and at the latest fullEvery blocks on.
        return age >= fullEvery || (age > 0 && Math.floorMod(block + v.hashCode(), fullEvery) == 0);
    }

    /** Whether a vault may wait: it acts on nothing but its LTV, which is at least the margin below its trigger. */
    private boolean far(VaultHealth h, BigInteger ltv) {
        if (!h.priceKnown()) return false;
        if (!h.policy().isSet() || h.paused() || !h.keeperAllowed())
            return true; // nothing to act on until it is re-read
        return ltv.add(margin).compareTo(h.triggerLtv()) < 0;
    }

    private static BigInteger headroom(VaultHealth h) {
        return h.policy().isSet() ? h.triggerLtv().subtract(h.ltv()) : BigInteger.ZERO;
    }

    /**
     * LTV is debt / (collateral x price): at a new price it scales by old / new, rounded up as the contract rounds
     * against the owner.
     */
    static BigInteger repricedLtv(VaultHealth h, BigInteger price) {
        if (h.ltv().signum() == 0) return BigInteger.ZERO;
        BigInteger[] qr = h.ltv().multiply(h.price()).divideAndRemainder(price);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
