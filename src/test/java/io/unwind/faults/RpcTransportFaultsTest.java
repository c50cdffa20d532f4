package io.unwind.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.config.UnwindConfig;
import io.unwind.domain.tx.TxState;
import io.unwind.engine.VaultOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults on the way to the node (latency, dropped connections, 5xx, 429, an HTML error page, a dead endpoint): the
 * keeper retries within bounds, opens the endpoint's breaker and fails over, and the vault is still saved by exactly
 * one transaction.
 */
@Tag("chain")
class RpcTransportFaultsTest extends OneVaultWorld {
    /** One deleverage, mined, in the journal once; the vault back under its trigger. */
    private void savedOnce(Gauntlet.Running k, long from) {
        k.awaitSettled();
        assertThat(g.deleverages(vault, from)).hasSize(1);
        assertThat(k.journal())
                .singleElement()
                .satisfies(t -> assertThat(t.state()).isIn(TxState.CONFIRMED, TxState.FINALIZED));
        assertThat(g.overTrigger(vault)).isFalse();
        String mined = g.deleverages(vault, from).get(0).txHash().hex();
        assertThat(k.only().attempts()).extracting(a -> a.hash().hex()).contains(mined);
        // Whatever reached the node through the proxy was that one signed transaction, perhaps more than once.
        assertThat(g.proxy.broadcasts())
                .allSatisfy(raw -> assertThat(Gauntlet.hashOf(raw)).isEqualTo(mined));
    }

    @Test
    void latencyUnderTheCallTimeoutOnlySlowsTheKeeper() {
        long from = crash();
        var slow = g.proxy.on("eth_call").delay(Duration.ofMillis(300));
        Gauntlet.Running k = g.start(Gauntlet.withCallTimeout(g.config(List.of(vault)), Duration.ofSeconds(3), 3));
        savedOnce(k, from);
        assertThat(slow.hits()).isGreaterThan(0);
        assertThat(k.counter("unwind.tx.broadcast.errors")).isZero();
    }

    @Test
    void callsSlowerThanTheTimeoutAreRetriedWithinBounds() {
        long from = crash();
        // The first three reads of the vault's health time out; the retry gets the fourth.
        // The first two reads of the vault's health time out; the third attempt of the same call gets through.
        var slow =
                g.proxy.on("eth_call").to(g.f.market.vaultLens().hex()).times(2).delay(Duration.ofMillis(1500));
        Gauntlet.Running k = g.start(Gauntlet.withCallTimeout(g.config(List.of(vault)), Duration.ofMillis(700), 3));
        savedOnce(k, from);
        assertThat(slow.hits()).isEqualTo(2);
        assertThat(k.ticks)
                .noneMatch(t -> t.block().number() == from
                        && !t.of(VaultOutcome.Kind.ERROR).isEmpty());
    }

    @Test
    void whenEveryRetryFailsTheTickFailsAndTheNextOneActs() {
        long from = crash();
        // Three timeouts in a row exhaust the call's attempts: that tick fails as a whole, the fallback tick acts.
        var slow =
                g.proxy.on("eth_call").to(g.f.market.vaultLens().hex()).times(3).delay(Duration.ofMillis(1500));
        Gauntlet.Running k = g.start(Gauntlet.withCallTimeout(g.config(List.of(vault)), Duration.ofMillis(700), 3));
        savedOnce(k, from);
        assertThat(slow.hits()).isEqualTo(3);
    }

    @Test
    void droppedConnectionsAreRetried() {
        long from = crash();
        var drops = g.proxy.on("eth_call").times(2).drop();
        var sendDrops = g.proxy.on("eth_sendRawTransaction").times(1).drop();
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        savedOnce(k, from);
        assertThat(drops.hits()).isEqualTo(2);
        assertThat(sendDrops.hits()).isEqualTo(1);
    }

    @Test
    void http503AndThenRateLimitingAreRetried() {
        long from = crash();
        var unavailable = g.proxy.on("eth_call").times(2).status(503);
        var limited = g.proxy.on("eth_feeHistory").times(2).status(429);
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        savedOnce(k, from);
        assertThat(unavailable.hits()).isEqualTo(2);
        assertThat(limited.hits()).isEqualTo(2);
    }

    @Test
    void anHtmlErrorPageIsATransportFailureNotAnAnswer() {
        long from = crash();
        var html = g.proxy.on("eth_call").times(2).htmlPage(502);
        var html200 = g.proxy
                .on("eth_getBlockByNumber")
                .times(2)
                .fault(new RpcFaultProxy.Fault.Garbage("<html><body>upstream error</body></html>"));
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        savedOnce(k, from);
        assertThat(html.hits()).isEqualTo(2);
        assertThat(html200.hits()).isEqualTo(2);
    }

    @Test
    void anEndpointDownLongEnoughToOpenItsBreakerIsUsedAgainWhenItComesBack() {
        Gauntlet.Running k = g.start(g.config(List.of(vault)));
        k.awaitTick("a first tick", t -> !t.of(VaultOutcome.Kind.HEALTHY).isEmpty());
        var down = g.proxy.on("*").status(503);
        long from = crash();
        Gauntlet.await(
                "the only endpoint's breaker to open",
                () -> k.gauge("resilience4j.circuitbreaker.state", "name", "rpc-proxy", "state", "open") == 1.0);
        assertThat(k.journal()).isEmpty();
        down.remove();
        // After the breaker's wait it lets calls through again; the keeper reads, decides and acts.
        savedOnce(k, from);
        assertThat(k.gauge("resilience4j.circuitbreaker.state", "name", "rpc-proxy", "state", "closed"))
                .isEqualTo(1.0);
    }

    @Test
    void aDeadEndpointOpensItsBreakerAndTheKeeperFailsOverToTheNext() {
        long from = crash();
        g.proxy.on("*").status(503);
        UnwindConfig c =
                Gauntlet.withEndpoints(g.config(List.of(vault)), List.of(g.throughProxy(), g.direct("backup")));
        Gauntlet.Running k = g.start(c);
        savedOnce(k, from);
        // Every call the keeper made first went to the dead endpoint until its breaker opened.
        Gauntlet.await(
                "the dead endpoint's breaker to open",
                () -> k.gauge("resilience4j.circuitbreaker.state", "name", "rpc-proxy", "state", "open") == 1.0);
        assertThat(k.gauge("resilience4j.circuitbreaker.state", "name", "rpc-backup", "state", "closed"))
                .isEqualTo(1.0);
    }
}
