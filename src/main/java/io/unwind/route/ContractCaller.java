package io.unwind.route;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.util.Optional;

/** Read-only contract calls for on-chain route sources: eth_call pinned to a block. Wired to the chain adapter. */
@FunctionalInterface
public interface ContractCaller {
    /**
     * @return the returned bytes, or empty when the call reverted (for a quoter: no pool, no liquidity)
     * @throws RuntimeException when the chain could not be reached (a source failure, not "no route")
     */
    Optional<byte[]> call(Address to, byte[] data, TxHash block);
}
