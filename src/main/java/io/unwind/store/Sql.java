package io.unwind.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import javax.sql.DataSource;

/** Plain JDBC helpers: one database transaction around a unit of work, and parameter binding. */
final class Sql {
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {}

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one database transaction: all of it is committed, or none of it. */
    static <T> T inTransaction(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                // The failure is what the caller must hear about: a rollback that fails too (the connection broke, or
                // the pool threw it away because of this very failure) must not replace it, or a full disk would be
                // reported as "Connection is closed".
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new JournalException(what + " failed: " + e.getMessage(), e);
        }
    }

    static <T> T read(DataSource ds, String what, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new JournalException(what + " failed: " + e.getMessage(), e);
        }
    }

    static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, params);
        return ps;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) bind(ps, i + 1, params[i]);
    }

    static void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.NULL);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case Integer n -> ps.setInt(i, n);
            case Double d -> ps.setDouble(i, d);
            case Boolean b -> ps.setBoolean(i, b);
            case BigInteger b -> ps.setBigDecimal(i, new BigDecimal(b));
            case Instant t -> ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            default -> throw new IllegalArgumentException("cannot bind " + v.getClass());
        }
    }

    /**
     * Whether {@code e} is a unique-constraint violation of {@code constraint} (named in the message by H2 and
     * PostgreSQL).
     */
    static boolean violates(SQLException e, String constraint) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (UNIQUE_VIOLATION.equals(s.getSQLState())
                    && s.getMessage() != null
                    && s.getMessage().toLowerCase(Locale.ROOT).contains(constraint)) {
                return true;
            }
        }
        return false;
    }
}
