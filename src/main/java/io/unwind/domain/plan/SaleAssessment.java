package io.unwind.domain.plan;

import io.unwind.domain.money.TokenAmount;
import java.util.Objects;

/** The verdict on one quoted sale: send it, quote again at another size, or drop it. */
public sealed interface SaleAssessment {

    /** Send {@code order} (with the quote's route). */
    record Ready(SaleOrder order) implements SaleAssessment {
        public Ready {
            Objects.requireNonNull(order, "order");
        }
    }

    /**
     * The quote's rate differs from what the size assumed: quote again for {@code collateral} and assess that quote
     * with {@code nextAttempt}.
     */
    record Resize(TokenAmount collateral, int nextAttempt, String why) implements SaleAssessment {
        public Resize {
            Objects.requireNonNull(collateral, "collateral");
            Objects.requireNonNull(why, "why");
        }
    }

    /** Do not send this quote. */
    record Rejected(SaleRejection reason, String detail) implements SaleAssessment {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
