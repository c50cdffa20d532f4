package io.unwind.app.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * scenarios/README.md documents the public interface: every field a scenario file may hold (the names ScenarioLoader
 * accepts) and every field of {@code simulate --json} (the report's records). A field added without its line fails
 * here.
 */
@Tag("pure")
class ScenarioDocTest {
    private static final Path ROOT = Path.of(System.getProperty("unwind.contracts.dir", "contracts"))
            .toAbsolutePath()
            .getParent();
    private static final Pattern ONLY = Pattern.compile("\\.only\\(([^)]*)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"([A-Za-z]+)\"");

    @Test
    void everyScenarioFieldTheLoaderAcceptsIsDocumented() throws IOException {
        String loader = Files.readString(ROOT.resolve("src/main/java/io/unwind/app/sim/ScenarioLoader.java"));
        List<String> fields = new ArrayList<>();
        Matcher m = ONLY.matcher(loader);
        while (m.find()) {
            Matcher q = QUOTED.matcher(m.group(1));
            while (q.find()) fields.add(q.group(1));
        }
        assertThat(fields)
                .as("fields read from ScenarioLoader's only(...) lists")
                .hasSizeGreaterThan(20);
        String doc = Files.readString(ROOT.resolve("scenarios/README.md"));
        assertThat(fields)
                .allSatisfy(f -> assertThat(doc)
                        .as("scenarios/README.md documents `" + f + "`")
                        .contains("`" + f + "`"));
    }

    @Test
    void everyFieldOfTheJsonReportIsDocumented() throws IOException {
        String doc = Files.readString(ROOT.resolve("scenarios/README.md"));
        for (Class<?> c : List.of(
                SimulationReport.class,
                SimulationReport.Vault.class,
                SimulationReport.Action.class,
                SimulationReport.Keeper.class,
                SimulationReport.ReactionBlocks.class,
                SimulationReport.PriceStep.class,
                SimulationReport.Market.class)) {
            for (RecordComponent rc : c.getRecordComponents()) {
                assertThat(doc)
                        .as("scenarios/README.md documents " + c.getSimpleName() + "." + rc.getName())
                        .contains(rc.getName());
            }
        }
    }
}
