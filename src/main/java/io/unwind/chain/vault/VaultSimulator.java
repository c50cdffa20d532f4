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
    private final SequenceSimulator sequence;
    /** False once the node refused a state override: simulations are then plain calls, gas estimated apart. */
    private volatile boolean measuring = true;

    /**
     * Measures no gas in the simulation itself: the keeper then takes each call's gas from the node's estimate. On
     * Arbitrum only the estimate includes the L1 part of the cost (charged as gas); a measurement of the execution
     * would understate both the cost and the gas limit.
     */
    public VaultSimulator gasFromNodeEstimates() {
        this.measuring = false;
        return this;
    }

    public VaultSimulator(ChainClient chain, Address keeper) {
        this.chain = chain;
        this.keeper = keeper;
        this.sequence = new SequenceSimulator(chain, keeper);
    }

    /** A simulation, with the gas the call used when the simulation measured it. */
    public record Measured(Simulation simulation, java.util.OptionalLong gas) {}

    /**
     * deleverage(...) from the keeper at {@code block}, measured: run as a sequence of one (see
     * {@link SequenceSimulator}), one eth_call gives both the call's outcome and its gas (what it used, plus the
     * transaction's own {@link SequenceSimulator#intrinsicGas}), where an eth_call and an eth_estimateGas were needed.
     * A node without state overrides gets the plain call, and no gas.
     */
    public Measured deleverageMeasured(Address vault, byte[] calldata, TxHash block, long gasGuess) {
        if (measuring) {
            try {
                SequenceSimulator.Step s = sequence.run(
                                java.util.List.of(new SequenceSimulator.Call(vault, calldata)), block)
                        .getFirst();
                if (!s.ok()) return new Measured(new Simulation.Reverted(s.why()), java.util.OptionalLong.empty());
                byte[] d = s.returned();
                if (d.length < 64) {
                    return new Measured(
                            new Simulation.Reverted("deleverage returned " + d.length + " bytes"),
                            java.util.OptionalLong.empty());
                }
                return new Measured(
                        new Simulation.Succeeded(Words.uint(d, REPAID), Words.uint(d, PROCEEDS), gasGuess),
                        java.util.OptionalLong.of(s.gasUsed() + SequenceSimulator.intrinsicGas(calldata)));
            } catch (SequenceSimulator.SequenceUnavailable e) {
                measuring = false;
            }
        }
        return new Measured(deleverage(vault, calldata, block, gasGuess), java.util.OptionalLong.empty());
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
