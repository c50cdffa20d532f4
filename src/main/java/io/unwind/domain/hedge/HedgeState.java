package io.unwind.domain.hedge;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * A hedge as read at one block: a short on the vault's collateral C, held against the vault's loan token L. The figures
 * are a venue's own (on chain: UnwindHedge's position in the reverse Morpho market); what is derived from them is the
 * same for any venue that holds a short against a margin.
 *
 * @param hedge where the hedge lives (its contract, or a venue account's id)
 * @param vault the vault it protects
 * @param margin L held against the short (base units of the vault's loan token)
 * @param shorted C owed (base units of the vault's collateral token), interest included
 * @param assetHeld C held loose (bought back beyond the debt, or sent by someone), counted in the hedge's equity
 * @param principal L the owner put in, net of withdrawals: equity over it is profit
 * @param lastActionAt when a keeper last opened or bought back (the cooldown's start); {@link Instant#EPOCH} if never
 * @param borrowRatePerSecondWad the short's funding rate per second, as a WAD (0 when unknown)
 * @param liquidationLtvWad the venue's LTV at which the short is liquidated (the reverse market's LLTV), as a WAD: the
 *     venue also refuses a borrow or a withdrawal that would take the hedge past it, so it bounds each open (the short
 *     is borrowed before its sale adds to the margin) and each buy-back (the margin is withdrawn before it repays)
 */
public record HedgeState(
        Address hedge,
        Address vault,
        BigInteger margin,
        BigInteger shorted,
        BigInteger assetHeld,
        BigInteger principal,
        HedgePolicy policy,
        Instant lastActionAt,
        BigInteger borrowRatePerSecondWad,
        BigInteger liquidationLtvWad) {

    private static final BigInteger YEAR_SECONDS = BigInteger.valueOf(365L * 24 * 3600);

    public HedgeState {
        Objects.requireNonNull(hedge, "hedge");
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(lastActionAt, "lastActionAt");
        for (BigInteger v :
                new BigInteger[] {margin, shorted, assetHeld, principal, borrowRatePerSecondWad, liquidationLtvWad}) {
            if (v.signum() < 0) throw new IllegalArgumentException("a hedge's figures are never negative");
        }
    }

    public boolean hasShort() {
        return shorted.signum() > 0;
    }

    /** The short's value in L at {@code price} (the vault's oracle price, 1e36-scaled), rounded up. */
    public BigInteger shortValue(BigInteger price) {
        return Ltv.divUp(shorted.multiply(price), Ltv.PRICE_SCALE);
    }

    /** The hedge's LTV at {@code price}, as a WAD: the short's value over the margin (0 without a short). */
    public BigInteger ltv(BigInteger price) {
        if (!hasShort()) return BigInteger.ZERO;
        if (margin.signum() == 0) return Ltv.UINT256_MAX;
        return Ltv.divUp(shortValue(price).multiply(Ltv.WAD), margin);
    }

    /** Margin plus loose C less the short, in L at {@code price}: what the owner would get back; may be negative. */
    public BigInteger equity(BigInteger price) {
        return margin.add(Ltv.collateralValue(assetHeld, price)).subtract(shortValue(price));
    }

    /** Equity over the principal, never negative: what the contract lets a keeper release to the vault. */
    public BigInteger profit(BigInteger price) {
        return equity(price).subtract(principal).max(BigInteger.ZERO);
    }

    /** The short over the vault's collateral, in basis points (0 when the vault holds none). */
    public int ratioBps(BigInteger vaultCollateral) {
        if (vaultCollateral.signum() == 0) return 0;
        return shorted.multiply(Ltv.BPS)
                .divide(vaultCollateral)
                .min(BigInteger.valueOf(1_000_000))
                .intValueExact();
    }

    /** The short's funding cost a year, in L at {@code price} (its borrow rate on its value). */
    public BigInteger fundingPerYear(BigInteger price) {
        return shortValue(price)
                .multiply(borrowRatePerSecondWad)
                .multiply(YEAR_SECONDS)
                .divide(Ltv.WAD);
    }

    /** The funding rate a year, as a fraction. */
    public double fundingRate() {
        return new java.math.BigDecimal(borrowRatePerSecondWad.multiply(YEAR_SECONDS))
                .movePointLeft(18)
                .doubleValue();
    }

    /** The share of the liquidation LTV the venue's own checks are kept under, in basis points. */
    public static final int VENUE_MARGIN_BPS = 9_800;

    /** C one open may borrow: the venue checks the hedge's health after the borrow, before the sale adds margin. */
    public BigInteger borrowable(BigInteger price) {
        BigInteger limit = margin.multiply(liquidationLtvWad)
                .multiply(BigInteger.valueOf(VENUE_MARGIN_BPS))
                .divide(Ltv.WAD)
                .divide(Ltv.BPS);
        BigInteger room = limit.subtract(shortValue(price));
        return room.signum() <= 0
                ? BigInteger.ZERO
                : room.multiply(Ltv.PRICE_SCALE).divide(price);
    }

    /** L one buy-back may withdraw: the venue checks the hedge's health after the withdrawal, before the repayment. */
    public BigInteger withdrawable(BigInteger price) {
        if (!hasShort()) return margin;
        BigInteger lltv =
                liquidationLtvWad.multiply(BigInteger.valueOf(VENUE_MARGIN_BPS)).divide(Ltv.BPS);
        if (lltv.signum() == 0) return BigInteger.ZERO;
        BigInteger needed = Ltv.divUp(shortValue(price).multiply(Ltv.WAD), lltv);
        return margin.subtract(needed).max(BigInteger.ZERO);
    }

    /** Whether the cooldown has passed at {@code now}. */
    public boolean cooledDown(Instant now) {
        return lastActionAt.equals(Instant.EPOCH) || !now.isBefore(lastActionAt.plus(policy.cooldown()));
    }
}
