package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The names operators scrape and alert on, as Prometheus shows them. */
@Tag("pure")
class TxMetricsTest {

    @Test
    void prometheusSeesTheDocumentedNamesWithBoundedLabels() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TxMetrics m = new TxMetrics(registry);
        Address sender = Address.of("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
        m.submitted(TxKind.DELEVERAGE);
        m.replaced();
        m.broadcastError(SendErrorClass.INSUFFICIENT_FUNDS_HOLD);
        m.confirmed(true, Wei.of(42_000_000_000_000L), io.unwind.domain.tx.TxKind.DELEVERAGE);
        m.reorged();
        m.nonceTaken();
        m.hashMismatch();
        Map<TxState, Long> counts = new EnumMap<>(TxState.class);
        for (TxState s : TxState.values()) counts.put(s, 0L);
        counts.put(TxState.UNCONFIRMED, 2L);
        m.states(sender, counts);
        counts.put(TxState.UNCONFIRMED, 1L);
        m.states(sender, counts);

        String scrape = registry.scrape();
        assertThat(scrape)
                .contains("unwind_tx_submitted_total{kind=\"DELEVERAGE\"} 1.0")
                .contains("unwind_tx_replacements_total 1.0")
                .contains("unwind_tx_broadcast_errors_total{class=\"INSUFFICIENT_FUNDS_HOLD\"} 1.0")
                .contains("unwind_tx_confirmed_total{result=\"success\"} 1.0")
                .contains("unwind_tx_fee_paid_wei_total 4.2E13")
                .contains("unwind_tx_reorged_total 1.0")
                .contains("unwind_tx_nonce_taken_total 1.0")
                .contains("unwind_tx_hash_mismatch_total 1.0")
                .contains("unwind_tx_state{sender=\"" + sender.hex() + "\",state=\"UNCONFIRMED\"} 1.0")
                .contains("unwind_tx_state{sender=\"" + sender.hex() + "\",state=\"FATAL_ERROR\"} 0.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("unwind_tx_state{"))).hasSize(TxState.values().length);
    }
}
