package io.unwind.route.aggregator;

import io.unwind.route.SourceException;

/**
 * An aggregator call that produced no usable quote, with what kind of failure it was. Only failures of the vendor's
 * service count against its circuit breaker; a business answer (a 4xx saying the request cannot be served, an
 * inconsistent quote) means the service is up and working.
 */
public final class AggregatorException extends SourceException {
    public enum Kind {
        /** Connection refused, reset, DNS: the service could not be reached. */
        TRANSPORT(true, true),
        /** No answer within the time limit. */
        TIMEOUT(true, false),
        /** HTTP 5xx. */
        SERVER_ERROR(true, true),
        /** HTTP 429: the vendor throttles us. Retrying within the round only makes it worse. */
        RATE_LIMITED(true, false),
        /** Not the JSON the vendor documents: unparseable, an HTML error page, fields missing or of the wrong type. */
        MALFORMED(true, false),
        /** A 4xx business error, or a well-formed answer that contradicts the request: the service works. */
        REJECTED(false, false);

        private final boolean tripsBreaker;
        private final boolean retryable;

        Kind(boolean tripsBreaker, boolean retryable) {
            this.tripsBreaker = tripsBreaker;
            this.retryable = retryable;
        }

        public boolean tripsBreaker() {
            return tripsBreaker;
        }

        public boolean retryable() {
            return retryable;
        }

        /** The metric label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;

    public AggregatorException(String source, Kind kind, String message) {
        super(source, kind.label() + ": " + message);
        this.kind = kind;
    }

    public AggregatorException(String source, Kind kind, String message, Throwable cause) {
        super(source, kind.label() + ": " + message, cause);
        this.kind = kind;
    }

    /** The same failure with {@code key} blanked out of its message, should a vendor have echoed it. */
    AggregatorException without(java.util.Optional<ApiKey> key) {
        if (key.isEmpty() || !getMessage().contains(key.get().reveal())) return this;
        String prefix = source() + ": " + kind.label() + ": ";
        return new AggregatorException(
                source(),
                kind,
                getMessage().substring(prefix.length()).replace(key.get().reveal(), "[redacted]"));
    }

    public Kind kind() {
        return kind;
    }

    public boolean tripsBreaker() {
        return kind.tripsBreaker();
    }
}
