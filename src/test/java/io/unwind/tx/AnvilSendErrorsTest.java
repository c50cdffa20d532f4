package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.SendResult;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.SendErrorClassifier;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.RawTransaction;

/**
 * What anvil really answers to eth_sendRawTransaction, and that the classifier reads each answer as intended. If a new
 * anvil changes a wording, this fails and the table needs a row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class AnvilSendErrorsTest {
    private static final String TO = "0x00000000000000000000000000000000000b0b01";
    private TxHarness h;

    @BeforeAll
    void start() {
        h = TxHarness.manualMining();
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private String send(long chainId, long nonce, long gas, String maxFee, String tip, BigInteger value) {
        RawTransaction raw = RawTransaction.createTransaction(
                chainId,
                BigInteger.valueOf(nonce),
                BigInteger.valueOf(gas),
                TO,
                value,
                "0x",
                Wei.parseGwei(tip).value(),
                Wei.parseGwei(maxFee).value());
        List<SendResult> answers = h.chain.broadcast(h.signer.sign(raw).raw());
        assertThat(answers).hasSize(1);
        SendResult a = answers.get(0);
        return a.accepted() ? "accepted" : a.error().orElseThrow();
    }

    private String send(long nonce, long gas, String maxFee, String tip) {
        return send(TxHarness.CHAIN_ID, nonce, gas, maxFee, tip, BigInteger.ZERO);
    }

    private static void expect(String message, String wording, SendErrorClass cls) {
        assertThat(message).isEqualTo(wording);
        assertThat(SendErrorClassifier.classify(message)).as(wording).isEqualTo(cls);
    }

    @Test
    void anvilsWordingsAndTheirClasses() {
        long n = h.minedNonce();
        assertThat(send(n, 21_000, "4", "2")).isEqualTo("accepted");
        expect(send(n, 21_000, "4", "2"), "transaction already imported", SendErrorClass.TREAT_AS_SENT);
        expect(
                send(n, 21_000, "3", "1"),
                "replacement transaction underpriced",
                SendErrorClass.REPLACEMENT_UNDERPRICED);
        // Same fee cap, higher tip: still underpriced (anvil wants a strictly higher fee cap).
        expect(
                send(n, 21_000, "4", "3"),
                "replacement transaction underpriced",
                SendErrorClass.REPLACEMENT_UNDERPRICED);
        expect(send(n + 1, 20_000, "4", "2"), "intrinsic gas too low", SendErrorClass.FATAL);
        expect(
                send(n + 1, 2_000_000_000L, "4", "2"),
                "intrinsic gas too high -- tx.gas_limit > env.block.gas_limit",
                SendErrorClass.FATAL);
        expect(
                send(n + 1, 21_000, "0.000000001", "0.000000001"),
                "max fee per gas less than block base fee",
                SendErrorClass.UNDERPRICED_BUMP);
        expect(
                send(n + 1, 21_000, "1", "2"),
                "max priority fee per gas higher than max fee per gas",
                SendErrorClass.FATAL);
        expect(send(1, n + 1, 21_000, "4", "2", BigInteger.ZERO), "invalid chain id for signer", SendErrorClass.FATAL);
        expect(
                send(TxHarness.CHAIN_ID, n + 1, 21_000, "4", "2", BigInteger.TEN.pow(30)),
                "Insufficient funds for gas * price + value",
                SendErrorClass.INSUFFICIENT_FUNDS_HOLD);

        h.anvil.mine(1);
        expect(send(n, 21_000, "9", "5"), "nonce too low", SendErrorClass.NONCE_TOO_LOW);
        // A gap is queued by anvil, not refused: "nonce too high" never comes from it.
        assertThat(send(n + 5, 21_000, "4", "2")).isEqualTo("accepted");
    }
}
