package io.unwind.app.cli;

import io.unwind.app.config.ConfigException;
import io.unwind.chain.ChainException;
import io.unwind.store.DatabaseException;
import io.unwind.tx.KeystoreException;
import picocli.CommandLine;

/**
 * Maps failures to exit codes and one clear line on stderr: what was wrong and what to do.
 *
 * <p>0 done; 1 failed (the chain or database could not be reached, a transaction reverted on chain); 2 invalid
 * usage, configuration or input, refused before anything was sent; 3 a simulated protected vault was liquidated;
 * 4 the contract would revert the transaction, so it was not sent (the reason is printed).
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PROTECTED_VAULT_LIQUIDATED = 3;
    public static final int REFUSED = 4;

    private ExitCodes() {}

    public static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        var err = cmd.getErr();
        switch (e) {
            case ConfigException c -> {
                err.println("unwind: invalid configuration: " + c.getMessage());
                return USAGE;
            }
            case UserError u -> {
                err.println("unwind: " + u.getMessage());
                return u.code();
            }
            case KeystoreException k -> {
                err.println("unwind: " + k.getMessage());
                return USAGE;
            }
            case ChainException c -> {
                err.println("unwind: the chain could not be reached: " + c.getMessage()
                        + ". Check the RPC URL (--rpc or chain.endpoints in the config) and that the node is running.");
                return FAILED;
            }
            case DatabaseException d -> {
                err.println("unwind: " + d.getMessage());
                return FAILED;
            }
            default -> {
                err.println("unwind: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                if (System.getenv("UNWIND_DEBUG") != null) e.printStackTrace(err);
                else err.println("unwind: (set UNWIND_DEBUG=1 for the stack trace)");
                return FAILED;
            }
        }
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
