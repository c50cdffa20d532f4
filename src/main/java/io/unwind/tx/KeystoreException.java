package io.unwind.tx;

/**
 * A keystore that cannot be used, with what to do about it. Never carries the password or the key, nor the exception
 * that led to it (whose message might).
 */
public final class KeystoreException extends RuntimeException {
    public KeystoreException(String message) {
        super(message);
    }
}
