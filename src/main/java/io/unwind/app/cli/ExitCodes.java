package io.unwind.app.cli;

import io.unwind.app.config.ConfigException;
import picocli.CommandLine;

/** Maps failures to exit codes and one clear line on stderr: what was wrong and what to do. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PROTECTED_VAULT_LIQUIDATED = 3;

    private ExitCodes() {}

    public static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ConfigException c) {
            cmd.getErr().println("unwind: invalid configuration: " + c.getMessage());
            return USAGE;
        }
        if (e instanceof UserError u) {
            cmd.getErr().println("unwind: " + u.getMessage());
            return u.code();
        }
        cmd.getErr().println("unwind: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("UNWIND_DEBUG") != null) e.printStackTrace(cmd.getErr());
        return FAILED;
    }

    /** A failure the user can act on, with its exit code. */
    public static final class UserError extends RuntimeException {
        private final int code;

        public UserError(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
