package io.unwind.chain;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Everything the keeper asks of a chain. Implementations fail over across endpoints and throw {@link ChainException}
 * only when no endpoint could answer; a contract revert is a {@link CallResult}, not an exception, and never counts
 * against an endpoint's health.
 */
public interface ChainClient extends AutoCloseable {

    /** The chain id from configuration; endpoints that report another one are not used. */
    long chainId();

    BlockRef latestBlock();

    Optional<BlockRef> blockByNumber(long number);

    /** The latest finalized block (the "finalized" tag), or empty where the node has none. */
    Optional<BlockRef> finalizedBlock();

    /** The gas limit of the block {@code blockHash}, or empty where it cannot be read. */
    default java.util.OptionalLong blockGasLimit(TxHash blockHash) {
        return java.util.OptionalLong.empty();
    }

    /** eth_call pinned to one block by hash (EIP-1898), so all reads of a tick see the same state. */
    CallResult call(Address from, Address to, byte[] data, TxHash blockHash);

    /**
     * eth_call pinned to one block, with {@code code} placed at {@code codeAt} for the call only (a state override, as
     * geth, Erigon, Nethermind, Reth and anvil take as eth_call's third parameter). Nodes without overrides answer with
     * an error, thrown as a {@link ChainException}.
     */
    default CallResult callWithCode(
            Address from, Address to, byte[] data, TxHash blockHash, Address codeAt, byte[] code) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot override code in a call");
    }

    /** What an eth_call's state override sets on one account: its code, and its nonce when given. */
    record AccountOverride(byte[] code, java.util.OptionalLong nonce) {}

    /**
     * eth_call at the latest block with accounts overridden for the call only (eth_call's third parameter). Nodes
     * without overrides answer with an error, thrown as a {@link ChainException}.
     */
    default CallResult callLatestWithState(
            Address from, Address to, byte[] data, java.util.Map<Address, AccountOverride> accounts) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot override state in a call");
    }

    /** The code at {@code account} at the latest block (empty: none). */
    default byte[] code(Address account) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot read code");
    }

    /** eth_call at the latest block, for reads that need no pinning (CLI, set-up). */
    CallResult callLatest(Address from, Address to, byte[] data);

    /** eth_estimateGas at the latest state; a revert comes back as {@link CallResult.Reverted}. */
    EstimateResult estimateGas(Address from, Address to, byte[] data);

    FeeHistoryData feeHistory(int blocks, List<Double> rewardPercentiles);

    BigInteger nonce(Address account, boolean pending);

    Wei balance(Address account);

    /** Sends signed bytes to every healthy endpoint and reports each one's answer. Never throws for a rejection. */
    List<SendResult> broadcast(byte[] signedTransaction);

    Optional<Receipt> receipt(TxHash hash);

    Optional<TxInfo> transaction(TxHash hash);

    /**
     * The transactions mined in block {@code number} (empty if there is no such block yet). The transaction layer uses
     * it to find out which transaction took a nonce it was waiting on.
     */
    default List<TxInfo> blockTransactions(long number) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list a block's transactions");
    }

    /** Logs of {@code addresses} (all if empty) with topic0 in {@code topic0s} (any if empty), inclusive range. */
    List<Receipt.LogEntry> logs(List<Address> addresses, List<String> topic0s, long fromBlock, long toBlock);

    @Override
    void close();

    /** eth_estimateGas's outcome. */
    sealed interface EstimateResult {
        record Gas(BigInteger units) implements EstimateResult {}

        record Reverted(CallResult.Reverted revert) implements EstimateResult {}
    }
}
