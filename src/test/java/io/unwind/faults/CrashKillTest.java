package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import io.unwind.local.MarketSpec;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import io.unwind.tx.CrashPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Hash;

/**
 * The keeper as a separate process ({@code unwind run}), killed at the named points of the transaction layer and at
 * random moments, then started again on the same journal file. Whatever the moment, the chain must end with exactly the
 * actions the vault needed (one Deleveraged event, or none where the action was cancelled), none doubled and none lost;
 * and the journal must agree with the chain: every row mined, each nonce used once, every mined transaction of the
 * keeper one of the journaled signed attempts, and the keeper's nonce equal to the number of them.
 *
 * <p>One anvil and one market serve every case; each case starts from the same snapshot: the vault at 75% LTV with a
 * trigger of 80%, then the price falls from 3000 to 2700 in a block (LTV about 83%) on a chain that mines only when the
 * test says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
@Tag("process")
class CrashKillTest {
    private static final String DELEVERAGED =
            Hash.sha3String("Deleveraged(address,address,uint256,uint256,uint256,uint256,uint256,uint256)");
    private static final int KEEPER_ACCOUNT = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The random kills: seeded so that a failure can be replayed with -Dunwind.crashSeed=SEED. */
    private static final long SEED = Long.getLong("unwind.crashSeed", System.nanoTime());

    @TempDir
    Path tmp;

    private MarketFixture f;
    private Address keeper;
    private Address vault;
    private String checkpoint;
    private BigDecimal startPrice;
    private int caseNumber;

    @BeforeAll
    void market() {
        f = new MarketFixture(MarketSpec.wethUsdc()
                .withPools(
                        List.of(new MarketSpec.PoolSpec(MarketSpec.Dex.UNISWAP_V3, 3000, new BigDecimal("20000000")))));
        keeper = Address.of(MarketFixture.KEEPER.getAddress());
        vault = f.openProtected("10", "0.75", MarketFixture.policy(8000, 7000));
        assertThat(f.client.nonce(keeper, false))
                .as("the keeper has sent nothing yet")
                .isZero();
        startPrice = f.price();
        checkpoint = f.chain.snapshot();
        System.out.println(
                "CrashKillTest: random kills with seed " + SEED + " (replay with -Dunwind.crashSeed=" + SEED + ")");
    }

    @AfterAll
    void stopMarket() {
        if (f != null) f.close();
    }

    // ---------------------------------------------------------------------------------------------
    // The cases
    // ---------------------------------------------------------------------------------------------

    /** What the test does to the chain while the first process runs towards its crash point. */
    enum Drive {
        /** Nothing: the first tick journals, signs and sends the action. */
        SEND,
        /** A block every few hundred milliseconds: the action is mined and confirmed. */
        MINE,
        /** As MINE, then blocks in batches, until the action's block is final. */
        FINALIZE,
        /** Once the action is in the pool, the base fee jumps over its fee cap: it waits, is stuck, is replaced. */
        STUCK,
        /** The action is mined and confirmed, then its block is re-orged away while the vault still needs it. */
        REORG,
        /** As REORG, but the price has recovered on the new chain: the action is no longer wanted. */
        REORG_HEALTHY
    }

    /**
     * @param deleverages Deleveraged events the vault must end with
     * @param attempts attempts the action's journal row must have at least (a replacement or cancellation is one more)
     */
    record Case(String crashAt, boolean sigkill, Drive drive, int deleverages, int attempts) {
        Case(String crashAt, boolean sigkill, Drive drive) {
            this(crashAt, sigkill, drive, 1, 1);
        }

        @Override
        public String toString() {
            return crashAt + (sigkill ? " (parked, SIGKILL)" : " (halt)") + " while " + drive;
        }
    }

    static Stream<Arguments> namedPoints() {
        // -Dunwind.crashOnly=tx.broadcast,reorg runs only the points whose names start so (to replay some).
        List<String> only = List.of(System.getProperty("unwind.crashOnly", "").split(","));
        return Stream.of(
                        // Sending the first attempt
                        new Case(CrashPoints.TX_INSERTED + ":1", false, Drive.SEND),
                        new Case(CrashPoints.TX_SIGNED + ":1", false, Drive.SEND),
                        new Case(CrashPoints.TX_JOURNALED + ":1", true, Drive.SEND),
                        new Case(CrashPoints.TX_BROADCAST + ":1", false, Drive.SEND),
                        new Case(CrashPoints.TX_RECORDED + ":1", false, Drive.SEND),
                        new Case(CrashPoints.TX_SENT + ":1", true, Drive.SEND),
                        // Waiting for and finding the block
                        new Case(CrashPoints.CONFIRM_RECEIPT + ":1", false, Drive.MINE),
                        new Case(CrashPoints.CONFIRM_MINED + ":1", true, Drive.MINE),
                        new Case(CrashPoints.FINALIZING + ":1", false, Drive.FINALIZE),
                        // Stuck behind a base fee spike, and replaced
                        new Case(CrashPoints.CONFIRM_WAITING + ":1", true, Drive.STUCK),
                        new Case(CrashPoints.CONFIRM_WAITING + ":2", false, Drive.STUCK),
                        new Case(CrashPoints.CONFIRM_WAITING + ":3", true, Drive.STUCK),
                        new Case(CrashPoints.TX_STUCK + ":1", false, Drive.STUCK),
                        new Case(CrashPoints.REPLACE_SIGNED + ":1", false, Drive.STUCK, 1, 2),
                        new Case(CrashPoints.REPLACE_BROADCAST + ":1", true, Drive.STUCK, 1, 2),
                        // Re-orged out of the chain
                        new Case(CrashPoints.REORG_MARKED + ":1", false, Drive.REORG),
                        new Case(CrashPoints.REORG_MARKED + ":1", true, Drive.REORG_HEALTHY, 0, 2),
                        new Case(CrashPoints.CANCEL_SIGNED + ":1", false, Drive.REORG_HEALTHY, 0, 2))
                .filter(c -> only.stream().anyMatch(c.crashAt()::startsWith))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedPoints")
    void aKillAtANamedPointNeitherLosesNorDoublesTheAction(Case c) {
        World w = begin();
        try (KeeperProcess first = w.start(c.crashAt(), c.sigkill())) {
            drive(w, first, c.drive(), () -> first.reachedCrashPoint() || !first.alive());
            assertKilledAt(first, c.crashAt(), c.sigkill());
        }
        w.lap("killed");
        settleAfterRestart(w, c.deleverages() == 0 ? 1 : c.deleverages());
        w.lap("settled");
        TxDetail action = assertChainAndJournalAgree(w, c.deleverages());
        assertThat(action.attempts()).as("attempts of the action").hasSizeGreaterThanOrEqualTo(c.attempts());
        w.lap("checked");
    }

    /** The process dies, and the one started after it dies too while it re-sends what the first left in flight. */
    @Test
    void aKillWhileRecoveringFromAKillNeitherLosesNorDoublesTheAction() {
        World w = begin();
        try (KeeperProcess first = w.start(CrashPoints.TX_JOURNALED + ":1", false)) {
            drive(w, first, Drive.SEND, () -> !first.alive());
            assertKilledAt(first, CrashPoints.TX_JOURNALED + ":1", false);
        }
        assertThat(f.client.nonce(keeper, true))
                .as("nothing was broadcast before the first kill")
                .isZero();
        try (KeeperProcess second = w.start(CrashPoints.RECOVER_SENDING + ":1", false)) {
            drive(w, second, Drive.SEND, () -> !second.alive());
            assertKilledAt(second, CrashPoints.RECOVER_SENDING + ":1", false);
        }
        settleAfterRestart(w, 1);
        assertChainAndJournalAgree(w, 1);
    }

    /** The phases of an action in flight that a kill is aimed at, each observed on the chain before the kill. */
    enum Phase {
        /** Signed, broadcast, in the pool, not mined: the journal says UNCONFIRMED. */
        UNCONFIRMED,
        /**
         * Stuck behind a base-fee spike and replaced: the pool holds the replacement at a higher fee cap, not mined.
         */
        REPLACEMENT_PENDING
    }

    static Stream<Arguments> phaseRuns() {
        return Stream.of(
                Arguments.of(Phase.UNCONFIRMED, 1),
                Arguments.of(Phase.UNCONFIRMED, 2),
                Arguments.of(Phase.REPLACEMENT_PENDING, 1),
                Arguments.of(Phase.REPLACEMENT_PENDING, 2));
    }

    /**
     * SIGKILL aimed at a phase of the action's life (wall-clock kills used to land after the action was mined): the
     * test drives the chain until it sees the phase, waits a seeded random 0-400 ms inside it (the chain does not mine
     * meanwhile, so the phase holds), kills, and asserts from the chain that the kill landed in the phase. The seed and
     * the phase are in every message; {@code -Dunwind.crashSeed=SEED} replays the run.
     */
    @ParameterizedTest(name = "kill while {0}, run {1}")
    @MethodSource("phaseRuns")
    void aKillAimedAtAPhaseInFlightNeitherLosesNorDoublesTheAction(Phase phase, int run) {
        long delay = new Random(SEED + 31L * run + phase.ordinal()).nextInt(400);
        String where = "kill while " + phase + ", run " + run + " (seed " + SEED + ", replay with -Dunwind.crashSeed="
                + SEED + ")";
        World w = begin();
        try (KeeperProcess first = w.start(null, false)) {
            drive(w, first, Drive.SEND, () -> first.statusPort().isPresent() || !first.alive());
            drive(w, first, Drive.SEND, () -> pooledFeeCap().isPresent() || !first.alive());
            Wei original = pooledFeeCap()
                    .orElseThrow(() -> new AssertionError(where + ": the keeper died before sending" + w.logs()));
            if (phase == Phase.REPLACEMENT_PENDING) {
                drive(
                        w,
                        first,
                        Drive.STUCK,
                        () -> pooledFeeCap()
                                        .map(fee -> fee.value().compareTo(original.value()) > 0)
                                        .orElse(false)
                                || keeperMined() > 0
                                || !first.alive());
            }
            pause(delay);
            assertThat(first.alive())
                    .as("%s: alive until killed: %s", where, first.tail(30))
                    .isTrue();
            first.kill();
            Optional<Wei> pooled = pooledFeeCap();
            assertThat(keeperMined())
                    .as("%s: the action must still be in flight at the kill", where)
                    .isZero();
            assertThat(pooled)
                    .as("%s: the action must be in the pool at the kill", where)
                    .isPresent();
            if (phase == Phase.REPLACEMENT_PENDING) {
                assertThat(pooled.get().value())
                        .as("%s: the pool must hold the replacement at the kill", where)
                        .isGreaterThan(original.value());
            }
            System.out.printf(
                    "CrashKillTest: %s, %d ms into the phase: fee cap %s in the pool (first %s)%n",
                    where, delay, pooled.get(), original);
        }
        settleAfterRestart(w, 1);
        assertChainAndJournalAgree(w, 1);
    }

    // ---------------------------------------------------------------------------------------------
    // One case's world: the chain from the snapshot, a journal file, a config
    // ---------------------------------------------------------------------------------------------

    final class World {
        final Path dir;
        final Path config;
        final String journalUrl;
        final long startBlock;
        final List<KeeperProcess> runs = new ArrayList<>();
        final long began = System.nanoTime();
        boolean spiked;

        void lap(String what) {
            System.out.printf(
                    "CrashKillTest: %s %s after %d ms%n",
                    dir.getFileName(), what, (System.nanoTime() - began) / 1_000_000);
        }

        World(Path dir, long startBlock) {
            this.dir = dir;
            this.startBlock = startBlock;
            this.journalUrl = Database.embeddedUrl(dir.resolve("data"));
            this.config = dir.resolve("unwind.yaml");
            try {
                Files.writeString(
                        config,
                        KeeperProcess.configYaml(LocalKeeperConfig.of(
                                f.chain, f.market, List.of(vault), KEEPER_ACCOUNT, journalUrl, Optional.of(0))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        KeeperProcess start(String crashAt, boolean park) {
            KeeperProcess k =
                    KeeperProcess.start(config, dir.resolve("keeper-" + (runs.size() + 1) + ".log"), crashAt, park);
            runs.add(k);
            return k;
        }

        String logs() {
            StringBuilder b = new StringBuilder();
            for (KeeperProcess k : runs)
                b.append("\n--- ").append(k).append('\n').append(k.tail(40));
            return b.toString();
        }
    }

    /**
     * The chain back at the snapshot, mining by hand, the price down to 2700 in one block: the vault needs the keeper.
     */
    private World begin() {
        f.chain.rpc("anvil_dropAllTransactions");
        f.chain.setAutomine(true);
        if (!f.chain.revert(checkpoint)) throw new IllegalStateException("anvil could not revert to " + checkpoint);
        checkpoint = f.chain.snapshot();
        f.movePriceBackTo(startPrice.toPlainString());
        f.chain.setAutomine(false);
        f.prices.noWait().moveTo(new BigDecimal("2700"));
        f.chain.mine(1);
        f.prices.settle();
        assertThat(f.health(vault).ltv()).as("over the trigger").isGreaterThan(new BigInteger("800000000000000000"));
        try {
            return new World(Files.createDirectories(tmp.resolve("case-" + (++caseNumber))), f.chain.blockNumber());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Driving the chain
    // ---------------------------------------------------------------------------------------------

    /** Does what {@code drive} says to the chain until {@code done}. */
    private void drive(World w, KeeperProcess k, Drive drive, BooleanSupplier done) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int reorgStep = 0;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out driving " + drive + " for " + k + w.logs());
            switch (drive) {
                case SEND -> pause(30);
                case MINE -> mineAndPause(1);
                case FINALIZE -> mineAndPause(keeperMined() > 0 ? 16 : 1);
                case STUCK -> {
                    Optional<Wei> pooled = pooledFeeCap();
                    if (!w.spiked && pooled.isPresent()) {
                        // Three times the action's fee cap: it cannot get in for several blocks (the base fee falls
                        // by at most an eighth a block), but a replacement priced for the new base fee can.
                        Wei spike = Wei.of(pooled.get().value().multiply(BigInteger.valueOf(3)));
                        System.out.println("CrashKillTest: fee cap " + pooled.get() + ", base fee to " + spike);
                        f.chain.setNextBlockBaseFee(spike);
                        w.spiked = true;
                        mineAndPause(1);
                    } else if (w.spiked) {
                        mineAndPause(1);
                    } else {
                        pause(30);
                    }
                }
                case REORG, REORG_HEALTHY -> {
                    switch (reorgStep) {
                        case 0 -> { // the action in the pool: mine it
                            if (pooledFeeCap().isPresent()) {
                                f.chain.mine(1);
                                reorgStep = 1;
                            }
                            pause(30);
                        }
                        case 1 -> { // the keeper has confirmed it: take its block away
                            if (k.txStates()
                                    .map(s -> s.getOrDefault(TxState.CONFIRMED, 0L) > 0)
                                    .orElse(false)) {
                                long mined = minedBlockOfKeeperNonce0(w);
                                // The keeper is paused while the chain is re-orged and the price put back: otherwise
                                // its
                                // re-org hook could read the vault between the two, still over its trigger, and send
                                // the
                                // action again instead of cancelling it (a race that made the cancel cases time out).
                                if (drive == Drive.REORG_HEALTHY) signal(k, "STOP");
                                try {
                                    f.chain.reorg((int) (f.chain.blockNumber() - mined + 1));
                                    if (drive == Drive.REORG_HEALTHY)
                                        f.prices.noWait().moveTo(startPrice);
                                    f.chain.mine(1);
                                    if (drive == Drive.REORG_HEALTHY) f.prices.settle();
                                } finally {
                                    if (drive == Drive.REORG_HEALTHY) signal(k, "CONT");
                                }
                                reorgStep = 2;
                            }
                            pause(30);
                        }
                        default -> pause(30);
                    }
                }
            }
        }
    }

    /** Sends SIGSTOP or SIGCONT to the keeper's JVM. */
    private static void signal(KeeperProcess k, String sig) {
        try {
            int rc = new ProcessBuilder("kill", "-" + sig, Long.toString(k.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) throw new AssertionError("kill -" + sig + " " + k.pid() + " exited " + rc);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void mineAndPause(int blocks) {
        f.chain.mine(blocks);
        pause(250);
    }

    /** The fee cap of the keeper's transaction in anvil's pool, if one is there. */
    private Optional<Wei> pooledFeeCap() {
        JsonNode pending = f.chain.rpc("txpool_content").path("pending");
        for (Map.Entry<String, JsonNode> e : pending.properties()) {
            if (!e.getKey().equalsIgnoreCase(keeper.hex())) continue;
            for (JsonNode tx : e.getValue())
                return Optional.of(
                        Wei.of(new BigInteger(tx.path("maxFeePerGas").asText().substring(2), 16)));
        }
        return Optional.empty();
    }

    private long keeperMined() {
        return f.client.nonce(keeper, false).longValueExact();
    }

    private long minedBlockOfKeeperNonce0(World w) {
        return keeperTransactions(w).stream()
                .findFirst()
                .map(t -> Long.decode(t.path("blockNumber").asText()))
                .orElseThrow(() -> new AssertionError("the keeper's action is not on chain" + w.logs()));
    }

    /** The keeper's transactions on the canonical chain since the case began, in order. */
    private List<JsonNode> keeperTransactions(World w) {
        List<JsonNode> out = new ArrayList<>();
        long head = f.chain.blockNumber();
        for (long b = w.startBlock + 1; b <= head; b++) {
            JsonNode block = f.chain.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(b), true);
            for (JsonNode tx : block.path("transactions")) {
                if (tx.path("from").asText().equalsIgnoreCase(keeper.hex())) out.add(tx);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // After the kill: a new process on the same journal, and what both left behind
    // ---------------------------------------------------------------------------------------------

    private void assertKilledAt(KeeperProcess k, String crashAt, boolean sigkill) {
        if (sigkill) {
            assertThat(k.alive()).as("parked at %s: %s", crashAt, k.tail(30)).isTrue();
            k.kill();
            assertThat(k.exitStatus()).as("killed by SIGKILL").hasValue(128 + 9);
        } else {
            assertThat(k.awaitExit(Duration.ofSeconds(10))).isTrue();
            assertThat(k.exitStatus())
                    .as("halted at %s: %s", crashAt, k.tail(30))
                    .hasValue(CrashPoints.HALT_STATUS);
        }
        assertThat(k.crashPointReached()).as(k.tail(30)).contains(crashAt);
    }

    /**
     * Starts the keeper again without a crash point, mines until the chain and the keeper agree that {@code mined}
     * transactions of the keeper are mined and nothing is in flight, then stops it as an operator would (SIGTERM).
     */
    private void settleAfterRestart(World w, int mined) {
        try (KeeperProcess again = w.start(null, false)) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (true) {
                if (!again.alive()) throw new AssertionError("the restarted keeper died" + w.logs());
                Optional<Map<TxState, Long>> s = again.txStates();
                boolean keeperSettled = s.isPresent()
                        && Stream.of(TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED)
                                .allMatch(x -> s.get().getOrDefault(x, 0L) == 0)
                        && s.get().getOrDefault(TxState.CONFIRMED, 0L) + s.get().getOrDefault(TxState.FINALIZED, 0L)
                                >= mined;
                if (keeperSettled
                        && keeperMined() >= mined
                        && f.client.nonce(keeper, true).longValueExact() == keeperMined()) break;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the restarted keeper did not settle: states " + s + ", mined nonce "
                            + keeperMined() + w.logs());
                }
                mineAndPause(1);
            }
            again.stop();
            // 143: the JVM's status after SIGTERM once its shutdown hooks have run.
            assertThat(again.exitStatus().orElseThrow())
                    .as("stopped cleanly: %s", again.tail(30))
                    .isIn(0, 128 + 15);
        }
    }

    /** Exactly {@code deleverages} actions on chain; the journal, read from its file, agrees with the chain. */
    private TxDetail assertChainAndJournalAgree(World w, int deleverages) {
        List<Receipt.LogEntry> events = f.client.logs(List.of(vault), List.of(DELEVERAGED), 0, f.chain.blockNumber());
        List<JsonNode> onChain = keeperTransactions(w);
        long minedNonce = keeperMined();
        assertThat(f.client.nonce(keeper, true).longValueExact())
                .as("nothing left in the pool")
                .isEqualTo(minedNonce);

        try (Database db = Database.open(w.journalUrl, "", "")) {
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            List<TxDetail> all = journal.list(TxQuery.latest(100)).stream()
                    .map(t -> journal.detail(t.id()).orElseThrow())
                    .toList();
            String context = "journal " + all + ", keeper txs on chain "
                    + onChain.stream().map(t -> t.path("hash").asText()).toList() + ", Deleveraged in "
                    + events.stream().map(Receipt.LogEntry::txHash).toList() + w.logs();
            // An action journaled but never signed before the kill may be given up at the restart, if the chain moved
            // on
            // more than the plan-age bound meanwhile (the keeper's JVM starts while the test mines): nothing of it ever
            // reached the chain, and the vault's next tick planned it again.
            assertThat(all)
                    .as("rows never signed: %s", context)
                    .filteredOn(d -> d.attempts().isEmpty())
                    .allSatisfy(d -> {
                        assertThat(d.tx().state()).isEqualTo(TxState.FATAL_ERROR);
                        assertThat(d.tx().error())
                                .hasValueSatisfying(e -> assertThat(e).startsWith("abandoned before signing: "));
                    });
            List<TxDetail> txs =
                    all.stream().filter(d -> !d.attempts().isEmpty()).toList();

            assertThat(events).as("Deleveraged events: %s", context).hasSize(deleverages);
            assertThat(txs)
                    .as("one signed action for the vault, never a second: %s", context)
                    .singleElement()
                    .satisfies(d -> assertThat(d.tx().vault()).isEqualTo(vault))
                    .satisfies(d -> assertThat(d.tx().kind()).isEqualTo(TxKind.DELEVERAGE));
            assertThat(txs)
                    .as("every journaled transaction mined: %s", context)
                    .allSatisfy(d -> assertThat(d.tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED));
            assertThat(txs.stream().map(d -> d.tx().requireNonce()).toList())
                    .as("each nonce once, none skipped: %s", context)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.range(0, minedNonce).boxed().toList());
            assertThat(onChain)
                    .as("the keeper's transactions on chain are the journaled ones: %s", context)
                    .hasSize((int) minedNonce);

            Set<String> minedHashes = new HashSet<>();
            for (TxDetail d : txs) {
                var confirmation = d.tx().confirmation().orElseThrow();
                AttemptRecord mined = d.mined().orElseThrow(() -> new AssertionError("no mined attempt: " + context));
                assertThat(mined.hash().hex())
                        .as("the journaled hash is that of the journaled bytes")
                        .isEqualTo(Hash.sha3(mined.signedRawHex()));
                Receipt r = f.client
                        .receipt(mined.hash())
                        .orElseThrow(() -> new AssertionError("no receipt for the mined attempt: " + context));
                assertThat(r.blockHash())
                        .as("mined where the journal says: %s", context)
                        .isEqualTo(confirmation.blockHash());
                assertThat(r.blockNumber()).isEqualTo(confirmation.blockNumber());
                assertThat(r.success())
                        .as("succeeded on chain as the journal says")
                        .isEqualTo(confirmation.succeeded());
                for (AttemptRecord other : d.attempts()) {
                    if (other.id() == mined.id()) continue;
                    assertThat(f.client.receipt(other.hash()))
                            .as("attempt %d of tx#%d not mined too", other.number(), d.tx().id())
                            .isEmpty();
                }
                minedHashes.add(mined.hash().hex());
            }
            assertThat(onChain.stream().map(t -> t.path("hash").asText()).toList())
                    .as("every transaction the keeper has on chain " + "is a journaled attempt: %s", context)
                    .allMatch(minedHashes::contains);
            assertThat(events.stream().map(e -> e.txHash().hex()).toList())
                    .as("the action on chain is the journaled one")
                    .allMatch(minedHashes::contains);
            if (deleverages == 0) {
                assertThat(txs.get(0).tx().cancelled())
                        .as("the unwanted action's nonce is filled by a cancellation: %s", context)
                        .isTrue();
            }
            return txs.get(0);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
