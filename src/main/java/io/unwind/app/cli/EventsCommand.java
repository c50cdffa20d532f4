package io.unwind.app.cli;

import io.unwind.chain.Receipt;
import io.unwind.chain.vault.VaultEvents;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "events",
        description = {
            "Print the vaults' on-chain events, decoded.",
            "Funding, borrowing, policy and keeper changes, and every keeper action (Deleveraged, ToppedUp) with amounts in their",
            "tokens and LTV before and after. With --follow, keeps printing new ones as blocks arrive (Ctrl-C to stop). Events of",
            "blocks that are later re-orged away are not retracted."
        },
        footer = {
            "",
            "Vaults: those named, else --owner's, else the config's list, else every vault of the factory (and new ones as",
            "the factory creates them).",
            "",
            "Examples:",
            "  unwind events --config devnet/unwind.yaml",
            "  unwind events 0x8acd...41ff --from-block 0",
            "  unwind events --follow --json | jq -c 'select(.event == \"Deleveraged\")'"
        })
public final class EventsCommand implements Callable<Integer> {
    private static final long CHUNK = 5_000;

    @Mixin
    ChainOptions chainOptions;

    @Parameters(paramLabel = "VAULT", arity = "0..*", description = "Vaults whose events to show.")
    List<Address> vaults = new ArrayList<>();

    @Option(names = "--owner", paramLabel = "ADDRESS", description = "The vaults of this owner.")
    Address owner;

    @Option(
            names = "--from-block",
            paramLabel = "N",
            description = "First block to read (default: 10,000 blocks back).")
    Long fromBlock;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep following new blocks.")
    boolean follow;

    @Option(
            names = "--poll",
            paramLabel = "MILLIS",
            defaultValue = "1000",
            description = "How often --follow looks for a new block (default: ${DEFAULT-VALUE} ms).")
    long pollMillis;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    private final Map<Address, VaultHealth> known = new HashMap<>();

    @Override
    public Integer call() throws InterruptedException {
        try (ChainContext chain = chainOptions.open()) {
            boolean factoryMode = vaults.isEmpty()
                    && owner == null
                    && (chain.config.isEmpty() || chain.config.get().vaults().isEmpty());
            Set<Address> addresses = new LinkedHashSet<>(
                    !vaults.isEmpty() ? vaults : owner != null ? chain.vaultsOf(owner) : chain.watchedVaults());
            if (factoryMode) addresses.add(chain.factory());
            long head = chain.head().number();
            long from = fromBlock != null ? fromBlock : Math.max(0, head - 10_000);
            PrintWriter out = spec.commandLine().getOut();
            long next = print(chain, addresses, from, head, factoryMode, out);
            while (follow) {
                Thread.sleep(pollMillis);
                long h = chain.head().number();
                if (h >= next) next = print(chain, addresses, next, h, factoryMode, out);
            }
        }
        return ExitCodes.OK;
    }

    /** Prints the events of [from, to]; returns the next block to read. */
    private long print(
            ChainContext chain, Set<Address> addresses, long from, long to, boolean factoryMode, PrintWriter out) {
        for (long start = from; start <= to; start += CHUNK) {
            long end = Math.min(to, start + CHUNK - 1);
            if (factoryMode) {
                // Vaults the factory created in this range join the filter before their own events are read.
                for (Receipt.LogEntry l : chain.client.logs(
                        List.of(chain.factory()), List.of(VaultEvents.vaultCreatedTopic()), start, end)) {
                    VaultEvents.decode(l)
                            .ifPresent(d ->
                                    addresses.add(Address.of((String) d.values().get("vault"))));
                }
            }
            List<Receipt.LogEntry> logs =
                    new ArrayList<>(chain.client.logs(List.copyOf(addresses), VaultEvents.topics(), start, end));
            logs.sort(Comparator.comparingLong(Receipt.LogEntry::blockNumber)
                    .thenComparingLong(Receipt.LogEntry::logIndex));
            for (Receipt.LogEntry l : logs)
                VaultEvents.decode(l).ifPresent(d -> {
                    if (json.on()) {
                        Json.line(out, EventText.json(d));
                    } else {
                        Optional<VaultHealth> h = tokens(chain, l.address());
                        out.printf(
                                "block %-8d %s  %s  tx %s%n",
                                l.blockNumber(),
                                l.address().shortForm(),
                                EventText.text(d, h.map(VaultHealth::collateralToken), h.map(VaultHealth::loanToken)),
                                l.txHash() == null ? "-" : l.txHash().hex());
                        out.flush();
                    }
                });
        }
        return to + 1;
    }

    /** The vault's tokens, read once through the lens (empty for the factory). */
    private Optional<VaultHealth> tokens(ChainContext chain, Address contract) {
        if (known.containsKey(contract)) return Optional.ofNullable(known.get(contract));
        var scan = chain.lensReader().read(List.of(contract), chain.head());
        VaultHealth h = scan.vaults().isEmpty() ? null : scan.vaults().get(0);
        known.put(contract, h);
        return Optional.ofNullable(h);
    }
}
