package io.unwind.route.aggregator;

import java.util.Objects;

/**
 * An aggregator API key. It is only ever put into a request header; {@link #toString()} never shows it, so a key cannot
 * reach a log line, an error message or a config dump by accident.
 */
public final class ApiKey {
    private final String value;

    public ApiKey(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) throw new IllegalArgumentException("an API key must not be blank");
        this.value = value.trim();
    }

    /** The secret itself, for the request header and nothing else. */
    String reveal() {
        return value;
    }

    /** Whether {@code candidate} is this key (constant time), for the local emulator's auth check. */
    public boolean matches(String candidate) {
        return candidate != null
                && java.security.MessageDigest.isEqual(
                        value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKey k && k.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKey[redacted]";
    }
}
