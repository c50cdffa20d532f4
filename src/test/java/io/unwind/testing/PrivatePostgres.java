package io.unwind.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for one test, so that the test may stop and restart it: unlike the shared server of
 * {@code scripts/test-postgres.sh}, nothing else uses it. Its data and its Unix socket are in a fresh temporary
 * directory, it listens on a free port of 127.0.0.1, and it trusts every local connection (it holds test data only).
 * initdb and postgres refuse to run as root, so it runs as the {@code postgres} OS user, as the script does. It has one
 * database, {@link #url()}, owned by the login role {@link #user()}. Stopped and deleted on close.
 */
public final class PrivatePostgres implements AutoCloseable {
    private static final String USER = "unwind_test";
    private static final String PASSWORD = "unwind-test";
    private static final String DATABASE = "unwind";

    private final Path bin;
    private final String dir;
    private final int port;
    private boolean running;

    private PrivatePostgres(Path bin, String dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Creates the server's data directory and starts it. */
    public static PrivatePostgres start() {
        Path bin = binaries();
        String dir = asPostgres("mktemp -d /tmp/unwind-pg.XXXXXX").strip();
        PrivatePostgres pg = new PrivatePostgres(bin, dir, freePort());
        try {
            asPostgres(pg.tool("initdb") + " -D " + dir + "/data -U postgres --auth=trust -E UTF8 --no-sync");
            pg.up();
            try (Connection c = DriverManager.getConnection(pg.url("postgres"), "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            }
            return pg;
        } catch (SQLException | RuntimeException e) {
            pg.close();
            throw new IllegalStateException("cannot start a private PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return url(DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Stops the server the way an operator's restart does ({@code pg_ctl -m fast}: open sessions are ended). */
    public void stop() {
        asPostgres(tool("pg_ctl") + " -D " + dir + "/data -m fast -w stop");
        running = false;
    }

    /** Starts the stopped server again on the same port; returns once it accepts connections. */
    public void up() {
        asPostgres(tool("pg_ctl") + " -D " + dir + "/data -l " + dir + "/log -w -t 60 -o \"-p " + port + " -k " + dir
                + " -c listen_addresses=127.0.0.1 -c fsync=off\" start");
        running = true;
    }

    /** Stops the server, keeps it down for {@code downMillis}, and starts it again. */
    public void restart(long downMillis) {
        stop();
        try {
            Thread.sleep(downMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL is down", e);
        }
        up();
    }

    @Override
    public void close() {
        try {
            if (running) stop();
        } finally {
            asPostgres("rm -rf " + dir);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    /** The newest PostgreSQL's programs in Debian's layout (/usr/lib/postgresql/VERSION/bin). */
    private static Path binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("this test starts a PostgreSQL server of its own and "
                            + "needs initdb and pg_ctl in /usr/lib/postgresql/*/bin (apt install postgresql)"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + root, e);
        }
    }

    private static int version(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /** Runs a shell command as the postgres OS user and returns its output; fails with its output if it fails. */
    private static String asPostgres(String command) {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> argv = root
                ? List.of("su", "postgres", "-c", command)
                : List.of("sudo", "-n", "-u", "postgres", "sh", "-c", command);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "as the postgres user (" + (root ? "su" : "sudo -n") + "): " + command + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0) + " to act as the postgres user", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
