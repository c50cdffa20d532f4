package io.unwind.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's database: a HikariCP pool over a JDBC URL, migrated by Flyway when opened. Embedded H2 (in its
 * PostgreSQL mode) by default; PostgreSQL in cluster mode. Errors name the URL, never the password.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^;&]*");
    private static final Pattern URL_USERINFO = Pattern.compile("(//[^/:@]+:)[^@/]*@");

    private final HikariDataSource pool;
    private final String safeUrl;

    private Database(HikariDataSource pool, String safeUrl) {
        this.pool = pool;
        this.safeUrl = safeUrl;
    }

    /** An embedded H2 database in {@code dir} (created if missing). */
    public static String embeddedUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("unwind") + H2_OPTIONS;
    }

    /** A private in-memory H2 database that lives as long as the pool holds a connection to it. */
    public static String inMemoryUrl(String name) {
        return "jdbc:h2:mem:" + name + H2_OPTIONS;
    }

    /**
     * Connects and migrates the schema to the latest version.
     *
     * @throws DatabaseException naming the URL (with any password in it blanked) when the database cannot be reached or
     *     migrated
     */
    public static Database open(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        String safeUrl = redact(jdbcUrl);
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(durable(jdbcUrl));
        if (user != null) cfg.setUsername(user);
        if (password != null) cfg.setPassword(password);
        cfg.setPoolName("journal");
        cfg.setMaximumPoolSize(10); // the journal and, in cluster mode, Quartz's JDBC job store
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(5_000);
        cfg.setInitializationFailTimeout(1);
        cfg.setExceptionOverride(new EvictBrokenEmbedded());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new DatabaseException("cannot connect to the journal database at " + safeUrl
                    + (user == null ? "" : " as " + user) + ": " + scrub(rootMessage(e), password)
                    + ". Check that the database is running and the URL, user and password are right.");
        }
        try {
            var flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration");
            // Cluster mode schedules with Quartz's JDBC store, on PostgreSQL only.
            if (jdbcUrl.startsWith("jdbc:postgresql:")) flyway.javaMigrations(new V3__QuartzTables());
            var result = flyway.load().migrate();
            log.debug("journal database {} at schema version {}", safeUrl, result.targetSchemaVersion);
        } catch (RuntimeException e) {
            pool.close();
            throw new DatabaseException(
                    "cannot migrate the journal database at " + safeUrl + ": " + scrub(rootMessage(e), password));
        }
        return new Database(pool, safeUrl);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The URL with any password blanked. */
    public String url() {
        return safeUrl;
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * An embedded H2 database that fails to write its file (a full disk: ENOSPC, or EFBIG past a file size limit)
     * closes itself for good, and every statement on its connections then fails with "The database has been closed"
     * (90098). HikariCP keeps a connection unless the error's SQLSTATE says the connection broke (08xxx), so the pool
     * would hand out dead connections forever, and the keeper would never resume when space is back. Such connections
     * are thrown away instead: the next one opens the database from its file again, which works once the disk has room.
     */
    public static final class EvictBrokenEmbedded implements SQLExceptionOverride {
        private static final Set<Integer> H2_CLOSED_OR_IO = Set.of(
                90098, // DATABASE_IS_CLOSED
                90028, // IO_EXCEPTION_2
                90031 // IO_EXCEPTION_1
                );
        private static final int H2_GENERAL_ERROR = 50000;

        @java.lang.Override
        public SQLExceptionOverride.Override adjudicate(SQLException e) {
            for (SQLException s = e; s != null; s = s.getNextException()) {
                if (H2_CLOSED_OR_IO.contains(s.getErrorCode())) return SQLExceptionOverride.Override.MUST_EVICT;
                // The write that failed: H2 reports the store's failure as a general error, then closes the database.
                if (s.getErrorCode() == H2_GENERAL_ERROR
                        && s.getMessage() != null
                        && s.getMessage().contains("MVStoreException")) {
                    return SQLExceptionOverride.Override.MUST_EVICT;
                }
            }
            return SQLExceptionOverride.Override.CONTINUE_EVICT;
        }
    }

    /**
     * An embedded H2 file database writes committed transactions to its file in the background, up to WRITE_DELAY (500
     * ms) after the commit: a keeper killed in that window loses a nonce and an attempt it had journaled and then
     * broadcast, and the next process signs the action again. WRITE_DELAY=0 writes every commit before it returns (to
     * the operating system: it survives the death of the process, not of the machine). A URL that sets WRITE_DELAY
     * itself, an in-memory database and a server's database are left as they are.
     */
    static String durable(String jdbcUrl) {
        String u = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
        boolean embeddedFile = u.startsWith("jdbc:h2:")
                && !u.startsWith("jdbc:h2:mem:")
                && !u.startsWith("jdbc:h2:tcp:")
                && !u.startsWith("jdbc:h2:ssl:");
        return embeddedFile && !u.contains(";write_delay=") ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
    }

    static String redact(String url) {
        return URL_USERINFO
                .matcher(URL_PASSWORD.matcher(url).replaceAll("$1***"))
                .replaceAll("$1***@");
    }

    private static String scrub(String message, String password) {
        if (message == null) return "no reason given";
        return password == null || password.isEmpty() ? message : message.replace(password, "***");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
