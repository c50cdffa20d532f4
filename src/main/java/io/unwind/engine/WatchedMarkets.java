package io.unwind.engine;

import io.unwind.chain.ChainClient;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The markets of the vaults the keeper watches: each vault's market is read once (a vault never changes market). */
public final class WatchedMarkets implements Supplier<Set<String>> {
    private final Supplier<? extends Iterable<Address>> vaults;
    private final VaultReads reads;
    private final Map<Address, String> marketOf = new ConcurrentHashMap<>();

    public WatchedMarkets(ChainClient chain, Supplier<? extends Iterable<Address>> vaults) {
        this.vaults = vaults;
        this.reads = new VaultReads(chain);
    }

    /** The watched vaults' market ids; a vault whose market cannot be read now is tried again next time. */
    @Override
    public Set<String> get() {
        Set<String> out = new LinkedHashSet<>();
        for (Address v : vaults.get()) {
            String m = marketOf.get(v);
            if (m == null) {
                try {
                    m = reads.marketIdOf(v, java.util.Optional.empty());
                    marketOf.put(v, m);
                } catch (RuntimeException e) {
                    continue;
                }
            }
            out.add(m);
        }
        return out;
    }
}
