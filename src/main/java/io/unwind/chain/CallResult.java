package io.unwind.chain;

import org.web3j.utils.Numeric;

/** The outcome of an eth_call: the returned bytes, or a revert with its data and the node's message. */
public sealed interface CallResult {
    record Success(byte[] data) implements CallResult {
        public String hex() {
            return Numeric.toHexString(data);
        }
    }

    /** @param data the revert data (custom error or Error(string)), possibly empty */
    record Reverted(byte[] data, String message) implements CallResult {
        public String selectorHex() {
            return data.length >= 4 ? Numeric.toHexString(data, 0, 4, true) : "";
        }
    }

    default boolean ok() {
        return this instanceof Success;
    }

    default byte[] dataOrThrow() {
        return switch (this) {
            case Success s -> s.data();
            case Reverted r ->
                throw new IllegalStateException("call reverted: " + r.message() + " " + Numeric.toHexString(r.data()));
        };
    }
}
