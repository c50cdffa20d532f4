package io.unwind.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** /ready's body is serialised from its record: any detail, a newline or a quote included, stays valid JSON. */
@Tag("pure")
class ReadinessJsonTest {
    @Test
    void aDetailWithANewlineIsValidJsonWithTheDocumentedFields() throws Exception {
        Map<String, StatusServer.Check> results = new LinkedHashMap<>();
        results.put("head", new StatusServer.Check(true, "block 12"));
        results.put("journal", new StatusServer.Check(false, "refused:\n\"db\" is down\t"));
        ObjectMapper m = new ObjectMapper();
        JsonNode body = m.readTree(m.writeValueAsString(StatusServer.readiness(results)));
        assertThat(body.get("status").asText()).isEqualTo("not ready");
        assertThat(body.get("reasons").get(0).asText()).isEqualTo("journal: refused:\n\"db\" is down\t");
        assertThat(body.get("checks").get("journal").get("detail").asText()).isEqualTo("refused:\n\"db\" is down\t");
        assertThat(body.get("checks").get("head").get("ok").asBoolean()).isTrue();
        assertThat(body.fieldNames()).toIterable().containsExactly("status", "reasons", "checks");
    }
}
