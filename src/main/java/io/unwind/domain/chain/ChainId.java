package io.unwind.domain.chain;

import java.util.Set;

/**
 * An EVM chain id. The one place that says which chains are local development chains (anvil's 31337, hardhat's and geth
 * --dev's 1337): the only chains whose well-known development keys the keeper may sign for.
 */
public record ChainId(long value) {
    /** anvil's default chain id, the devnet's and the simulator's. */
    public static final ChainId ANVIL = new ChainId(31337);

    private static final Set<Long> LOCAL = Set.of(ANVIL.value, 1337L);

    public static ChainId of(long value) {
        return new ChainId(value);
    }

    /** Whether this is a local development chain, on which public development keys may sign. */
    public boolean isLocal() {
        return LOCAL.contains(value);
    }

    /** The local chain ids, for messages: "31337 or 1337". */
    public static String localIds() {
        return ANVIL.value + " or 1337";
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
