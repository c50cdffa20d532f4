package io.unwind.app.cli;

import io.unwind.app.Wiring;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.app.config.ConfigLoader;
import io.unwind.domain.chain.Address;
import io.unwind.domain.tx.TxState;
import io.unwind.store.AttemptRecord;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.TxDetail;
import io.unwind.store.TxQuery;
import io.unwind.store.TxRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "tx",
        description = {
            "List and show the keeper's transactions (its journal).",
            "Every transaction the keeper signed, with its state, attempts, fees, hashes and errors. Read-only; works while the",
            "keeper runs (embedded H2 serves both) or against PostgreSQL."
        },
        subcommands = {TxCommand.ListTxs.class, TxCommand.Show.class},
        footer = {
            "",
            "States: UNSTARTED, IN_PROGRESS (signed, not yet accepted), UNCONFIRMED (in the pool), CONFIRMED (mined),",
            "FINALIZED, FATAL_ERROR (refused for good, or its nonce was taken).",
            "",
            "Examples:",
            "  unwind tx list --config devnet/unwind.yaml",
            "  unwind tx list --state UNCONFIRMED",
            "  unwind tx show 3 --json"
        })
public final class TxCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The journal named by the config. */
    static final class JournalOptions {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "FILE",
                description = "The keeper's configuration, whose journal.url is read (default: $UNWIND_CONFIG).")
        Path config;

        List<ConfigLoader.ChainConfig> chains() {
            return ConfigLoader.loadChains(
                    ConfigLoader.file(config, System.getenv())
                            .orElseThrow(() -> Cli.usage(
                                    spec, "which journal? pass --config FILE (the keeper's), or set UNWIND_CONFIG")),
                    System.getenv());
        }

        Database open() {
            // Every chain of a config shares its journal: the first chain's names it.
            return Wiring.openJournal(chains().get(0).config().journal());
        }

        /** The id of the config's chain named {@code chain}, if one is named (checked against the config's chains). */
        java.util.Optional<Long> chainId(String chain) {
            if (chain == null) return java.util.Optional.empty();
            var all = chains();
            return java.util.Optional.of(all.stream()
                    .filter(c -> c.name().equals(chain))
                    .findFirst()
                    .orElseThrow(() -> Cli.usage(
                            spec,
                            "no chain '" + chain + "' in the config: its chains are "
                                    + String.join(
                                            ", ",
                                            all.stream()
                                                    .map(ConfigLoader.ChainConfig::name)
                                                    .toList())))
                    .config()
                    .chain()
                    .id());
        }
    }

    @Command(
            name = "list",
            description = "Transactions, newest first.",
            footer = {"", "Examples:", "  unwind tx list", "  unwind tx list --vault 0x8acd...41ff --limit 5 --json"})
    static final class ListTxs implements Callable<Integer> {
        @CommandLine.Mixin
        JournalOptions journal;

        @Option(names = "--state", paramLabel = "STATE", description = "Only transactions in this state.")
        TxState state;

        @Option(names = "--vault", paramLabel = "ADDRESS", description = "Only transactions for this vault.")
        Address vault;

        @Option(
                names = "--chain",
                paramLabel = "NAME",
                description =
                        "With a config of several chains (chains:), only this chain's transactions (the journal holds every chain's).")
        String chain;

        @Option(
                names = "--limit",
                paramLabel = "N",
                defaultValue = "20",
                description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (limit < 1) throw Cli.usage(spec, "--limit must be at least 1");
            TxQuery q = TxQuery.latest(limit);
            if (state != null) q = q.inState(state);
            if (vault != null) q = q.forVault(vault);
            var onChain = journal.chainId(chain);
            if (onChain.isPresent()) q = q.onChain(onChain.get());
            try (Database db = journal.open()) {
                Journal j = new Journal(db.dataSource(), Clock.systemUTC());
                List<TxDetail> txs = new ArrayList<>();
                for (TxRecord r : j.list(q)) txs.add(j.detail(r.id()).orElseThrow());
                PrintWriter out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(out, txs.stream().map(d -> json(d, false)).toList());
                    return ExitCodes.OK;
                }
                if (txs.isEmpty()) {
                    out.println("no transactions"
                            + (state != null || vault != null ? " match" : " yet: the keeper has not acted"));
                    out.flush();
                    return ExitCodes.OK;
                }
                Table t = new Table(
                        "ID",
                        "STATE",
                        "KIND",
                        "VAULT",
                        "SENDER",
                        "NONCE",
                        "ATTEMPTS",
                        "HASH",
                        "BLOCK",
                        "GAS FEE",
                        "CREATED",
                        "ERROR");
                for (TxDetail d : txs) {
                    TxRecord r = d.tx();
                    var mined = d.mined().or(d::latest);
                    t.row(
                            r.id(),
                            r.state()
                                    + (r.cancelled() ? " (cancelled)" : "")
                                    + r.confirmation()
                                            .map(c -> c.succeeded() ? "" : " REVERTED")
                                            .orElse(""),
                            JournalText.kind(r.kind()),
                            r.vault().shortForm(),
                            // The key that signed it: in a cluster, which node's (unwind status maps keys to nodes).
                            r.from().shortForm(),
                            r.nonce().isPresent() ? r.nonce().getAsLong() : "-",
                            d.attempts().size(),
                            mined.map(a -> a.hash().hex()).orElse("-"),
                            r.confirmation().map(c -> c.blockNumber()).orElse(null),
                            r.confirmation()
                                    .map(c -> Units.etherApprox(c.feePaid()))
                                    .orElse("-"),
                            time(r.createdAt()),
                            r.error()
                                    .map(JournalText::error)
                                    .map(e -> e.length() > 60 ? e.substring(0, 60) + "…" : e)
                                    .orElse(""));
                }
                t.print(out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "show",
            description = "One transaction with every attempt: fees, hash, what each endpoint answered, the receipt.",
            footer = {
                "",
                "Examples:",
                "  unwind tx show 3",
                "  unwind tx show 3 --json --raw   # includes the signed bytes, e.g. to rebroadcast by hand"
            })
    static final class Show implements Callable<Integer> {
        @CommandLine.Mixin
        JournalOptions journal;

        @Parameters(paramLabel = "ID", description = "The transaction's id (from tx list).")
        long id;

        @CommandLine.Mixin
        JsonOutput json;

        @Option(names = "--raw", description = "Include the signed transaction bytes of each attempt.")
        boolean raw;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (Database db = journal.open()) {
                Journal j = new Journal(db.dataSource(), Clock.systemUTC());
                TxDetail d = j.detail(id)
                        .orElseThrow(() -> new UserError(
                                ExitCodes.USAGE,
                                "no transaction " + id + " in the journal (unwind tx list shows the ids)"));
                PrintWriter out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(out, json(d, raw));
                    return ExitCodes.OK;
                }
                TxRecord r = d.tx();
                out.println("tx #" + r.id() + "  " + JournalText.state(r.state())
                        + (r.cancelled() ? ", mined as a cancellation" : ""));
                out.println("  kind        " + JournalText.kind(r.kind()) + ", urgency "
                        + String.format(Locale.ROOT, "%.2f", r.urgency()));
                out.println("  vault       " + r.vault());
                out.println("  from        " + r.from()
                        + (r.nonce().isPresent() ? ", nonce " + r.nonce().getAsLong() : ""));
                out.println("  plan        "
                        + r.planSummary().map(p -> JournalText.plan(p, false)).orElse("-"));
                out.println("  gas limit   " + String.format(Locale.ROOT, "%,d", r.gasLimit()) + ", first fees "
                        + JournalText.fees(r.initialFees()));
                out.println("  created     " + time(r.createdAt()) + ", updated " + time(r.updatedAt()));
                r.error().ifPresent(e -> out.println("  error       " + JournalText.error(e)));
                r.confirmation()
                        .ifPresent(c -> out.println("  mined       block " + c.blockNumber() + " "
                                + (c.succeeded() ? "successfully" : "REVERTED")
                                + ", gas used " + String.format(Locale.ROOT, "%,d", c.gasUsed()) + " at "
                                + Units.gwei(c.effectiveGasPrice().value())
                                + ", fee " + Units.etherApprox(c.feePaid())));
                for (AttemptRecord a : d.attempts()) {
                    out.println("  attempt " + a.number() + " (" + JournalText.purpose(a.purpose()) + ")  " + a.hash());
                    out.println("    " + JournalText.fees(a.fees()) + ", gas limit "
                            + String.format(Locale.ROOT, "%,d", a.gasLimit()) + ", signed "
                            + time(a.signedAt()) + ", "
                            + a.outcome().map(JournalText::outcome).orElse("not broadcast") + ", broadcast "
                            + a.broadcastCount() + " time(s)"
                            + (a.lastSentBlock().isPresent()
                                    ? ", last at block " + a.lastSentBlock().getAsLong()
                                    : ""));
                    a.endpointResults().ifPresent(e -> out.println("    endpoints " + JournalText.endpoints(e)));
                    if (raw) out.println("    raw " + a.signedRawHex());
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** A journal time to the second, in UTC: "2026-12-05 08:27:47 UTC". */
    static String time(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString()
                .replace('T', ' ')
                .replace("Z", " UTC");
    }

    /** A transaction state as typed (any case); picocli's converter for {@code --state}. */
    static TxState state(String text) {
        try {
            return TxState.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "unknown state '" + text + "' (known: " + java.util.Arrays.toString(TxState.values()) + ")");
        }
    }

    static JsonShapes.Tx json(TxDetail d, boolean raw) {
        TxRecord r = d.tx();
        return new JsonShapes.Tx(
                r.id(),
                r.state().name(),
                r.kind().name(),
                r.chainId(),
                r.vault().hex(),
                r.from().hex(),
                r.to().hex(),
                r.nonce().isPresent() ? r.nonce().getAsLong() : null,
                r.urgency(),
                r.planSummary().map(p -> JournalText.plan(p, true)).orElse(null),
                r.gasLimit(),
                r.createdAt().toString(),
                r.updatedAt().toString(),
                r.error().map(JournalText::error).orElse(null),
                r.cancelled(),
                r.confirmation()
                        .map(c -> new JsonShapes.TxConfirmation(
                                c.blockNumber(),
                                c.blockHash().hex(),
                                c.succeeded(),
                                c.gasUsed(),
                                c.effectiveGasPrice().value().toString(),
                                c.feePaid().value().toString()))
                        .orElse(null),
                d.attempts().stream()
                        .map(a -> new JsonShapes.TxAttempt(
                                a.number(),
                                a.purpose().name(),
                                a.hash().hex(),
                                a.fees().maxFeePerGas().value().toString(),
                                a.fees().maxPriorityFeePerGas().value().toString(),
                                a.gasLimit(),
                                a.signedAt().toString(),
                                a.outcome().map(Enum::name).orElse(null),
                                a.firstSentAt().map(Instant::toString).orElse(null),
                                a.broadcastCount(),
                                a.lastSentBlock().isPresent()
                                        ? a.lastSentBlock().getAsLong()
                                        : null,
                                a.endpointResults()
                                        .map(JournalText::endpointsJson)
                                        .orElse(null),
                                raw ? a.signedRawHex() : null))
                        .toList());
    }
}
