package io.unwind.domain.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The lifecycle of reference/tx-lifecycle.md as a checked state machine. */
@Tag("pure")
@net.jqwik.api.Tag("pure")
class TxStateTest {

    /** Every allowed move, written out: from -> (transition -> to). */
    private static final Map<TxState, Map<Transition, TxState>> ALLOWED = Map.of(
            TxState.UNSTARTED,
                    Map.of(
                            Transition.START,
                            TxState.IN_PROGRESS,
                            Transition.REJECTED,
                            TxState.FATAL_ERROR,
                            Transition.ABANDONED,
                            TxState.FATAL_ERROR),
            TxState.IN_PROGRESS,
                    Map.of(
                            Transition.SENT,
                            TxState.UNCONFIRMED,
                            Transition.REJECTED,
                            TxState.FATAL_ERROR,
                            Transition.ABANDONED,
                            TxState.FATAL_ERROR),
            TxState.UNCONFIRMED,
                    Map.of(
                            Transition.MINED,
                            TxState.CONFIRMED,
                            Transition.NONCE_TAKEN,
                            TxState.FATAL_ERROR,
                            Transition.ABANDONED,
                            TxState.FATAL_ERROR),
            TxState.CONFIRMED, Map.of(Transition.REORGED, TxState.UNCONFIRMED, Transition.FINALIZED, TxState.FINALIZED),
            TxState.FINALIZED, Map.of(),
            TxState.FATAL_ERROR, Map.of());

    @Test
    void everyStateAndTransitionPairIsEitherTheListedMoveOrRefused() {
        int allowed = 0;
        for (TxState from : TxState.values()) {
            for (Transition t : Transition.values()) {
                TxState expected = ALLOWED.get(from).get(t);
                if (expected != null) {
                    assertThat(from.apply(t)).as(from + " --" + t + "->").isEqualTo(expected);
                    allowed++;
                } else {
                    assertThatThrownBy(() -> from.apply(t))
                            .as(from + " --" + t)
                            .isInstanceOf(IllegalTransitionException.class)
                            .hasMessageContaining(t.name())
                            .hasMessageContaining(from.name());
                }
            }
        }
        assertThat(allowed).isEqualTo(11);
    }

    @Test
    void fatalErrorIsReachedOnlyBeforeSendingWhenTheNonceWasTakenOrWhenAbandoned() {
        Set<TxState> into = EnumSet.noneOf(TxState.class);
        for (TxState from : TxState.values()) {
            for (Transition t : Transition.values()) {
                if (t.allowedFrom(from) && t.to() == TxState.FATAL_ERROR) into.add(from);
            }
        }
        assertThat(into).containsExactlyInAnyOrder(TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED);
        assertThat(Transition.NONCE_TAKEN.from()).containsExactly(TxState.UNCONFIRMED);
        assertThat(Transition.ABANDONED.from()).doesNotContain(TxState.CONFIRMED, TxState.FINALIZED);
    }

    @Test
    void terminalAndInFlightStates() {
        assertThat(EnumSet.allOf(TxState.class).stream().filter(TxState::terminal))
                .containsExactlyInAnyOrder(TxState.FINALIZED, TxState.FATAL_ERROR);
        assertThat(EnumSet.allOf(TxState.class).stream().filter(TxState::inFlight))
                .containsExactlyInAnyOrder(TxState.UNSTARTED, TxState.IN_PROGRESS, TxState.UNCONFIRMED);
    }

    /** Whatever is tried, a walk from UNSTARTED only ever takes listed moves, and nothing leaves a terminal state. */
    @Property
    void randomWalksFollowTheTable(@ForAll @Size(max = 30) List<Transition> tries) {
        TxState s = TxState.UNSTARTED;
        List<TxState> path = new ArrayList<>(List.of(s));
        for (Transition t : tries) {
            TxState before = s;
            try {
                s = s.apply(t);
                assertThat(ALLOWED.get(before)).containsEntry(t, s);
                path.add(s);
            } catch (IllegalTransitionException e) {
                assertThat(ALLOWED.get(before)).doesNotContainKey(t);
            }
            if (before.terminal()) assertThat(s).isEqualTo(before);
        }
        // Once CONFIRMED is reached it can only be left by a re-org or finality.
        for (int i = 1; i < path.size(); i++) {
            if (path.get(i - 1) == TxState.CONFIRMED) {
                assertThat(path.get(i)).isIn(TxState.UNCONFIRMED, TxState.FINALIZED);
            }
        }
    }
}
