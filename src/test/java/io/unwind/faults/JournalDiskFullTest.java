package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.chain.Receipt;
import io.unwind.domain.chain.Address;
import io.unwind.domain.tx.TxState;
import io.unwind.local.MarketSpec;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.testing.MarketFixture;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

/**
 * The disk that holds the embedded H2 journal fills up while the keeper protects a vault through a price crash. The
 * keeper runs as a separate process ({@code unwind run}); the test takes away that process's right to write any byte to
 * a file ({@code prlimit --fsize=0}: the JVM ignores SIGXFSZ, so every write fails with EFBIG, "File too large", as a
 * write to a full disk fails with ENOSPC). The keeper must send nothing it could not journal first, say plainly that
 * the disk is full and what to do, and, once the limit is lifted (space is back), save the vault by itself with a
 * journal that agrees with the chain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
@Tag("process")
class JournalDiskFullTest {
    private static final int KEEPER_ACCOUNT = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private MarketFixture f;
    private Address keeper;
    private Address vault;

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
    }

    @AfterAll
    void stopMarket() {
        if (f != null) f.close();
    }

    @Test
    void aFullDiskStopsTheKeeperSendingWhatItCannotJournalAndItResumesWhenThereIsSpace() throws IOException {
        Path data = tmp.resolve("data");
        String url = Database.embeddedUrl(data);
        Path config = tmp.resolve("keeper.yaml");
        Files.writeString(
                config,
                KeeperProcess.configYaml(
                        LocalKeeperConfig.of(f.chain, f.market, List.of(vault), KEEPER_ACCOUNT, url, Optional.of(0))));
        long from;
        String output;
        try (KeeperProcess k = KeeperProcess.start(config, tmp.resolve("keeper.log"), null, false, true)) {
            await(() -> "the keeper running: " + k.tail(20), () -> k.txStates().isPresent());
            Path file = data.resolve("unwind.mv.db");
            // The disk is full, to the last block: the keeper's process can write no byte to any file now. (A limit of
            // the journal's size would let H2 go on writing into the free pages inside its file, as it may on a real
            // full disk; the test wants a journal that cannot take a write at all.)
            prlimit(k, "0");
            // Measured once the limit holds: the running keeper journals every block (its market readings too), so a
            // size taken before could miss a write that landed just before the limit.
            long size = Files.size(file);

            from = f.chain.blockNumber();
            f.movePrice("2700");
            assertThat(f.health(vault).ltv())
                    .as("over the trigger")
                    .isGreaterThan(new BigInteger("800000000000000000"));
            await(
                    () -> "the keeper to say the journal's disk is full: " + k.tail(30),
                    () -> k.output().contains("its disk is full"));
            for (int i = 0; i < 4; i++) { // the chain goes on while the disk stays full
                f.chain.mine(1);
                pause(400);
            }
            assertThat(k.alive()).as(k.tail(30)).isTrue();
            assertThat(f.client.nonce(keeper, true))
                    .as("nothing signed and sent while it cannot be journaled (pending nonce)")
                    .isZero();
            assertThat(deleverages(from)).isEmpty();
            assertThat(Files.size(file))
                    .as("the journal did not grow past the limit")
                    .isLessThanOrEqualTo(size);

            prlimit(k, "unlimited"); // space is back
            await(() -> "the vault saved: " + k.tail(30), () -> {
                f.chain.mine(1);
                pause(250);
                return f.health(vault).ltv().compareTo(new BigInteger("800000000000000000")) < 0
                        && k.txStates()
                                .map(s -> s.getOrDefault(TxState.CONFIRMED, 0L) == 1
                                        && s.getOrDefault(TxState.UNSTARTED, 0L) == 0
                                        && s.getOrDefault(TxState.IN_PROGRESS, 0L) == 0
                                        && s.getOrDefault(TxState.UNCONFIRMED, 0L) == 0)
                                .orElse(false);
            });
            k.stop();
            output = k.output();
        }
        assertThat(output)
                .as(output)
                .contains("ERROR")
                .contains("its disk is full")
                .contains("Free space on the disk that holds the journal")
                .containsPattern("journal database .* is back after \\d+ s");

        List<Receipt.LogEntry> events = deleverages(from);
        assertThat(events).as("Deleveraged events").hasSize(1);
        assertThat(f.client.nonce(keeper, true)).as("the keeper's nonce").isEqualTo(BigInteger.ONE);
        try (Database db = Database.open(url, "", "")) {
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            List<TxDetail> all = journal.list(TxQuery.latest(100)).stream()
                    .map(t -> journal.detail(t.id()).orElseThrow())
                    .toList();
            assertThat(all)
                    .as("the journal, read from its file after the keeper stopped")
                    .hasSize(1);
            TxDetail d = all.get(0);
            assertThat(d.tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
            assertThat(d.tx().requireNonce()).isZero();
            assertThat(d.attempts()).hasSize(1);
            AttemptRecord a = d.attempts().get(0);
            assertThat(a.hash().hex())
                    .as("the journaled hash is that of the journaled bytes")
                    .isEqualTo(Hash.sha3(a.signedRawHex()));
            assertThat(events.get(0).txHash().hex()).isEqualTo(a.hash().hex());
        }
    }

    private List<Receipt.LogEntry> deleverages(long fromBlock) {
        return f.client.logs(List.of(vault), List.of(Gauntlet.DELEVERAGED_TOPIC), fromBlock, f.chain.blockNumber());
    }

    /** Sets the keeper process's (soft) limit on the size of a file it writes; the hard limit stays unlimited. */
    private static void prlimit(KeeperProcess k, String bytes) {
        try {
            Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(k.pid()), "--fsize=" + bytes + ":")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new AssertionError("prlimit failed: " + out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static void await(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what.get());
            pause(50);
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
