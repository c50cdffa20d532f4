package io.unwind.chain.vault;

import io.unwind.domain.chain.Address;
import java.util.HexFormat;

/** A view that reverted where an answer was expected: which function, on which contract, and its revert data. */
public final class ContractReverted extends IllegalStateException {
    private final String function;
    private final Address contract;
    private final byte[] data;

    ContractReverted(String function, Address contract, byte[] data, String nodeMessage) {
        super("call reverted: " + nodeMessage + " 0x" + HexFormat.of().formatHex(data));
        this.function = function;
        this.contract = contract;
        this.data = data.clone();
    }

    public String function() {
        return function;
    }

    public Address contract() {
        return contract;
    }

    public byte[] data() {
        return data.clone();
    }
}
