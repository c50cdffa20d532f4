package io.unwind.walkthrough;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell commands of a Markdown document's code blocks, read as a user reads them: the first {@code sh} block after
 * a heading, one command a line. Tests run these lines verbatim, so the document cannot drift from what is tested.
 */
final class Readme {
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+#.*$");

    private final Path file;
    private final List<String> lines;

    private Readme(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    static Readme read(Path file) {
        try {
            return new Readme(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command lines of the first code block after the heading that starts with {@code heading}. */
    List<String> block(String heading) {
        int h = -1;
        for (int i = 0; i < lines.size() && h < 0; i++) {
            if (lines.get(i).startsWith("#")
                    && lines.get(i).replaceFirst("^#+\\s*", "").startsWith(heading)) h = i;
        }
        if (h < 0) throw new AssertionError(file + " has no heading starting with '" + heading + "'");
        int open = -1;
        for (int i = h + 1; i < lines.size() && open < 0; i++) {
            if (lines.get(i).startsWith("```")) open = i;
            else if (lines.get(i).startsWith("#")) break;
        }
        if (open < 0) throw new AssertionError(file + ": no code block under '" + heading + "'");
        List<String> out = new ArrayList<>();
        for (int i = open + 1; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            if (!lines.get(i).isBlank()) out.add(lines.get(i).strip());
        }
        if (out.isEmpty()) throw new AssertionError(file + ": the code block under '" + heading + "' is empty");
        return out;
    }

    /** The one line of {@code heading}'s block whose command (comment left out) starts with {@code prefix}. */
    String line(String heading, String prefix) {
        List<String> found = block(heading).stream()
                .filter(l -> command(l).startsWith(prefix))
                .toList();
        if (found.size() != 1)
            throw new AssertionError(
                    file + ": expected one '" + prefix + "' line under '" + heading + "', found " + found);
        return found.get(0);
    }

    /** A line without its trailing comment: what the shell runs. */
    static String command(String line) {
        return TRAILING_COMMENT.matcher(line).replaceFirst("").strip();
    }
}
