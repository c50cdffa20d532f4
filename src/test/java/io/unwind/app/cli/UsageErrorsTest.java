package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A value picocli's converters refuse is one line naming the option, exit 2, before anything is read or sent. */
@Tag("pure")
class UsageErrorsTest {
    @Test
    void aBadAddressIsAUsageErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "status", "--owner", "0x12");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString())
                .startsWith("unwind: --owner: ")
                .doesNotContain("Usage:")
                .hasLineCount(1);
    }

    @Test
    void typedValuesReadAsTheUnitsRulesSay() {
        assertThat(Converters.duration("90")).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(Converters.duration("500ms")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(Converters.bps("0.5%").value()).isEqualTo(50);
        assertThat(AmountText.of("21_000.5").text()).isEqualTo("21_000.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Converters.amountText("0,5"))
                .hasMessageStartingWith("'0,5': write 0.5");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Converters.bps("0.8"))
                .hasMessageContaining("has no unit");
    }

    @Test
    void picocliOwnParseErrorsKeepTheirUsage() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "status", "--fnud");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("fnud");
    }

    @Test
    void commandLineMistakesAreOneLineNamingTheOptionBeforeAnyChainIsContacted() {
        assertThat(usageError("bench", "scan", "--vaults", "0"))
                .isEqualTo("unwind: --vaults: must be at least 1, not 0");
        assertThat(usageError("vault", "show", "--dev-account", "25"))
                .isEqualTo("unwind: --dev-account: must be 0..19, not 25");
        assertThat(usageError("router", "allow", "0x12", "--dev-account", "2")).startsWith("unwind: ROUTER: ");
        assertThat(usageError("router", "allow", "both", "--selector", "nope", "--dev-account", "2"))
                .startsWith("unwind: --selector: 'nope' is neither 0x and 8 hex digits nor a function signature");
        assertThat(usageError("bench"))
                .isEqualTo("unwind: bench: name a benchmark: scan, engine or gas (unwind bench --help)");
    }

    @Test
    void aMissingConfigurationIsAUsageError() {
        // The build hands the tests a blank UNWIND_CONFIG (pom.xml), which the loader reads as not set.
        assertThat(System.getenv("UNWIND_CONFIG")).isNullOrEmpty();
        assertThat(usageError("tx", "list"))
                .isEqualTo("unwind: which journal? pass --config FILE (the keeper's), or set UNWIND_CONFIG");
    }

    private static String usageError(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertThat(code).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).as(String.join(" ", args)).hasLineCount(1);
        return err.toString().strip();
    }
}
