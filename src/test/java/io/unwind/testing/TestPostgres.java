package io.unwind.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one test, on the server {@code scripts/test-postgres.sh} starts (the launcher's
 * {@code ./unwind test} runs it and exports UNWIND_TEST_POSTGRES_URL/USER/PASSWORD). Dropped on close.
 */
public final class TestPostgres implements AutoCloseable {
    private final String admin;
    private final String user;
    private final String password;
    private final String name;

    private TestPostgres(String admin, String user, String password, String name) {
        this.admin = admin;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    public static TestPostgres create() {
        String admin = setting("UNWIND_TEST_POSTGRES_URL", "unwind.test.postgres.url");
        if (admin == null) {
            throw new IllegalStateException(
                    "PostgreSQL is needed for this test: run the tests with ./unwind test (it starts the "
                            + "local PostgreSQL through scripts/test-postgres.sh), or export UNWIND_TEST_POSTGRES_URL/USER/PASSWORD");
        }
        String user = setting("UNWIND_TEST_POSTGRES_USER", "unwind.test.postgres.user");
        String password = setting("UNWIND_TEST_POSTGRES_PASSWORD", "unwind.test.postgres.password");
        String name = "unwind_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        TestPostgres db = new TestPostgres(admin, user, password, name);
        db.exec("CREATE DATABASE " + name);
        return db;
    }

    private static String setting(String env, String property) {
        String v = System.getenv(env);
        return v != null && !v.isBlank() ? v : System.getProperty(property);
    }

    public String url() {
        return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private void exec(String sql) {
        try (Connection c = DriverManager.getConnection(admin, user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + admin + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
