package io.unwind.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.config.UnwindConfig;
import io.unwind.app.sim.LocalKeeperConfig;
import io.unwind.domain.chain.Address;
import io.unwind.engine.KeeperEvents;
import io.unwind.local.LocalChain;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.store.Database;
import io.unwind.testing.MarketFixture;
import io.unwind.testing.OperatorLog;
import io.unwind.tx.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A running keeper that is connected but cannot do its work must not say it is ready: one watching no vault while its
 * factory lists some, one whose key cannot pay for one action, one not allowed on the vaults it watches. /ready answers
 * 503 with the reasons in words (valid JSON whatever they say), and each problem is a WARN line at start. A keeper that
 * can work answers 200, and one whose factory is simply empty is ready but says so at start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class KeeperReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private MarketFixture f;
    private String empty;
    private final List<KeeperNode> nodes = new ArrayList<>();

    @BeforeAll
    void market() {
        f = new MarketFixture(MarketSpec.wethUsdc());
        empty = f.chain.snapshot();
    }

    @AfterAll
    void stop() {
        f.close();
    }

    @BeforeEach
    void fromAnEmptyFactory() {
        if (!f.chain.revert(empty)) throw new IllegalStateException("anvil could not revert");
        empty = f.chain.snapshot();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(KeeperNode::close);
        nodes.clear();
    }

    @Test
    void anEmptyFactoryIsReadyButSaidAtStartAndAVaultItDoesNotWatchMakesItNotReady() throws Exception {
        KeeperNode node;
        try (OperatorLog log = OperatorLog.capture()) {
            // The factory is listed at start and then only every 1000 blocks: a vault created meanwhile is not watched.
            node = start(withFactoryRefresh(config(List.of()), 1000), 3);
            assertThat(log.messages())
                    .anyMatch(m -> m.startsWith("WARN")
                            && m.contains("watching no vault: factory " + f.market.vaultFactory()
                                    + " has none yet; the keeper is ready"));
        }
        JsonNode ready = awaitReady(node, r -> r.statusCode() == 200);
        assertThat(ready.at("/checks/vaults/ok").asBoolean()).isTrue();

        f.openProtected("10", "0.70", MarketFixture.policy(8000, 7000));
        f.chain.mine(1);
        JsonNode notReady = awaitReady(node, r -> r.statusCode() == 503);
        assertThat(notReady.get("status").asText()).isEqualTo("not ready");
        assertThat(reasons(notReady))
                .containsExactly("vaults: watching no vault although factory " + f.market.vaultFactory() + " lists 1");
    }

    @Test
    void aKeyThatCannotPayForOneActionIsNotReady() throws Exception {
        Signer poor = LocalChain.devSigner(5, f.chain.chainId());
        Address vault = f.vaults.open(
                VaultSetup.Request.of(MarketFixture.OWNER, "10", "0.70")
                        .withPolicy(MarketFixture.policy(8000, 7000))
                        .withKeeper(poor.address()),
                f.price());
        f.chain.rpc("anvil_setBalance", poor.address().hex(), "0x0");
        KeeperNode node;
        try (OperatorLog log = OperatorLog.capture()) {
            node = start(config(List.of(vault)), 5);
            assertThat(log.messages())
                    .anyMatch(m -> m.startsWith("WARN")
                            && m.contains("the keeper key " + poor.address()
                                    + " holds 0 ETH, less than one action needs at the current base fee")
                            && m.endsWith("fund it: not ready"));
        }
        f.chain.mine(1);
        JsonNode r = awaitReady(node, x -> x.statusCode() == 503);
        assertThat(reasons(r))
                .singleElement()
                .satisfies(reason -> assertThat(reason)
                        .startsWith(
                                "gas: the keeper key " + poor.address() + " holds 0 ETH, less than one action needs")
                        .contains("for " + KeeperReadiness.GAS_OF_ONE_ACTION + " gas at "));
        assertThat(r.at("/checks/allowed/ok").asBoolean()).isTrue();
    }

    @Test
    void aKeeperNotAllowedOnItsVaultsIsNotReadyAndSaysOnWhich() throws Exception {
        // Five vaults that allow the usual keeper (account 3); this one signs with account 4.
        List<Address> vaults = new ArrayList<>();
        for (int i = 0; i < 5; i++) vaults.add(f.openProtected("10", "0.70", MarketFixture.policy(8000, 7000)));
        Address stranger = LocalChain.devSigner(4, f.chain.chainId()).address();
        KeeperNode node;
        try (OperatorLog log = OperatorLog.capture()) {
            node = start(config(vaults), 4);
            assertThat(log.messages())
                    .anyMatch(m -> m.startsWith("WARN")
                            && m.contains(
                                    "this keeper (" + stranger + ") is not allowed on 5 of the 5 vault(s) it watches")
                            && m.contains("unwind keeper add"));
        }
        List<String> sorted = vaults.stream().sorted().map(Address::hex).toList();
        f.chain.mine(1);
        JsonNode r = awaitReady(node, x -> x.statusCode() == 503);
        assertThat(reasons(r))
                .containsExactly("allowed: this keeper (" + stranger + ") is not allowed on 5 of the 5 vault(s) it "
                        + "watches: " + String.join(", ", sorted.subList(0, 3)) + " +2 more");
    }

    @Test
    void aKeeperThatCanWorkIsReady() throws Exception {
        Address vault = f.openProtected("10", "0.70", MarketFixture.policy(8000, 7000));
        KeeperNode node = start(config(List.of(vault)), 3);
        f.chain.mine(1);
        JsonNode r = awaitReady(node, x -> x.statusCode() == 200);
        assertThat(r.get("status").asText()).isEqualTo("ready");
        assertThat(reasons(r)).isEmpty();
        assertThat(r.get("checks").fieldNames())
                .toIterable()
                .contains("head", "journal", "rpc", "vaults", "gas", "allowed");
        assertThat(r.at("/checks/allowed/detail").asText()).isEqualTo("allowed on 1 of 1 watched vault(s)");
    }

    @Test
    void aVaultWithoutAPriceGuardIsNamedOnceNotOnceATick() throws Exception {
        Address vault = f.openProtected("10", "0.70", MarketFixture.policy(8000, 7000));
        try (OperatorLog log = OperatorLog.capture()) {
            KeeperNode node = start(config(List.of(vault)), 3);
            for (int i = 0; i < 3; i++) {
                f.chain.mine(1);
                awaitTick(node, f.chain.blockNumber());
            }
            assertThat(log.messages())
                    .filteredOn(m -> m.contains("has no price guard"))
                    .singleElement()
                    .satisfies(m -> assertThat(m)
                            .startsWith("INFO")
                            .contains("vault " + vault + " has no price guard")
                            .contains("unwind guard set"));
        }
    }

    // ---------------------------------------------------------------------------------------------

    private UnwindConfig config(List<Address> vaults) {
        return LocalKeeperConfig.of(
                f.chain, f.market, vaults, 3, Database.inMemoryUrl("ready-" + UUID.randomUUID()), Optional.of(0));
    }

    private static UnwindConfig withFactoryRefresh(UnwindConfig c, int blocks) {
        return new UnwindConfig(
                c.chain(),
                c.contracts(),
                c.vaults(),
                c.keeper(),
                c.strategy(),
                c.routing(),
                c.gas(),
                c.journal(),
                new UnwindConfig.Scheduler(c.scheduler().intervalFallback(), blocks),
                c.http());
    }

    private KeeperNode start(UnwindConfig c, int devAccount) {
        KeeperNode node = new KeeperNode(
                c, LocalChain.devSigner(devAccount, f.chain.chainId()), Clock.systemUTC(), KeeperEvents.NONE);
        nodes.add(node);
        return node.start();
    }

    /** Waits for the started {@code node} to tick on {@code block} or later. */
    private static void awaitTick(KeeperNode node, long block) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (node.lastTick().map(t -> t.block().number() < block).orElse(true)) {
            if (System.nanoTime() > deadline) throw new AssertionError("no tick on block " + block);
            Thread.sleep(20);
        }
    }

    private static List<String> reasons(JsonNode ready) {
        List<String> out = new ArrayList<>();
        ready.get("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }

    /** /ready's answer, parsed as JSON (it must be), once it satisfies {@code until}; the node needs a head first. */
    private static JsonNode awaitReady(KeeperNode node, Predicate<HttpResponse<String>> until) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + node.http().orElseThrow().port() + "/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (true) {
                HttpResponse<String> r =
                        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                if (until.test(r)) return body;
                if (System.nanoTime() > deadline)
                    throw new AssertionError("/ready stayed " + r.statusCode() + ": " + r.body());
                Thread.sleep(200);
            }
        }
    }
}
