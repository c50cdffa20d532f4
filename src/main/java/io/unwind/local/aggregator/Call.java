package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One request an emulated aggregator received, as recorded for tests: the vendor, method, path below the vendor's
 * prefix, decoded query, headers (names lower-case), the raw and parsed body, and the status and body of the answer.
 */
public record Call(
        String vendor,
        String method,
        String path,
        Map<String, String> query,
        Map<String, List<String>> headers,
        String rawBody,
        JsonNode body,
        int status,
        String response) {

    Call answered(Reply r) {
        return new Call(vendor, method, path, query, headers, rawBody, body, r.status(), r.body());
    }

    /** The answer's JSON, or a missing node when it was not JSON. */
    public JsonNode responseJson() {
        try {
            JsonNode n = Desk.JSON.readTree(response);
            return n == null ? Desk.JSON.missingNode() : n;
        } catch (java.io.IOException e) {
            return Desk.JSON.missingNode();
        }
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A required query parameter, or an {@link ApiError} naming it. */
    String param(String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) throw new ApiError(400, "missing query parameter " + name, name);
        return v;
    }

    JsonNode field(String name) {
        JsonNode v = body == null ? null : body.get(name);
        if (v == null || v.isNull()) throw new ApiError(400, "missing body field " + name, name);
        return v;
    }

    /** A request the vendor refuses: the API renders it in its own error shape. */
    static final class ApiError extends RuntimeException {
        final int status;
        final String field;

        ApiError(int status, String message, String field) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }
}
