package io.unwind.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * How a usage error is said: a value a converter refused, or a {@link ParameterException} a command throws, is one
 * line, "unwind: OPTION: what is wrong and what to write", exit {@link ExitCodes#USAGE}. picocli's own parse errors (an
 * unknown option, a missing parameter, options that exclude each other) keep picocli's message and the usage.
 */
final class UsageErrors implements IParameterExceptionHandler {
    private static final String INVALID = "Invalid value for ";
    private final IParameterExceptionHandler picocli;

    private UsageErrors(IParameterExceptionHandler picocli) {
        this.picocli = picocli;
    }

    /** Installs the handler on {@code cmd}, keeping picocli's own for picocli's own parse errors. */
    static CommandLine install(CommandLine cmd) {
        return cmd.setParameterExceptionHandler(new UsageErrors(cmd.getParameterExceptionHandler()));
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cmd = ex.getCommandLine();
        if (ex.getClass() != ParameterException.class) return picocli.handleParseException(ex, args);
        String m = ex.getMessage();
        ArgSpec arg = ex.getArgSpec();
        if (arg != null && m.startsWith(INVALID)) {
            int cut = m.indexOf(": ");
            String why = cut < 0 ? m : m.substring(cut + 2);
            String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
            m = name + ": " + why;
        }
        cmd.getErr().println("unwind: " + m);
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }
}
