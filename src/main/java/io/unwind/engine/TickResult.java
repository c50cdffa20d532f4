package io.unwind.engine;

import io.unwind.domain.chain.BlockRef;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What one tick saw and did, vault by vault, with how long its phases took. */
public record TickResult(BlockRef block, List<VaultOutcome> outcomes, Duration scan, Duration decide, Duration total) {
    public TickResult {
        outcomes = List.copyOf(outcomes);
    }

    public Map<VaultOutcome.Kind, Integer> counts() {
        Map<VaultOutcome.Kind, Integer> m = new EnumMap<>(VaultOutcome.Kind.class);
        for (VaultOutcome o : outcomes) m.merge(o.kind(), 1, Integer::sum);
        return m;
    }

    public List<VaultOutcome> of(VaultOutcome.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).toList();
    }
}
