package io.unwind.domain.tx;

import static io.unwind.domain.tx.SendErrorClass.FATAL;
import static io.unwind.domain.tx.SendErrorClass.INSUFFICIENT_FUNDS_HOLD;
import static io.unwind.domain.tx.SendErrorClass.NONCE_TOO_HIGH_RETRY;
import static io.unwind.domain.tx.SendErrorClass.NONCE_TOO_LOW;
import static io.unwind.domain.tx.SendErrorClass.REPLACEMENT_UNDERPRICED;
import static io.unwind.domain.tx.SendErrorClass.TRANSIENT_RETRY;
import static io.unwind.domain.tx.SendErrorClass.TREAT_AS_SENT;
import static io.unwind.domain.tx.SendErrorClass.UNDERPRICED_BUMP;
import static io.unwind.domain.tx.SendErrorClass.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One endpoint that has the transaction is enough; a definite refusal outranks a failure to get through. */
@Tag("pure")
@net.jqwik.api.Tag("pure")
class SendOutcomeTest {

    @Test
    void eachClassAloneLeadsToItsOutcome() {
        assertThat(SendOutcome.combine(List.of(TREAT_AS_SENT))).isEqualTo(SendOutcome.SENT);
        assertThat(SendOutcome.combine(List.of(NONCE_TOO_LOW))).isEqualTo(SendOutcome.SENT);
        assertThat(SendOutcome.combine(List.of(REPLACEMENT_UNDERPRICED))).isEqualTo(SendOutcome.UNDERPRICED);
        assertThat(SendOutcome.combine(List.of(UNDERPRICED_BUMP))).isEqualTo(SendOutcome.UNDERPRICED);
        assertThat(SendOutcome.combine(List.of(INSUFFICIENT_FUNDS_HOLD))).isEqualTo(SendOutcome.HELD);
        assertThat(SendOutcome.combine(List.of(FATAL))).isEqualTo(SendOutcome.FATAL);
        assertThat(SendOutcome.combine(List.of(NONCE_TOO_HIGH_RETRY))).isEqualTo(SendOutcome.RETRY);
        assertThat(SendOutcome.combine(List.of(TRANSIENT_RETRY))).isEqualTo(SendOutcome.RETRY);
        assertThat(SendOutcome.combine(List.of(UNKNOWN))).isEqualTo(SendOutcome.RETRY);
        assertThat(SendOutcome.combine(List.of())).isEqualTo(SendOutcome.RETRY);
    }

    @Test
    void mixedAnswers() {
        assertThat(SendOutcome.combine(List.of(TRANSIENT_RETRY, TREAT_AS_SENT))).isEqualTo(SendOutcome.SENT);
        assertThat(SendOutcome.combine(List.of(FATAL, TREAT_AS_SENT))).isEqualTo(SendOutcome.SENT);
        assertThat(SendOutcome.combine(List.of(TRANSIENT_RETRY, FATAL))).isEqualTo(SendOutcome.FATAL);
        assertThat(SendOutcome.combine(List.of(FATAL, INSUFFICIENT_FUNDS_HOLD))).isEqualTo(SendOutcome.HELD);
        assertThat(SendOutcome.combine(List.of(INSUFFICIENT_FUNDS_HOLD, REPLACEMENT_UNDERPRICED)))
                .isEqualTo(SendOutcome.UNDERPRICED);
    }

    @Property
    void anyEndpointThatHasItMakesItSent(@ForAll List<SendErrorClass> others) {
        List<SendErrorClass> answers = new java.util.ArrayList<>(others);
        answers.add(others.size() / 2, TREAT_AS_SENT);
        assertThat(SendOutcome.combine(answers)).isEqualTo(SendOutcome.SENT);
    }

    @Property
    void theOrderOfAnswersDoesNotMatter(@ForAll List<SendErrorClass> answers) {
        List<SendErrorClass> reversed = new java.util.ArrayList<>(answers);
        java.util.Collections.reverse(reversed);
        assertThat(SendOutcome.combine(reversed)).isEqualTo(SendOutcome.combine(answers));
    }
}
