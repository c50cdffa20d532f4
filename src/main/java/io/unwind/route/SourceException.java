package io.unwind.route;

/** A route source failed to answer usefully: transport error, timeout, HTTP error, malformed response. */
public class SourceException extends RuntimeException {
    private final String source;

    public SourceException(String source, String message) {
        super(source + ": " + message);
        this.source = source;
    }

    public SourceException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    public String source() {
        return source;
    }
}
