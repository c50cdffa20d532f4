package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a password comes from: a file (its first line), an environment variable, or the terminal without echo. Never
 * from a command-line argument, which other users can read in the process list and which stays in shell history.
 */
final class Passwords {
    private Passwords() {}

    static char[] read(Path file, String env, String prompt, String fileOption, String envOption) {
        if (file != null) {
            try {
                return fromFile(file);
            } catch (IOException e) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "cannot read " + fileOption + " " + file + " ("
                                + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, fileOption + " " + file + ": " + e.getMessage());
            }
        }
        if (env != null) {
            String v = System.getenv(env);
            if (v == null || v.isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE, envOption + ": the environment variable " + env + " is not set or empty");
            }
            return v.toCharArray();
        }
        Console c = System.console();
        if (c == null) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "no password: pass " + fileOption + " FILE or " + envOption
                            + " NAME (there is no terminal to ask on)");
        }
        char[] p = c.readPassword("%s: ", prompt);
        if (p == null || p.length == 0) throw new UserError(ExitCodes.USAGE, "no password given");
        return p;
    }

    /**
     * The password in a password file: its first line, without the line break and surrounding white space. Every reader
     * of a password file (the owner's options, keystore commands, the keeper's {@code keeper.passwordFile}) goes
     * through here, so a file that one accepts the others read the same.
     *
     * @throws IllegalArgumentException when the first line is empty
     */
    static char[] fromFile(Path file) throws IOException {
        String s = Files.readString(file);
        int nl = s.indexOf('\n');
        char[] p = (nl < 0 ? s : s.substring(0, nl)).strip().toCharArray();
        if (p.length == 0)
            throw new IllegalArgumentException("its first line is empty (the password is the first line of the file)");
        return p;
    }

    /** A new password, asked twice on a terminal (or taken from a file or variable as it is). */
    static char[] readNew(Path file, String env, String what, String fileOption, String envOption) {
        if (file != null || env != null || System.console() == null)
            return read(file, env, what, fileOption, envOption);
        char[] a = read(null, null, what, fileOption, envOption);
        char[] b = read(null, null, what + " (again)", fileOption, envOption);
        try {
            if (!Arrays.equals(a, b)) {
                Arrays.fill(a, '\0');
                throw new UserError(ExitCodes.USAGE, "the two passwords differ; nothing was written");
            }
            return a;
        } finally {
            Arrays.fill(b, '\0');
        }
    }
}
