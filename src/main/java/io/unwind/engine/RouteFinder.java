package io.unwind.engine;

import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.plan.KeeperSettings;
import io.unwind.domain.plan.Plan;
import io.unwind.domain.plan.SaleAssessment;
import io.unwind.domain.plan.SaleOrder;
import io.unwind.domain.plan.SaleQuote;
import io.unwind.domain.plan.SaleSizer;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.route.AllowedRoute;
import io.unwind.domain.route.Candidate;
import io.unwind.domain.route.Quote;
import io.unwind.domain.route.QuoteCheck;
import io.unwind.domain.route.RejectReason;
import io.unwind.domain.route.Rejection;
import io.unwind.domain.route.RouteChoice;
import io.unwind.domain.route.RouteChooser;
import io.unwind.domain.route.SaleRequest;
import io.unwind.route.QuoteRequest;
import io.unwind.route.RouteSource;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the best route for a sale: asks every source in parallel (a source late for the round is skipped, not waited
 * for), checks each quote (allow-listed router and selector, vault as recipient, right tokens and amount), sizes the
 * sale on what the quote guarantees (re-quoting at a corrected size when needed), simulates the exact vault call at the
 * tick's block, and ranks the survivors by value net of gas.
 *
 * <p>Nothing a source says is believed on its own: a simulated sale that delivers less than the source's own quote
 * allows (its expectation less the route slippage) is rejected as a mismatch, so an overstated quote cannot win on
 * paper; and where a gas meter is given, each viable route is charged the gas that estimating its exact vault call
 * gives (or the source's figure, if larger), not what the source claims.
 *
 * <p>{@link #capacity} probes how much collateral each venue takes within the vault's oracle floor, for sales the pools
 * cannot absorb at once.
 */
public final class RouteFinder {
    private static final Logger log = LoggerFactory.getLogger(RouteFinder.class);

    private final List<RouteSource> sources;
    private final VaultSimulator simulator;
    private final Set<Address> forbiddenTargets;
    private final int routeSlippageBps;
    private final Duration roundDeadline;
    private final GasMeter gasMeter;
    /** The chain's fee for a transaction's bytes (an OP-stack chain's L1 data fee), charged to every viable route. */
    private volatile io.unwind.chain.fee.L1DataFee dataFee = io.unwind.chain.fee.L1DataFee.NONE;

    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    /** Gas of the exact vault call, estimated on the chain; empty when the estimate failed. */
    @FunctionalInterface
    public interface GasMeter {
        java.util.OptionalLong measure(Address vault, byte[] vaultCall);

        GasMeter NONE = (v, d) -> java.util.OptionalLong.empty();
    }

    /** How much collateral each venue takes within the oracle floor (see {@link #capacity}). */
    public record Capacity(Map<String, BigInteger> byVenue) {
        public Capacity {
            byVenue = Map.copyOf(byVenue);
        }

        /** The most one venue takes: the largest sale one transaction can make within the floor. */
        public BigInteger best() {
            return byVenue.values().stream().max(BigInteger::compareTo).orElse(BigInteger.ZERO);
        }
    }

    public RouteFinder(
            List<RouteSource> sources,
            VaultSimulator simulator,
            Set<Address> forbiddenTargets,
            int routeSlippageBps,
            Duration roundDeadline) {
        this(sources, simulator, forbiddenTargets, routeSlippageBps, roundDeadline, GasMeter.NONE);
    }

    public RouteFinder(
            List<RouteSource> sources,
            VaultSimulator simulator,
            Set<Address> forbiddenTargets,
            int routeSlippageBps,
            Duration roundDeadline,
            GasMeter gasMeter) {
        if (sources.isEmpty()) throw new IllegalArgumentException("at least one route source");
        this.gasMeter = gasMeter;
        this.sources = List.copyOf(sources);
        this.simulator = simulator;
        this.forbiddenTargets = Set.copyOf(forbiddenTargets);
        this.routeSlippageBps = routeSlippageBps;
        this.roundDeadline = roundDeadline;
    }

    /**
     * Charges every viable route what its exact transaction pays the chain for its bytes besides gas (an OP-stack
     * chain's L1 data fee), so that a long calldata's cost is weighed against a better price.
     */
    public RouteFinder withDataFee(io.unwind.chain.fee.L1DataFee fee) {
        this.dataFee = java.util.Objects.requireNonNull(fee, "fee");
        return this;
    }

    /** The data fee of an action of {@link EconomicFloor#ACTION_BYTES}, read once per head (zero on most chains). */
    Wei actionDataFee(BlockRef head) {
        io.unwind.chain.fee.L1DataFee fee = dataFee;
        if (fee == io.unwind.chain.fee.L1DataFee.NONE) return Wei.ZERO;
        var cached = actionFee;
        if (cached != null && cached.block() == head.number()) return cached.fee();
        // Calldata that does not compress away (the fee of a chain past Fjord is on the compressed size).
        byte[] call = new byte[EconomicFloor.ACTION_BYTES];
        new java.util.Random(EconomicFloor.ACTION_BYTES).nextBytes(call);
        Wei w = fee.of(Address.ZERO, call);
        actionFee = new BlockFee(head.number(), w);
        return w;
    }

    private record BlockFee(long block, Wei fee) {}

    private volatile BlockFee actionFee;

    /** How far under its quote a swap's own minimum is set, in basis points. */
    public int routeSlippageBps() {
        return routeSlippageBps;
    }

    /**
     * The ranked routes, the rejected ones with reasons, and the vault calldata of the best one. The best route carries
     * the gas its exact call measured in this round, if the gas meter measured it.
     */
    public record Found(RouteChoice choice, Optional<byte[]> bestCalldata) {
        public Optional<Candidate.Viable> best() {
            return choice.best().map(r -> r.candidate());
        }

        /** The best route's measured gas (so that it need not be estimated again to send it). */
        public java.util.OptionalLong bestGasEstimate() {
            return best().map(Candidate.Viable::measuredGas).orElse(java.util.OptionalLong.empty());
        }
    }

    /**
     * What every quote of one routing round is judged against: the vault as read at the round's head, the keeper's
     * settings, the fee cap the transaction will carry, the clock, the largest sale allowed, and the (router, selector)
     * pairs already asked of the vault in this round.
     */
    private record Round(
            VaultHealth vault,
            KeeperSettings settings,
            Wei maxFeePerGas,
            BlockRef head,
            Instant now,
            BigInteger maxCollateral,
            Map<AllowedRoute, Boolean> allowed) {}

    /**
     * @param maxFeePerGas the fee cap the transaction will carry (decides whether a keeper fee is allowed)
     * @param nativePrice loan-token base units per 1e18 wei, to price gas
     */
    public Found find(
            VaultHealth h,
            Plan.Sell sell,
            KeeperSettings settings,
            Wei maxFeePerGas,
            BigInteger nativePrice,
            BlockRef head,
            Instant now) {
        Instant deadline = now.plus(settings.txDeadline());
        QuoteRequest base = new QuoteRequest(
                h.vault(),
                h.collateralToken(),
                h.loanToken(),
                sell.collateral().units(),
                head.hash(),
                deadline,
                routeSlippageBps);
        // A chunk capped by liquidity must stay a chunk: the sizer may not grow it back toward the target.
        BigInteger maxCollateral = sell.sizing() instanceof io.unwind.domain.plan.Sizing.Chunk c
                        && c.cappedBy() == io.unwind.domain.plan.Sizing.Cap.LIQUIDITY
                ? sell.collateral().units()
                : sell.maxCollateral().units();
        Round round = new Round(h, settings, maxFeePerGas, head, now, maxCollateral, new ConcurrentHashMap<>());
        Map<RouteSource, Future<List<Candidate>>> running = new java.util.LinkedHashMap<>();
        for (RouteSource s : sources) {
            running.put(s, pool.submit(() -> quoteAndJudge(s, base, round)));
        }
        long until = System.nanoTime() + roundDeadline.toNanos();
        List<Candidate> candidates = new ArrayList<>();
        for (var e : running.entrySet()) {
            try {
                candidates.addAll(e.getValue().get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                candidates.add(Candidate.failed(
                        e.getKey().name(),
                        RejectReason.TIMEOUT,
                        "no answer within " + roundDeadline.toMillis() + " ms"));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while routing", ex);
            } catch (java.util.concurrent.ExecutionException ex) {
                Throwable c = ex.getCause() == null ? ex : ex.getCause();
                candidates.add(
                        Candidate.failed(e.getKey().name(), RejectReason.SOURCE_ERROR, String.valueOf(c.getMessage())));
            }
        }
        RouteChoice choice = RouteChooser.choose(candidates, maxFeePerGas, nativePrice);
        for (Candidate.Rejected r : choice.rejected()) {
            log.debug(
                    "route {} rejected for {}: {} {}",
                    r.source(),
                    h.vault(),
                    r.reason(),
                    r.rejection().detail());
        }
        Optional<byte[]> calldata = choice.best()
                .map(r -> vaultCall(r.candidate().quote(), r.candidate().order()));
        return new Found(choice, calldata);
    }

    private List<Candidate> quoteAndJudge(RouteSource s, QuoteRequest req, Round round) {
        List<Candidate> out = new ArrayList<>();
        for (Quote q : s.quote(req)) {
            out.add(judge(s, q, req, 0, round));
        }
        if (out.isEmpty()) out.add(Candidate.failed(s.name(), RejectReason.SOURCE_ERROR, "no route"));
        return out;
    }

    private Candidate judge(RouteSource s, Quote q, QuoteRequest req, int attempt, Round round) {
        VaultHealth h = round.vault();
        BlockRef head = round.head();
        KeeperSettings settings = round.settings();
        AllowedRoute pair = new AllowedRoute(q.router(), q.calldata().selector());
        boolean ok = round.allowed()
                .computeIfAbsent(pair, p -> simulator.isRouteAllowed(h.vault(), p.router(), p.selector(), head.hash()));
        SaleRequest sale = new SaleRequest(
                h.vault(),
                h.collateralToken().address(),
                h.loanToken().address(),
                req.amountIn(),
                ok ? Set.of(pair) : Set.of(),
                forbiddenTargets);
        var rejection = QuoteCheck.check(q, sale);
        if (rejection.isPresent()) return Candidate.rejected(q, rejection.get());

        SaleAssessment a = SaleSizer.assess(
                h,
                settings,
                new SaleQuote(q.amountIn(), q.expectedOut(), q.minOut()),
                round.maxFeePerGas(),
                attempt,
                round.now());
        return switch (a) {
            case SaleAssessment.Ready r -> {
                byte[] call = vaultCall(q, r.order());
                VaultSimulator.Measured sim = simulator.deleverageMeasured(h.vault(), call, head.hash(), q.gasUnits());
                yield believed(Candidate.simulated(q, r.order(), sim.simulation()), req, h, call, sim.gas());
            }
            case SaleAssessment.Rejected r -> Candidate.rejected(q, r);
            case SaleAssessment.Resize r
            when r.collateral().units().compareTo(round.maxCollateral()) > 0 ->
                // Growing past the plan's size is what the pools cannot take: keep this size as a partial sale.
                judge(s, q, req, settings.maxResizeAttempts(), round);
            case SaleAssessment.Resize r -> {
                QuoteRequest again = req.withAmount(r.collateral().units());
                Optional<Quote> same = s.quote(again).stream()
                        .filter(x -> x.source().equals(q.source()))
                        .findFirst();
                yield same.map(x -> judge(s, x, again, r.nextAttempt(), round))
                        .orElseGet(() -> Candidate.failed(
                                q.source(),
                                RejectReason.SOURCE_ERROR,
                                "no quote at the corrected size " + r.collateral() + " (" + r.why() + ")"));
            }
        };
    }

    /**
     * A viable candidate is kept only if the simulation delivered what its quote allows; it is then charged the gas its
     * exact call measures, if more than the source said.
     */
    private Candidate believed(
            Candidate c, QuoteRequest req, VaultHealth h, byte[] call, java.util.OptionalLong simulatedGas) {
        if (!(c instanceof Candidate.Viable v)) return c;
        BigInteger allowed = req.minOut(v.quote().expectedOut());
        if (v.simulation().proceeds().compareTo(allowed) < 0) {
            return new Candidate.Rejected(
                    v.source(),
                    Optional.of(v.quote().router()),
                    new Rejection(
                            RejectReason.SIMULATION_MISMATCH,
                            "delivers " + v.simulation().proceeds() + " in simulation, its quote of "
                                    + v.quote().expectedOut() + " allows no less than " + allowed));
        }
        // The simulation measured the call's gas where the node allows it; otherwise the gas meter estimates it apart.
        var measured = simulatedGas.isPresent() ? simulatedGas : gasMeter.measure(h.vault(), call);
        Candidate.Viable charged = measured.isPresent() ? v.measured(measured.getAsLong()) : v;
        io.unwind.chain.fee.L1DataFee fee = dataFee;
        return fee == io.unwind.chain.fee.L1DataFee.NONE ? charged : charged.withDataFee(fee.of(h.vault(), call));
    }

    /**
     * Quotes of a hedge's swap, best guaranteed output first: sell {@code req.amountIn()} of {@code req.sell()} for
     * {@code req.buy()}, proceeds to {@code req.vault()} (the hedge, sender and recipient), through routes the vault
     * {@code vault} allows (a hedge takes its vault's allow-list). Each quote passes the same checks as a sale's
     * (recipient, tokens, amount, router, forbidden targets); a source that fails or times out is skipped.
     */
    public List<Quote> hedgeQuotes(QuoteRequest req, Address vault, BlockRef head) {
        Map<AllowedRoute, Boolean> allowed = new ConcurrentHashMap<>();
        List<Future<List<Quote>>> running = new ArrayList<>();
        for (RouteSource s : sources) running.add(pool.submit(() -> s.quote(req)));
        long until = System.nanoTime() + roundDeadline.toNanos();
        List<Quote> out = new ArrayList<>();
        for (Future<List<Quote>> f : running) {
            try {
                for (Quote q : f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    AllowedRoute pair =
                            new AllowedRoute(q.router(), q.calldata().selector());
                    boolean ok = allowed.computeIfAbsent(
                            pair, p -> simulator.isRouteAllowed(vault, p.router(), p.selector(), head.hash()));
                    SaleRequest check = new SaleRequest(
                            req.vault(),
                            req.sell().address(),
                            req.buy().address(),
                            req.amountIn(),
                            ok ? Set.of(pair) : Set.of(),
                            forbiddenTargets);
                    if (QuoteCheck.check(q, check).isEmpty()) out.add(q);
                }
            } catch (TimeoutException e) {
                f.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } catch (ExecutionException | RuntimeException e) {
                log.debug("hedge quote from a source failed: {}", e.toString());
            }
        }
        out.sort(java.util.Comparator.comparing(Quote::minOut).reversed());
        return out;
    }

    /**
     * Probes, per venue, the largest sale (up to {@code upTo}) whose quote guarantees the vault's oracle floor: a
     * bisection of quotes only (no simulation), each source on its own thread, within the round's deadline. A quote
     * counts only if it passes the same checks as a route (allow-listed target, vault paid, right tokens and amount).
     */
    public Capacity capacity(VaultHealth h, BigInteger upTo, BlockRef head, Instant now, Duration keeperDeadline) {
        QuoteRequest base = new QuoteRequest(
                h.vault(),
                h.collateralToken(),
                h.loanToken(),
                upTo,
                head.hash(),
                now.plus(keeperDeadline),
                routeSlippageBps);
        Map<AllowedRoute, Boolean> allowed = new ConcurrentHashMap<>();
        Map<String, BigInteger> byVenue = new ConcurrentHashMap<>();
        long until = System.nanoTime() + roundDeadline.toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (RouteSource s : sources) {
            running.add(pool.submit(() -> probe(s, base, h, head, allowed, byVenue, until)));
        }
        for (Future<?> f : running) {
            try {
                f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while probing liquidity", e);
            } catch (java.util.concurrent.ExecutionException e) {
                log.debug("liquidity probe failed: {}", String.valueOf(e.getCause()));
            }
        }
        return new Capacity(byVenue);
    }

    /**
     * The price a small sale of the vault's collateral gets in the on-chain pools (Uniswap V3 and V2 sources only: an
     * aggregator's API is not asked every block), in the oracle's scale (loan base units per collateral base unit x
     * 1e36), from the source named {@code preferred} when it answers (so that a series of prices comes from one pool,
     * not from whichever fee tier is best that block); empty when no pool answers. A thousandth of a whole token is
     * small enough to move no pool and large enough that rounding does not show.
     */
    public Optional<PoolPrice> poolPrice(VaultHealth h, BlockRef head, Optional<String> preferred) {
        int dec = h.collateralToken().decimals();
        BigInteger amount = BigInteger.TEN.pow(Math.max(0, dec - 3));
        QuoteRequest req = new QuoteRequest(
                h.vault(),
                h.collateralToken(),
                h.loanToken(),
                amount,
                head.hash(),
                head.timestamp().plusSeconds(600),
                routeSlippageBps);
        List<Quote> quotes = new ArrayList<>();
        for (RouteSource s : sources) {
            if (!s.name().startsWith("uniswap")) continue;
            try {
                quotes.addAll(s.quote(req));
            } catch (RuntimeException e) {
                log.debug("pool price from {}: {}", s.name(), e.toString());
            }
        }
        Optional<Quote> pick = preferred
                .flatMap(p -> quotes.stream().filter(q -> q.source().equals(p)).findFirst())
                .or(() -> quotes.stream().max(java.util.Comparator.comparing(Quote::expectedOut)));
        return pick.filter(q -> q.expectedOut().signum() > 0)
                .map(q -> new PoolPrice(
                        q.source(),
                        q.expectedOut()
                                .multiply(io.unwind.domain.position.Ltv.PRICE_SCALE)
                                .divide(amount)));
    }

    /** A pool's price for a small sale, and which source (fee tier) gave it. */
    public record PoolPrice(String source, BigInteger price) {}

    private static final int PROBE_STEPS = 7;

    private void probe(
            RouteSource s,
            QuoteRequest base,
            VaultHealth h,
            BlockRef head,
            Map<AllowedRoute, Boolean> allowed,
            Map<String, BigInteger> byVenue,
            long until) {
        BigInteger lo = BigInteger.ZERO;
        BigInteger hi = base.amountIn();
        for (int step = 0; step < PROBE_STEPS && System.nanoTime() < until; step++) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (mid.signum() <= 0) return;
            QuoteRequest req = base.withAmount(mid);
            BigInteger floor = io.unwind.domain.position.Ltv.oracleFloor(
                    mid, h.price(), h.policy().maxSlippageBps());
            boolean any = false;
            for (Quote q : s.quote(req)) {
                AllowedRoute pair = new AllowedRoute(q.router(), q.calldata().selector());
                boolean ok = allowed.computeIfAbsent(
                        pair, p -> simulator.isRouteAllowed(h.vault(), p.router(), p.selector(), head.hash()));
                SaleRequest sale = new SaleRequest(
                        h.vault(),
                        h.collateralToken().address(),
                        h.loanToken().address(),
                        mid,
                        ok ? Set.of(pair) : Set.of(),
                        forbiddenTargets);
                if (QuoteCheck.check(q, sale).isPresent()
                        || q.minOut().min(q.expectedOut()).compareTo(floor) < 0) continue;
                any = true;
                byVenue.merge(q.source(), mid, BigInteger::max);
            }
            if (any) lo = mid;
            else hi = mid;
        }
    }

    static byte[] vaultCall(Quote q, SaleOrder o) {
        return VaultCalls.deleverage(
                o.collateral().units(),
                q.router(),
                q.calldata().bytes(),
                o.minRepaid().units(),
                BigInteger.valueOf(o.deadline().getEpochSecond()),
                o.keeperFee().units());
    }
}
