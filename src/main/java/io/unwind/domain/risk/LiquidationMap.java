package io.unwind.domain.risk;

import io.unwind.domain.money.Token;
import io.unwind.domain.money.TokenAmount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A market's liquidation queue: for every borrower the oracle price at which Morpho may liquidate it, and the
 * collateral that becomes liquidatable in each price step below the current price.
 *
 * <p>Prices are in the oracle's scale (loan base units per collateral base unit × 1e36), LLTV is a WAD. Morpho keeps a
 * position healthy while {@code collateral × price / 1e36 × lltv / 1e18 >= debt}, so the liquidation price is {@code P*
 * = debt × 1e54 / (collateral × lltv)}, <b>rounded up</b>: Morpho floors both products of its check, which only makes a
 * position liquidatable sooner, so rounding up never reports a position healthier than Morpho will judge it. A position
 * is counted liquidatable at a price {@code p} when {@code P* >= p} (the boundary counts as liquidatable for the same
 * reason). A borrower with debt and no collateral is liquidatable at any price; one without debt never is and is left
 * out.
 *
 * <p>Buckets are numbered from the current price down: bucket {@code k} holds the positions that become liquidatable
 * when the price falls by more than {@code k × step} and at most {@code (k+1) × step}, out to {@code range}. Positions
 * further away are counted in {@link #beyondRange()} only. Steps and ranges are basis points of the current price.
 */
public final class LiquidationMap {
    static final BigInteger BPS = BigInteger.valueOf(10_000);
    static final BigInteger SCALE = BigInteger.TEN.pow(54); // 1e36 oracle scale × 1e18 WAD

    private final Token collateralToken;
    private final Token loanToken;
    private final BigInteger price;
    private final BigInteger lltv;
    private final int stepBps;
    private final int rangeBps;
    private final List<Bucket> buckets;
    private final Totals alreadyLiquidatable;
    private final Totals beyondRange;
    /** Positions with debt, by liquidation price from the highest (closest to liquidation) down. */
    private final List<Entry> byLiquidationPrice;

    /** One price step below the current price. */
    public record Bucket(
            int index,
            int upperDropBps,
            int lowerDropBps,
            BigInteger upperPrice,
            BigInteger lowerPrice,
            BigInteger collateral,
            BigInteger debt,
            int positions) {
        /** The step's upper bound as a fraction of the current price (1.0 for the first step). */
        public double upperFraction() {
            return 1 - upperDropBps / 10_000.0;
        }

        public double lowerFraction() {
            return 1 - lowerDropBps / 10_000.0;
        }
    }

    /** Collateral, debt and count of a set of positions. */
    public record Totals(BigInteger collateral, BigInteger debt, int positions) {
        static final Totals NONE = new Totals(BigInteger.ZERO, BigInteger.ZERO, 0);

        Totals plus(BorrowerPosition p) {
            return new Totals(collateral.add(p.collateral()), debt.add(p.debt()), positions + 1);
        }
    }

    /** A position with its liquidation price; {@code liquidationPrice} is empty when it has no collateral. */
    public record Entry(BorrowerPosition position, java.util.Optional<BigInteger> liquidationPrice) {}

    private LiquidationMap(
            Token collateralToken,
            Token loanToken,
            BigInteger price,
            BigInteger lltv,
            int stepBps,
            int rangeBps,
            List<Bucket> buckets,
            Totals alreadyLiquidatable,
            Totals beyondRange,
            List<Entry> byLiquidationPrice) {
        this.collateralToken = collateralToken;
        this.loanToken = loanToken;
        this.price = price;
        this.lltv = lltv;
        this.stepBps = stepBps;
        this.rangeBps = rangeBps;
        this.buckets = List.copyOf(buckets);
        this.alreadyLiquidatable = alreadyLiquidatable;
        this.beyondRange = beyondRange;
        this.byLiquidationPrice = List.copyOf(byLiquidationPrice);
    }

    /**
     * @param price the oracle price now (positive)
     * @param lltv the market's liquidation LTV (WAD, positive)
     * @param stepBps the width of a bucket, in bps of {@code price} (e.g. 100 = 1%)
     * @param rangeBps how far below {@code price} the buckets go, a multiple of {@code stepBps} (at most 10 000)
     */
    public static LiquidationMap of(
            Token collateralToken,
            Token loanToken,
            List<BorrowerPosition> positions,
            BigInteger lltv,
            BigInteger price,
            int stepBps,
            int rangeBps) {
        Objects.requireNonNull(collateralToken, "collateralToken");
        Objects.requireNonNull(loanToken, "loanToken");
        if (price.signum() <= 0) throw new IllegalArgumentException("price must be > 0");
        if (lltv.signum() <= 0) throw new IllegalArgumentException("lltv must be > 0");
        if (stepBps <= 0 || rangeBps <= 0 || rangeBps > 10_000 || rangeBps % stepBps != 0)
            throw new IllegalArgumentException("step " + stepBps + " bps and range " + rangeBps
                    + " bps: the range must be a multiple of the step," + " at most 10000 bps");
        int n = rangeBps / stepBps;
        BigInteger[] coll = new BigInteger[n];
        BigInteger[] debt = new BigInteger[n];
        int[] count = new int[n];
        java.util.Arrays.fill(coll, BigInteger.ZERO);
        java.util.Arrays.fill(debt, BigInteger.ZERO);
        Totals already = Totals.NONE;
        Totals beyond = Totals.NONE;
        List<Entry> entries = new ArrayList<>();
        BigInteger stepTimesPrice = price.multiply(BigInteger.valueOf(stepBps));
        for (BorrowerPosition p : positions) {
            if (p.debt().signum() == 0) continue;
            var pStar = liquidationPrice(p, lltv);
            entries.add(new Entry(p, pStar));
            if (pStar.isEmpty() || pStar.get().compareTo(price) >= 0) {
                already = already.plus(p);
                continue;
            }
            // drop × 10000 = (price − P*) × 10000 / price; bucket k holds k·step < drop <= (k+1)·step
            BigInteger dropNum = price.subtract(pStar.get()).multiply(BPS);
            BigInteger[] qr = dropNum.divideAndRemainder(stepTimesPrice);
            long k = qr[0].longValueExact() - (qr[1].signum() == 0 ? 1 : 0);
            if (k >= n) {
                beyond = beyond.plus(p);
                continue;
            }
            int i = (int) k;
            coll[i] = coll[i].add(p.collateral());
            debt[i] = debt[i].add(p.debt());
            count[i]++;
        }
        List<Bucket> buckets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int up = i * stepBps;
            int low = (i + 1) * stepBps;
            buckets.add(new Bucket(i, up, low, priceAt(price, up), priceAt(price, low), coll[i], debt[i], count[i]));
        }
        entries.sort(Comparator.comparing(
                (Entry e) -> e.liquidationPrice().orElse(null), Comparator.nullsFirst(Comparator.reverseOrder())));
        return new LiquidationMap(
                collateralToken, loanToken, price, lltv, stepBps, rangeBps, buckets, already, beyond, entries);
    }

    /** {@code P* = ceil(debt × 1e54 / (collateral × lltv))}; empty when the position has no collateral. */
    public static java.util.Optional<BigInteger> liquidationPrice(BorrowerPosition p, BigInteger lltv) {
        if (p.collateral().signum() == 0) return java.util.Optional.empty();
        BigInteger num = p.debt().multiply(SCALE);
        BigInteger den = p.collateral().multiply(lltv);
        BigInteger[] qr = num.divideAndRemainder(den);
        return java.util.Optional.of(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
    }

    /** The oracle price {@code dropBps} below {@code price}, rounded down. */
    static BigInteger priceAt(BigInteger price, int dropBps) {
        return price.multiply(BigInteger.valueOf(10_000L - dropBps)).divide(BPS);
    }

    /**
     * The collateral liquidatable if the price falls by {@code dropBps} from now: every position whose liquidation
     * price is at or above {@code price × (1 − drop)}, those already liquidatable included (they are sold first). Exact
     * for any drop, not only whole steps, and not limited to the range.
     */
    public BigInteger liquidatableWithin(int dropBps) {
        if (dropBps < 0 || dropBps > 10_000) throw new IllegalArgumentException("drop out of [0, 10000] bps");
        BigInteger floor = price.multiply(BigInteger.valueOf(10_000L - dropBps)); // compared with P* × 10000
        BigInteger sum = BigInteger.ZERO;
        for (Entry e : byLiquidationPrice) {
            if (e.liquidationPrice().isPresent()
                    && e.liquidationPrice().get().multiply(BPS).compareTo(floor) < 0) break;
            sum = sum.add(e.position().collateral());
        }
        return sum;
    }

    /** The reading against the venues' depth: {@code depthByDropBps} maps a drop (bps) to the collateral absorbed. */
    public Cascade against(java.util.Map<Integer, BigInteger> depthByDropBps) {
        return new Cascade(this, depthByDropBps);
    }

    public Token collateralToken() {
        return collateralToken;
    }

    public Token loanToken() {
        return loanToken;
    }

    public BigInteger price() {
        return price;
    }

    public BigInteger lltv() {
        return lltv;
    }

    public int stepBps() {
        return stepBps;
    }

    public int rangeBps() {
        return rangeBps;
    }

    public List<Bucket> buckets() {
        return buckets;
    }

    /** Positions whose liquidation price is at or above the current price: liquidatable now. */
    public Totals alreadyLiquidatable() {
        return alreadyLiquidatable;
    }

    /** Positions that become liquidatable only below the range. */
    public Totals beyondRange() {
        return beyondRange;
    }

    /** Every position with debt, closest to liquidation first. */
    public List<Entry> positions() {
        return byLiquidationPrice;
    }

    /** The cumulative collateral at the lower bound of each bucket, the already liquidatable included. */
    public List<BigInteger> cumulative() {
        List<BigInteger> out = new ArrayList<>(buckets.size());
        BigInteger sum = alreadyLiquidatable.collateral();
        for (Bucket b : buckets) {
            sum = sum.add(b.collateral());
            out.add(sum);
        }
        return out;
    }

    TokenAmount collateral(BigInteger units) {
        return collateralToken.amount(units);
    }
}
