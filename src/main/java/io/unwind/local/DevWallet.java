package io.unwind.local;

import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends set-up transactions from a development account on a local chain without waiting for each receipt: nonces are
 * tracked here, gas limits are fixed and generous (no estimation: its binary search over a vault deployment made fleets
 * crawl), and {@link #flush()} checks that all of them succeeded, replaying a failed one on its parent block to report
 * the contract's reason. On an automining anvil this sets up a market or a fleet of vaults in a fraction of the time a
 * send-and-wait loop takes. Never for real networks.
 */
public final class DevWallet {
    private static final BigInteger MAX_FEE = BigInteger.valueOf(200_000_000_000L); // 200 gwei
    private static final BigInteger TIP = BigInteger.valueOf(1_000_000_000L); // 1 gwei
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(12_000_000L);
    private static final int WINDOW = 32;

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private BigInteger nonce;
    private final List<String> pending = new ArrayList<>();
    private boolean windowed = true;

    public DevWallet(Web3j web3j, Credentials credentials, long chainId) {
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
    }

    /**
     * For a chain that mines only when told: never waits for a receipt while sending (every {@link #WINDOW} sends it
     * otherwise waits for the last one, which such a chain would not mine until the caller mines a block).
     */
    public DevWallet minedOnDemand() {
        this.windowed = false;
        return this;
    }

    /**
     * The nonce is read from the chain at the start of every batch (after a flush): other wallets for the same account,
     * or a chain reverted to a snapshot, may have moved it.
     */
    private BigInteger nonce() {
        if (nonce == null || pending.isEmpty()) {
            try {
                nonce = web3j.ethGetTransactionCount(credentials.getAddress(), DefaultBlockParameterName.PENDING)
                        .send()
                        .getTransactionCount();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read the nonce of " + credentials.getAddress() + ": " + e.getMessage(), e);
            }
        }
        return nonce;
    }

    public Address address() {
        return Address.of(credentials.getAddress());
    }

    public Credentials credentials() {
        return credentials;
    }

    /** Deploys {@code bytecode} (hex) with ABI-encoded constructor {@code args} (hex, may be empty). */
    public Address deploy(String bytecode, String args) {
        String data = bytecode + Numeric.cleanHexPrefix(args == null ? "" : args);
        Address predicted = Address.of(ContractUtils.generateContractAddress(credentials.getAddress(), nonce()));
        send(null, data, BigInteger.ZERO);
        return predicted;
    }

    public String call(Address to, Function fn) {
        return send(to, FunctionEncoder.encode(fn), BigInteger.ZERO);
    }

    /** Mints {@code amount} of a test token (the devnet's WETH and USDC) to {@code to}. */
    public String mint(Address token, Address to, BigInteger amount) {
        return call(
                token,
                new Function(
                        TestToken.FUNC_MINT,
                        List.of(new org.web3j.abi.datatypes.Address(to.hex()), new Uint256(amount)),
                        List.of()));
    }

    public String call(Address to, String data) {
        return send(to, data, BigInteger.ZERO);
    }

    public String send(Address to, String data, BigInteger value) {
        return send(to, data, value, GAS_LIMIT);
    }

    /** Sends with an explicit gas limit. */
    public String send(Address to, String data, BigInteger value, BigInteger gasLimit) {
        String toHex = to == null ? null : to.hex();
        RawTransaction tx = RawTransaction.createTransaction(
                chainId, nonce(), gasLimit, toHex == null ? "" : toHex, value, data, TIP, MAX_FEE);
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, credentials));
        try {
            EthSendTransaction r = web3j.ethSendRawTransaction(signed).send();
            if (r.hasError())
                throw new IllegalStateException("send failed: " + r.getError().getMessage() + describe(toHex, data));
            nonce = nonce.add(BigInteger.ONE);
            pending.add(r.getTransactionHash());
            // anvil's pool holds a bounded number of queued transactions per sender: let mining catch up
            // every WINDOW sends (the receipts are still checked at flush).
            if (windowed && pending.size() % WINDOW == 0) receipt(r.getTransactionHash(), false);
            return r.getTransactionHash();
        } catch (IOException e) {
            throw new IllegalStateException("send failed: " + e.getMessage() + describe(toHex, data), e);
        }
    }

    /** The hash of the last transaction sent and not yet flushed, or null. */
    public String lastSent() {
        return pending.isEmpty() ? null : pending.get(pending.size() - 1);
    }

    /** Waits for every transaction sent since the last flush and fails if any of them reverted. */
    public List<TransactionReceipt> flush() {
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (String hash : pending) receipts.add(receipt(hash));
        pending.clear();
        return receipts;
    }

    public TransactionReceipt receipt(String hash) {
        return receipt(hash, true);
    }

    /**
     * How many of the transactions sent since the last flush have no receipt yet, asked once each without waiting: on a
     * chain that mines only when told, the caller mines another block while this is not zero.
     */
    public int unmined() {
        int n = 0;
        try {
            for (String hash : pending) {
                if (web3j.ethGetTransactionReceipt(hash)
                        .send()
                        .getTransactionReceipt()
                        .isEmpty()) n++;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a receipt: " + e.getMessage(), e);
        }
        return n;
    }

    private TransactionReceipt receipt(String hash, boolean mustSucceed) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try {
            while (true) {
                var r = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
                if (r.isPresent()) {
                    if (mustSucceed && !r.get().isStatusOK())
                        throw new IllegalStateException("transaction " + hash + " reverted: " + why(r.get()));
                    return r.get();
                }
                if (System.nanoTime() > deadline)
                    throw new IllegalStateException("no receipt for " + hash + " after 60 s");
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read receipt of " + hash + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Replays a reverted transaction on its parent block (automine gives each its own block) for the reason. */
    private String why(TransactionReceipt r) {
        try {
            var tx = web3j.ethGetTransactionByHash(r.getTransactionHash())
                    .send()
                    .getTransaction()
                    .orElseThrow();
            var call = web3j.ethCall(
                            Transaction.createFunctionCallTransaction(
                                    tx.getFrom(), null, null, tx.getGas(), tx.getTo(), tx.getValue(), tx.getInput()),
                            org.web3j.protocol.core.DefaultBlockParameter.valueOf(
                                    r.getBlockNumber().subtract(BigInteger.ONE)))
                    .send();
            String reason = call.hasError()
                    ? call.getError().getMessage()
                            + (call.getError().getData() != null
                                    ? " data=" + call.getError().getData()
                                    : "")
                    : "(no revert when replayed)";
            return reason + describe(tx.getTo(), tx.getInput());
        } catch (Exception e) {
            return "(reason unavailable: " + e.getMessage() + ")";
        }
    }

    private static String describe(String to, String data) {
        String sel = data != null && data.length() >= 10 ? data.substring(0, 10) : "";
        return " (to " + (to == null ? "new contract" : to) + (to == null ? "" : ", selector " + sel) + ")";
    }
}
