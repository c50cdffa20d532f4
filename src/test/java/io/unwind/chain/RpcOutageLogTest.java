package io.unwind.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.exceptions.ClientConnectionException;

@Tag("pure")
class RpcOutageLogTest {
    /** A clock the test moves by hand. */
    private static final class Hand extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private static final Exception REFUSED = new UncheckedIOException(new ConnectException("Connection refused"));

    @Test
    void anOutageIsOneWarningAReminderAMinuteAndOneLineWhenItEnds() {
        Hand clock = new Hand();
        List<String> warn = new ArrayList<>();
        List<String> info = new ArrayList<>();
        RpcOutageLog outages = new RpcOutageLog(clock, Duration.ofSeconds(60), warn::add, info::add);

        // Three calls and one tick fail every second for two and a half minutes.
        for (int s = 0; s < 150; s++) {
            for (int call = 0; call < 3; call++) outages.failed("main", REFUSED, Optional.empty());
            outages.tickFailed();
            clock.now = clock.now.plusSeconds(1);
        }
        assertThat(outages.anyDown()).isTrue();
        outages.answered("main");
        outages.answered("main");

        assertThat(warn).hasSize(3);
        assertThat(warn.get(0))
                .isEqualTo(
                        "rpc endpoint main down: connection refused; holding, no action can be sent until it is back");
        assertThat(warn.get(1))
                .startsWith(
                        "rpc endpoint main still down after 60 s: connection refused; 60 tick(s) and 181 call(s) failed so far;");
        assertThat(warn.get(2)).startsWith("rpc endpoint main still down after 120 s:");
        assertThat(info)
                .containsExactly(
                        "rpc endpoint main is back after 150 s (connection refused; 150 tick(s) and 450 call(s) failed meanwhile)");
        assertThat(outages.anyDown()).isFalse();
        assertThat(outages.tickFailed())
                .as("no endpoint down: the tick's failure is the tick's own")
                .isFalse();
    }

    @Test
    void withAnotherEndpointUpTheKeeperSaysWhichItUses() {
        List<String> warn = new ArrayList<>();
        RpcOutageLog outages = new RpcOutageLog(Clock.systemUTC(), Duration.ofSeconds(60), warn::add, m -> {});
        outages.failed("main", REFUSED, Optional.of("backup"));
        assertThat(warn).containsExactly("rpc endpoint main down: connection refused; using backup meanwhile");
    }

    @Test
    void transportFailuresAreSaidInWords() {
        assertThat(RpcOutageLog.inWords(REFUSED)).isEqualTo("connection refused");
        assertThat(RpcOutageLog.inWords(new UncheckedIOException(new SocketTimeoutException("timeout"))))
                .isEqualTo("no answer within the call timeout");
        assertThat(RpcOutageLog.inWords(new ClientConnectionException("Invalid response received: 503; upstream busy")))
                .isEqualTo("HTTP 503");
        assertThat(RpcOutageLog.inWords(
                        new UncheckedIOException(new IOException("unexpected end of stream on http://x/..."))))
                .isEqualTo("the connection closed without an answer");
    }
}
