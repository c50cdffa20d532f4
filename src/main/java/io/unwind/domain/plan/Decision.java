package io.unwind.domain.plan;

import io.unwind.domain.risk.Urgency;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What the planner decided for one vault at one block: hold (and why) or act (how, and how urgently). */
public sealed interface Decision {

    /**
     * Do nothing this time.
     *
     * @param reason the machine-readable reason
     * @param detail the numbers behind it, for people
     * @param until when the reason lapses by itself, if it does (the end of a cooldown)
     */
    record Hold(HoldReason reason, String detail, Optional<Instant> until) implements Decision {
        public Hold {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(until, "until");
        }

        static Hold of(HoldReason reason, String detail) {
            return new Hold(reason, detail, Optional.empty());
        }
    }

    /** Act now with {@code plan}; {@code urgency} drives the fee policy; {@code reason} says why now. */
    record Act(Plan plan, Urgency urgency, ActReason reason) implements Decision {
        public Act {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(urgency, "urgency");
            Objects.requireNonNull(reason, "reason");
        }

        /** An action at or over the hard trigger. */
        public Act(Plan plan, Urgency urgency) {
            this(plan, urgency, ActReason.TRIGGER);
        }

        Act because(ActReason r) {
            return new Act(plan, urgency, r);
        }
    }
}
