package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.tx.TxMetrics;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/**
 * Nodes that lie: a lagging node (an older block as the head, its state and receipts), a block number that goes
 * backwards, another chain id, a block hash the other endpoints do not share, a doctored call result, and a cut or
 * silent subscription. The keeper discards what it cannot trust and sends nothing on it, and the vault is still saved.
 */
@Tag("chain")
class RpcLiesTest extends OneVaultWorld {
    private static UnwindConfig pollingOnly(UnwindConfig c) {
        var e = c.chain().endpoints().get(0);
        return Gauntlet.withEndpoints(c, List.of(new UnwindConfig.Endpoint(e.name(), e.url(), Optional.empty())));
    }

    /** Saves the vault once, then lets a few more blocks settle; returns the block of the deleverage. */
    private long savedOnce(Gauntlet.Running k, long from) {
        k.awaitSettled();
        assertThat(g.deleverages(vault, from)).hasSize(1);
        assertThat(g.overTrigger(vault)).isFalse();
        return g.deleverages(vault, from).get(0).blockNumber();
    }

    private static boolean headsNeverWentBack(Gauntlet.Running k) {
        long last = -1;
        for (TickResult t : k.ticks) {
            if (t.block().number() < last) return false;
            last = t.block().number();
        }
        return true;
    }

    @Test
    void aLaggingNodesOlderHeadIsRefusedAndNothingIsSentOnIt() {
        long from = crash();
        Gauntlet.Running k = g.start(pollingOnly(g.config(List.of(vault))));
        long minedAt = savedOnce(k, from);
        g.f.chain.mine(2);
        k.awaitTickAt(minedAt + 2);
        int sent = g.proxy.broadcasts().size();

        // The node now serves a head from before the deleverage, where the vault was over its trigger.
        g.proxy.lag(4);
        int polls = g.proxy.calls("eth_getBlockByNumber");
        Gauntlet.await("the keeper to poll the lagging node", () -> g.proxy.calls("eth_getBlockByNumber") > polls + 20);

        assertThat(headsNeverWentBack(k)).isTrue();
        assertThat(k.ticks)
                .allSatisfy(t -> assertThat(t.of(VaultOutcome.Kind.SUBMITTED)).hasSizeLessThanOrEqualTo(1));
        assertThat(g.proxy.broadcasts()).hasSize(sent);
        assertThat(k.only().tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
        assertThat(k.counter(TxMetrics.REORGED)).isZero();

        // Caught up again, the node's new heads are followed as before.
        g.proxy.noLag();
        g.f.chain.mine(1);
        k.awaitTickAt(minedAt + 3);
        assertThat(g.deleverages(vault, from)).hasSize(1);
    }

    @Test
    void headsFromALaggingReadNodeAreNotActedOnWhileTheSubscriptionRunsAhead() {
        long from = crash();
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        long minedAt = savedOnce(k, from);

        // The subscription (another backend) reports new heads; the node that serves reads is 4 blocks behind.
        g.proxy.lag(4);
        int ticks = k.ticks.size();
        g.f.chain.mine(3);
        long newest = g.f.chain.blockNumber();
        Gauntlet.await("the keeper to ask the read node for the newest head", () -> g.proxy.askedForBlock(newest));

        assertThat(g.proxy.broadcasts())
                .allSatisfy(raw -> assertThat(Gauntlet.hashOf(raw))
                        .isEqualTo(g.deleverages(vault, from).get(0).txHash().hex()));
        assertThat(k.only().tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
        assertThat(k.counter(TxMetrics.REORGED)).isZero();
        assertThat(k.ticks.subList(ticks, k.ticks.size()))
                .noneMatch(t -> !t.of(VaultOutcome.Kind.SUBMITTED).isEmpty());
        g.proxy.noLag();
        g.f.chain.mine(1);
        k.awaitTickAt(minedAt + 4);
        assertThat(g.deleverages(vault, from)).hasSize(1);
    }

    @Test
    void aBlockNumberGoingBackwardsOnTheSubscriptionIsIgnored() {
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        long start = g.f.chain.blockNumber();
        k.awaitTickAt(start);
        g.proxy.shiftHeads(3);
        long from = crash();
        Gauntlet.Running same = k;
        savedOnce(same, from);
        g.f.chain.mine(2);
        k.awaitTickAt(from + 2);
        assertThat(headsNeverWentBack(k)).isTrue();
        assertThat(k.ticks)
                .extracting(t -> t.block().number())
                .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(start));
    }

    @Test
    void anEndpointOnAnotherChainIsNeverUsedAndEveryTransactionIsSignedForTheConfiguredChain() {
        long from = crash();
        g.proxy.chainId(1);
        UnwindConfig c =
                Gauntlet.withEndpoints(g.config(List.of(vault)), List.of(g.throughProxy(), g.direct("honest")));
        Gauntlet.Running k = g.start(c);
        savedOnce(k, from);
        assertThat(g.proxy.calls("eth_call")).isZero();
        assertThat(g.proxy.broadcasts()).isEmpty();
        assertThat(k.only().attempts())
                .allSatisfy(
                        a -> assertThat(Gauntlet.chainIdOf(a.signedRawHex())).isEqualTo(31337L));
        assertThat(ready(k)).contains("1 of 2 endpoint(s) usable");
    }

    @Test
    void aKeeperWhoseOnlyEndpointIsOnAnotherChainRefusesToStart() {
        g.proxy.chainId(1);
        assertThatThrownBy(() -> g.start(g.config(List.of(vault))))
                .hasMessageContaining("no RPC endpoint is usable on chain 31337")
                .hasMessageContaining("WRONG_CHAIN");
        assertThat(g.proxy.broadcasts()).isEmpty();
    }

    @Test
    void anEndpointWhoseBlockHashesTheOthersDoNotShareIsHalted() {
        long from = crash();
        // The first endpoint serves a fork of its own: every block it reports has another hash.
        g.proxy.on("eth_getBlockByNumber").doctor(b -> {
            if (!b.isObject()) return b;
            ObjectNode fork = ((ObjectNode) b).deepCopy();
            fork.put("hash", Hash.sha3String("fork" + b.path("hash").asText()));
            return fork;
        });
        UnwindConfig c = Gauntlet.withEndpoints(
                g.config(List.of(vault)), List.of(g.throughProxy(), g.direct("honest-1"), g.direct("honest-2")));
        Gauntlet.Running k = g.start(c);
        savedOnce(k, from);
        assertThat(k.only().tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
        assertThat(ready(k)).contains("2 of 3 endpoint(s) usable");
        // Halted, the forked endpoint is asked for nothing but the block the endpoints are compared on.
        int calls = g.proxy.calls("eth_call");
        g.f.chain.mine(2);
        k.awaitTickAt(g.f.chain.blockNumber());
        assertThat(g.proxy.calls("eth_call")).isEqualTo(calls);

        // Back on the chain the others follow, it is used again.
        g.proxy.clear();
        g.f.chain.mine(1);
        Gauntlet.await("the endpoint to be used again", () -> ready(k).contains("3 of 3 endpoint(s) usable"));
    }

    private static String ready(Gauntlet.Running k) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                            + k.node.http().orElseThrow().port() + "/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void aDoctoredQuoteIsCaughtByTheSimulationAndAnotherRouteIsTaken() {
        long from = crash();
        // The node inflates every Uniswap V3 quote by 5%: a sale sized on it would not deliver its minimum.
        g.proxy.on("eth_call").to(g.f.market.quoterV2().hex()).doctor(r -> {
            String hex = r.asText();
            if (hex.length() < 66) return r;
            BigInteger out = new BigInteger(hex.substring(2, 66), 16);
            String inflated =
                    String.format("%064x", out.multiply(BigInteger.valueOf(105)).divide(BigInteger.valueOf(100)));
            return JsonNodeFactory.instance.textNode("0x" + inflated + hex.substring(66));
        });
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        savedOnce(k, from);
        assertThat(k.counter("unwind_routes_rejected_total", "reason", "SIMULATION_REVERTED"))
                .isGreaterThan(0);
        assertThat(k.outcomes(vault))
                .filteredOn(o -> o.kind() == VaultOutcome.Kind.SUBMITTED)
                .singleElement()
                .satisfies(o -> assertThat(o.route().orElseThrow()).startsWith("uniswap-v2"));
    }

    @Test
    void aDoctoredHealthReadingThatInventsDangerSendsNothing() {
        // The vault is healthy (70% against a 75% trigger); the node says its debt and LTV are 12% higher.
        g.proxy.on("eth_call").to(g.f.market.vaultLens().hex()).doctor(r -> {
            String hex = r.asText().substring(2);
            StringBuilder s = new StringBuilder(hex);
            for (int word : new int[] {9, 11}) { // entry 0 starts at byte 64: debt is word 9, LTV word 11
                int at = (64 + word * 32) * 2;
                BigInteger v = new BigInteger(hex.substring(at, at + 64), 16)
                        .multiply(BigInteger.valueOf(112))
                        .divide(BigInteger.valueOf(100));
                s.replace(at, at + 64, String.format("%064x", v));
            }
            return JsonNodeFactory.instance.textNode("0x" + s);
        });
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        TickResult t = k.awaitTick(
                "a tick that tried to act",
                r -> r.outcomes().stream().anyMatch(o -> o.kind() != VaultOutcome.Kind.HEALTHY));
        assertThat(t.outcomes()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isIn(VaultOutcome.Kind.NO_ROUTE, VaultOutcome.Kind.SIMULATION_REVERTED);
            assertThat(o.detail()).contains("BelowTrigger");
        });
        assertThat(g.proxy.broadcasts()).isEmpty();
        assertThat(k.journal()).isEmpty();
    }

    @Test
    void aTruncatedCallResultIsNotAnAnswer() {
        long from = crash();
        var truncated = g.proxy
                .on("eth_call")
                .to(g.f.market.vaultLens().hex())
                .times(3)
                .doctor(r -> JsonNodeFactory.instance.textNode(r.asText().substring(0, 2 + 64 * 3)));
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        savedOnce(k, from);
        assertThat(truncated.hits()).isEqualTo(3);
        assertThat(k.only().tx().state()).isIn(TxState.CONFIRMED, TxState.FINALIZED);
    }

    @Test
    void aCutSubscriptionFallsBackToPollingAndSubscribesAgain() {
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        k.awaitTickAt(g.f.chain.blockNumber());
        int opened = g.proxy.webSocketsOpened();
        g.proxy.refuseWebSockets(true);
        g.proxy.cutWebSockets();
        long from = crash();
        savedOnce(k, from);
        g.proxy.refuseWebSockets(false);
        Gauntlet.await("the keeper to subscribe again", () -> g.proxy.webSocketsOpened() > opened + 1);
    }

    @Test
    void aSilentSubscriptionDoesNotBlindTheKeeper() {
        g.proxy.silenceSubscriptions(true);
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        long from = crash();
        savedOnce(k, from);
        assertThat(g.proxy.webSocketsOpened()).isGreaterThan(0);
    }
}
