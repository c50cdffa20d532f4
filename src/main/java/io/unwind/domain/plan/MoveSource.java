package io.unwind.domain.plan;

import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Ltv;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A vault of the same owner, on the same collateral token, that the keeper may move collateral from into a vault at its
 * trigger instead of selling: both list each other as move peers, this keeper may act on it, and it is under its own
 * trigger. {@code spare} is what it can give this block: the least of its move cap's share of its collateral and what
 * keeps it at or under its own target LTV, less what the block's book already gave other vaults. The vault itself only
 * requires the source to stay under its trigger; the keeper keeps it at its target, so that a move never makes the next
 * vault to act.
 *
 * @param vault the source vault (the move is its {@code moveCollateral}, sent to it)
 * @param collateral its collateral, base units
 * @param debt its debt, base units
 * @param price its oracle price (Morpho scale, 1e36)
 * @param targetLtv its target LTV (WAD)
 * @param spare collateral it may give this block, base units
 */
public record MoveSource(
        Address vault,
        BigInteger collateral,
        BigInteger debt,
        BigInteger price,
        BigInteger targetLtv,
        BigInteger spare) {
    public MoveSource {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(debt, "debt");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(targetLtv, "targetLtv");
        Objects.requireNonNull(spare, "spare");
        if (spare.signum() < 0) throw new IllegalArgumentException("spare must be >= 0");
    }

    /** The source's LTV now. */
    public BigInteger ltv() {
        return Ltv.ltv(collateral, debt, price);
    }

    /** The source's LTV once {@code amount} has left it. */
    public BigInteger ltvAfter(BigInteger amount) {
        return Ltv.ltv(collateral.subtract(amount), debt, price);
    }

    /** The same source with {@code amount} less to give (given to a vault earlier in the book). */
    public MoveSource less(BigInteger amount) {
        return new MoveSource(
                vault,
                collateral.subtract(amount),
                debt,
                price,
                targetLtv,
                spare.subtract(amount).max(BigInteger.ZERO));
    }
}
