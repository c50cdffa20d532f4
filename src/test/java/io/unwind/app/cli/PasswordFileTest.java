package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.app.config.ConfigException;
import io.unwind.app.config.UnwindConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One reading of a password file for every command: a file that {@code keystore inspect --check-password} accepts is
 * the password {@code run} unlocks the keeper's key with (it used to read the whole file there, the first line here).
 */
@Tag("pure")
class PasswordFileTest {
    @TempDir
    Path dir;

    private static UnwindConfig.Key keeperKey(Path passwordFile) {
        return new UnwindConfig.Key(
                Optional.of(Path.of("keeper.json")),
                Optional.of(passwordFile),
                Optional.empty(),
                Optional.empty(),
                false);
    }

    @Test
    void theKeeperAndTheCommandsReadTheSamePasswordFromAFileOfSeveralLines() throws Exception {
        Path file =
                Files.writeString(dir.resolve("keeper.pass"), "  first line is the password \r\nsecond line: a note\n");
        char[] command = Passwords.read(file, null, "password", "--password-file", "--password-env");
        char[] keeper = Keys.password(keeperKey(file));
        assertThat(new String(command)).isEqualTo("first line is the password");
        assertThat(keeper).isEqualTo(command);
    }

    @Test
    void anEmptyFirstLineIsRefusedByBothWithTheFileNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pass"), "\nthe password on the second line\n");
        assertThatThrownBy(() -> Passwords.read(file, null, "password", "--password-file", "--password-env"))
                .hasMessageContaining("--password-file")
                .hasMessageContaining("first line is empty")
                .hasMessageNotContaining("second line");
        assertThatThrownBy(() -> Keys.password(keeperKey(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("first line is empty")
                .hasMessageNotContaining("second line");
    }
}
