package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.chain.SendResult;
import io.unwind.chain.vault.ContractCall;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.fee.FeeHistory;
import io.unwind.domain.fee.FeePolicy;
import io.unwind.domain.fee.FeeSettings;
import io.unwind.domain.fee.GasLimit;
import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import io.unwind.tx.FeeHistories;
import io.unwind.tx.SignedTx;
import io.unwind.tx.Signer;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sends one owner transaction and waits for it: simulated first (a revert is reported with the contract's reason and
 * nothing is sent), fees from the recent blocks under the owner's cap, signed locally, broadcast to every endpoint,
 * then the receipt; a transaction that reverts on chain anyway is replayed on its parent block for the reason. Progress
 * goes to stderr, so that stdout stays the command's result.
 */
final class TxSender {
    /**
     * The keeper's fee rule at the median tip of the last 10 blocks and no urgency, at least 0.1 gwei (builders skip
     * zero-tip transactions); over --max-fee-gwei it sends at the cap while the next block can include it, else waits.
     */
    private static final FeeSettings OWNER_FEES =
            new FeeSettings(50, 50, Wei.of(100_000_000L), 1.0, FeeSettings.GETH_MIN_BUMP_PERMILLE);

    private static final FeePolicy FEE_POLICY = new FeePolicy(OWNER_FEES);
    private static final long POLL_MILLIS = 250;

    private final ChainContext chain;
    private final Signer signer;
    private final TxOptions options;
    private final PrintWriter progress;

    TxSender(ChainContext chain, Signer signer, TxOptions options, PrintWriter progress) {
        this.chain = chain;
        this.signer = signer;
        this.options = options;
        this.progress = progress;
    }

    Address from() {
        return signer.address();
    }

    /** A mined, successful transaction. */
    record Sent(
            String what, TxHash hash, long block, BigInteger gasUsed, BigInteger effectiveGasPrice, Receipt receipt) {
        JsonShapes.SentTx json() {
            return new JsonShapes.SentTx(what, hash.hex(), block, gasUsed.longValue(), effectiveGasPrice.toString());
        }
    }

    /** The fees an owner transaction would be sent with now, before any --max-fee-gwei cap. */
    static Eip1559Fees marketFees(ChainContext chain) {
        FeeHistory h =
                FeeHistories.toDomain(chain.client.feeHistory(10, List.of(50.0)), OWNER_FEES.percentilesToRequest());
        return FEE_POLICY.market(h, Urgency.NONE);
    }

    /** The chain it sends on. */
    ChainContext chain() {
        return chain;
    }

    /** Would this call succeed from the signer now? Empty if so, else the contract's reason. */
    Optional<String> check(Address to, byte[] data) {
        return switch (chain.client.estimateGas(signer.address(), to, data)) {
            case ChainClient.EstimateResult.Gas g -> Optional.empty();
            case ChainClient.EstimateResult.Reverted r ->
                Optional.of(Reverts.explain(r.revert().data()));
        };
    }

    /** A contract deployed by the signer: its address and the transaction that made it. */
    record Deployed(Address address, Sent tx) {}

    /**
     * Deploys {@code initCode} (creation bytecode and its constructor's arguments) from the signer, shown as
     * {@code what}; the address is the one the signer's nonce gives, checked to hold code once mined.
     */
    Deployed deploy(String what, byte[] initCode) {
        BigInteger nonce = chain.client.nonce(signer.address(), true);
        Address at = Address.of(org.web3j.crypto.ContractUtils.generateContractAddress(
                signer.address().hex(), nonce));
        Sent sent = send(what, null, initCode);
        return new Deployed(at, sent);
    }

    /** Sends {@code call}, shown as its function's name. */
    Sent send(ContractCall call) {
        return send(call.function(), call.to(), call.data());
    }

    /** Sends {@code call}, shown as its function's name with {@code args}: "setPaused(true)". */
    Sent sendShowing(ContractCall call, String args) {
        return send(call.function() + "(" + args + ")", call.to(), call.data());
    }

    /** Sends {@code call}, shown as {@code what}. */
    Sent send(String what, ContractCall call) {
        return send(what, call.to(), call.data());
    }

    Sent send(String what, Address to, byte[] data) {
        ChainClient c = chain.client;
        BigInteger gas = switch (c.estimateGas(signer.address(), to, data)) {
            case ChainClient.EstimateResult.Gas g -> GasLimit.OWNER_TRANSACTION.forEstimate(g.units());
            case ChainClient.EstimateResult.Reverted r ->
                throw new UserError(
                        ExitCodes.REFUSED,
                        what + " would revert, so it was not sent: "
                                + Reverts.explain(r.revert().data()));
        };
        FeeHistory h = FeeHistories.toDomain(c.feeHistory(10, List.of(50.0)), OWNER_FEES.percentilesToRequest());
        Eip1559Fees fees = FEE_POLICY.market(h, Urgency.NONE);
        if (options.maxFeeGwei != null) {
            Wei cap = Wei.of(options.maxFeeGwei.movePointRight(9).toBigInteger());
            Wei now = h.nextBaseFee().plus(fees.maxPriorityFeePerGas());
            fees = FEE_POLICY
                    .decide(h, Urgency.NONE, new FeeCaps(cap, cap))
                    .toSend()
                    .orElseThrow(() -> new UserError(
                            ExitCodes.USAGE,
                            "gas costs " + Units.gwei(now.value()) + " now, above --max-fee-gwei "
                                    + options.maxFeeGwei.toPlainString()
                                    + "; nothing was sent. Wait, or raise the cap."));
        }
        BigInteger tip = fees.maxPriorityFeePerGas().value();
        BigInteger maxFee = fees.maxFeePerGas().value();
        Wei balance = c.balance(signer.address());
        BigInteger worst = gas.multiply(maxFee);
        if (balance.value().compareTo(worst) < 0) {
            throw new UserError(
                    ExitCodes.USAGE,
                    signer.address() + " holds " + Units.ether(balance) + ", less than the "
                            + Units.ether(Wei.of(worst)) + " this transaction may cost in gas; send it some ETH first");
        }
        BigInteger nonce = c.nonce(signer.address(), true);
        SignedTx tx = signer.signCall(chain.chainId, nonce, gas, to, data, tip, maxFee);
        List<SendResult> results = c.broadcast(tx.raw());
        if (results.stream().noneMatch(SendResult::accepted)) {
            List<String> why = new ArrayList<>();
            for (SendResult r : results) why.add(r.endpoint() + ": " + r.error().orElse("?"));
            throw new UserError(
                    ExitCodes.FAILED, what + " was refused by every endpoint (" + String.join("; ", why) + ")");
        }
        progress.println("unwind: " + what + ": sent " + tx.hash() + ", waiting for it to be mined...");
        progress.flush();
        Receipt r = await(tx.hash());
        if (!r.success()) {
            throw new UserError(
                    ExitCodes.FAILED,
                    what + " reverted on chain in block " + r.blockNumber() + " (" + tx.hash() + "): "
                            + replay(to, data, r.blockNumber()));
        }
        return new Sent(what, tx.hash(), r.blockNumber(), r.gasUsed(), r.effectiveGasPrice(), r);
    }

    private Receipt await(TxHash hash) {
        long deadline = System.nanoTime() + options.waitSeconds * 1_000_000_000L;
        while (true) {
            Optional<Receipt> r = chain.client.receipt(hash);
            if (r.isPresent()) return r.get();
            if (System.nanoTime() > deadline) {
                throw new UserError(
                        ExitCodes.FAILED,
                        "no receipt for " + hash + " after " + options.waitSeconds + " s; it may still be "
                                + "mined. Look it up later (a block explorer, or `cast receipt " + hash
                                + "`) before sending it again.");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError(
                        ExitCodes.FAILED, "interrupted while waiting for " + hash + "; it may still be mined");
            }
        }
    }

    /** The reason a mined transaction reverted: the same call replayed on its parent block. */
    private String replay(Address to, byte[] data, long block) {
        if (to == null) return "a deployment's reason is not replayed";
        try {
            Optional<BlockRef> parent = chain.client.blockByNumber(block - 1);
            if (parent.isEmpty()) return "reason unknown";
            CallResult r =
                    chain.client.call(signer.address(), to, data, parent.get().hash());
            return r instanceof CallResult.Reverted rev
                    ? Reverts.explain(rev.data())
                    : "it succeeds when replayed alone, so a transaction before it in the block changed the state";
        } catch (RuntimeException e) {
            return "reason unknown (" + e.getMessage() + ")";
        }
    }

    static BigDecimal gwei(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(9);
    }
}
