package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * Whether the journal's database answers. Every action is journaled before it is signed, so while it does not the
 * keeper acts on no vault; it still reads them from chain, and the vault gauges keep moving.
 */
public final class JournalMetrics {
    public static final String AVAILABLE = "unwind_journal_available";

    public JournalMetrics(MeterRegistry registry, BooleanSupplier available) {
        Gauge.builder(AVAILABLE, () -> available.getAsBoolean() ? 1 : 0)
                .description("1 while the journal's database answers; 0 while it fails, when the keeper cannot act on"
                        + " any vault (it still reads them)")
                .register(registry);
    }
}
