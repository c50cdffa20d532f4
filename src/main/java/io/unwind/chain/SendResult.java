package io.unwind.chain;

import java.util.Optional;

/**
 * What one endpoint said to eth_sendRawTransaction: the transaction hash it computed, or its error message (classified
 * by the transaction layer), or that it could not be reached.
 */
public record SendResult(String endpoint, Optional<String> txHash, Optional<String> error, boolean unreachable) {
    public static SendResult accepted(String endpoint, String hash) {
        return new SendResult(endpoint, Optional.of(hash), Optional.empty(), false);
    }

    public static SendResult rejected(String endpoint, String message) {
        return new SendResult(endpoint, Optional.empty(), Optional.of(message), false);
    }

    public static SendResult unreachable(String endpoint, String message) {
        return new SendResult(endpoint, Optional.empty(), Optional.of(message), true);
    }

    public boolean accepted() {
        return txHash.isPresent();
    }
}
