package io.unwind.engine;

import io.unwind.chain.ChainClient;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The vaults a keeper watches: the fixed list of the configuration, or, when it lists none, every vault of a factory
 * (re-listed every {@code refreshBlocks} blocks, new vaults appended). The order is stable, which keeps lens chunks on
 * one market.
 *
 * <p>With a market list, only vaults on those Morpho markets are watched: anyone can create a factory vault on a market
 * of their own making (a hostile token or oracle, a lure over its trigger), so each vault's market is read once when it
 * is first listed (the factory's {@code marketOf}, or the vault's own {@code marketId} for a configured vault) and a
 * vault on another market is skipped before the lens ever reads it, with one WARN line when it is first skipped.
 */
public final class VaultDirectory {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VaultDirectory.class);
    /** Market ids (0x + 64 lower-case hex) whose vaults are watched; empty = every market. */
    private final Set<String> markets;
    /** Vaults whose market was read and is allowed. */
    private final Set<Address> allowed = new java.util.HashSet<>();
    /** Vaults skipped because of their market, with the market id (in the order they were found). */
    private final java.util.Map<Address, String> skipped = new java.util.LinkedHashMap<>();

    private final VaultReads reads;
    private final List<Address> fixed;
    /** The factories whose vaults are watched (Morpho's and Aave's), in order; none with a fixed list. */
    private final List<Address> factories;
    /** Which factory listed each vault (its market is asked of that factory). */
    private final java.util.Map<Address, Address> listedBy = new java.util.HashMap<>();
    /** How many vaults of each factory are listed so far. */
    private final java.util.Map<Address, Long> listedCount = new java.util.HashMap<>();

    private final int refreshBlocks;
    private final List<Address> fromFactory = new ArrayList<>();
    /** The head at which the factory was last listed; none before the first listing. */
    private java.util.OptionalLong listedAt = java.util.OptionalLong.empty();
    /** Set in a view: the directory it filters, and what it keeps. */
    private final VaultDirectory parent;

    private final java.util.function.Predicate<Address> keep;

    /**
     * @param fixed the configuration's vaults: when there are any, exactly these are watched
     * @param factory the factory whose vaults are watched when the configuration lists none
     */
    public VaultDirectory(ChainClient chain, List<Address> fixed, Optional<Address> factory, int refreshBlocks) {
        this(chain, fixed, factory, refreshBlocks, Set.of());
    }

    /** @param markets the Morpho market ids (0x-hex) whose vaults are watched; empty: every market */
    public VaultDirectory(
            ChainClient chain, List<Address> fixed, Optional<Address> factory, int refreshBlocks, Set<String> markets) {
        this(chain, fixed, factory.map(List::of).orElse(List.of()), refreshBlocks, markets);
    }

    /**
     * @param factories the factories (a Morpho VaultFactory, an AaveVaultFactory) whose vaults are watched when the
     *     configuration lists none
     * @param markets the market ids (0x-hex) whose vaults are watched; empty: every market
     */
    public VaultDirectory(
            ChainClient chain, List<Address> fixed, List<Address> factories, int refreshBlocks, Set<String> markets) {
        this.markets = markets.stream()
                .map(m -> m.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.reads = chain == null ? null : new VaultReads(chain);
        this.fixed = List.copyOf(fixed);
        // A listed set is the operator's choice (keystore-template/unwind.example.yaml: "with a list, the keeper
        // watches
        // exactly these"): the factory, which anyone can create vaults on, adds nothing to it.
        this.factories = fixed.isEmpty() ? List.copyOf(factories) : List.of();
        this.refreshBlocks = Math.max(1, refreshBlocks);
        this.parent = null;
        this.keep = a -> true;
    }

    private VaultDirectory(VaultDirectory parent, java.util.function.Predicate<Address> keep) {
        this.markets = Set.of();
        this.reads = null;
        this.fixed = List.of();
        this.factories = List.of();
        this.refreshBlocks = 1;
        this.parent = parent;
        this.keep = keep;
    }

    /**
     * A view with only the vaults {@code keep} accepts (a cluster node's partition); the listing itself stays shared,
     * and the order is the same.
     */
    public VaultDirectory only(java.util.function.Predicate<Address> keep) {
        return new VaultDirectory(this, keep);
    }

    public static VaultDirectory of(List<Address> vaults) {
        return new VaultDirectory(null, vaults, Optional.empty(), 1);
    }

    /** The vaults as last listed, without asking the chain (for readiness and start-up checks). */
    public List<Address> watched() {
        if (parent != null) return parent.watched().stream().filter(keep).toList();
        synchronized (this) {
            Set<Address> all = new LinkedHashSet<>(fixed);
            all.addAll(fromFactory);
            all.removeAll(skipped.keySet());
            return List.copyOf(all);
        }
    }

    /** The market ids whose vaults are watched; empty when every market is. */
    public Set<String> markets() {
        return parent != null ? parent.markets() : markets;
    }

    /** The vaults skipped so far because their market is not in the list, each with its market id. */
    public java.util.Map<Address, String> skipped() {
        if (parent != null) return parent.skipped();
        synchronized (this) {
            return java.util.Map.copyOf(skipped);
        }
    }

    /** The first factory whose vaults are watched, if any. */
    public Optional<Address> factory() {
        return factories().stream().findFirst();
    }

    /** Every factory whose vaults are watched. */
    public List<Address> factories() {
        return parent != null ? parent.factories() : factories;
    }

    /** How many vaults the factories list at {@code head}, asked now; empty without a factory. */
    public java.util.OptionalLong factoryVaultCount(BlockRef head) {
        if (parent != null) return parent.factoryVaultCount(head);
        if (factories.isEmpty()) return java.util.OptionalLong.empty();
        long n = 0;
        for (Address f : factories) n += reads.vaultCount(f, Optional.of(head));
        return java.util.OptionalLong.of(n);
    }

    /** How often the factory is listed again, in blocks. */
    public int refreshBlocks() {
        return parent != null ? parent.refreshBlocks() : refreshBlocks;
    }

    public List<Address> vaults(BlockRef head) {
        if (parent != null) return parent.vaults(head).stream().filter(keep).toList();
        return listed(head);
    }

    private synchronized List<Address> listed(BlockRef head) {
        if (!factories.isEmpty() && due(head)) {
            for (Address f : factories) refresh(f, head);
            listedAt = java.util.OptionalLong.of(head.number());
        }
        Set<Address> all = new LinkedHashSet<>(fixed);
        all.addAll(fromFactory);
        if (!markets.isEmpty()) all.removeIf(v -> !marketAllowed(v, head));
        return List.copyOf(all);
    }

    /**
     * Whether {@code v}'s market is in the list, read once per vault. A vault whose market cannot be read (not a vault,
     * a node error) is kept and asked again at the next listing: the lens then reports what it could not read.
     */
    private boolean marketAllowed(Address v, BlockRef head) {
        if (allowed.contains(v)) return true;
        if (skipped.containsKey(v)) return false;
        String market;
        try {
            Address by = listedBy.get(v);
            market = fixed.contains(v) || by == null
                    ? reads.marketIdOf(v, Optional.of(head))
                    : reads.marketOf(by, v, Optional.of(head));
        } catch (RuntimeException e) {
            log.debug("market of vault {} not read: {}", v, e.toString());
            return true;
        }
        if (markets.contains(market)) {
            allowed.add(v);
            return true;
        }
        skipped.put(v, market);
        log.warn(
                "vault {} skipped: its market {} is not in the keeper's market list (markets:); the keeper will not"
                        + " read or act on it",
                v,
                market);
        return false;
    }

    /**
     * The first head always lists; later ones every {@code refreshBlocks}, and again after the head went backwards (a
     * re-org or another endpoint), so a listing is never stuck on a future block.
     */
    private boolean due(BlockRef head) {
        if (listedAt.isEmpty()) return true;
        long since = head.number() - listedAt.getAsLong();
        return since >= refreshBlocks || since < 0;
    }

    private void refresh(Address f, BlockRef head) {
        long count = reads.vaultCount(f, Optional.of(head));
        int page = 1000;
        for (long start = listedCount.getOrDefault(f, 0L); start < count; start += page) {
            List<Address> got = reads.vaults(f, start, page, Optional.of(head));
            got.forEach(v -> listedBy.put(v, f));
            fromFactory.addAll(got);
            listedCount.put(f, start + got.size());
        }
    }
}
