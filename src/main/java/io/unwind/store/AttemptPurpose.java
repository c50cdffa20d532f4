package io.unwind.store;

/** What an attempt carries: the transaction's own action, or a cancellation (a 0-value transfer to itself). */
public enum AttemptPurpose {
    ACTION,
    CANCEL
}
