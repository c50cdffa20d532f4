package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.Main;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command explains itself with an example, prints data as JSON on request, and is in the completion script. */
@Tag("pure")
class HelpTest {
    /** The leaves whose output is not data: a daemon's log, a chain left running, a script. */
    private static final Set<String> NO_JSON =
            Set.of("unwind run", "unwind devnet", "unwind completion", "unwind help");

    private static List<CommandLine> all(CommandLine c) {
        List<CommandLine> out = new ArrayList<>(List.of(c));
        c.getSubcommands().values().stream().distinct().forEach(s -> out.addAll(all(s)));
        return out;
    }

    private static String path(CommandLine c) {
        return c.getCommandSpec().qualifiedName(" ");
    }

    @Test
    void everyCommandHasHelpWithAnExampleAndJsonWhereItPrintsData() {
        List<CommandLine> commands = all(new CommandLine(new Main()));
        assertThat(commands).hasSizeGreaterThan(30);
        for (CommandLine c : commands) {
            if (c.getCommandName().equals("help")) continue;
            String usage = c.getUsageMessage();
            assertThat(c.getCommandSpec().usageMessage().description())
                    .as(path(c))
                    .isNotEmpty();
            if (!c.getCommandName().equals("unwind"))
                assertThat(usage).as(path(c)).containsPattern("Examples?[ (:]");
            boolean leaf = c.getSubcommands().isEmpty() || path(c).equals("unwind devnet");
            if (leaf && !NO_JSON.contains(path(c))) {
                assertThat(c.getCommandSpec().optionsMap())
                        .as(path(c) + " prints data, so it takes --json")
                        .containsKey("--json");
            }
        }
    }

    /**
     * picocli formats descriptions and footers with String.format: a bare '%' ("80% --target") makes it print a
     * "[picocli WARN] Could not format" line on stderr and the raw text. Every command's --help must render cleanly.
     */
    @Test
    void everyCommandsHelpRendersWithoutAPicocliWarning() {
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        List<String> problems = new ArrayList<>();
        System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (CommandLine c : all(new CommandLine(new Main()))) {
                List<String> args = new ArrayList<>(List.of(path(c).split(" ")));
                args.removeFirst(); // "unwind"
                args.add("--help");
                stderr.reset();
                Unwind.Run r = Unwind.run(args.toArray(String[]::new));
                String printed = stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
                if (r.exit() != 0
                        || !r.err().isEmpty()
                        || !printed.isEmpty()
                        || r.out().contains("%n")
                        || !r.out().contains("Usage: " + path(c))) {
                    problems.add(path(c) + " --help: exit " + r.exit() + ", stderr: " + r.err() + printed);
                }
            }
        } finally {
            System.setErr(realErr);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void helpExitsZeroAndListsTheExitCodes() {
        Unwind.Run r = Unwind.run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Exit codes:", "nothing was sent", "devnet", "status", "events", "keystore");
        Unwind.Run sub = Unwind.run("policy", "set", "--help");
        assertThat(sub.exit()).isZero();
        assertThat(sub.out()).contains("Checked before anything is sent", "--max-slippage", "Examples:");
    }

    @Test
    void aMistypedCommandIsAUsageError() {
        Unwind.Run r = Unwind.run("vault", "fnud", "10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("fnud");
    }

    @Test
    void theCompletionScriptKnowsEveryCommand() {
        Unwind.Run r = Unwind.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F", "_picocli_unwind");
        for (String c : List.of(
                "devnet",
                "status",
                "vault",
                "fund",
                "borrow",
                "policy",
                "keeper",
                "router",
                "events",
                "keystore",
                "inspect")) assertThat(r.out()).as(c).contains(c);
    }
}
