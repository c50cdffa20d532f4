package io.unwind.store;

/** The journal could not be read or written: a database failure, or a row that breaks the journal's rules. */
public class JournalException extends RuntimeException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
