package io.unwind.domain.position;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One vault as the lens reported it at one block: the position with interest accrued, the oracle price (Morpho scale,
 * 1e36), LTV and LLTV (WADs), the policy, and the reserve (loan-token base units held by the vault). {@code price} is
 * zero when the market's oracle reverted (for example a stale feed). {@code softTrigger} is the owner's early trigger
 * ({@link SoftTrigger#NONE} when off). {@code flashPremiumBps} is what a sale that flash-borrows its repayment pays the
 * protocol, in bps of the loan (Aave V3's {@code FLASHLOAN_PREMIUM_TOTAL}; 0 on Morpho Blue, whose vault needs no flash
 * loan).
 */
public record VaultHealth(
        Address vault,
        Address owner,
        String marketId,
        Token loanToken,
        Token collateralToken,
        BigInteger collateral,
        BigInteger borrowShares,
        BigInteger debt,
        BigInteger price,
        BigInteger ltv,
        BigInteger lltv,
        Policy policy,
        BigInteger reserve,
        Instant lastActionAt,
        boolean paused,
        boolean keeperAllowed,
        GuardState guard,
        int readFlags,
        SoftTrigger softTrigger,
        LendingProtocol protocol,
        int flashPremiumBps) {

    /** Bits of {@link #readFlags}, as VaultLens sets them. */
    public static final int READ_MARKET_FAILED = 2;

    public static final int READ_ORACLE_FAILED = 4;
    public static final int READ_PRICE_CHECK_FAILED = 8;

    public VaultHealth {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(softTrigger, "softTrigger");
        Objects.requireNonNull(protocol, "protocol");
        if (flashPremiumBps < 0 || flashPremiumBps > Policy.BPS) {
            throw new IllegalArgumentException("flashPremiumBps must be in [0, 10000]: " + flashPremiumBps);
        }
    }

    /** A vault in {@code protocol} whose sales take no flash loan (or whose premium is not known to matter). */
    public VaultHealth(
            Address vault,
            Address owner,
            String marketId,
            Token loanToken,
            Token collateralToken,
            BigInteger collateral,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger price,
            BigInteger ltv,
            BigInteger lltv,
            Policy policy,
            BigInteger reserve,
            Instant lastActionAt,
            boolean paused,
            boolean keeperAllowed,
            GuardState guard,
            int readFlags,
            SoftTrigger softTrigger,
            LendingProtocol protocol) {
        this(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                protocol,
                0);
    }

    /** A vault on Morpho Blue. */
    public VaultHealth(
            Address vault,
            Address owner,
            String marketId,
            Token loanToken,
            Token collateralToken,
            BigInteger collateral,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger price,
            BigInteger ltv,
            BigInteger lltv,
            Policy policy,
            BigInteger reserve,
            Instant lastActionAt,
            boolean paused,
            boolean keeperAllowed,
            GuardState guard,
            int readFlags,
            SoftTrigger softTrigger) {
        this(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                LendingProtocol.MORPHO_BLUE);
    }

    /** A vault without a soft trigger. */
    public VaultHealth(
            Address vault,
            Address owner,
            String marketId,
            Token loanToken,
            Token collateralToken,
            BigInteger collateral,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger price,
            BigInteger ltv,
            BigInteger lltv,
            Policy policy,
            BigInteger reserve,
            Instant lastActionAt,
            boolean paused,
            boolean keeperAllowed,
            GuardState guard,
            int readFlags) {
        this(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                SoftTrigger.NONE);
    }

    /** A vault without a guard, all of it read. */
    public VaultHealth(
            Address vault,
            Address owner,
            String marketId,
            Token loanToken,
            Token collateralToken,
            BigInteger collateral,
            BigInteger borrowShares,
            BigInteger debt,
            BigInteger price,
            BigInteger ltv,
            BigInteger lltv,
            Policy policy,
            BigInteger reserve,
            Instant lastActionAt,
            boolean paused,
            boolean keeperAllowed) {
        this(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                GuardState.NONE,
                0,
                SoftTrigger.NONE);
    }

    /** The same vault with {@code g} as its guard state. */
    public VaultHealth withGuard(GuardState g) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                g,
                readFlags,
                softTrigger,
                protocol,
                flashPremiumBps);
    }

    /** The same vault with {@code t} as its soft trigger. */
    public VaultHealth withSoftTrigger(SoftTrigger t) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                t,
                protocol,
                flashPremiumBps);
    }

    /** The same vault in {@code p}. */
    public VaultHealth withProtocol(LendingProtocol p) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                p,
                flashPremiumBps);
    }

    /** The same vault whose flash-path sales pay the pool {@code bps} of the loan (Aave's flash-loan premium). */
    public VaultHealth withFlashPremiumBps(int bps) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                protocol,
                bps);
    }

    /**
     * The same vault with {@code newReserve} to top up from: its own reserve plus what the block's book set aside for
     * it from its owner's shared reserve (the vault draws that part at the top-up).
     */
    public VaultHealth withReserve(BigInteger newReserve) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                price,
                ltv,
                lltv,
                policy,
                newReserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                protocol,
                flashPremiumBps);
    }

    /** The same vault re-priced: {@code price} and the LTV it gives, everything else as last read. */
    public VaultHealth repriced(BigInteger newPrice, BigInteger newLtv) {
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loanToken,
                collateralToken,
                collateral,
                borrowShares,
                debt,
                newPrice,
                newLtv,
                lltv,
                policy,
                reserve,
                lastActionAt,
                paused,
                keeperAllowed,
                guard,
                readFlags,
                softTrigger,
                protocol,
                flashPremiumBps);
    }

    /** The price guard lets keepers act (always, without a feed). */
    public boolean priceFresh() {
        return guard.priceStatus().ok();
    }

    /**
     * The most collateral (base units) a sale may take now under the rate limit: the window's share left of the
     * collateral, rounded down, so that the vault's rounded-up count of the sale never exceeds it.
     */
    public BigInteger windowSellLeft() {
        return collateral
                .multiply(BigInteger.valueOf(guard.windowSellLeftBps()))
                .divide(BigInteger.valueOf(Policy.BPS));
    }

    /** A token's decimals could not be read: amounts cannot be shown or planned safely. */
    public boolean marketUnreadable() {
        return (readFlags & READ_MARKET_FAILED) != 0;
    }

    /** The oracle answered: price and LTV can be used. */
    public boolean priceKnown() {
        return price.signum() > 0;
    }

    public boolean hasDebt() {
        return debt.signum() > 0;
    }

    /**
     * At or above its policy's trigger with everything known (price, debt, a policy), whether or not any keeper may act
     * on it: the vaults an operator must hear about.
     */
    public boolean overTrigger() {
        return overTrigger(policy);
    }

    /**
     * Whether this vault, as read, would be at or above the trigger of {@code p} (its own policy, or one about to be
     * set): the price is known, there is debt, the policy is set, and LTV >= trigger. Without debt there is nothing a
     * keeper could repay; without a price the LTV is not known; an unset policy lets no keeper act.
     */
    public boolean overTrigger(Policy p) {
        return priceKnown()
                && hasDebt()
                && p.isSet()
                && ltv.compareTo(p.trigger().toWad()) >= 0;
    }

    /** The trigger LTV of the vault's policy as a WAD (zero when no policy is set). */
    public BigInteger triggerLtv() {
        return policy.trigger().toWad();
    }

    /**
     * Under the hard trigger but at or above a soft trigger, with everything known: a keeper may act early here (with a
     * complete deleverage to the target) when its prediction says so.
     */
    public boolean inSoftZone() {
        return softTrigger.isSet()
                && priceKnown()
                && hasDebt()
                && policy.isSet()
                && ltv.compareTo(policy.trigger().toWad()) < 0
                && ltv.compareTo(softTrigger.soft().toWad()) >= 0;
    }

    /** At or above the market's LLTV with debt and a known price: the protocol lets anyone liquidate it. */
    public boolean liquidatable() {
        return priceKnown() && hasDebt() && ltv.compareTo(lltv) >= 0;
    }

    /**
     * How far the collateral price may fall before the vault can be liquidated, as a fraction of one: {@code 1 - LTV /
     * LLTV}, held to [0, 1] (0 at or past the LLTV, and for debt against worthless collateral; 1 without debt). Empty
     * when it cannot be known: the oracle gave no price, or the market has no LLTV.
     */
    public Optional<BigDecimal> liquidationDistance() {
        if (!priceKnown() || lltv.signum() == 0) return Optional.empty();
        if (!hasDebt()) return Optional.of(BigDecimal.ONE);
        if (ltv.compareTo(lltv) >= 0) return Optional.of(BigDecimal.ZERO);
        BigDecimal ratio = new BigDecimal(ltv).divide(new BigDecimal(lltv), MathContext.DECIMAL64);
        return Optional.of(BigDecimal.ONE.subtract(ratio));
    }
}
