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
 */
public final class VaultDirectory {
    private final VaultReads reads;
    private final List<Address> fixed;
    private final Optional<Address> factory;
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
        this.reads = chain == null ? null : new VaultReads(chain);
        this.fixed = List.copyOf(fixed);
        // A listed set is the operator's choice (keystore-template/unwind.example.yaml: "with a list, the keeper
        // watches
        // exactly these"): the factory, which anyone can create vaults on, adds nothing to it.
        this.factory = fixed.isEmpty() ? factory : Optional.empty();
        this.refreshBlocks = Math.max(1, refreshBlocks);
        this.parent = null;
        this.keep = a -> true;
    }

    private VaultDirectory(VaultDirectory parent, java.util.function.Predicate<Address> keep) {
        this.reads = null;
        this.fixed = List.of();
        this.factory = Optional.empty();
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
            return List.copyOf(all);
        }
    }

    /** The factory whose vaults are watched, if any. */
    public Optional<Address> factory() {
        return parent != null ? parent.factory() : factory;
    }

    /** How many vaults the factory lists at {@code head}, asked now; empty without a factory. */
    public java.util.OptionalLong factoryVaultCount(BlockRef head) {
        if (parent != null) return parent.factoryVaultCount(head);
        Optional<Address> f = factory;
        if (f.isEmpty()) return java.util.OptionalLong.empty();
        return java.util.OptionalLong.of(reads.vaultCount(f.get(), Optional.of(head)));
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
        if (factory.isPresent() && due(head)) {
            refresh(factory.get(), head);
            listedAt = java.util.OptionalLong.of(head.number());
        }
        Set<Address> all = new LinkedHashSet<>(fixed);
        all.addAll(fromFactory);
        return List.copyOf(all);
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
        for (long start = fromFactory.size(); start < count; start += page) {
            fromFactory.addAll(reads.vaults(f, start, page, Optional.of(head)));
        }
    }
}
