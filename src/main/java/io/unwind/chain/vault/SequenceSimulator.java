package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.contracts.KeeperSequence;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * Runs a block's planned keeper calls in the order they would be sent, in one eth_call, each on the state the earlier
 * ones left: the {@code KeeperSequence} runtime code is placed at the keeper's own address by a state override, so each
 * vault sees the keeper as its caller, exactly as when the transactions execute. A call that fails changes nothing, so
 * dropping it from the sequence leaves every other call's outcome as simulated.
 */
public final class SequenceSimulator {
    private static final byte[] RUNTIME = Numeric.hexStringToByteArray(KeeperSequence.RUNTIME_BINARY);

    private final ChainClient chain;
    private final Address keeper;

    public SequenceSimulator(ChainClient chain, Address keeper) {
        this.chain = chain;
        this.keeper = keeper;
    }

    /** One call of the sequence. */
    public record Call(Address target, byte[] data) {}

    /**
     * What one call did in the sequence: whether it succeeded, the gas it used inside the sequence (without the 21,000
     * a transaction of its own adds), and its return data (the revert data when it failed, at most 512 bytes).
     */
    public record Step(boolean ok, long gasUsed, byte[] returned) {
        /** Why it failed, in the vault's words. */
        public String why() {
            return ok ? "succeeded" : VaultErrors.explainInWords(returned);
        }
    }

    /**
     * The sequence's outcome at {@code block}, one step per call in order.
     *
     * @throws SequenceUnavailable when the node refuses the call itself (no state overrides, say)
     */
    public List<Step> run(List<Call> calls, TxHash block) {
        List<org.web3j.abi.datatypes.Address> targets = new ArrayList<>();
        List<DynamicBytes> data = new ArrayList<>();
        for (Call c : calls) {
            targets.add(new org.web3j.abi.datatypes.Address(c.target().hex()));
            data.add(new DynamicBytes(c.data()));
        }
        Function run = new Function(
                KeeperSequence.FUNC_RUN,
                List.of(
                        new DynamicArray<>(org.web3j.abi.datatypes.Address.class, targets),
                        new DynamicArray<>(DynamicBytes.class, data)),
                List.of(
                        new TypeReference<DynamicArray<Bool>>() {},
                        new TypeReference<DynamicArray<Uint256>>() {},
                        new TypeReference<DynamicArray<DynamicBytes>>() {}));
        byte[] input = Numeric.hexStringToByteArray(FunctionEncoder.encode(run));
        CallResult r;
        try {
            r = chain.callWithCode(keeper, keeper, input, block, keeper, RUNTIME);
        } catch (UnsupportedOperationException e) {
            throw new SequenceUnavailable(e.getMessage());
        }
        if (!(r instanceof CallResult.Success s)) {
            // The sequence itself never reverts: the node refused the call (no state overrides, a call gas cap).
            CallResult.Reverted no = (CallResult.Reverted) r;
            throw new SequenceUnavailable("the node refused the sequence call: "
                    + (no.data().length > 0 ? VaultErrors.explainInWords(no.data()) : no.message()));
        }
        @SuppressWarnings("rawtypes")
        List<Type> out = FunctionReturnDecoder.decode(Numeric.toHexString(s.data()), run.getOutputParameters());
        if (out.size() != 3) throw new SequenceUnavailable("the sequence returned " + s.data().length + " bytes");
        List<?> ok = ((DynamicArray<?>) out.get(0)).getValue();
        List<?> gas = ((DynamicArray<?>) out.get(1)).getValue();
        List<?> ret = ((DynamicArray<?>) out.get(2)).getValue();
        if (ok.size() != calls.size() || gas.size() != calls.size() || ret.size() != calls.size()) {
            throw new SequenceUnavailable(
                    "the sequence returned " + ok.size() + " steps for " + calls.size() + " calls");
        }
        List<Step> steps = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            BigInteger g = ((Uint256) gas.get(i)).getValue();
            steps.add(new Step(
                    ((Bool) ok.get(i)).getValue(),
                    g.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue(),
                    ((DynamicBytes) ret.get(i)).getValue()));
        }
        return steps;
    }

    /**
     * What a transaction pays beyond its call: 21,000, and 16 gas per non-zero calldata byte, 4 per zero byte
     * (EIP-2028).
     */
    public static long intrinsicGas(byte[] calldata) {
        long g = 21_000;
        for (byte b : calldata) g += b == 0 ? 4 : 16;
        return g;
    }

    /** The node could not run the sequence at all: the keeper then checks each call alone, as before. */
    public static final class SequenceUnavailable extends RuntimeException {
        public SequenceUnavailable(String message) {
            super(message);
        }
    }
}
