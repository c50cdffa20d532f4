package io.unwind.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Cluster mode's Quartz tables, on PostgreSQL only (the embedded H2 journal schedules in memory). The DDL is the one
 * Quartz ships for PostgreSQL ({@code tables_postgres.sql} in its jar), run statement by statement inside Flyway's
 * transaction, without its leading DROPs and trailing COMMIT.
 */
public final class V3__QuartzTables extends BaseJavaMigration {
    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        String sql;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) throw new IOException(DDL + " is not on the class path (is Quartz?)");
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder noComments = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.trim().startsWith("--")) noComments.append(line).append('\n');
        }
        try (Statement st = context.getConnection().createStatement()) {
            for (String stmt : noComments.toString().split(";")) {
                String s = stmt.trim();
                String upper = s.toUpperCase(Locale.ROOT);
                if (s.isEmpty() || upper.startsWith("DROP ") || upper.equals("COMMIT")) continue;
                st.execute(s);
            }
        }
    }
}
