package io.unwind.domain.plan;

import io.unwind.domain.risk.Prediction;
import java.util.Objects;
import java.util.Optional;

/**
 * Why the keeper acts: the vault is at or over its hard trigger, or it is between its soft and hard triggers and the
 * predicted probability of liquidation before the exit completes is above the owner's threshold.
 *
 * @param kind trigger or predicted
 * @param prediction the prediction behind a predicted action (and, when the keeper had one, behind a trigger action)
 * @param maxProbability the owner's threshold the prediction was compared with (0 for a trigger action)
 */
public record ActReason(Kind kind, Optional<Prediction> prediction, double maxProbability) {
    public static final ActReason TRIGGER = new ActReason(Kind.TRIGGER, Optional.empty(), 0);

    public enum Kind {
        TRIGGER,
        PREDICTED;

        /** The name in JSON and logs: {@code trigger} or {@code predicted}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ActReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(prediction, "prediction");
        if (kind == Kind.PREDICTED && prediction.isEmpty()) throw new IllegalArgumentException("no prediction");
    }

    public static ActReason predicted(Prediction p, double maxProbability) {
        return new ActReason(Kind.PREDICTED, Optional.of(p), maxProbability);
    }

    public String describe() {
        if (kind == Kind.TRIGGER) return "trigger";
        Prediction p = prediction.orElseThrow();
        return "predicted: " + p.describe() + " > the owner's " + Prediction.percent(maxProbability);
    }
}
