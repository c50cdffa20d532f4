package io.unwind.app.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import io.unwind.domain.portfolio.Portfolio;
import io.unwind.domain.position.VaultHealth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The per-owner gauges of {@link KeeperMetrics}: each owner's vaults as one {@link Portfolio}, from the last health
 * seen of each vault.
 *
 * <p>The last health is kept per vault, not counted afresh per tick: in cluster mode each partition ticks by itself and
 * sees only its own vaults, so an owner whose vaults span partitions would otherwise show a different book at each
 * partition's tick. A vault that later fails to read keeps its last known health ({@code unwind_vaults_unreadable} says
 * so).
 *
 * <p>The book is built when the gauges are read (a scrape), and only when a vault of the owner was seen since the last
 * build: the tick's thread does no portfolio math. Bounded: at most {@link KeeperMetrics#MAX_OWNER_SERIES} owners (the
 * first seen); the quote series of an owner are bounded by the loan tokens of the watched markets.
 */
final class OwnerGauges {
    private final MeterRegistry registry;
    private final int maxOwners;
    private final Map<Address, Book> owners = new ConcurrentHashMap<>();
    /** Each vault's owner as last seen, so a vault whose ownership moves leaves its old owner's book. */
    private final Map<Address, Address> ownerOf = new ConcurrentHashMap<>();
    /** The {@code quote} label of each loan token: its symbol, unless another token took that symbol first. */
    private final Map<Address, String> quoteLabels = new ConcurrentHashMap<>();

    private final Map<String, Address> symbolsTaken = new ConcurrentHashMap<>();

    OwnerGauges(MeterRegistry registry, int maxOwners) {
        this.registry = registry;
        this.maxOwners = maxOwners;
    }

    /** What the gauges show of one owner, built from its portfolio. */
    private record Snapshot(int vaults, double worst, int overTrigger, Map<Address, Portfolio.Total> totals) {
        static final Snapshot EMPTY = new Snapshot(0, Double.NaN, 0, Map.of());
    }

    private final class Book {
        final Address owner;
        /** Guarded by this. */
        final Map<Address, VaultHealth> vaults = new LinkedHashMap<>();

        /** The loan tokens whose quote gauges are registered. */
        final Set<Address> quotes = ConcurrentHashMap.newKeySet();
        /** Guarded by this. */
        boolean dirty;
        /** Guarded by this. */
        Snapshot snapshot = Snapshot.EMPTY;

        Book(Address owner) {
            this.owner = owner;
        }

        synchronized void put(VaultHealth h) {
            vaults.put(h.vault(), h);
            dirty = true;
        }

        synchronized void remove(Address vault) {
            if (vaults.remove(vault) != null) dirty = true;
        }

        synchronized Snapshot snapshot() {
            if (dirty) {
                Portfolio p = Portfolio.of(owner, new ArrayList<>(vaults.values()));
                Map<Address, Portfolio.Total> totals = new LinkedHashMap<>();
                for (Portfolio.Total t : p.totals()) totals.put(t.quote().address(), t);
                snapshot = new Snapshot(
                        p.positions().size(),
                        p.worst()
                                .flatMap(Portfolio.Position::ltvToLltv)
                                .map(BigDecimal::doubleValue)
                                .orElse(Double.NaN),
                        (int) p.positions().stream()
                                .filter(x -> x.health().overTrigger())
                                .count(),
                        totals);
                dirty = false;
            }
            return snapshot;
        }
    }

    void observed(VaultHealth h) {
        Address previous = ownerOf.get(h.vault());
        if (previous != null && !previous.equals(h.owner())) {
            Book old = owners.get(previous);
            if (old != null) old.remove(h.vault());
        }
        Book book = owners.get(h.owner());
        if (book == null) {
            if (owners.size() >= maxOwners) {
                ownerOf.remove(h.vault());
                return;
            }
            Book fresh = new Book(h.owner());
            book = owners.putIfAbsent(h.owner(), fresh);
            if (book == null) {
                book = fresh;
                register(fresh);
            }
        }
        ownerOf.put(h.vault(), h.owner());
        book.put(h);
        if (book.quotes.add(h.loanToken().address())) register(book, h.loanToken());
    }

    private void register(Book b) {
        String o = b.owner.hex();
        Gauge.builder(KeeperMetrics.OWNER_VAULTS, b, x -> x.snapshot().vaults())
                .tag("owner", o)
                .description("The owner's vaults the keeper has read (each at its last read)")
                .register(registry);
        Gauge.builder(KeeperMetrics.OWNER_WORST, b, x -> x.snapshot().worst())
                .tag("owner", o)
                .description("LTV / LLTV of the owner's vault closest to liquidation (1 = liquidatable; NaN when no"
                        + " vault has debt and a price)")
                .register(registry);
        Gauge.builder(KeeperMetrics.OWNER_OVER_TRIGGER, b, x -> x.snapshot().overTrigger())
                .tag("owner", o)
                .description("The owner's vaults at or above their trigger LTV at their last read")
                .register(registry);
    }

    private void register(Book b, Token quote) {
        String label = quoteLabels.computeIfAbsent(quote.address(), a -> {
            Address first = symbolsTaken.putIfAbsent(quote.symbol(), a);
            return first == null || first.equals(a) ? quote.symbol() : quote.symbol() + "@" + a.hex();
        });
        quoteGauge(
                KeeperMetrics.OWNER_EQUITY,
                "The owner's equity in the quote token, whole tokens: collateral at each market's oracle price + reserves"
                        + " - debt, over its vaults whose debt is in it and whose price is known",
                b,
                quote,
                label,
                Portfolio.Total::equity);
        quoteGauge(
                KeeperMetrics.OWNER_DEBT,
                "The owner's debt in the quote token, whole tokens, over its vaults whose price is known",
                b,
                quote,
                label,
                Portfolio.Total::debt);
    }

    private void quoteGauge(
            String name,
            String description,
            Book b,
            Token quote,
            String label,
            Function<Portfolio.Total, BigInteger> value) {
        ToDoubleFunction<Book> read = x -> {
            Portfolio.Total t = x.snapshot().totals().get(quote.address());
            // No priced vault in this token (its vaults moved away or their oracle gives no price): unknown, not 0.
            return t == null || t.vaults() == 0 ? Double.NaN : whole(value.apply(t), quote.decimals());
        };
        Gauge.builder(name, b, read)
                .tag("owner", b.owner.hex())
                .tag("quote", label)
                .description(description)
                .register(registry);
    }

    private static double whole(BigInteger units, int decimals) {
        return new BigDecimal(units).movePointLeft(decimals).doubleValue();
    }
}
