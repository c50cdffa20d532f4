package io.unwind.domain.testing;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/** Tokens, policies and vaults for domain tests, built from human amounts with decimals as data. */
public final class Fixtures {
    public static final Token WETH = token("01", "WETH", 18);
    public static final Token USDC = token("02", "USDC", 6);
    public static final Token WBTC = token("03", "WBTC", 8);
    public static final Token DAI = token("04", "DAI", 18);
    /** A 6-decimal collateral (for the 6-decimal-collateral / 18-decimal-loan case). */
    public static final Token GOLD6 = token("05", "GOLD6", 6);

    public static final Address VAULT = Address.of("0x" + "aa".repeat(20));
    public static final Address OWNER = Address.of("0x" + "bb".repeat(20));
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private Fixtures() {}

    public static Token token(String tag, String symbol, int decimals) {
        return new Token(Address.of("0x" + "00".repeat(19) + tag), symbol, decimals);
    }

    /** 86% LLTV market policy: trigger 80%, target 70%, band 5%, 1% slippage, 0.5% fee, 100% sell, no cooldown. */
    public static Policy policy() {
        return new Policy(8000, 7000, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(100));
    }

    /** The Morpho oracle price for "1 collateral = {@code human} loan tokens": scaled as Morpho scales it. */
    public static BigInteger price(String human, Token collateral, Token loan) {
        return new BigDecimal(human)
                .movePointRight(36 + loan.decimals() - collateral.decimals())
                .setScale(0, RoundingMode.DOWN)
                .toBigIntegerExact();
    }

    public static BigInteger units(String human, Token t) {
        return t.parse(human).units();
    }

    public static Builder vault(Token collateral, Token loan) {
        return new Builder(collateral, loan);
    }

    /** Builds a {@link VaultHealth}; defaults: allowed keeper, not paused, never acted, 86% LLTV, empty reserve. */
    public static final class Builder {
        private final Token collateral;
        private final Token loan;
        private BigInteger collateralUnits = BigInteger.ZERO;
        private BigInteger debt = BigInteger.ZERO;
        private BigInteger price = BigInteger.ZERO;
        private BigInteger lltv = Ltv.bpsToWad(8600);
        private Policy policy = Fixtures.policy();
        private BigInteger reserve = BigInteger.ZERO;
        private Instant lastActionAt = Instant.EPOCH;
        private boolean paused;
        private boolean keeperAllowed = true;
        private Address address = VAULT;
        private Address owner = OWNER;
        private String marketId = "0x" + "cd".repeat(32);
        private io.unwind.domain.position.LendingProtocol protocol =
                io.unwind.domain.position.LendingProtocol.MORPHO_BLUE;

        private Builder(Token collateral, Token loan) {
            this.collateral = collateral;
            this.loan = loan;
        }

        public Builder collateral(String human) {
            collateralUnits = units(human, collateral);
            return this;
        }

        public Builder collateralUnits(BigInteger u) {
            collateralUnits = u;
            return this;
        }

        public Builder debt(String human) {
            debt = units(human, loan);
            return this;
        }

        public Builder debtUnits(BigInteger u) {
            debt = u;
            return this;
        }

        public Builder price(String human) {
            price = Fixtures.price(human, collateral, loan);
            return this;
        }

        public Builder priceUnits(BigInteger p) {
            price = p;
            return this;
        }

        /** Sets the debt so that LTV is {@code bps} of the collateral value (rounded down). */
        public Builder ltvBps(int bps) {
            debt = Ltv.collateralValue(collateralUnits, price)
                    .multiply(BigInteger.valueOf(bps))
                    .divide(Ltv.BPS);
            return this;
        }

        public Builder lltvBps(int bps) {
            lltv = Ltv.bpsToWad(bps);
            return this;
        }

        public Builder policy(Policy p) {
            policy = p;
            return this;
        }

        public Builder reserve(String human) {
            reserve = units(human, loan);
            return this;
        }

        public Builder reserveUnits(BigInteger u) {
            reserve = u;
            return this;
        }

        public Builder lastActionAt(Instant t) {
            lastActionAt = t;
            return this;
        }

        public Builder paused(boolean p) {
            paused = p;
            return this;
        }

        public Builder address(Address a) {
            address = a;
            return this;
        }

        public Builder owner(Address o) {
            owner = o;
            return this;
        }

        public Builder market(String id) {
            marketId = id;
            return this;
        }

        public Builder protocol(io.unwind.domain.position.LendingProtocol p) {
            protocol = p;
            return this;
        }

        public Builder keeperAllowed(boolean k) {
            keeperAllowed = k;
            return this;
        }

        public VaultHealth build() {
            return new VaultHealth(
                            address,
                            owner,
                            marketId,
                            loan,
                            collateral,
                            collateralUnits,
                            debt,
                            debt,
                            price,
                            Ltv.ltv(collateralUnits, debt, price),
                            lltv,
                            policy,
                            reserve,
                            lastActionAt,
                            paused,
                            keeperAllowed)
                    .withProtocol(protocol);
        }
    }
}
