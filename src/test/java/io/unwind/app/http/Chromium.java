package io.unwind.app.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, headless, as the status page's browser in tests. */
final class Chromium {
    private Chromium() {}

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        throw new AssertionError("chromium is not installed: the status page is tested in a real browser. "
                + "Install Debian's package (apt-get install -y chromium); .ci/run does.");
    }

    /** The page's DOM after its scripts ran (virtual time lets its fetches and timers finish). */
    static String dumpDom(String url, Path profile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                binary().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=10000",
                "--dump-dom",
                url));
        Path err = Files.createTempFile(profile.getParent(), "chromium", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s");
        }
        if (p.exitValue() != 0)
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(err));
        return new String(out, StandardCharsets.UTF_8);
    }
}
