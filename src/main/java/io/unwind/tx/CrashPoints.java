package io.unwind.tx;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Named places in the transaction layer where a test can make the process die, to prove that a crash at any of them
 * neither loses nor doubles a transaction. Inert unless the JVM was started with {@code -Dunwind.crashAt=NAME} or
 * {@code -Dunwind.crashAt=NAME:N} (the N-th time NAME is reached, counting from 1): then, at that point, it prints
 * {@value #MARKER} and the point on stderr and either halts the JVM at once ({@link Runtime#halt}: no shutdown hook, no
 * finally block, no flush; what a SIGKILL leaves behind) or, with {@code -Dunwind.crashMode=block}, stops the thread
 * there for good so that the test can SIGKILL the process itself.
 *
 * <p>Without the property, {@link #reach} compares one string with null and returns: behaviour is unchanged.
 */
public final class CrashPoints {
    public static final String PROPERTY = "unwind.crashAt";
    public static final String MODE_PROPERTY = "unwind.crashMode";
    /** Printed on stderr, followed by " NAME:N", when a crash point is taken. */
    public static final String MARKER = "unwind-crash-point";
    /** The exit status of a halt at a crash point, so that a test can tell it from any other death. */
    public static final int HALT_STATUS = 86;

    /** A request journaled (UNSTARTED), before it is given a nonce. */
    public static final String TX_INSERTED = "tx.inserted";
    /** The first attempt signed, inside the database transaction that journals it, before that commits. */
    public static final String TX_SIGNED = "tx.signed";
    /** Nonce and first attempt committed (IN_PROGRESS), before any broadcast. */
    public static final String TX_JOURNALED = "tx.journaled";
    /** The first attempt broadcast, before the journal records any node's answer. */
    public static final String TX_BROADCAST = "tx.broadcast";
    /** The first attempt's broadcast recorded, before the transaction is marked sent. */
    public static final String TX_RECORDED = "tx.recorded";
    /** Marked sent (UNCONFIRMED): from here the transaction waits for its block. */
    public static final String TX_SENT = "tx.sent";
    /** At a head, the sender's nonce not yet past the transaction: still waiting for confirmation. */
    public static final String CONFIRM_WAITING = "confirm.waiting";
    /** A receipt found, before the journal marks the transaction mined. */
    public static final String CONFIRM_RECEIPT = "confirm.receipt";
    /** Marked mined (CONFIRMED). */
    public static final String CONFIRM_MINED = "confirm.mined";
    /** The newest attempt found stuck, before a replacement is priced. */
    public static final String TX_STUCK = "tx.stuck";
    /** A replacement signed and journaled, before it is broadcast. */
    public static final String REPLACE_SIGNED = "replace.signed";
    /** A replacement (any attempt after the first) broadcast, before the journal records the answers. */
    public static final String REPLACE_BROADCAST = "replace.broadcast";
    /** A mined transaction found re-orged out and marked so, before it is sent again or cancelled. */
    public static final String REORG_MARKED = "reorg.marked";
    /** A cancellation signed and journaled, before it is broadcast. */
    public static final String CANCEL_SIGNED = "cancel.signed";
    /** A confirmed transaction deep enough, before the journal marks it final. */
    public static final String FINALIZING = "tx.finalizing";
    /** At start, before a saved attempt is sent again. */
    public static final String RECOVER_SENDING = "recover.sending";

    private static final String TARGET;
    private static final int NTH;
    private static final boolean BLOCK;
    private static final AtomicInteger SEEN = new AtomicInteger();

    static {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            TARGET = null;
            NTH = 0;
        } else {
            int colon = spec.lastIndexOf(':');
            TARGET = (colon < 0 ? spec : spec.substring(0, colon)).trim();
            NTH = colon < 0 ? 1 : Integer.parseInt(spec.substring(colon + 1).trim());
            if (NTH < 1) throw new IllegalArgumentException(PROPERTY + ": the count must be >= 1: " + spec);
        }
        BLOCK = "block".equals(System.getProperty(MODE_PROPERTY, "halt").toLowerCase(Locale.ROOT));
    }

    private CrashPoints() {}

    /** The process dies here if this is the crash point it was started with; otherwise nothing happens. */
    public static void reach(String name) {
        if (TARGET == null || !TARGET.equals(name)) return;
        int n = SEEN.incrementAndGet();
        if (n != NTH) return;
        System.err.println(MARKER + " " + name + ":" + n);
        System.err.flush();
        if (!BLOCK) Runtime.getRuntime().halt(HALT_STATUS);
        while (true) {
            LockSupport.park(); // never returns: the test kills the process
        }
    }
}
