package io.unwind.app;

import io.unwind.app.cli.BenchCommand;
import io.unwind.app.cli.CompletionCommand;
import io.unwind.app.cli.ConfigCommand;
import io.unwind.app.cli.DemoCommand;
import io.unwind.app.cli.DeployCommand;
import io.unwind.app.cli.DevnetCommand;
import io.unwind.app.cli.EventsCommand;
import io.unwind.app.cli.ExitCodes;
import io.unwind.app.cli.GuardCommand;
import io.unwind.app.cli.HedgeCommand;
import io.unwind.app.cli.KeeperCommand;
import io.unwind.app.cli.KeystoreCommand;
import io.unwind.app.cli.MarketCommand;
import io.unwind.app.cli.NetworkCommand;
import io.unwind.app.cli.PolicyCommand;
import io.unwind.app.cli.PortfolioCommand;
import io.unwind.app.cli.ReserveCommand;
import io.unwind.app.cli.RouterCommand;
import io.unwind.app.cli.RunCommand;
import io.unwind.app.cli.SimulateCommand;
import io.unwind.app.cli.StatusCommand;
import io.unwind.app.cli.TxCommand;
import io.unwind.app.cli.VaultCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code unwind} command. One small command class per verb. */
@Command(
        name = "unwind",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help and --version on every subcommand too
        versionProvider = Main.Version.class,
        description =
                "Protects leveraged Morpho Blue and Aave V3 positions by deleveraging them before they can be liquidated.",
        subcommands = {
            RunCommand.class,
            DemoCommand.class,
            SimulateCommand.class,
            DevnetCommand.class,
            DeployCommand.class,
            NetworkCommand.class,
            StatusCommand.class,
            PortfolioCommand.class,
            MarketCommand.class,
            VaultCommand.class,
            ReserveCommand.class,
            HedgeCommand.class,
            PolicyCommand.class,
            GuardCommand.class,
            KeeperCommand.class,
            RouterCommand.class,
            TxCommand.class,
            EventsCommand.class,
            KeystoreCommand.class,
            ConfigCommand.class,
            BenchCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Every command has --help with examples; commands that print data take --json.",
            "The chain, contracts and vaults come from --config FILE or $UNWIND_CONFIG (unwind devnet writes one)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed: the chain, the database or a file could not be used, a transaction reverted on chain, or a "
                    + "simulation stopped early (its partial report is printed)",
            "2:invalid usage, configuration or input; nothing was sent",
            "3:a simulated protected vault was liquidated (simulate, demo)",
            "4:the contract would revert the transaction (reason printed); nothing was sent",
            "70:internal error: a bug in Unwind, or out of memory (the message says which)",
            "137:killed: out of memory under ./unwind's JVM options (raise -Xmx in UNWIND_JAVA_OPTS)"
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = execute(new PrintWriter(System.out, true), err, args);
        } catch (Throwable t) { // an Error out of a command (picocli passes Errors through): never a business exit code
            code = ExitCodes.internal(err, t);
        }
        System.exit(code);
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command with its output and errors going to the given writers (as tests capture them). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        String format = System.getenv("UNWIND_LOG_FORMAT");
        if (format != null && !format.equals("text") && !format.equals("json")) {
            err.println("unwind: UNWIND_LOG_FORMAT must be text or json, not '" + format + "'");
            err.flush();
            return ExitCodes.USAGE;
        }
        return io.unwind.app.cli.Cli.configure(new CommandLine(new Main()))
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(ExitCodes::handle)
                .setUsageHelpWidth(120)
                .setUsageHelpAutoWidth(true) // the terminal's width, else 120 columns
                .execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The jar's Implementation-Version (the build writes the project version into its manifest). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"unwind " + (v == null ? "dev (run from classes, not from a built jar)" : v)};
        }
    }
}
