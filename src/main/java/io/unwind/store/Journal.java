package io.unwind.store;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendOutcome;
import io.unwind.domain.tx.Transition;
import io.unwind.domain.tx.TxState;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import javax.sql.DataSource;

/**
 * The transaction journal over plain JDBC: the source of truth for every transaction the keeper signed. Each state
 * change is checked against the lifecycle ({@link TxState#apply}) under a row lock and written together with the slot
 * columns that the database's unique constraints work on, so two writers cannot both win.
 */
public final class Journal {
    private static final String IN_FLIGHT = "('UNSTARTED', 'IN_PROGRESS', 'UNCONFIRMED')";
    private static final int MAX_ERROR = 2000;

    private final DataSource ds;
    private final Clock clock;

    public Journal(DataSource ds, Clock clock) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---------------------------------------------------------------------------------------------
    // Writes
    // ---------------------------------------------------------------------------------------------

    /** Journals a new transaction as UNSTARTED, unless its key is known or its vault has one in flight. */
    public InsertResult insert(NewTx n) {
        Optional<TxRecord> existing = findByKey(n.idempotencyKey());
        if (existing.isPresent()) return new InsertResult.DuplicateKey(existing.get());
        Optional<TxRecord> busy = inFlightForVault(n.chainId(), n.vault());
        if (busy.isPresent()) return new InsertResult.VaultBusy(busy.get());
        try {
            long id = Sql.inTransaction(ds, "journaling " + n.idempotencyKey(), c -> {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO tx (idempotency_key, chain_id, from_address, vault, to_address, data_hex, value_wei,
                            gas_limit, max_fee_per_gas, max_priority_fee_per_gas, state, kind, urgency, plan_summary,
                            created_at, updated_at, inflight_vault, planned_block)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'UNSTARTED', ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"})) {
                    var now = clock.instant();
                    Sql.bind(
                            ps,
                            n.idempotencyKey(),
                            n.chainId(),
                            n.from().hex(),
                            n.vault().hex(),
                            n.to().hex(),
                            n.dataHex(),
                            n.value().value(),
                            n.gasLimit(),
                            n.fees().maxFeePerGas().value(),
                            n.fees().maxPriorityFeePerGas().value(),
                            n.kind().name(),
                            n.urgency(),
                            n.planSummary().orElse(null),
                            now,
                            now,
                            n.vault().hex(),
                            n.plannedBlock().isPresent()
                                    ? Long.valueOf(n.plannedBlock().getAsLong())
                                    : null);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                    }
                }
            });
            return new InsertResult.Created(require(id));
        } catch (JournalException e) {
            // Another writer got there between the checks above and the insert.
            if (e.getCause() instanceof SQLException s) {
                if (Sql.violates(s, "tx_idempotency_key_uq")) {
                    return new InsertResult.DuplicateKey(
                            findByKey(n.idempotencyKey()).orElseThrow(() -> e));
                }
                if (Sql.violates(s, "tx_vault_in_flight_uq")) {
                    return new InsertResult.VaultBusy(
                            inFlightForVault(n.chainId(), n.vault()).orElseThrow(() -> e));
                }
            }
            throw e;
        }
    }

    /**
     * In ONE database transaction: assigns the nonce, max({@code nonceFloor}, highest nonce the sender still holds +
     * 1), signs the first attempt with it ({@code signAt}), journals the attempt, and moves the transaction to
     * IN_PROGRESS. Nothing is broadcast until this has committed.
     *
     * @param nonceFloor the sender's mined nonce on chain, so that a nonce used outside the journal is skipped
     */
    public TxDetail start(long txId, long nonceFloor, LongFunction<SignedAttempt> signAt) {
        Sql.inTransaction(ds, "starting tx " + txId, c -> {
            TxRecord tx = lock(c, txId);
            long maxHeld = -1;
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT MAX(live_nonce) FROM tx WHERE chain_id = ? AND from_address = ?",
                            tx.chainId(),
                            tx.from().hex());
                    ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) maxHeld = v;
                }
            }
            long nonce = Math.max(nonceFloor, maxHeld + 1);
            SignedAttempt attempt = signAt.apply(nonce);
            move(c, tx, Transition.START, nonce, "gas_limit = ?", attempt.gasLimit());
            insertAttempt(c, txId, 1, attempt);
            return null;
        });
        return detail(txId).orElseThrow();
    }

    /** Journals a further attempt (a replacement or a cancellation) before it is broadcast. */
    public AttemptRecord addAttempt(long txId, SignedAttempt attempt) {
        long id = Sql.inTransaction(ds, "adding an attempt to tx " + txId, c -> {
            TxRecord tx = lock(c, txId);
            if (tx.state() != TxState.IN_PROGRESS && tx.state() != TxState.UNCONFIRMED) {
                throw new JournalException("tx " + txId + " is " + tx.state() + ": no attempts can be added");
            }
            int next;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT MAX(attempt_no) FROM tx_attempt WHERE tx_id = ?", txId);
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                next = rs.getInt(1) + 1;
            }
            if (attempt.purpose() == AttemptPurpose.ACTION && attempt.gasLimit() > tx.gasLimit()) {
                update(
                        c,
                        "UPDATE tx SET gas_limit = ?, updated_at = ? WHERE id = ?",
                        attempt.gasLimit(),
                        clock.instant(),
                        txId);
            }
            return insertAttempt(c, txId, next, attempt);
        });
        return attempt(id).orElseThrow();
    }

    /**
     * Records one broadcast of an attempt: its outcome (SENT, once reached, stays), each endpoint's answer, and when it
     * was sent at which head.
     */
    public AttemptRecord recordBroadcast(long attemptId, SendOutcome outcome, String endpointResultsJson, long head) {
        Sql.inTransaction(ds, "recording a broadcast of attempt " + attemptId, c -> {
            AttemptRecord a;
            try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM tx_attempt WHERE id = ? FOR UPDATE", attemptId);
                    ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new JournalException("no attempt " + attemptId);
                a = Rows.attempt(rs);
            }
            var now = clock.instant();
            boolean sent = outcome.sent();
            SendOutcome kept = a.outcome().filter(SendOutcome::sent).orElse(outcome);
            update(
                    c,
                    """
                    UPDATE tx_attempt SET outcome = ?, first_sent_at = ?, last_broadcast_at = ?, last_sent_block = ?,
                        broadcast_count = broadcast_count + 1, endpoint_results = ? WHERE id = ?""",
                    kept.name(),
                    a.firstSentAt().orElse(sent ? now : null),
                    now,
                    sent
                            ? Long.valueOf(head)
                            : (a.lastSentBlock().isPresent() ? a.lastSentBlock().getAsLong() : null),
                    truncate(endpointResultsJson, 100_000),
                    attemptId);
            return null;
        });
        return attempt(attemptId).orElseThrow();
    }

    /** IN_PROGRESS to UNCONFIRMED: a node has it. */
    public TxRecord markSent(long txId) {
        return transition(txId, Transition.SENT, null);
    }

    /** To FATAL_ERROR before any node accepted it; the nonce is free for the next transaction. */
    public TxRecord markRejected(long txId, String error) {
        return transition(txId, Transition.REJECTED, "error = ?", truncate(error, MAX_ERROR));
    }

    /** UNCONFIRMED to FATAL_ERROR: another transaction used the nonce. */
    public TxRecord markNonceTaken(long txId, String error) {
        return transition(txId, Transition.NONCE_TAKEN, "error = ?", truncate(error, MAX_ERROR));
    }

    /** To FATAL_ERROR: its node stopped and it was never mined; the vault is free for another node's action. */
    public TxRecord markAbandoned(long txId, String note) {
        return transition(txId, Transition.ABANDONED, "error = ?", truncate(note, MAX_ERROR));
    }

    /** Every transaction in flight (not yet settled) on {@code chainId}, whoever signed it. */
    public List<TxRecord> inFlight(long chainId) {
        List<TxRecord> out = new ArrayList<>();
        for (TxState s : List.of(TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED)) {
            out.addAll(inStateAnySender(chainId, s));
        }
        return out;
    }

    /** UNCONFIRMED to CONFIRMED with the receipt of {@code attemptId}. */
    public TxRecord markMined(
            long txId,
            long attemptId,
            long blockNumber,
            TxHash blockHash,
            boolean succeeded,
            long gasUsed,
            Wei effectiveGasPrice) {
        return markMined(txId, attemptId, blockNumber, blockHash, succeeded, gasUsed, effectiveGasPrice, null);
    }

    /**
     * UNCONFIRMED to CONFIRMED with the receipt of {@code attemptId}; {@code revertReason} (null if it succeeded or is
     * not known) goes in the error column, where {@code tx show} reads it.
     */
    public TxRecord markMined(
            long txId,
            long attemptId,
            long blockNumber,
            TxHash blockHash,
            boolean succeeded,
            long gasUsed,
            Wei effectiveGasPrice,
            String revertReason) {
        AttemptRecord a = attempt(attemptId)
                .filter(x -> x.txId() == txId)
                .orElseThrow(() -> new JournalException("attempt " + attemptId + " is not one of tx " + txId));
        Wei fee = effectiveGasPrice.times(BigInteger.valueOf(gasUsed));
        return transition(
                txId,
                Transition.MINED,
                """
                confirmed_attempt_id = ?, confirmed_block_number = ?, confirmed_block_hash = ?, succeeded = ?, gas_used = ?,
                effective_gas_price = ?, fee_paid_wei = ?, cancelled = ?, error = ?, reorged = FALSE""",
                attemptId,
                blockNumber,
                blockHash.hex(),
                succeeded,
                gasUsed,
                effectiveGasPrice.value(),
                fee.value(),
                a.purpose() == AttemptPurpose.CANCEL,
                truncate(revertReason, MAX_ERROR));
    }

    /** CONFIRMED back to UNCONFIRMED: its block left the chain. */
    public TxRecord markReorged(long txId, String note) {
        return transition(txId, Transition.REORGED, """
                confirmed_attempt_id = NULL, confirmed_block_number = NULL, confirmed_block_hash = NULL, succeeded = NULL,
                gas_used = NULL, effective_gas_price = NULL, fee_paid_wei = NULL, cancelled = FALSE, error = ?,
                reorged = TRUE""", truncate(note, MAX_ERROR));
    }

    public TxRecord markFinalized(long txId) {
        return transition(txId, Transition.FINALIZED, null);
    }

    private TxRecord transition(long txId, Transition t, String extraSet, Object... extra) {
        Sql.inTransaction(ds, t + " of tx " + txId, c -> {
            move(c, lock(c, txId), t, null, extraSet, extra);
            return null;
        });
        return require(txId);
    }

    /** Applies {@code t} to the locked row {@code tx}, keeping the slot columns in step with the new state. */
    private void move(Connection c, TxRecord tx, Transition t, Long newNonce, String extraSet, Object... extra)
            throws SQLException {
        TxState next = tx.state().apply(t);
        Long nonce = newNonce != null
                ? newNonce
                : (tx.nonce().isPresent() ? tx.nonce().getAsLong() : null);
        Long liveNonce = next == TxState.FATAL_ERROR ? null : nonce;
        String inProgressFrom = next == TxState.IN_PROGRESS ? tx.from().hex() : null;
        String inflightVault = switch (next) {
            case UNSTARTED, IN_PROGRESS -> tx.vault().hex();
            case UNCONFIRMED -> tx.state() == TxState.IN_PROGRESS ? tx.vault().hex() : null;
            default -> null;
        };
        List<Object> params = new ArrayList<>(List.of(next.name(), clock.instant()));
        params.add(nonce);
        params.add(liveNonce);
        params.add(inProgressFrom);
        params.add(inflightVault);
        params.addAll(Arrays.asList(extra));
        params.add(tx.id());
        params.add(tx.state().name());
        int n = update(
                c,
                "UPDATE tx SET state = ?, updated_at = ?, nonce = ?, live_nonce = ?, in_progress_from = ?, "
                        + "inflight_vault = ?" + (extraSet == null ? "" : ", " + extraSet)
                        + " WHERE id = ? AND state = ?",
                params.toArray());
        if (n != 1) throw new JournalException("tx " + tx.id() + " changed under " + t);
    }

    private TxRecord lock(Connection c, long txId) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, "SELECT * FROM tx WHERE id = ? FOR UPDATE", txId);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new JournalException("no tx " + txId);
            return Rows.tx(rs);
        }
    }

    private long insertAttempt(Connection c, long txId, int number, SignedAttempt a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO tx_attempt (tx_id, attempt_no, purpose, tx_hash, signed_raw, max_fee_per_gas,
                    max_priority_fee_per_gas, gas_limit, signed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"})) {
            Sql.bind(
                    ps,
                    txId,
                    number,
                    a.purpose().name(),
                    a.hash().hex(),
                    a.signedRawHex(),
                    a.fees().maxFeePerGas().value(),
                    a.fees().maxPriorityFeePerGas().value(),
                    a.gasLimit(),
                    clock.instant());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = Sql.prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    // ---------------------------------------------------------------------------------------------
    // Reads
    // ---------------------------------------------------------------------------------------------

    public Optional<TxRecord> find(long id) {
        return one("SELECT * FROM tx WHERE id = ?", id);
    }

    public Optional<TxRecord> findByKey(String idempotencyKey) {
        return one("SELECT * FROM tx WHERE idempotency_key = ?", idempotencyKey);
    }

    public Optional<TxDetail> detail(long id) {
        return find(id).map(tx -> new TxDetail(tx, attempts(id)));
    }

    /** The vault's transaction that is not mined yet (UNSTARTED, IN_PROGRESS or UNCONFIRMED), if any. */
    public Optional<TxRecord> inFlightForVault(long chainId, Address vault) {
        return one(
                "SELECT * FROM tx WHERE chain_id = ? AND vault = ? AND state IN " + IN_FLIGHT + " ORDER BY id",
                chainId,
                vault.hex());
    }

    /**
     * The vault's transaction in flight, or else one mined in a block after {@code block}: an engine that decided at
     * {@code block} has not seen what it did. One query, on the hot path of every acting vault.
     */
    public Optional<TxRecord> busyForVaultSince(long chainId, Address vault, long block) {
        return one(
                "SELECT * FROM tx WHERE chain_id = ? AND vault = ? AND (state IN " + IN_FLIGHT
                        + " OR confirmed_block_number > ?) ORDER BY CASE WHEN state IN " + IN_FLIGHT
                        + " THEN 0 ELSE 1 END, id",
                chainId,
                vault.hex(),
                block);
    }

    /** The sender's transactions in {@code state}, by nonce (UNSTARTED ones, which have none, by age). */
    private List<TxRecord> inStateAnySender(long chainId, TxState state) {
        return many("SELECT * FROM tx WHERE chain_id = ? AND state = ? ORDER BY id", chainId, state.name());
    }

    public List<TxRecord> inState(long chainId, Address from, TxState state) {
        return many(
                "SELECT * FROM tx WHERE chain_id = ? AND from_address = ? AND state = ? ORDER BY nonce, id",
                chainId,
                from.hex(),
                state.name());
    }

    public Optional<TxRecord> oldestUnstarted(long chainId, Address from) {
        return inState(chainId, from, TxState.UNSTARTED).stream().findFirst();
    }

    public Optional<TxRecord> inProgress(long chainId, Address from) {
        return inState(chainId, from, TxState.IN_PROGRESS).stream().findFirst();
    }

    public List<AttemptRecord> attempts(long txId) {
        return Sql.read(ds, "reading attempts of tx " + txId, c -> {
            try (PreparedStatement ps =
                            Sql.prepare(c, "SELECT * FROM tx_attempt WHERE tx_id = ? ORDER BY attempt_no", txId);
                    ResultSet rs = ps.executeQuery()) {
                List<AttemptRecord> out = new ArrayList<>();
                while (rs.next()) out.add(Rows.attempt(rs));
                return out;
            }
        });
    }

    public Optional<AttemptRecord> attempt(long attemptId) {
        return oneAttempt("SELECT * FROM tx_attempt WHERE id = ?", attemptId);
    }

    public Optional<AttemptRecord> attemptByHash(TxHash hash) {
        return oneAttempt("SELECT * FROM tx_attempt WHERE tx_hash = ?", hash.hex());
    }

    /** Newest first. */
    public List<TxRecord> list(TxQuery q) {
        StringBuilder sql = new StringBuilder("SELECT * FROM tx WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        q.state().ifPresent(s -> {
            sql.append(" AND state = ?");
            params.add(s.name());
        });
        q.vault().ifPresent(v -> {
            sql.append(" AND vault = ?");
            params.add(v.hex());
        });
        q.chainId().ifPresent(id -> {
            sql.append(" AND chain_id = ?");
            params.add(id);
        });
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(q.limit());
        return many(sql.toString(), params.toArray());
    }

    /** How many of the sender's transactions are in each state (every state present, zero if none). */
    public Map<TxState, Long> countByState(long chainId, Address from) {
        return Sql.read(ds, "counting transactions", c -> {
            Map<TxState, Long> counts = new EnumMap<>(TxState.class);
            for (TxState s : TxState.values()) counts.put(s, 0L);
            try (PreparedStatement ps = Sql.prepare(
                            c,
                            "SELECT state, COUNT(*) FROM tx WHERE chain_id = ? AND from_address = ? GROUP BY state",
                            chainId,
                            from.hex());
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) counts.put(TxState.valueOf(rs.getString(1)), rs.getLong(2));
            }
            return counts;
        });
    }

    private TxRecord require(long id) {
        return find(id).orElseThrow(() -> new JournalException("no tx " + id));
    }

    private Optional<TxRecord> one(String sql, Object... params) {
        return many(sql, params).stream().findFirst();
    }

    private List<TxRecord> many(String sql, Object... params) {
        return Sql.read(ds, "reading transactions", c -> {
            try (PreparedStatement ps = Sql.prepare(c, sql, params);
                    ResultSet rs = ps.executeQuery()) {
                List<TxRecord> out = new ArrayList<>();
                while (rs.next()) out.add(Rows.tx(rs));
                return out;
            }
        });
    }

    private Optional<AttemptRecord> oneAttempt(String sql, Object... params) {
        return Sql.read(ds, "reading an attempt", c -> {
            try (PreparedStatement ps = Sql.prepare(c, sql, params);
                    ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Rows.attempt(rs)) : Optional.empty();
            }
        });
    }
}
