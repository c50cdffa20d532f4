package io.unwind.store;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.TxKind;
import io.unwind.domain.tx.TxState;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;

/** Maps journal rows to records. */
final class Rows {
    private Rows() {}

    static TxRecord tx(ResultSet rs) throws SQLException {
        Optional<TxRecord.Confirmation> confirmation = Optional.empty();
        long attemptId = rs.getLong("confirmed_attempt_id");
        if (!rs.wasNull()) {
            confirmation = Optional.of(new TxRecord.Confirmation(
                    attemptId,
                    rs.getLong("confirmed_block_number"),
                    TxHash.of(rs.getString("confirmed_block_hash")),
                    rs.getBoolean("succeeded"),
                    rs.getLong("gas_used"),
                    wei(rs, "effective_gas_price"),
                    wei(rs, "fee_paid_wei")));
        }
        return new TxRecord(
                rs.getLong("id"),
                rs.getString("idempotency_key"),
                rs.getLong("chain_id"),
                Address.of(rs.getString("from_address")),
                Address.of(rs.getString("vault")),
                Address.of(rs.getString("to_address")),
                rs.getString("data_hex"),
                wei(rs, "value_wei"),
                rs.getLong("gas_limit"),
                new Eip1559Fees(wei(rs, "max_fee_per_gas"), wei(rs, "max_priority_fee_per_gas")),
                optLong(rs, "nonce"),
                TxState.valueOf(rs.getString("state")),
                TxKind.parse(rs.getString("kind")),
                rs.getDouble("urgency"),
                Optional.ofNullable(rs.getString("plan_summary")),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                Optional.ofNullable(rs.getString("error")),
                confirmation,
                rs.getBoolean("cancelled"),
                optLong(rs, "planned_block"),
                rs.getBoolean("reorged"));
    }

    static AttemptRecord attempt(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        return new AttemptRecord(
                rs.getLong("id"),
                rs.getLong("tx_id"),
                rs.getInt("attempt_no"),
                AttemptPurpose.valueOf(rs.getString("purpose")),
                TxHash.of(rs.getString("tx_hash")),
                rs.getString("signed_raw"),
                new Eip1559Fees(wei(rs, "max_fee_per_gas"), wei(rs, "max_priority_fee_per_gas")),
                rs.getLong("gas_limit"),
                instant(rs, "signed_at"),
                outcome == null ? Optional.empty() : Optional.of(SendOutcome.valueOf(outcome)),
                Optional.ofNullable(rs.getObject("first_sent_at", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant),
                Optional.ofNullable(rs.getObject("last_broadcast_at", OffsetDateTime.class))
                        .map(OffsetDateTime::toInstant),
                optLong(rs, "last_sent_block"),
                rs.getInt("broadcast_count"),
                Optional.ofNullable(rs.getString("endpoint_results")));
    }

    private static Wei wei(ResultSet rs, String column) throws SQLException {
        BigDecimal d = rs.getBigDecimal(column);
        return d == null ? null : Wei.of(d.toBigIntegerExact());
    }

    private static OptionalLong optLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
