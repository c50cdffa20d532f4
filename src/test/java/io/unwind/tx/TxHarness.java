package io.unwind.tx;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.unwind.chain.ChainClient;
import io.unwind.chain.Receipt;
import io.unwind.chain.Web3jChainClient;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeeCaps;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import io.unwind.local.LocalChain;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * One anvil, one journal database and one keeper key per test: the transaction manager is exercised against a real
 * chain and a real database, with nothing mocked but the faults a test injects.
 */
final class TxHarness implements AutoCloseable {
    /** The keeper's key: anvil's development account 1 (account 0 stays free for set-up). */
    static final int KEEPER = 1;

    static final long CHAIN_ID = 31337;

    final LocalChain anvil;
    final Web3jChainClient chain;
    final Database db;
    final Journal journal;
    final Signer signer;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TxMetrics metrics = new TxMetrics(registry);
    final TxSettings settings = TxSettings.defaults(CHAIN_ID, new FeeCaps(Wei.gwei(200), Wei.gwei(500)));
    private int recipients;

    TxHarness(LocalChain.Options options) {
        this(options, Database.inMemoryUrl("tx-" + UUID.randomUUID()));
    }

    TxHarness(LocalChain.Options options, String dbUrl) {
        this.anvil = LocalChain.start(options);
        this.chain = Web3jChainClient.single(CHAIN_ID, anvil.httpUrl());
        this.db = Database.open(dbUrl, "sa", "");
        this.journal = new Journal(db.dataSource(), Clock.systemUTC());
        this.signer = LocalChain.devSigner(KEEPER, CHAIN_ID);
    }

    static TxHarness automine() {
        return new TxHarness(LocalChain.Options.defaults());
    }

    /** Blocks only when a test mines them. */
    static TxHarness manualMining() {
        return new TxHarness(LocalChain.Options.defaults().withNoMining());
    }

    TxManager manager() {
        return manager(chain, ReorgHook.ALWAYS_REBROADCAST);
    }

    TxManager manager(ChainClient client, ReorgHook hook) {
        return new TxManager(client, journal, signer, settings, metrics, hook);
    }

    Address keeper() {
        return signer.address();
    }

    /** A fresh account with no balance, to receive value that must arrive exactly once. */
    Address newRecipient() {
        return Address.of(String.format("0x%040x", 0xbee0000L + ++recipients));
    }

    static Address vault(int n) {
        return Address.of(String.format("0x%040x", 0xfa0000L + n));
    }

    static Eip1559Fees gwei(String maxFee, String tip) {
        return new Eip1559Fees(Wei.parseGwei(maxFee), Wei.parseGwei(tip));
    }

    static TxRequest transfer(String key, Address vault, Address to, Wei value, Eip1559Fees fees) {
        return TxRequest.call(key, vault, to, new byte[0], 21_000, fees, TxKind.OTHER, "{\"test\":\"" + key + "\"}")
                .withValue(value);
    }

    BlockRef head() {
        return chain.latestBlock();
    }

    TxReport tick(TxManager m) {
        return m.onHead(head());
    }

    /**
     * Waits until the node has mined every transaction the journal says is in the pool (anvil's automine mines just
     * after eth_sendRawTransaction returns, not before), then ticks. Comparing the pending and mined nonces alone is
     * not enough: while anvil builds the block, a transaction is out of the pool and not yet in the state, and both
     * read the same.
     */
    TxReport tickWhenMined(TxManager m) {
        await("the keeper's pending transactions to be mined", () -> {
            long mined = minedNonce();
            return chain.nonce(keeper(), true).longValueExact() == mined
                    && journal.inState(CHAIN_ID, keeper(), TxState.UNCONFIRMED).stream()
                            .allMatch(t -> t.requireNonce() < mined);
        });
        return tick(m);
    }

    Wei balance(Address a) {
        return chain.balance(a);
    }

    long minedNonce() {
        return chain.nonce(keeper(), false).longValueExact();
    }

    Optional<Receipt> receipt(TxHash h) {
        return chain.receipt(h);
    }

    boolean knownToNode(TxHash h) {
        return chain.transaction(h).isPresent();
    }

    TxDetail detail(long id) {
        return journal.detail(id).orElseThrow();
    }

    /** The raw bytes the node holds for a transaction, to compare with what the journal saved. */
    String rawOnChain(TxHash h) {
        return anvil.rpc("eth_getRawTransactionByHash", h.hex()).asText();
    }

    /**
     * Sends a transaction from the keeper's key behind the manager's back (an operator using the key by hand).
     *
     * @return its hash
     */
    TxHash sendOutsideTheManager(long nonce, Eip1559Fees fees, Address to, Wei value) {
        Credentials keeper = LocalChain.devAccount(KEEPER);
        RawTransaction raw = RawTransaction.createTransaction(
                CHAIN_ID,
                BigInteger.valueOf(nonce),
                BigInteger.valueOf(21_000),
                to.hex(),
                value.value(),
                "0x",
                fees.maxPriorityFeePerGas().value(),
                fees.maxFeePerGas().value());
        byte[] signed = TransactionEncoder.signMessage(raw, keeper);
        var answer = chain.broadcast(signed);
        if (answer.stream().noneMatch(r -> r.accepted())) throw new IllegalStateException("not accepted: " + answer);
        return TxHash.of(Numeric.toHexString(Hash.sha3(signed)));
    }

    double counter(String name, String... tags) {
        var c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** Polls until {@code condition} holds; fails after a generous deadline instead of a fixed sleep. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        try {
            chain.close();
            db.close();
        } finally {
            anvil.close();
        }
    }
}
