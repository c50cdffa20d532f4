package io.unwind.domain.route;

import java.util.Objects;

/** A reason and the figures behind it. */
public record Rejection(RejectReason reason, String detail) {
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
