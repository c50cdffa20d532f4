package io.unwind.chain;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.route.Selector;
import io.unwind.domain.route.Simulation;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.utils.Numeric;

/**
 * Runs the exact vault call the keeper is about to sign, as the keeper, with eth_call at the block the decision
 * was made at. A revert comes back decoded (the vault's custom error with its arguments); the call's own return
 * value ({@code repaid, proceeds}) is what the route is judged by.
 */
public final class VaultSimulator {
    private final ChainClient chain;
    private final Address keeper;

    public VaultSimulator(ChainClient chain, Address keeper) {
        this.chain = chain;
        this.keeper = keeper;
    }

    /** deleverage(...) from the keeper at {@code block}; {@code gasGuess} is reported as the gas it uses. */
    public Simulation deleverage(Address vault, byte[] calldata, TxHash block, long gasGuess) {
        return switch (chain.call(keeper, vault, calldata, block)) {
            case CallResult.Reverted r -> new Simulation.Reverted(VaultCalls.explainInWords(r.data()));
            case CallResult.Success s -> {
                byte[] d = s.data();
                if (d.length < 64) yield new Simulation.Reverted("deleverage returned " + d.length + " bytes");
                yield new Simulation.Succeeded(word(d, 0), word(d, 1), gasGuess);
            }
        };
    }

    /** topUp(...) from the keeper at {@code block}; its proceeds are reported as 0 (no sale). */
    public Simulation topUp(Address vault, byte[] calldata, TxHash block, long gasGuess) {
        return switch (chain.call(keeper, vault, calldata, block)) {
            case CallResult.Reverted r -> new Simulation.Reverted(VaultCalls.explainInWords(r.data()));
            case CallResult.Success s -> {
                byte[] d = s.data();
                if (d.length < 32) yield new Simulation.Reverted("topUp returned " + d.length + " bytes");
                yield new Simulation.Succeeded(word(d, 0), BigInteger.ZERO, gasGuess);
            }
        };
    }

    /** The vault's isRouteAllowed(router, selector) at {@code block}. */
    public boolean isRouteAllowed(Address vault, Address router, Selector selector, TxHash block) {
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function("isRouteAllowed",
                List.of(new org.web3j.abi.datatypes.Address(router.hex()), new Bytes4(Numeric.hexStringToByteArray(selector.hex()))), List.of())));
        return switch (chain.call(keeper, vault, data, block)) {
            case CallResult.Success s -> s.data().length >= 32 && s.data()[31] != 0;
            case CallResult.Reverted r -> false;
        };
    }

    private static BigInteger word(byte[] d, int i) {
        return new BigInteger(1, Arrays.copyOfRange(d, i * 32, i * 32 + 32));
    }
}
