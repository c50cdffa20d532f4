package io.unwind.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.unwind.testing.LoopbackHttp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A routing round that runs out of time cancels its late quotes, which interrupts their calls to the node. In a
 * market-wide crash, with hundreds of vaults routing at once, those cancellations used to count as the node's failures:
 * its breaker opened and every later call of the tick failed. A cancelled call must say nothing about the node.
 */
@Tag("pure")
class RpcEndpointCancellationTest {

    @Test
    void onlyTheCallersOwnInterruptionCountsAsCancelled() {
        assertThat(RpcEndpoint.cancelledByCaller(new java.io.InterruptedIOException("interrupted")))
                .isTrue();
        assertThat(RpcEndpoint.cancelledByCaller(new java.net.SocketException("Closed by interrupt")))
                .isTrue();
        assertThat(RpcEndpoint.cancelledByCaller(
                        new java.io.UncheckedIOException(new java.nio.channels.ClosedByInterruptException())))
                .isTrue();
        // The node's slowness is the node's: a call or read timeout still counts against it.
        assertThat(RpcEndpoint.cancelledByCaller(new java.io.InterruptedIOException("timeout")))
                .isFalse();
        assertThat(RpcEndpoint.cancelledByCaller(new java.net.SocketTimeoutException("Read timed out")))
                .isFalse();
        assertThat(RpcEndpoint.cancelledByCaller(new java.net.ConnectException("Connection refused")))
                .isFalse();
    }

    @Test
    void callsCancelledByTheirCallerNeverOpenTheBreakerWhileRealFailuresDo() throws Exception {
        // A node that answers after 2 s.
        try (LoopbackHttp slow = LoopbackHttp.start(r -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return LoopbackHttp.Response.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}");
        })) {
            URI url = slow.uri("/");
            RpcEndpoint e = new RpcEndpoint("slow", url, Duration.ofSeconds(10), 3, Web3jChainClient.breakers());
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                calls.add(
                        pool.submit(() -> e.execute(() -> e.web3j().ethChainId().send())));
            }
            for (Future<?> f : calls) {
                assertThatThrownBy(() -> f.get(100, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
                f.cancel(true); // as RouteFinder does with a quote late for its round
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

            assertThat(e.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(e.breaker().getMetrics().getNumberOfFailedCalls()).isZero();

            // The same endpoint failing by itself (nothing listening) still trips the breaker.
            RpcEndpoint dead = new RpcEndpoint(
                    "dead", URI.create("http://127.0.0.1:9/"), Duration.ofSeconds(1), 1, Web3jChainClient.breakers());
            for (int i = 0; i < 10; i++) {
                try {
                    dead.execute(() -> dead.web3j().ethChainId().send());
                } catch (Exception expected) {
                    // counted
                }
            }
            assertThat(dead.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        }
    }
}
