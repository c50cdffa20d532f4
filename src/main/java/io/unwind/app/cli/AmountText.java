package io.unwind.app.cli;

import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;

/**
 * An amount as typed, checked for its syntax when the command line is read ("1.5", "21_000"; a ',' is refused), and
 * made exact in its token's base units once the token's decimals are known from the chain ({@link #of(Token, String)}):
 * the one place an amount meets its decimals.
 */
record AmountText(String text) {
    /** The typed text, refused now if no token could make an amount of it; "all" and "max" are kept as words. */
    static AmountText of(String text) {
        AmountText a = new AmountText(text.trim());
        if (!a.isAll()) Units.checkAmountSyntax(a.text, "", "");
        return a;
    }

    /** "all" or "max": what the command takes for everything (the debt, the reserve), where it takes it. */
    boolean isAll() {
        return Cli.isAll(text);
    }

    /** The exact amount of {@code token}; {@code option} names the option in a usage error. */
    TokenAmount of(Token token, String option) {
        return Units.amount(token, text, option);
    }

    @Override
    public String toString() {
        return text;
    }
}
