package io.unwind.store;

/** The journal database cannot be reached or migrated. The message names the URL and never the password. */
public final class DatabaseException extends RuntimeException {
    public DatabaseException(String message) {
        super(message);
    }
}
