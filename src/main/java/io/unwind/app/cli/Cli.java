package io.unwind.app.cli;

/** Small parsing helpers shared by the commands. */
public final class Cli {
    private Cli() {}

    /** The converters and the usage-error handler every command shares. */
    public static picocli.CommandLine configure(picocli.CommandLine root) {
        return UsageErrors.install(Converters.register(root));
    }

    /** A usage error of the command {@code spec} describes: one line and exit 2 (see {@link UsageErrors}). */
    static picocli.CommandLine.ParameterException usage(picocli.CommandLine.Model.CommandSpec spec, String message) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), message);
    }

    static boolean isAll(String text) {
        return text.equalsIgnoreCase("all") || text.equalsIgnoreCase("max");
    }
}
