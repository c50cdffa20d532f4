package io.unwind.domain.fee;

import io.unwind.domain.money.Wei;
import io.unwind.domain.risk.Urgency;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * EIP-1559 fees from a fee history and an urgency, under caps; and the replacement rule for stuck transactions.
 *
 * <ul>
 *   <li>tip: the median across blocks of the tips paid at the normal percentile, rising linearly with urgency to the
 *       median at the urgent percentile; never under {@code minTip};
 *   <li>fee cap: {@code 2 x nextBaseFee + tip} (Optimism's txmgr rule: survives several full blocks of base-fee
 *       increases of 12.5% each);
 *   <li>cap: the normal cap below {@code emergencyUrgency}, the emergency cap from it on. Over the cap the answer says
 *       so: {@link FeeDecision.Capped} when the next block can still include it, otherwise {@link FeeDecision.Wait}
 *       when not urgent and {@link FeeDecision.PayAtCap} when urgent;
 *   <li>replacement: both fields at least {@code max(old x bumpPermille / 1000, market)}, and at least geth's minimum
 *       (+10% rounded up, and strictly more); {@link BumpDecision.ResendUnchanged} when the cap leaves no room for
 *       that.
 * </ul>
 */
public final class FeePolicy {
    private static final BigInteger PPM = BigInteger.valueOf(1_000_000);

    private final FeeSettings settings;

    public FeePolicy(FeeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public FeeSettings settings() {
        return settings;
    }

    /** The tip for this urgency, from the history's percentiles. */
    public Wei tip(FeeHistory history, Urgency urgency) {
        Wei normal = upperMedian(history.rewardsAt(settings.normalPercentile()));
        Wei high = upperMedian(history.rewardsAt(settings.urgentPercentile())).max(normal);
        // normal + (high - normal) * urgency, rounded up: a tip that is too low stalls the transaction.
        long ppm = (long) Math.ceil(urgency.score() * 1_000_000);
        BigInteger extra = high.value().subtract(normal.value()).multiply(BigInteger.valueOf(ppm));
        BigInteger tip = normal.value().add(ceilDiv(extra, PPM));
        return Wei.of(tip).max(settings.minTip());
    }

    /** The uncapped market fees: tip as above, fee cap {@code 2 x nextBaseFee + tip}. */
    public Eip1559Fees market(FeeHistory history, Urgency urgency) {
        Wei tip = tip(history, urgency);
        return new Eip1559Fees(history.nextBaseFee().times(2).plus(tip), tip);
    }

    /** The cap that applies at this urgency. */
    public Wei capFor(FeeCaps caps, Urgency urgency) {
        return isEmergency(urgency) ? caps.emergency() : caps.normal();
    }

    public boolean isEmergency(Urgency urgency) {
        return urgency.atLeast(settings.emergencyUrgency());
    }

    /** What to pay now. The fees returned to send never exceed the applicable cap. */
    public FeeDecision decide(FeeHistory history, Urgency urgency, FeeCaps caps) {
        Eip1559Fees market = market(history, urgency);
        Wei cap = capFor(caps, urgency);
        boolean emergency = isEmergency(urgency);
        String capName = (emergency ? "emergency cap " : "normal cap ") + cap.toGweiString();
        if (market.maxFeePerGas().compareTo(cap) <= 0) {
            return new FeeDecision.AtMarket(market, cap, "market " + market + " within the " + capName);
        }
        Eip1559Fees atCap = new Eip1559Fees(cap, market.maxPriorityFeePerGas().min(cap));
        Wei nextPrice = history.nextBaseFee().plus(market.maxPriorityFeePerGas());
        if (nextPrice.compareTo(cap) <= 0) {
            return new FeeDecision.Capped(
                    atCap,
                    market,
                    cap,
                    "market fee cap " + market.maxFeePerGas().toGweiString()
                            + " over the " + capName + ", but next base fee + tip " + nextPrice.toGweiString()
                            + " fits: includable now");
        }
        String over = "next base fee " + history.nextBaseFee().toGweiString() + " + tip "
                + market.maxPriorityFeePerGas().toGweiString() + " is over the " + capName;
        if (emergency) {
            return new FeeDecision.PayAtCap(
                    atCap, market, cap, over + "; urgent, so sending at the cap to wait in the pool");
        }
        return new FeeDecision.Wait(market, cap, over + "; not urgent, so waiting for gas to fall");
    }

    /** The replacement for a stuck transaction sent with {@code old}, against the market now and the current cap. */
    public BumpDecision bump(Eip1559Fees old, FeeHistory history, Urgency urgency, FeeCaps caps) {
        return bump(old, market(history, urgency), capFor(caps, urgency), settings.bumpPermille());
    }

    /**
     * The replacement rule. geth accepts a replacement only if each field is strictly higher and at least floor(old x
     * 110 / 100); rounding the +10% up and requiring at least one wei more satisfies both. Each field targets
     * {@code max(old x bumpPermille / 1000 rounded up, market)}; the fee cap is then held to {@code cap}.
     */
    public static BumpDecision bump(Eip1559Fees old, Eip1559Fees market, Wei cap, int bumpPermille) {
        if (bumpPermille < FeeSettings.GETH_MIN_BUMP_PERMILLE) throw new IllegalArgumentException("bump below +10%");
        Eip1559Fees min = minimumReplacement(old);
        Wei tip = old.maxPriorityFeePerGas()
                .mulDivUp(bumpPermille, 1000)
                .max(market.maxPriorityFeePerGas())
                .max(min.maxPriorityFeePerGas());
        Wei maxFee = old.maxFeePerGas()
                .mulDivUp(bumpPermille, 1000)
                .max(market.maxFeePerGas())
                .max(min.maxFeePerGas())
                .max(tip);
        if (maxFee.compareTo(cap) <= 0) {
            return new BumpDecision.Replace(new Eip1559Fees(maxFee, tip), false, "bumped from " + old);
        }
        if (cap.compareTo(min.maxFeePerGas()) < 0) {
            return new BumpDecision.ResendUnchanged(
                    old,
                    "the cap " + cap.toGweiString() + " is under the +10% fee cap "
                            + min.maxFeePerGas().toGweiString() + " a replacement needs");
        }
        // The tip needs no check of its own: tip <= maxFee makes its +10% minimum at most the fee cap's, which fits.
        Wei cappedTip = tip.min(cap);
        return new BumpDecision.Replace(
                new Eip1559Fees(cap, cappedTip),
                true,
                "bumped from " + old + ", held to the cap " + cap.toGweiString());
    }

    /** The least a replacement of {@code old} must offer: each field max(ceil(old x 1.1), old + 1). */
    public static Eip1559Fees minimumReplacement(Eip1559Fees old) {
        return new Eip1559Fees(tenPercentMore(old.maxFeePerGas()), tenPercentMore(old.maxPriorityFeePerGas()));
    }

    private static Wei tenPercentMore(Wei w) {
        return w.mulDivUp(110, 100).max(w.plus(Wei.of(1)));
    }

    /** The median of the values, the upper one of the middle two for an even count; 0 when there are none. */
    private static Wei upperMedian(List<Wei> values) {
        if (values.isEmpty()) return Wei.ZERO;
        List<Wei> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
