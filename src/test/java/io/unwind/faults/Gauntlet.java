package io.unwind.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.node.KeeperNode;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.store.Database;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import io.unwind.testing.MarketFixture;
import io.unwind.tx.Signer;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.web3j.crypto.Hash;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * The world the fault tests run in: one anvil with a real market (Morpho Blue, Uniswap V3 and V2 pools, the vault
 * contracts), a fault proxy in front of it, and keepers (the real {@link KeeperNode}, in this JVM) that reach the chain
 * only through the proxy unless a test says otherwise. A test class builds one world and puts the chain back to a
 * checkpoint before each test, so tests share the slow set-up and none sees another's blocks.
 *
 * <p>The keepers sign with a key unlocked from a keystore, and every log line written while the world exists is read
 * for that key, the other development keys and the keystore's password ({@link LogSecrets}): closing the world fails if
 * any appeared.
 */
final class Gauntlet implements AutoCloseable {
    /** The keeper signs with anvil's development account 3 (MarketFixture.KEEPER). */
    static final int KEEPER = 3;

    static final String DELEVERAGED_TOPIC =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    static final Duration DEADLINE = Duration.ofSeconds(60);

    final MarketFixture f;
    final RpcFaultProxy proxy;
    final Address keeper = Address.of(MarketFixture.KEEPER.getAddress());
    /** Reads every log line while this world exists; {@link #close} fails if one carried a key or the password. */
    final LogSecrets secrets;

    private final String keystorePassword = "gauntlet " + UUID.randomUUID();
    private final Path keystore;
    /** Unlocked once: every keeper this world starts signs with it. */
    private final Signer signer;

    private final List<Running> running = new ArrayList<>();
    private String checkpoint;
    private BigDecimal checkpointPrice;

    Gauntlet(MarketSpec spec) {
        this.secrets = new LogSecrets(Map.of("the keeper's keystore password", keystorePassword));
        try {
            this.f = new MarketFixture(spec);
            this.proxy = RpcFaultProxy.start(f.chain.httpUrl(), f.chain.wsUrl());
            this.keystore = keeperKeystore(keystorePassword);
            this.signer = Signer.fromKeystore(keystore, keystorePassword.toCharArray(), true);
        } catch (RuntimeException | Error e) {
            secrets.close();
            throw e;
        }
    }

    /** The keeper's key in a keystore (light scrypt, to keep start-up quick), as an operator would give it. */
    private static Path keeperKeystore(String password) {
        try {
            Path dir = Files.createTempDirectory("gauntlet-keystore");
            Path file = dir.resolve("keeper.json");
            WalletFile w = Wallet.createLight(password, MarketFixture.KEEPER.getEcKeyPair());
            new ObjectMapper().writeValue(file.toFile(), w);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (IOException | CipherException e) {
            throw new IllegalStateException("cannot write the keeper's keystore", e);
        }
    }

    /** WETH/USDC at 3000 (LLTV 86%) with a deep V3 pool and a V2 pool. */
    static Gauntlet standard() {
        return new Gauntlet(MarketSpec.wethUsdc()
                .withPools(List.of(
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("20000000")),
                        new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V2, 0, new BigDecimal("5000000")))));
    }

    /** trigger / target LTV in bps, 5% band, 1% slippage, 0.5% fee cap, no size cap, no cooldown. */
    static Policy policy(int trigger, int target) {
        return new Policy(trigger, target, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(1000));
    }

    Address openVault(String collateral, String ltv, Policy p) {
        return f.vaults.open(
                VaultSetup.Request.of(MarketFixture.OWNER, collateral, ltv)
                        .withPolicy(p)
                        .withKeeper(keeper),
                f.price());
    }

    /** Remembers the chain as it is now; {@link #reset} puts it back. */
    void checkpoint() {
        checkpoint = f.chain.snapshot();
        checkpointPrice = f.price();
    }

    /** Stops every keeper, clears every fault, and puts the chain back to the checkpoint (mining on). */
    void reset() {
        stopKeepers();
        proxy.clear();
        proxy.refuseWebSockets(false);
        proxy.silenceSubscriptions(false);
        proxy.shiftHeads(0);
        f.chain.setIntervalMining(0);
        f.chain.setAutomine(true);
        if (!f.chain.revert(checkpoint)) throw new IllegalStateException("anvil could not revert to " + checkpoint);
        checkpoint = f.chain.snapshot();
        f.movePriceBackTo(checkpointPrice.toPlainString());
    }

    void stopKeepers() {
        for (Running r : running) r.node.close();
        running.clear();
    }

    // ---------------------------------------------------------------------------------------------
    // Keepers
    // ---------------------------------------------------------------------------------------------

    /** The keeper's configuration for {@code vaults}, through the proxy (HTTP and WebSocket), a fresh journal. */
    UnwindConfig config(List<Address> vaults) {
        UnwindConfig c = LocalKeeperConfig.of(
                f.chain,
                f.market,
                vaults,
                KEEPER,
                Database.inMemoryUrl("gauntlet-" + UUID.randomUUID()),
                Optional.of(0));
        // A tick that failed is tried again by the fallback trigger: soon, so that tests need not mine to retry.
        c = new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                c.journal(),
                new UnwindConfig.Scheduler(Duration.ofMillis(500), c.scheduler().factoryRefreshBlocks()),
                c.http());
        return withEndpoints(c, List.of(throughProxy()));
    }

    UnwindConfig.Endpoint throughProxy() {
        return new UnwindConfig.Endpoint("proxy", proxy.httpUrl(), Optional.of(proxy.wsUrl()));
    }

    UnwindConfig.Endpoint direct(String name) {
        return new UnwindConfig.Endpoint(name, f.chain.httpUrl(), Optional.empty());
    }

    static UnwindConfig withEndpoints(UnwindConfig c, List<UnwindConfig.Endpoint> endpoints) {
        var ch = c.chain();
        return new UnwindConfig(
                new UnwindConfig.Chain(
                        ch.id(),
                        endpoints,
                        ch.privateRelay(),
                        ch.pollInterval(),
                        ch.callTimeout(),
                        ch.callAttempts(),
                        ch.confirmations(),
                        ch.preset(),
                        ch.kind()),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                c.journal(),
                c.scheduler(),
                c.http());
    }

    static UnwindConfig withCallTimeout(UnwindConfig c, Duration timeout, int attempts) {
        var ch = c.chain();
        return new UnwindConfig(
                new UnwindConfig.Chain(
                        ch.id(),
                        ch.endpoints(),
                        ch.privateRelay(),
                        ch.pollInterval(),
                        timeout,
                        attempts,
                        ch.confirmations(),
                        ch.preset(),
                        ch.kind()),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                c.journal(),
                c.scheduler(),
                c.http());
    }

    static UnwindConfig withGas(UnwindConfig c, String normalCapGwei, String emergencyCapGwei, int stuckAfterBlocks) {
        var g = c.gas();
        return new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                new UnwindConfig.Gas(
                        new BigDecimal(normalCapGwei),
                        new BigDecimal(emergencyCapGwei),
                        g.feeHistoryBlocks(),
                        stuckAfterBlocks,
                        g.nativePrices()),
                c.journal(),
                c.scheduler(),
                c.http());
    }

    static UnwindConfig withJournal(UnwindConfig c, String url) {
        return new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                new UnwindConfig.Journal(url, Optional.empty(), Optional.empty()),
                c.scheduler(),
                c.http());
    }

    /** A keeper started on {@code config}; every tick it makes is kept. */
    Running start(UnwindConfig config) {
        KeeperNode node = new KeeperNode(config, signer, Clock.systemUTC(), KeeperEvents.NONE);
        Running r = new Running(node);
        running.add(r);
        node.onTick(r.ticks::add);
        node.start();
        return r;
    }

    Running start(List<Address> vaults) {
        return start(config(vaults));
    }

    /** A started keeper and what it did. */
    static final class Running {
        final KeeperNode node;
        final List<TickResult> ticks = new CopyOnWriteArrayList<>();

        Running(KeeperNode node) {
            this.node = node;
        }

        /** The first tick (from now on, or already made) that satisfies {@code p}. */
        TickResult awaitTick(String what, Predicate<TickResult> p) {
            await(what, () -> ticks.stream().anyMatch(p));
            return ticks.stream().filter(p).findFirst().orElseThrow();
        }

        TickResult awaitTickAt(long block) {
            return awaitTick("a tick at block " + block, t -> t.block().number() >= block);
        }

        /** Every outcome the keeper reported for {@code vault} so far. */
        List<VaultOutcome> outcomes(Address vault) {
            return ticks.stream()
                    .flatMap(t -> t.outcomes().stream())
                    .filter(o -> o.vault().equals(vault))
                    .toList();
        }

        boolean saw(Address vault, VaultOutcome.Kind kind) {
            return outcomes(vault).stream().anyMatch(o -> o.kind() == kind);
        }

        List<TxRecord> journal() {
            return node.journal().list(TxQuery.latest(1000));
        }

        TxDetail only() {
            List<TxRecord> all = journal();
            if (all.size() != 1) throw new AssertionError("expected one journaled transaction, found " + all);
            return node.journal().detail(all.get(0).id()).orElseThrow();
        }

        double counter(String name, String... tags) {
            var c = node.registry().find(name).tags(tags).counter();
            return c == null ? 0 : c.count();
        }

        double gauge(String name, String... tags) {
            var g = node.registry().find(name).tags(tags).gauge();
            return g == null ? Double.NaN : g.value();
        }

        /** The journal and the keeper's last outcomes for {@code vault}: what a test that timed out reports. */
        String describe(Address vault) {
            List<VaultOutcome> o = outcomes(vault);
            return "journal " + journal() + "; last outcomes for " + vault + ": "
                    + o.subList(Math.max(0, o.size() - 3), o.size());
        }

        /** Waits until every journaled transaction is mined (CONFIRMED or FINALIZED). */
        void awaitSettled() {
            await(
                    "every journaled transaction to be mined",
                    () -> !journal().isEmpty()
                            && journal().stream()
                                    .allMatch(t -> t.state() == TxState.CONFIRMED || t.state() == TxState.FINALIZED));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The chain
    // ---------------------------------------------------------------------------------------------

    VaultHealth health(Address vault) {
        return f.health(vault);
    }

    boolean overTrigger(Address vault) {
        VaultHealth h = health(vault);
        return h.ltv().compareTo(Ltv.bpsToWad(h.policy().triggerLtvBps())) >= 0;
    }

    /** The vault's Deleveraged events from {@code fromBlock} on. */
    List<Receipt.LogEntry> deleverages(Address vault, long fromBlock) {
        return f.client.logs(List.of(vault), List.of(DELEVERAGED_TOPIC), fromBlock, f.chain.blockNumber());
    }

    /** The base fee per gas of block {@code number}. */
    Wei baseFee(long number) {
        return Wei.of(new BigInteger(
                f.chain
                        .rpc("eth_getBlockByNumber", "0x" + Long.toHexString(number), false)
                        .path("baseFeePerGas")
                        .asText()
                        .substring(2),
                16));
    }

    BigInteger keeperNonce() {
        return f.client.nonce(keeper, false);
    }

    /** Mines blocks one at a time until {@code condition} holds (pausing so the keeper can tick between them). */
    void mineUntil(String what, BooleanSupplier condition) {
        mineUntil(() -> what, condition);
    }

    /** As {@link #mineUntil(String, BooleanSupplier)}, describing the state it was in when it gave up. */
    void mineUntil(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out mining until " + what.get());
            f.chain.mine(1);
            pause(150);
        }
    }

    /** An EIP-1559 transaction as signed (the bytes a node was given). */
    static Transaction1559 decode(String rawHex) {
        SignedRawTransaction s = (SignedRawTransaction) TransactionDecoder.decode(rawHex);
        return (Transaction1559) s.getTransaction();
    }

    static long chainIdOf(String rawHex) {
        return decode(rawHex).getChainId();
    }

    static String hashOf(String rawHex) {
        return Hash.sha3(rawHex);
    }

    /** Polls until {@code condition} holds, failing after a generous deadline. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            pause(20);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Keeps the process doing nothing for a few keeper poll intervals: long enough for a tick to happen if one would.
     */
    static void quietly(int pollIntervals) {
        pause(pollIntervals * 50L);
    }

    /** Stops everything, then fails if any log line written meanwhile carried a secret. */
    @Override
    public void close() {
        try {
            try {
                stopKeepers();
                proxy.close();
            } finally {
                f.close();
            }
        } finally {
            secrets.close();
            try {
                Files.deleteIfExists(keystore);
                Files.deleteIfExists(keystore.getParent());
            } catch (IOException e) {
                // a temporary file left behind
            }
        }
        if (secrets.seen() == 0) throw new AssertionError("no log line was read: the secrets probe was not attached");
        secrets.assertNone();
    }
}
