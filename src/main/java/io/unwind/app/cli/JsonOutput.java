package io.unwind.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --json} switch every command that answers in JSON shares, with the writers of the command it is mixed
 * into. The answer's shape is documented once, in docs/JSON.md (scripts depend on its field names).
 */
final class JsonOutput {
    @Option(names = "--json", description = "Print the answer as JSON instead of text.")
    boolean on;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Whether the answer is JSON. */
    boolean on() {
        return on;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code value} (a record, list or map) as one indented JSON document. */
    void print(Object value) {
        Json.print(out(), value);
    }
}
