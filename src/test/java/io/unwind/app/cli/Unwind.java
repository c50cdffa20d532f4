package io.unwind.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code unwind} commands in-process, as a user would type them, and keeps what they printed. */
final class Unwind {
    /**
     * {@code unwind run --config CONFIG}, as a user starts it, in a daemon thread: its standard error into {@code err};
     * interrupting the thread stops the keeper.
     */
    static Thread startKeeper(String config, java.io.StringWriter err) {
        Thread keeper = new Thread(
                () -> Main.execute(
                        new PrintWriter(new StringWriter(), true),
                        new PrintWriter(err, true),
                        "run",
                        "--config",
                        config),
                "test-keeper");
        keeper.setDaemon(true);
        keeper.start();
        return keeper;
    }

    /**
     * A command's words followed by the options every command of a test repeats ({@code --vault V --dev-account N}).
     */
    static String[] concat(String[] tail, String... head) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (Exception e) {
                throw new AssertionError("not JSON (exit " + exit + "): " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Unwind() {}

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The args with --config FILE appended. */
    static String[] with(String config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--config");
        all.add(config);
        return all.toArray(String[]::new);
    }
}
