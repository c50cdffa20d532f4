package io.unwind.local.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** An emulated aggregator's answer. */
record Reply(int status, String contentType, String body, Map<String, String> headers) {
    static Reply json(int status, JsonNode body) {
        return new Reply(status, "application/json; charset=utf-8", body.toString(), Map.of());
    }

    Reply withHeaders(Map<String, String> h) {
        return new Reply(status, contentType, body, h);
    }
}
