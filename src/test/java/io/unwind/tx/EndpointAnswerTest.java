package io.unwind.tx;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.SendResult;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.tx.SendErrorClass;
import io.unwind.domain.tx.SendOutcome;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class EndpointAnswerTest {
    private static final TxHash OURS = TxHash.of("0x" + "12".repeat(32));

    @Test
    void anAcceptanceCountsOnlyWithTheHashWeComputed() {
        EndpointAnswer good = EndpointAnswer.classify(
                SendResult.accepted("a", OURS.hex().toUpperCase().replace("0X", "0x")), OURS);
        assertThat(good.cls()).isEqualTo(SendErrorClass.TREAT_AS_SENT);
        assertThat(good.hashMismatch()).isFalse();

        EndpointAnswer bad = EndpointAnswer.classify(SendResult.accepted("b", "0x" + "34".repeat(32)), OURS);
        assertThat(bad.cls()).isEqualTo(SendErrorClass.FATAL);
        assertThat(bad.hashMismatch()).isTrue();
        assertThat(bad.toString()).contains("b: hash-mismatch", "0x3434");
    }

    @Test
    void oneHonestAcceptanceOutweighsALiarAndAnUnreachableEndpointIsARetry() {
        List<EndpointAnswer> answers = EndpointAnswer.classify(
                List.of(
                        SendResult.accepted("liar", "0x" + "34".repeat(32)),
                        SendResult.unreachable("down", "ConnectException: Connection refused"),
                        SendResult.accepted("honest", OURS.hex())),
                OURS);
        assertThat(answers)
                .extracting(EndpointAnswer::cls)
                .containsExactly(SendErrorClass.FATAL, SendErrorClass.TRANSIENT_RETRY, SendErrorClass.TREAT_AS_SENT);
        assertThat(EndpointAnswer.outcome(answers)).isEqualTo(SendOutcome.SENT);
        assertThat(EndpointAnswer.outcome(answers.subList(1, 2))).isEqualTo(SendOutcome.RETRY);
        assertThat(EndpointAnswer.outcome(answers.subList(0, 2))).isEqualTo(SendOutcome.FATAL);
    }

    @Test
    void longNodeMessagesAreShortened() {
        EndpointAnswer a = EndpointAnswer.classify(SendResult.rejected("n", "nonce too low " + "x".repeat(2000)), OURS);
        assertThat(a.cls()).isEqualTo(SendErrorClass.NONCE_TOO_LOW);
        assertThat(a.detail().length()).isLessThanOrEqualTo(501);
    }
}
