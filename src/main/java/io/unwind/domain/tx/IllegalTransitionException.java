package io.unwind.domain.tx;

/** A state change the lifecycle forbids: a bug, or a second writer racing on the same transaction. */
public final class IllegalTransitionException extends IllegalStateException {
    private final TxState from;
    private final Transition transition;

    public IllegalTransitionException(TxState from, Transition transition) {
        super("transition " + transition + " is not allowed from " + from + " (only from " + transition.from() + ")");
        this.from = from;
        this.transition = transition;
    }

    public TxState from() {
        return from;
    }

    public Transition transition() {
        return transition;
    }
}
