package io.unwind.domain.position;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One vault as the lens reported it at one block: the position with interest accrued, the oracle price
 * (Morpho scale, 1e36), LTV and LLTV (WADs), the policy, and the reserve (loan-token base units held by the
 * vault). {@code price} is zero when the market's oracle reverted (for example a stale feed).
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
        boolean keeperAllowed) {

    public VaultHealth {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(owner, "owner");
    }

    /** The oracle answered: price and LTV can be used. */
    public boolean priceKnown() {
        return price.signum() > 0;
    }

    public boolean hasDebt() {
        return debt.signum() > 0;
    }

    /**
     * At or above its policy's trigger with everything known (price, debt, a policy), whether or not any keeper may
     * act on it: the vaults an operator must hear about.
     */
    public boolean overTrigger() {
        return priceKnown() && hasDebt() && policy.isSet() && ltv.compareTo(Ltv.bpsToWad(policy.triggerLtvBps())) >= 0;
    }
}
