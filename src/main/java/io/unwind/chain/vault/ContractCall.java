package io.unwind.chain.vault;

import io.unwind.domain.chain.Address;
import java.util.HexFormat;

/**
 * One call to a contract, ready to send: the function's name (what a person is told was sent), the contract, and the
 * calldata.
 */
public record ContractCall(String function, Address to, byte[] data) {
    /** The calldata as 0x-hex. */
    public String hex() {
        return "0x" + HexFormat.of().formatHex(data);
    }
}
