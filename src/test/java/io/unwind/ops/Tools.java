package io.unwind.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The repository's files and the external tools the ops checks run (from Debian's packages). */
final class Tools {
    record Result(int exit, String output) {}

    private Tools() {}

    static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("ops"))) return p;
        }
        throw new AssertionError("cannot find the repository (a directory with pom.xml and ops/) from "
                + Path.of("").toAbsolutePath());
    }

    static Path ops() {
        return repo().resolve("ops");
    }

    static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) return p;
        }
        throw new AssertionError(
                "promtool is not installed: the alert rules are checked with it. Install Debian's package "
                        + "(apt-get install -y prometheus); .ci/run does.");
    }

    static Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(cmd));
        Process p = new ProcessBuilder(all)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
