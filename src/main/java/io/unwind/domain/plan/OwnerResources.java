package io.unwind.domain.plan;

import io.unwind.domain.chain.Address;
import io.unwind.domain.portfolio.PortfolioLinks;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Shares one block's owner resources among the owner's vaults that must act, most urgent first: the collateral the
 * owner's other vaults can spare (moves), and each shared reserve's balance (top-ups beyond a vault's own reserve).
 * Several vaults of one owner crossing in one block would otherwise each count on the same spare collateral and the
 * same reserve balance, and all but the first would revert; served in the order given (the keeper's: closest to
 * liquidation first), the vault nearest liquidation is the one that gets them when they run short.
 *
 * <p>A vault gets a move source only when the source can give all the collateral it needs to reach its target (then it
 * gets no share of a reserve: the planner takes the move, the cheapest action); otherwise it gets at most what its
 * top-up to the target lacks beyond its own reserve, fee included, of what its shared reserve would give it and what is
 * left of that reserve's balance.
 */
public final class OwnerResources {
    private OwnerResources() {}

    /**
     * One block's shares.
     *
     * @param moves for a vault, the source to move collateral from (its spare reduced by what earlier vaults took)
     * @param sharedGrants for a vault, what it may draw from its shared reserve on top of its own reserve
     * @param notes one line per share given, for the log
     */
    public record Allocation(
            Map<Address, MoveSource> moves, Map<Address, BigInteger> sharedGrants, List<String> notes) {
        public static final Allocation NONE = new Allocation(Map.of(), Map.of(), List.of());

        public Optional<MoveSource> moveFor(Address vault) {
            return Optional.ofNullable(moves.get(vault));
        }

        public BigInteger grantFor(Address vault) {
            return sharedGrants.getOrDefault(vault, BigInteger.ZERO);
        }

        /** The same shares without {@code vault}'s move (its move would revert). */
        public Allocation withoutMove(Address vault) {
            Map<Address, MoveSource> left = new HashMap<>(moves);
            left.remove(vault);
            return new Allocation(Map.copyOf(left), sharedGrants, notes);
        }
    }

    /**
     * @param acting the vaults that must act this block, most urgent first
     * @param all every vault read this block (sources are among them)
     * @param links each vault's portfolio settings (absent: none)
     * @param sharedAvailable for an acting vault with a shared reserve: what the reserve would give it now (its limit
     *     and the balance, whichever is less; 0 when the reserve is not its owner's)
     * @param reserveBalances each shared reserve's balance of the acting vaults' loan token
     * @param topUpNeed a vault's top-up to its target, fee included, in loan-token base units
     * @param now the block's time (a source in its cooldown cannot move)
     */
    public static Allocation allocate(
            List<VaultHealth> acting,
            Collection<VaultHealth> all,
            Map<Address, PortfolioLinks> links,
            Map<Address, BigInteger> sharedAvailable,
            Map<Address, BigInteger> reserveBalances,
            Function<VaultHealth, BigInteger> topUpNeed,
            Instant now) {
        Map<Address, VaultHealth> byVault = new HashMap<>();
        for (VaultHealth h : all) byVault.put(h.vault(), h);
        java.util.Set<Address> actingSet = new java.util.HashSet<>();
        for (VaultHealth h : acting) actingSet.add(h.vault());
        Map<Address, MoveSource> sources = new HashMap<>();
        Map<Address, BigInteger> reserveLeft = new HashMap<>(reserveBalances);
        Map<Address, MoveSource> moves = new LinkedHashMap<>();
        Map<Address, BigInteger> grants = new LinkedHashMap<>();
        List<String> notes = new java.util.ArrayList<>();
        for (VaultHealth d : acting) {
            PortfolioLinks dl = links.getOrDefault(d.vault(), PortfolioLinks.NONE);
            if (!dl.linked() || !d.priceKnown() || !d.policy().isSet()) continue;
            BigInteger needed = d.policy().isSet()
                    ? Ltv.collateralForLtv(
                                    d.debt(), d.price(), d.policy().target().toWad())
                            .subtract(d.collateral())
                    : BigInteger.ZERO;
            Optional<MoveSource> best = Optional.empty();
            if (needed.signum() > 0) {
                for (Address peer : dl.movePeers()) {
                    if (actingSet.contains(peer)) continue;
                    VaultHealth sh = byVault.get(peer);
                    if (sh == null || !canGive(sh, d, links.getOrDefault(peer, PortfolioLinks.NONE), now)) continue;
                    MoveSource src = sources.computeIfAbsent(peer, p -> sourceOf(sh, links.get(p)));
                    if (src.spare().compareTo(needed) >= 0
                            && (best.isEmpty()
                                    || src.spare().compareTo(best.get().spare()) > 0)) {
                        best = Optional.of(src);
                    }
                }
            }
            if (best.isPresent()) {
                MoveSource src = best.get();
                moves.put(d.vault(), src);
                sources.put(src.vault(), src.less(needed));
                notes.add(d.vault() + ": " + d.collateralToken().amount(needed).display() + " of " + src.vault()
                        + "'s spare " + d.collateralToken().amount(src.spare()).display());
                continue;
            }
            if (!dl.hasSharedReserve()) continue;
            BigInteger available = sharedAvailable.getOrDefault(d.vault(), BigInteger.ZERO);
            BigInteger left = reserveLeft.getOrDefault(dl.sharedReserve(), BigInteger.ZERO);
            BigInteger want = topUpNeed.apply(d).subtract(d.reserve());
            BigInteger grant = available.min(left).min(want.max(BigInteger.ZERO));
            if (grant.signum() <= 0) continue;
            grants.put(d.vault(), grant);
            reserveLeft.put(dl.sharedReserve(), left.subtract(grant));
            notes.add(d.vault() + ": " + d.loanToken().amount(grant).display() + " of shared reserve "
                    + dl.sharedReserve() + " ("
                    + d.loanToken().amount(left.subtract(grant)).display() + " left)");
        }
        return new Allocation(Map.copyOf(moves), Map.copyOf(grants), List.copyOf(notes));
    }

    /**
     * Whether {@code s} may give collateral to {@code d} now as far as its state says: the same owner and collateral
     * token, it lists {@code d}, it allows moves out, this keeper may act on it, it is not paused and out of its
     * cooldown, its price is known and it has a policy (the chain checks all of it again).
     */
    static boolean canGive(VaultHealth s, VaultHealth d, PortfolioLinks sl, Instant now) {
        return s.owner().equals(d.owner())
                && s.collateralToken().address().equals(d.collateralToken().address())
                && sl.movePeers().contains(d.vault())
                && sl.maxMoveBps() > 0
                && s.keeperAllowed()
                && !s.paused()
                && s.priceKnown()
                && s.priceFresh()
                && s.policy().isSet()
                && !now.isBefore(s.lastActionAt().plus(s.policy().cooldown()));
    }

    /** What a source can give: its move cap's share, and no more than keeps it at or under its own target. */
    static MoveSource sourceOf(VaultHealth s, PortfolioLinks sl) {
        BigInteger target = s.policy().target().toWad();
        BigInteger keep = Ltv.collateralForLtv(s.debt(), s.price(), target);
        BigInteger cap =
                s.collateral().multiply(BigInteger.valueOf(sl.maxMoveBps())).divide(Ltv.BPS);
        BigInteger spare = s.collateral().subtract(keep).min(cap).max(BigInteger.ZERO);
        return new MoveSource(s.vault(), s.collateral(), s.debt(), s.price(), target, spare);
    }
}
