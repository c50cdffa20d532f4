package io.unwind.app.node;

import io.unwind.app.http.StatusServer;
import io.unwind.chain.ChainClient;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.fee.FeePolicy;
import io.unwind.domain.fee.FeeSettings;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Urgency;
import io.unwind.engine.KeeperEvents;
import io.unwind.engine.VaultDirectory;
import io.unwind.tx.FeeHistories;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the keeper can do its work, beyond being connected: it watches the vaults its factory lists, its key can pay
 * for one action at the current base fee, and it is allowed on the vaults it watches. Each is a check of {@code /ready}
 * ("vaults", "gas", "allowed") that says why it fails in words, and each problem is logged as a WARN line at start.
 * Whom the vaults allow is learnt from every tick's reads; the chain figures are read again at most every
 * {@link #REFRESH}.
 */
final class KeeperReadiness implements KeeperEvents {
    private static final Logger log = LoggerFactory.getLogger(KeeperReadiness.class);
    /**
     * Gas one deleverage may take (a sale through a router, with the vault's checks): what the key must be able to pay.
     */
    static final long GAS_OF_ONE_ACTION = 300_000;
    /** How many vault addresses a failing check names before "+N more". */
    static final int NAMED = 3;

    static final Duration REFRESH = Duration.ofSeconds(15);
    /** The factory's count is asked for again sooner: only while the keeper watches no vault. */
    static final Duration FACTORY_REFRESH = Duration.ofSeconds(5);

    private final ChainClient chain;
    private final VaultDirectory directory;
    private final Address keeper;
    private final FeeSettings fees;
    private final Clock clock;
    private final Map<Address, Boolean> allowed = new ConcurrentHashMap<>();
    private final Memo<StatusServer.Check> vaults;
    private final Memo<StatusServer.Check> gas;

    KeeperReadiness(ChainClient chain, VaultDirectory directory, Address keeper, FeeSettings fees, Clock clock) {
        this.chain = chain;
        this.directory = directory;
        this.keeper = keeper;
        this.fees = fees;
        this.clock = clock;
        this.vaults = new Memo<>(this::readVaults, FACTORY_REFRESH);
        this.gas = new Memo<>(this::readGas, REFRESH);
    }

    /** The checks, by name, for {@link StatusServer}. */
    void addTo(Map<String, Supplier<StatusServer.Check>> checks) {
        checks.put("vaults", vaults::get);
        checks.put("gas", gas::get);
        checks.put("allowed", this::allowedCheck);
    }

    /**
     * At start, once the journal is recovered: lists the vaults at {@code head}, reads them, and logs a WARN line for
     * each problem, in plain words. An empty factory is not a problem for readiness, but is said too.
     */
    void atStart(BlockRef head, VaultLensReader lens) {
        List<Address> watched = directory.vaults(head);
        OptionalLong listed = directory.factoryVaultCount(head);
        if (watched.isEmpty()) {
            if (listed.isPresent() && listed.getAsLong() == 0) {
                log.warn(
                        "watching no vault: factory {} has none yet; the keeper is ready and picks up new vaults every {} block(s)",
                        directory.factory().orElseThrow(),
                        directory.refreshBlocks());
            } else {
                log.warn(
                        "watching no vault{}: not ready",
                        listed.isPresent()
                                ? " although factory " + directory.factory().orElseThrow() + " lists "
                                        + listed.getAsLong()
                                : "");
            }
        } else {
            for (VaultHealth h : lens.read(watched, head).vaults()) allowed.put(h.vault(), h.keeperAllowed());
        }
        vaults.refresh();
        gas.refresh();
        StatusServer.Check g = gas.get();
        if (!g.ok()) log.warn("{}: not ready", g.detail());
        StatusServer.Check a = allowedCheck();
        if (!a.ok()) log.warn("{}: not ready; each vault's owner must add it (unwind keeper add)", a.detail());
        if (!vaults.get().ok() && !watched.isEmpty())
            log.warn("{}: not ready", vaults.get().detail());
    }

    @Override
    public void observed(VaultHealth h, BlockRef block) {
        allowed.put(h.vault(), h.keeperAllowed());
    }

    private StatusServer.Check readVaults() {
        int watched = directory.watched().size();
        int skipped = directory.skipped().size();
        String skips =
                skipped == 0 ? "" : "; skipped " + skipped + " vault(s) on markets not in the keeper's list (markets:)";
        if (watched > 0) return new StatusServer.Check(true, "watching " + watched + " vault(s)" + skips);
        OptionalLong listed = directory.factoryVaultCount(chain.latestBlock());
        if (listed.isEmpty()) return new StatusServer.Check(false, "watching no vault: none configured and no factory");
        if (listed.getAsLong() == 0) {
            return new StatusServer.Check(
                    true, "watching no vault: factory " + directory.factory().orElseThrow() + " has none yet");
        }
        if (skipped > 0) {
            return new StatusServer.Check(false, "watching no vault" + skips);
        }
        return new StatusServer.Check(
                false,
                "watching no vault although factory " + directory.factory().orElseThrow() + " lists "
                        + listed.getAsLong());
    }

    private StatusServer.Check readGas() {
        List<Integer> pct = fees.percentilesToRequest();
        Eip1559Fees now = new FeePolicy(fees)
                .market(
                        FeeHistories.toDomain(
                                chain.feeHistory(
                                        1,
                                        pct.stream().map(Integer::doubleValue).toList()),
                                pct),
                        Urgency.NONE);
        Wei need = now.maxFeePerGas().times(GAS_OF_ONE_ACTION);
        Wei balance = chain.balance(keeper);
        String held = "the keeper key " + keeper + " holds " + eth(balance);
        if (balance.compareTo(need) < 0) {
            return new StatusServer.Check(
                    false,
                    held + ", less than one action needs at the current base fee (about " + eth(need) + " for "
                            + GAS_OF_ONE_ACTION + " gas at "
                            + now.maxFeePerGas().toGweiString() + " gwei); fund it");
        }
        return new StatusServer.Check(
                true,
                held + ", enough for about "
                        + balance.value().divide(need.value().max(java.math.BigInteger.ONE))
                        + " action(s) at the current base fee");
    }

    private StatusServer.Check allowedCheck() {
        List<Address> watched = directory.watched();
        List<Address> refused = watched.stream()
                .filter(v -> Boolean.FALSE.equals(allowed.get(v)))
                .sorted()
                .toList();
        if (refused.isEmpty()) {
            long known = watched.stream().filter(allowed::containsKey).count();
            return new StatusServer.Check(
                    true,
                    "allowed on " + known + " of " + watched.size() + " watched vault(s)"
                            + (known < watched.size() ? " (the others not read yet)" : ""));
        }
        String named = String.join(
                        ", ",
                        refused.subList(0, Math.min(NAMED, refused.size())).stream()
                                .map(Address::hex)
                                .toList())
                + (refused.size() > NAMED ? " +" + (refused.size() - NAMED) + " more" : "");
        return new StatusServer.Check(
                false,
                "this keeper (" + keeper + ") is not allowed on " + refused.size() + " of the " + watched.size()
                        + " vault(s) it watches: " + named);
    }

    private static String eth(Wei w) {
        return TokenAmount.displayDecimal(w.value(), 18).toPlainString() + " ETH";
    }

    /** A check computed at most every {@code every}; a failure to compute it is a failed check that says why. */
    private final class Memo<T> {
        private final Supplier<T> compute;
        private final Duration every;
        private volatile T value;
        private volatile long at;

        Memo(Supplier<T> compute, Duration every) {
            this.compute = compute;
            this.every = every;
        }

        @SuppressWarnings("unchecked")
        T get() {
            long now = clock.millis();
            if (value == null || now - at >= every.toMillis()) {
                try {
                    value = compute.get();
                } catch (RuntimeException e) {
                    value = (T) new StatusServer.Check(false, "cannot be checked now: " + e.getMessage());
                }
                at = now;
            }
            return value;
        }

        void refresh() {
            value = null;
        }
    }
}
