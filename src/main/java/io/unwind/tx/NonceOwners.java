package io.unwind.tx;

import io.unwind.chain.ChainClient;
import io.unwind.chain.TxInfo;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Finds the mined transaction that used a sender's nonce, newest block first: the manager looks as soon as it sees the
 * nonce used, so the block is nearly always one of the last few.
 */
final class NonceOwners {
    private NonceOwners() {}

    static Optional<TxInfo> find(ChainClient chain, Address from, long nonce, long head, int maxBlocks) {
        BigInteger n = BigInteger.valueOf(nonce);
        for (long b = head; b >= 0 && b > head - maxBlocks; b--) {
            for (TxInfo tx : chain.blockTransactions(b)) {
                if (tx.from().equals(from) && tx.nonce().equals(n)) return Optional.of(tx);
            }
        }
        return Optional.empty();
    }
}
