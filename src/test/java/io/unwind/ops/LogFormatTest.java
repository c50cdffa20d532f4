package io.unwind.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The log is human-readable by default and one JSON object per line with UNWIND_LOG_FORMAT=json (a fresh JVM each). */
@Tag("process")
class LogFormatTest {
    private static String run(Map<String, String> env, String mainClass, String... args) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("UNWIND_LOG_FORMAT");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + "\n" + out;
    }

    @Test
    void textByDefaultJsonOnRequestAndAnyOtherValueRefused() throws Exception {
        // The test classpath has logback-test.xml first; point logback at the keeper's own configuration.
        Map<String, String> main = Map.of("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=logback.xml");
        String text = run(main, LogProbe.class.getName());
        assertThat(text)
                .startsWith("0\n")
                .containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Keeper - vault 0x8acd\\S+ LTV 84.00%: sell");

        String json = run(
                Map.of("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=logback.xml", "UNWIND_LOG_FORMAT", "json"),
                LogProbe.class.getName());
        String line = json.lines()
                .filter(l -> l.startsWith("{"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JSON line in: " + json));
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("level").asText()).isEqualTo("INFO");
        assertThat(n.get("loggerName").asText()).isEqualTo("io.unwind.engine.Keeper");
        assertThat(n.get("formattedMessage").asText())
                .contains(
                        "vault 0x8acd85898458400f7db866d53fcff6f0d49741ff",
                        "via uniswap-v3-3000",
                        "tx " + org.web3j.crypto.Hash.sha3String("a transaction"));
        assertThat(json.lines()
                        .filter(l -> !l.isBlank()
                                && !l.startsWith("{")
                                && !l.startsWith("0")
                                && !l.startsWith("Picked up JAVA_TOOL_OPTIONS")))
                .as("nothing but JSON lines")
                .isEmpty();

        String refused = run(Map.of("UNWIND_LOG_FORMAT", "xml"), "io.unwind.app.Main", "status");
        assertThat(refused).startsWith("2\n").contains("UNWIND_LOG_FORMAT must be text or json, not 'xml'");
    }
}
