package io.unwind.tx;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.FeeHistoryData;
import io.unwind.chain.Receipt;
import io.unwind.chain.SendResult;
import io.unwind.chain.TxInfo;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/** A real chain client with hooks: tests override a method to inject a fault (a crash, a lying node). */
class ForwardingChainClient implements ChainClient {
    final ChainClient real;

    ForwardingChainClient(ChainClient real) {
        this.real = real;
    }

    @Override
    public long chainId() {
        return real.chainId();
    }

    @Override
    public BlockRef latestBlock() {
        return real.latestBlock();
    }

    @Override
    public Optional<BlockRef> blockByNumber(long number) {
        return real.blockByNumber(number);
    }

    @Override
    public Optional<BlockRef> finalizedBlock() {
        return real.finalizedBlock();
    }

    @Override
    public CallResult call(Address from, Address to, byte[] data, TxHash blockHash) {
        return real.call(from, to, data, blockHash);
    }

    @Override
    public java.util.OptionalLong blockGasLimit(TxHash blockHash) {
        return real.blockGasLimit(blockHash);
    }

    @Override
    public CallResult callWithCode(
            Address from, Address to, byte[] data, TxHash blockHash, Address codeAt, byte[] code) {
        return real.callWithCode(from, to, data, blockHash, codeAt, code);
    }

    @Override
    public CallResult callLatest(Address from, Address to, byte[] data) {
        return real.callLatest(from, to, data);
    }

    @Override
    public EstimateResult estimateGas(Address from, Address to, byte[] data) {
        return real.estimateGas(from, to, data);
    }

    @Override
    public FeeHistoryData feeHistory(int blocks, List<Double> rewardPercentiles) {
        return real.feeHistory(blocks, rewardPercentiles);
    }

    @Override
    public BigInteger nonce(Address account, boolean pending) {
        return real.nonce(account, pending);
    }

    @Override
    public Wei balance(Address account) {
        return real.balance(account);
    }

    @Override
    public List<SendResult> broadcast(byte[] signedTransaction) {
        return real.broadcast(signedTransaction);
    }

    @Override
    public Optional<Receipt> receipt(TxHash hash) {
        return real.receipt(hash);
    }

    @Override
    public Optional<TxInfo> transaction(TxHash hash) {
        return real.transaction(hash);
    }

    @Override
    public List<TxInfo> blockTransactions(long number) {
        return real.blockTransactions(number);
    }

    @Override
    public List<Receipt.LogEntry> logs(List<Address> addresses, List<String> topic0s, long fromBlock, long toBlock) {
        return real.logs(addresses, topic0s, fromBlock, toBlock);
    }

    @Override
    public void close() {
        // the real client belongs to the test
    }
}
