package io.unwind.domain.money;

import io.unwind.domain.chain.Address;
import java.util.Objects;

/** An ERC-20 token. Its decimals are data read from chain, never assumed. */
public record Token(Address address, String symbol, int decimals) {
    public Token {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(symbol, "symbol");
        if (decimals < 0 || decimals > 36) throw new IllegalArgumentException("decimals out of range: " + decimals);
    }

    public TokenAmount amount(java.math.BigInteger baseUnits) {
        return new TokenAmount(this, baseUnits);
    }

    /** Parses a human amount ("1.5") into base units exactly; too many decimals is refused. */
    public TokenAmount parse(String human) {
        java.math.BigDecimal d = new java.math.BigDecimal(human.trim()).movePointRight(decimals);
        try {
            return new TokenAmount(this, d.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(symbol + " has " + decimals + " decimals; cannot represent " + human, e);
        }
    }

    @Override
    public String toString() {
        return symbol;
    }
}
