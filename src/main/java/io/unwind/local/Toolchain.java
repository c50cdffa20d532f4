package io.unwind.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the contracts project and its npm toolchain live: the system property {@code unwind.contracts.dir}, else
 * {@code $UNWIND_HOME/contracts}, else a {@code contracts/} directory in the working directory or one of its parents.
 * anvil, the forge output and the protocol artifacts are all found from there.
 */
public record Toolchain(Path contractsDir) {

    public static Toolchain locate() {
        List<Path> tried = new ArrayList<>();
        String prop = System.getProperty("unwind.contracts.dir");
        if (prop != null && !prop.isBlank()) return check(Path.of(prop), tried);
        String home = System.getenv("UNWIND_HOME");
        if (home != null && !home.isBlank()) return check(Path.of(home, "contracts"), tried);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path c = dir.resolve("contracts");
            tried.add(c);
            if (Files.isRegularFile(c.resolve("foundry.toml"))) return check(c, tried);
        }
        throw new IllegalStateException("cannot find the Unwind contracts directory (tried " + tried
                + "); run from the Unwind checkout, or set UNWIND_HOME to it");
    }

    private static Toolchain check(Path dir, List<Path> tried) {
        Toolchain t = new Toolchain(dir.toAbsolutePath().normalize());
        tried.add(dir);
        if (!Files.isExecutable(t.anvil())) {
            throw new IllegalStateException("anvil is not installed under " + t.contractsDir()
                    + "; run contracts/tools/setup.sh (or ./unwind, which runs it)");
        }
        return t;
    }

    public Path anvil() {
        return contractsDir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
    }

    public Path artifact(String relative) {
        return contractsDir.resolve(relative);
    }
}
