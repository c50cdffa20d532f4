package io.unwind.engine;

import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.GasCost;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.KeeperFeeRule;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.Set;

/**
 * The keeper does not spend more gas on a vault than the vault's fee pays back, unless the operator chose to protect it
 * at its own cost. Anyone can create a vault that allows every keeper, so without this floor a swarm of dust vaults
 * over their triggers would drain the keeper's gas money one unpaid transaction at a time.
 *
 * <p>The fee is the vault's: {@code repaid x min(keeperFeeBps, policy.maxFeeBps) / 10_000}, and nothing when the
 * transaction's fee cap is above the policy's {@code maxGasPrice} ({@link KeeperFeeRule}). The cost is
 * {@link #ACTION_GAS} at the price the transaction would pay, in loan-token units at the price routing uses
 * ({@link Keeper#nativePrice}). With no price for the native coin the cost is unknown and the floor is off.
 *
 * @param minimumRepay the least repayment whose fee pays for the gas (zero: no floor)
 * @param noFee the vault pays no fee at this gas price, so no repayment pays for the gas
 */
record EconomicFloor(
        BigInteger minimumRepay, boolean noFee, TokenAmount gasCost, Wei gasPrice, int feeBps, Wei dataFee) {
    /** Calldata an action is assumed to carry before routing has built one (a direct pool sale: about 400 bytes). */
    static final int ACTION_BYTES = 400;

    /**
     * Gas an action is assumed to use before routing has measured one: about a top-up (the simulator gives it 150,000;
     * a sale takes more, about 300,000). The lower figure holds only vaults whose fee cannot pay even the cheapest
     * action.
     */
    static final long ACTION_GAS = 150_000;

    /**
     * @param maxFeePerGas the fee cap the action would carry (decides whether the vault pays a fee)
     * @param pricePaid what a unit of gas would cost at the next block (base fee plus tip, at most the cap)
     * @param nativePrice loan-token base units per 1e18 wei; zero when unknown
     */
    static EconomicFloor of(
            VaultHealth h,
            KeeperSettings settings,
            Set<Address> protectAtOwnCost,
            Wei maxFeePerGas,
            Wei pricePaid,
            BigInteger nativePrice) {
        return of(h, settings, protectAtOwnCost, maxFeePerGas, pricePaid, nativePrice, Wei.ZERO);
    }

    /**
     * @param dataFee what the chain charges an action's bytes besides its gas (an OP-stack chain's L1 data fee for
     *     {@link #ACTION_BYTES}), in wei
     */
    static EconomicFloor of(
            VaultHealth h,
            KeeperSettings settings,
            Set<Address> protectAtOwnCost,
            Wei maxFeePerGas,
            Wei pricePaid,
            BigInteger nativePrice,
            Wei dataFee) {
        TokenAmount cost = h.loanToken()
                .amount(GasCost.inLoanUnits(ACTION_GAS, pricePaid, nativePrice)
                        .add(GasCost.weiInLoanUnits(dataFee, nativePrice)));
        int feeBps = KeeperFeeRule.feeBps(h.policy(), settings, maxFeePerGas);
        if (protectAtOwnCost.contains(h.vault()) || cost.units().signum() == 0) {
            return new EconomicFloor(BigInteger.ZERO, false, cost, pricePaid, feeBps, dataFee);
        }
        if (feeBps == 0) return new EconomicFloor(BigInteger.ZERO, true, cost, pricePaid, feeBps, dataFee);
        // fee = repaid x feeBps / 10_000 >= cost  <=>  repaid >= cost x 10_000 / feeBps, rounded up.
        BigInteger[] qr =
                cost.units().multiply(BigInteger.valueOf(10_000)).divideAndRemainder(BigInteger.valueOf(feeBps));
        return new EconomicFloor(
                qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE), false, cost, pricePaid, feeBps, dataFee);
    }

    /** Why a vault under the floor is held, in words for `unwind status`. */
    String explain() {
        String gas = "an action costs the keeper about " + gasCost.display() + " of gas (" + ACTION_GAS + " gas at "
                + gasPrice.toGweiString()
                + (dataFee.value().signum() > 0 ? ", and an L1 data fee of " + dataFee.value() + " wei" : "") + ")";
        String fee = noFee
                ? "the vault pays no fee at this gas price (above its maxGasPrice)"
                : "its fee of " + feeBps / 100.0 + "% of the repayment does not cover that";
        return gas + " and " + fee + "; list it in strategy.protectAtOwnCost to protect it at the keeper's own cost";
    }
}
