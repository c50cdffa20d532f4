package io.unwind.app;

import io.unwind.app.cli.DemoCommand;
import io.unwind.app.cli.ExitCodes;
import io.unwind.app.cli.RunCommand;
import io.unwind.app.cli.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code unwind} command. One small command class per verb. */
@Command(
        name = "unwind",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Protects leveraged Morpho Blue positions by deleveraging them before they can be liquidated.",
        subcommands = {RunCommand.class, DemoCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:the command failed (see the message)",
            "2:invalid usage or configuration (see the message)",
            "3:a simulated protected vault was liquidated"
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new Main()).setExecutionExceptionHandler(ExitCodes::handle).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"unwind " + (v == null ? "dev" : v)};
        }
    }
}
