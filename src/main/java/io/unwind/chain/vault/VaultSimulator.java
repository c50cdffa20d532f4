package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.route.Selector;
import io.unwind.domain.route.Simulation;
import java.math.BigInteger;
import org.web3j.utils.Numeric;

/**
 * Runs the exact vault call the keeper is about to sign, as the keeper, with eth_call at the block the decision was
 * made at. A revert comes back decoded (the vault's custom error with its arguments); the call's own return value
 * ({@code repaid, proceeds}) is what the route is judged by.
 */
public final class VaultSimulator {
    /** Byte offsets of the returned words: deleverage returns (repaid, proceeds), topUp (repaid). */
    private static final int REPAID = 0;

    private static final int PROCEEDS = 32;

    private final ChainClient chain;
    private final Address keeper;

    public VaultSimulator(ChainClient chain, Address keeper) {
        this.chain = chain;
        this.keeper = keeper;
    }

    /** deleverage(...) from the keeper at {@code block}; {@code gasGuess} is reported as the gas it uses. */
    public Simulation deleverage(Address vault, byte[] calldata, TxHash block, long gasGuess) {
        return switch (chain.call(keeper, vault, calldata, block)) {
            case CallResult.Reverted r -> new Simulation.Reverted(VaultErrors.explainInWords(r.data()));
            case CallResult.Success s -> {
                byte[] d = s.data();
                if (d.length < 64) yield new Simulation.Reverted("deleverage returned " + d.length + " bytes");
                yield new Simulation.Succeeded(Words.uint(d, REPAID), Words.uint(d, PROCEEDS), gasGuess);
            }
        };
    }

    /** topUp(...) from the keeper at {@code block}; its proceeds are reported as 0 (no sale). */
    public Simulation topUp(Address vault, byte[] calldata, TxHash block, long gasGuess) {
        return switch (chain.call(keeper, vault, calldata, block)) {
            case CallResult.Reverted r -> new Simulation.Reverted(VaultErrors.explainInWords(r.data()));
            case CallResult.Success s -> {
                byte[] d = s.data();
                if (d.length < 32) yield new Simulation.Reverted("topUp returned " + d.length + " bytes");
                yield new Simulation.Succeeded(Words.uint(d, REPAID), BigInteger.ZERO, gasGuess);
            }
        };
    }

    /** The vault's isRouteAllowed(router, selector) at {@code block}. */
    public boolean isRouteAllowed(Address vault, Address router, Selector selector, TxHash block) {
        byte[] data = VaultCalls.isRouteAllowed(router, Numeric.hexStringToByteArray(selector.hex()));
        return switch (chain.call(keeper, vault, data, block)) {
            case CallResult.Success s -> s.data().length >= 32 && s.data()[31] != 0;
            case CallResult.Reverted r -> false;
        };
    }
}
