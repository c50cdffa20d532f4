package io.unwind.domain.tx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/**
 * The node-error table, message by message. anvil's wordings are the ones anvil 1.7.1 returns (also checked against a
 * running anvil in io.unwind.tx.AnvilSendErrorsTest); the others are the clients' own error strings.
 */
@Tag("chain")
class SendErrorClassifierTest {

    @ParameterizedTest(name = "{0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            anvil      | transaction already imported                                         | TREAT_AS_SENT
            anvil      | nonce too low                                                        | NONCE_TOO_LOW
            anvil      | replacement transaction underpriced                                  | REPLACEMENT_UNDERPRICED
            anvil      | Insufficient funds for gas * price + value                           | INSUFFICIENT_FUNDS_HOLD
            anvil      | intrinsic gas too low                                                | FATAL
            anvil      | intrinsic gas too high -- tx.gas_limit > env.block.gas_limit         | FATAL
            anvil      | max fee per gas less than block base fee                             | UNDERPRICED_BUMP
            anvil      | invalid chain id for signer                                          | FATAL
            anvil      | max priority fee per gas higher than max fee per gas                 | FATAL
            geth       | already known                                                        | TREAT_AS_SENT
            geth       | known transaction: 0x3b1c0b0a2e2d                                    | TREAT_AS_SENT
            geth       | nonce too low: address 0xf39F, tx: 4 state: 5                        | NONCE_TOO_LOW
            geth       | nonce too high                                                       | NONCE_TOO_HIGH_RETRY
            geth       | replacement transaction underpriced                                  | REPLACEMENT_UNDERPRICED
            geth       | transaction underpriced: tip needed 1, tip permitted 0               | UNDERPRICED_BUMP
            geth       | insufficient funds for gas * price + value: address 0xf39F have 1 want 2 | INSUFFICIENT_FUNDS_HOLD
            geth       | insufficient funds for transfer                                      | INSUFFICIENT_FUNDS_HOLD
            geth       | exceeds block gas limit                                              | FATAL
            geth       | intrinsic gas too low: gas 20000, minimum needed 21000               | FATAL
            geth       | invalid sender                                                       | FATAL
            geth       | oversized data                                                       | FATAL
            geth       | negative value                                                       | FATAL
            geth       | gas uint64 overflow                                                  | FATAL
            geth       | transaction type not supported                                       | FATAL
            geth       | sender not an eoa: address 0x1, codehash: 0x2                        | FATAL
            geth       | tx fee (1.10 ether) exceeds the configured cap (1.00 ether)          | FATAL
            geth       | only replay-protected (EIP-155) transactions allowed over RPC        | FATAL
            geth       | rlp: expected input list for types.DynamicFeeTx                      | FATAL
            geth       | txpool is full                                                       | TRANSIENT_RETRY
            erigon     | ALREADY_KNOWN: already known                                         | TREAT_AS_SENT
            erigon     | fee cap less than block base fee                                     | UNDERPRICED_BUMP
            erigon     | underpriced                                                          | UNDERPRICED_BUMP
            erigon     | replacement underpriced                                              | REPLACEMENT_UNDERPRICED
            erigon     | insufficient funds                                                   | INSUFFICIENT_FUNDS_HOLD
            erigon     | tip higher than fee cap                                              | FATAL
            erigon     | pending pool is full                                                 | TRANSIENT_RETRY
            nethermind | AlreadyKnown                                                         | TREAT_AS_SENT
            nethermind | OwnNonceAlreadyUsed                                                  | TREAT_AS_SENT
            nethermind | OldNonce, Current nonce: 5, nonce of rejected tx: 4                  | NONCE_TOO_LOW
            nethermind | NonceGap, Future nonce. Expected nonce: 5                            | NONCE_TOO_HIGH_RETRY
            nethermind | NonceTooFarInFuture                                                  | NONCE_TOO_HIGH_RETRY
            nethermind | FeeTooLow, MaxFeePerGas too low. MaxFeePerGas: 1, BaseFee: 7        | UNDERPRICED_BUMP
            nethermind | FeeTooLowToCompete                                                   | REPLACEMENT_UNDERPRICED
            nethermind | InsufficientFunds, Account balance: 5, cumulative cost: 9            | INSUFFICIENT_FUNDS_HOLD
            nethermind | GasLimitExceeded, Gas limit: 30000000, gas limit of rejected tx: 40000000 | FATAL
            nethermind | SenderIsContract                                                     | FATAL
            nethermind | Int256Overflow                                                       | FATAL
            nethermind | FailedToResolveSender                                                | FATAL
            nethermind | InvalidTxChainId                                                     | FATAL
            besu       | Nonce too low                                                        | NONCE_TOO_LOW
            besu       | Known transaction                                                    | TREAT_AS_SENT
            besu       | Replacement transaction underpriced                                  | REPLACEMENT_UNDERPRICED
            besu       | Upfront cost exceeds account balance                                 | INSUFFICIENT_FUNDS_HOLD
            besu       | Gas price below configured minimum gas price                         | UNDERPRICED_BUMP
            parity     | Transaction with the same hash was already imported.                 | TREAT_AS_SENT
            parity     | Transaction nonce is too low. Try incrementing the nonce.            | NONCE_TOO_LOW
            parity     | Transaction gas price 100 is too low. There is another transaction with same nonce in the queue. | REPLACEMENT_UNDERPRICED
            parity     | Transaction gas price is too low. It does not satisfy your node's minimal gas price | UNDERPRICED_BUMP
            parity     | Insufficient funds. The account you tried to send transaction from does not have enough funds. | INSUFFICIENT_FUNDS_HOLD
            gateway    | 502 Bad Gateway                                                      | TRANSIENT_RETRY
            gateway    | HTTP 503 Service Unavailable                                         | TRANSIENT_RETRY
            gateway    | 429 Too Many Requests                                                | TRANSIENT_RETRY
            gateway    | SocketTimeoutException: timeout                                      | TRANSIENT_RETRY
            gateway    | ConnectException: Connection refused                                 | TRANSIENT_RETRY
            gateway    | unexpected EOF                                                       | TRANSIENT_RETRY
            other      | execution reverted                                                   | UNKNOWN
            other      | something nobody has seen before                                     | UNKNOWN
            """)
    void classifies(String client, String message, SendErrorClass expected) {
        assertThat(SendErrorClassifier.classify(message))
                .as(client + ": " + message)
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void noMessageIsUnknown(String message) {
        assertThat(SendErrorClassifier.classify(message)).isEqualTo(SendErrorClass.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            gas limit 5020000 too odd               | UNKNOWN
            nonce 4290 is strange                   | UNKNOWN
            thereof unexpected                      | UNKNOWN
            """)
    void statusCodesAndShortWordsMatchOnlyAsWholeWords(String message, SendErrorClass expected) {
        assertThat(SendErrorClassifier.classify(message)).isEqualTo(expected);
    }
}
