package io.unwind.app.cli;

import io.unwind.app.config.ConfigException;
import io.unwind.chain.ChainException;
import io.unwind.store.DatabaseException;
import io.unwind.tx.KeystoreException;
import picocli.CommandLine;

/**
 * Maps failures to exit codes and one clear line on stderr: what was wrong and what to do.
 *
 * <p>0 done; 1 failed (the chain or database could not be reached, a transaction reverted on chain, a simulation
 * stopped before its last block); 2 invalid usage, configuration or input, refused before anything was sent; 3 a
 * simulated protected vault was liquidated; 4 the contract would revert the transaction, so it was not sent (the reason
 * is printed); 70 an internal error (a bug, or the JVM out of memory): never one of the codes above, so a script cannot
 * mistake a crash for a business outcome. The launcher kills a JVM that runs out of heap (exit 137, see
 * {@code ./unwind}).
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PROTECTED_VAULT_LIQUIDATED = 3;
    public static final int REFUSED = 4;
    /** EX_SOFTWARE from sysexits.h. */
    public static final int INTERNAL = 70;

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
                if (isBug(e)) return internal(err, e);
                err.println("unwind: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                if (System.getenv("UNWIND_DEBUG") != null) e.printStackTrace(err);
                else err.println("unwind: (set UNWIND_DEBUG=1 for the stack trace)");
                return FAILED;
            }
        }
    }

    /**
     * Exceptions that only a defect in Unwind throws. An {@link IllegalStateException} is not among them: the adapters
     * use it for an unusable environment (a port taken, a scheduler that cannot start), which is exit 1.
     */
    private static boolean isBug(Throwable e) {
        return e instanceof NullPointerException
                || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException
                || e instanceof ArithmeticException
                || e instanceof UnsupportedOperationException
                || e instanceof java.util.ConcurrentModificationException
                || e instanceof java.util.NoSuchElementException;
    }

    /** An internal error (a bug, or an Error such as out of memory): exit 70 with what to report. */
    public static int internal(java.io.PrintWriter err, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            err.println("unwind: internal error: out of memory (" + e.getMessage() + "; max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB). Give the JVM more with UNWIND_JAVA_OPTS=-Xmx1g.");
        } else {
            err.println("unwind: internal error: " + e
                    + ". This is a bug in Unwind; please report it with the output of the "
                    + "same command run with UNWIND_DEBUG=1.");
        }
        if (System.getenv("UNWIND_DEBUG") != null) e.printStackTrace(err);
        err.flush();
        return INTERNAL;
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
