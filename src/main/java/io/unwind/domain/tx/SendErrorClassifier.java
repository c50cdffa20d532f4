package io.unwind.domain.tx;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Classifies a node's error message for {@code eth_sendRawTransaction}, after Chainlink's per-client table. Matching is
 * on the lower-cased message, in table order (the first row that matches wins), so more specific wordings come first:
 * "replacement transaction underpriced" before "transaction underpriced".
 *
 * <p>Wordings covered: geth (and clients that copy its txpool errors: erigon, reth, bsc), anvil 1.x (checked against a
 * running anvil by the tests), nethermind (its AcceptTxResult names), besu and openethereum/parity.
 */
public final class SendErrorClassifier {

    /** A row: the class, and the lower-case wordings (literal unless given as a {@link Pattern}) that mean it. */
    private record Rule(SendErrorClass cls, List<Pattern> wordings) {
        static Rule of(SendErrorClass cls, Object... wordings) {
            return new Rule(
                    cls,
                    Arrays.stream(wordings)
                            .map(w -> w instanceof Pattern p ? p : Pattern.compile(Pattern.quote((String) w)))
                            .toList());
        }

        boolean matches(String lowerCaseMessage) {
            return wordings.stream().anyMatch(p -> p.matcher(lowerCaseMessage).find());
        }
    }

    private static final List<Rule> TABLE = List.of(
            Rule.of(
                    SendErrorClass.TREAT_AS_SENT,
                    "already known", // geth, erigon
                    "known transaction", // geth before 1.9, besu ("Known transaction")
                    "transaction already imported", // anvil
                    "alreadyknown", // nethermind
                    "ownnoncealreadyused", // nethermind: its pool has our own transaction with this nonce
                    "transaction with the same hash was already imported"), // parity
            Rule.of(
                    SendErrorClass.REPLACEMENT_UNDERPRICED,
                    "replacement transaction underpriced", // geth, anvil, erigon, besu
                    "replacement underpriced", // erigon's DiscardReason
                    "feetoolowtocompete", // nethermind
                    "there is another transaction with same nonce in the queue"), // parity
            Rule.of(
                    SendErrorClass.NONCE_TOO_LOW,
                    "nonce too low", // geth, anvil, erigon, besu
                    "oldnonce", // nethermind
                    "transaction nonce is too low", // parity
                    "nonce has already been used"),
            Rule.of(
                    SendErrorClass.INSUFFICIENT_FUNDS_HOLD,
                    "insufficient funds", // geth, erigon, parity; anvil: "Insufficient funds for gas * price + value"
                    "insufficientfunds", // nethermind
                    "insufficient balance", // geth "insufficient balance for transfer", parity
                    "upfront cost exceeds account balance"), // besu
            Rule.of(
                    SendErrorClass.UNDERPRICED_BUMP,
                    "transaction underpriced", // geth: tip under the pool's minimum
                    "max fee per gas less than block base fee", // geth, anvil
                    "fee cap less than block base fee", // erigon
                    "feetoolow", // nethermind
                    "gas price below configured minimum", // besu
                    "transaction gas price is too low", // parity
                    "underpriced"), // erigon's short DiscardReason
            Rule.of(
                    SendErrorClass.NONCE_TOO_HIGH_RETRY,
                    "nonce too high", // geth
                    "noncegap", // nethermind
                    "noncetoofarinfuture", // nethermind
                    "nonce too distant"), // besu
            Rule.of(
                    SendErrorClass.FATAL,
                    "exceeds block gas limit", // geth, erigon
                    "intrinsic gas too low", // geth, anvil
                    "intrinsic gas too high", // anvil: gas limit above the block gas limit
                    "gaslimitexceeded", // nethermind
                    "invalid sender", // geth
                    "failedtoresolvesender", // nethermind
                    "negative value", // geth
                    "oversized data", // geth
                    "maxtxsizeexceeded", // nethermind
                    "gas uint64 overflow", // geth
                    "int256overflow", // nethermind
                    "invalid chain id", // geth, anvil ("invalid chain id for signer")
                    "invalidtxchainid", // nethermind
                    "max priority fee per gas higher than max fee per gas", // geth, anvil
                    "tip higher than fee cap", // erigon
                    "transaction type not supported", // geth
                    "sender not an eoa", // geth (EIP-3607)
                    "senderiscontract", // nethermind
                    "exceeds the configured cap", // geth: the node's own rpc.txfeecap
                    "only replay-protected", // geth: no EIP-155 signature
                    "rlp:", // geth: undecodable bytes
                    "invalid rlp"),
            // "txpool is full" is a retry, not "sent" as some tables have it: the node did not keep the transaction,
            // and treating it as sent would let the next nonce go out ahead of it.
            Rule.of(
                    SendErrorClass.TRANSIENT_RETRY,
                    "txpool is full",
                    "pool is full",
                    "too many requests",
                    "rate limit",
                    "bad gateway",
                    "service unavailable",
                    "gateway timeout",
                    "timeout",
                    "timed out",
                    "connection refused",
                    "connection reset",
                    "temporarily unavailable",
                    "try again later",
                    "end of stream",
                    Pattern.compile("\\b(429|502|503|504)\\b"),
                    Pattern.compile("\\beof\\b")));

    private SendErrorClassifier() {}

    public static SendErrorClass classify(String message) {
        if (message == null || message.isBlank()) return SendErrorClass.UNKNOWN;
        String m = message.toLowerCase(Locale.ROOT);
        for (Rule r : TABLE) {
            if (r.matches(m)) return r.cls();
        }
        return SendErrorClass.UNKNOWN;
    }
}
