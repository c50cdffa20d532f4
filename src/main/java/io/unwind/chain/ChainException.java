package io.unwind.chain;

/**
 * The chain could not be reached or answered nonsense: every endpoint failed, timed out, is broken or on the wrong
 * chain. A transport failure, never a contract revert (reverts are values: {@link CallResult.Reverted}).
 */
public class ChainException extends RuntimeException {
    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
