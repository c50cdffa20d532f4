package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unwind config check} takes the file as the other commands do (--config) or positionally. */
@Tag("pure")
class ConfigCheckTest {
    /** A devnet-style config (development account key) that loads without a keystore; BuiltJarIT uses it too. */
    static final String CONFIG = """
            chain: {id: 31337, endpoints: [{url: "http://127.0.0.1:8545"}]}
            contracts: {morpho: "0x0000000000000000000000000000000000000001", lens: "0x0000000000000000000000000000000000000002"}
            vaults: ["0x0000000000000000000000000000000000000003"]
            keeper: {devAccount: 3}
            """;

    @TempDir
    Path dir;

    private String file;

    @BeforeEach
    void writeConfig() throws IOException {
        file = Files.writeString(dir.resolve("keeper.yaml"), CONFIG).toString();
    }

    @Test
    void takesTheFileWithConfigAsEveryOtherCommandDoes() {
        Unwind.Run r = Unwind.run("config", "check", "--config", file);
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("configuration ok", file);
        Unwind.Run shortForm = Unwind.run("config", "check", "-c", file, "--json");
        assertThat(shortForm.exit()).as("%s", shortForm).isZero();
        assertThat(shortForm.json().get("file").asText()).isEqualTo(file);
    }

    @Test
    void andStillPositionally() {
        Unwind.Run r = Unwind.run("config", "check", file);
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.out()).contains("configuration ok");
    }

    @Test
    void twoDifferentFilesAreAUsageError() throws IOException {
        String other = Files.writeString(dir.resolve("other.yaml"), CONFIG).toString();
        Unwind.Run r = Unwind.run("config", "check", file, "--config", other);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("two configurations given", "give one");
    }

    @Test
    void aDirectoryIsSaidPlainly() {
        Unwind.Run r = Unwind.run("config", "check", "--config", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(dir + " is a directory, not a config file");
    }
}
