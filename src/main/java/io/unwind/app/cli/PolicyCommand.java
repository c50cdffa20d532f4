package io.unwind.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.money.Bps;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.PolicyRules;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "policy",
        description = "Show or set the rules keepers must follow on a vault.",
        subcommands = {PolicyCommand.Show.class, PolicyCommand.Set.class, PolicyCommand.SoftTriggerSet.class},
        footer = {
            "",
            "Examples:",
            "  unwind policy show --dev-account 2",
            "  unwind policy show 0x8acd...41ff",
            "  unwind policy set --trigger 80%% --target 70%% --max-slippage 1%% --dev-account 2",
            "  unwind policy soft-trigger --ltv 76%% --max-probability 5%% --dev-account 2",
            "  unwind policy set --file keystore-template/policy.example.yaml --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
        })
public final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "show",
            description = {
                "The vault's policy as the contract enforces it.",
                "Without VAULT: the owner's only vault (--owner, or the key options the owner's commands take), else the config's only vault."
            },
            footer = {
                "",
                "Examples:",
                "  unwind policy show --dev-account 2",
                "  unwind policy show 0x8acd...41ff --json"
            })
    static final class Show implements Callable<Integer> {
        @Mixin
        ChainOptions chainOptions;

        @Mixin
        ShownVault shown;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ChainContext chain = chainOptions.open()) {
                VaultHealth h =
                        chain.health(shown.resolve(chain, spec.commandLine().getErr()));
                PrintWriter out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(
                            out,
                            new JsonShapes.PolicyShown(
                                    VaultView.policyJson(h.policy()),
                                    h.vault().hex(),
                                    Bps.fromWad(h.lltv()).value(),
                                    VaultView.softTriggerJson(h.softTrigger()),
                                    VaultView.maxProbabilityJson(h.softTrigger())));
                } else {
                    out.println("policy of vault " + h.vault() + " (market LLTV " + Units.percent(h.lltv())
                            + ", LTV now " + VaultView.ltv(h) + ")");
                    for (String[] line : VaultView.policyLines(h.policy()))
                        out.printf("  %-15s %s%n", line[0], line[1]);
                    if (h.policy().isSet()) {
                        String[] soft = VaultView.softTriggerLine(h.softTrigger());
                        out.printf("  %-15s %s%n", soft[0], soft[1]);
                    }
                    out.flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "soft-trigger",
            description = {
                "Let keepers act early, from an LTV under the trigger, or stop them (--off).",
                "Between the soft trigger and the trigger a keeper may act when it judges liquidation before its exit",
                "completes more likely than --max-probability; the vault cannot check that judgement, so it only lets",
                "such an early action through if it ends at or under the target LTV (a complete deleverage). Checked",
                "before anything is sent: target < soft trigger < trigger, probability in (0, 100%%)."
            },
            footer = {
                "",
                "Examples:",
                "  unwind policy soft-trigger --ltv 76%% --max-probability 5%% --dev-account 2",
                "  unwind policy soft-trigger --off --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class SoftTriggerSet extends OwnerAction {
        @Option(names = "--ltv", paramLabel = "PCT", description = "LTV from which keepers may act early.")
        Converters.Bps ltv;

        @Option(
                names = "--max-probability",
                paramLabel = "PCT",
                description = "The keeper acts early when it judges liquidation more likely than this.")
        Converters.Bps maxProbability;

        @Option(names = "--off", description = "Clear the soft trigger: keepers act only at the trigger.")
        boolean off;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            SoftTrigger t;
            if (off) {
                if (ltv != null || maxProbability != null)
                    throw Cli.usage(spec, "--off takes no --ltv or --max-probability");
                t = SoftTrigger.NONE;
            } else {
                if (ltv == null || maxProbability == null)
                    throw Cli.usage(spec, "give --ltv and --max-probability, or --off");
                t = new SoftTrigger(ltv.value(), maxProbability.value());
            }
            List<String> problems = t.problemsWith(v.policy());
            if (!problems.isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "soft trigger refused, nothing was sent:\n  - " + String.join("\n  - ", problems));
            }
            if (t.equals(v.softTrigger()))
                throw new UserError(ExitCodes.USAGE, "the vault has this soft trigger already. Nothing was sent.");
            TxSender.Sent tx = sender.send(VaultCalls.setSoftTrigger(v.vault(), t));
            var d = details(t.isSet() ? "soft trigger set" : "soft trigger cleared", v.vault(), null)
                    .with(new JsonShapes.SoftTriggerExtra(
                            VaultView.softTriggerJson(t), VaultView.maxProbabilityJson(t)));
            String summary = t.isSet()
                    ? "set the soft trigger of vault " + v.vault() + ": keepers may act early from "
                            + Units.percent(t.softTriggerLtvBps())
                            + " LTV when they judge liquidation more likely than "
                            + Units.percent(t.maxLiquidationProbabilityBps()) + ", ending at or under the target "
                            + Units.percent(v.policy().targetLtvBps())
                    : "cleared the soft trigger of vault " + v.vault() + ": keepers act only at the trigger "
                            + Units.percent(v.policy().triggerLtvBps());
            return new Done(summary, List.of(tx), d);
        }
    }

    @Command(
            name = "set",
            description = {
                "Set the vault's policy.",
                "Unnamed fields keep their current value (or the defaults below for a",
                "vault without a policy). Checked before anything is sent: target < trigger < LLTV, band <= target, slippage in (0, 10%%],",
                "keeper fee <= 5%%, max sell in (0, 100%%], cooldown <= 7 days. Percentages are written 80%%, 0.5%% or 8000bps; a bare",
                "number is refused (is 0.8 meant as 80%% or as 0.8%%?)."
            },
            footer = {
                "",
                "Defaults for a new policy: band 5%%, max slippage 1%%, max fee 0.5%%, max sell 100%%, cooldown 0, max gas price 100 gwei.",
                "",
                "Examples:",
                "  unwind policy set --trigger 80%% --target 70%% --dev-account 2",
                "  unwind policy set --trigger 82%% --vault 0x8acd...41ff --keystore owner.json --password-env OWNER_PASSWORD",
                "  unwind policy set --file policy.yaml --vault 0x8acd...41ff --dev-account 2"
            })
    static final class Set extends OwnerAction {
        @Option(
                names = "--file",
                paramLabel = "FILE",
                description = "A policy YAML file (see keystore-template/policy.example.yaml); options override it.")
        Path file;

        @Option(names = "--trigger", paramLabel = "PCT", description = "LTV at or above which keepers may act.")
        Converters.Bps trigger;

        @Option(names = "--target", paramLabel = "PCT", description = "LTV an action brings the vault down to.")
        Converters.Bps target;

        @Option(
                names = "--band",
                paramLabel = "PCT",
                description = "An action may not leave LTV below target minus this.")
        Converters.Bps band;

        @Option(
                names = "--max-slippage",
                paramLabel = "PCT",
                description = "A sale must fetch at least the oracle price minus this.")
        Converters.Bps maxSlippage;

        @Option(names = "--max-fee", paramLabel = "PCT", description = "Keeper fee cap, of the debt an action repays.")
        Converters.Bps maxFee;

        @Option(names = "--max-sell", paramLabel = "PCT", description = "Most of the collateral one action may sell.")
        Converters.Bps maxSell;

        @Option(
                names = "--cooldown",
                paramLabel = "DURATION",
                description = "Time between two actions that ended under the trigger (90s, 10m, 2h).")
        Duration cooldown;

        @Option(
                names = "--max-gas-price",
                paramLabel = "GWEI",
                converter = Converters.Gwei.class,
                description = "Above this gas price the keeper may take no fee.")
        Wei maxGasPrice;

        @Option(
                names = "--force",
                description =
                        "Set it even if the vault is already at or above the new trigger (keepers may then act at once).")
        boolean force;

        private static final Policy DEFAULTS = new Policy(0, 0, 500, 100, 50, 10_000, Duration.ZERO, Wei.gwei(100));

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Policy base = v.policy().isSet() ? v.policy() : DEFAULTS;
            Map<String, Object> in = new LinkedHashMap<>(); // from the file, then the options over it
            if (file != null) readFile(file).forEach((k, text) -> in.put(k, fromFile(file, k, text)));
            put(in, "trigger", trigger);
            put(in, "target", target);
            put(in, "band", band);
            put(in, "maxSlippage", maxSlippage);
            put(in, "maxFee", maxFee);
            put(in, "maxSell", maxSell);
            put(in, "cooldown", cooldown);
            put(in, "maxGasPriceGwei", maxGasPrice);
            if (!v.policy().isSet() && (!in.containsKey("trigger") || !in.containsKey("target"))) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " has no policy yet: give at least --trigger and --target");
            }
            if (in.isEmpty()) throw Cli.usage(spec, "nothing to set: give --trigger, --target, ... or --file");
            Policy p = new Policy(
                    bps(in, "trigger", base.triggerLtvBps()),
                    bps(in, "target", base.targetLtvBps()),
                    bps(in, "band", base.bandBps()),
                    bps(in, "maxSlippage", base.maxSlippageBps()),
                    bps(in, "maxFee", base.maxFeeBps()),
                    bps(in, "maxSell", base.maxSellBps()),
                    (Duration) in.getOrDefault("cooldown", base.cooldown()),
                    (Wei) in.getOrDefault("maxGasPriceGwei", base.maxGasPrice()));
            int lltvBps = Bps.fromWad(v.lltv()).value();
            PolicyRules.Verdict verdict = PolicyRules.check(p, lltvBps);
            if (!verdict.ok()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "policy refused, nothing was sent:\n  - " + String.join("\n  - ", verdict.problems()));
            }
            if (v.softTrigger().isSet() && !v.softTrigger().validFor(p)) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the vault's soft trigger (" + v.softTrigger().soft().percent()
                                + ") must stay above the target and below the trigger: clear it first (unwind policy "
                                + "soft-trigger --off). Nothing was sent.");
            }
            if (v.overTrigger(p) && !force) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the vault's LTV is " + Units.percent(v.ltv()) + ", already at or above the new trigger "
                                + Units.percent(p.triggerLtvBps())
                                + ": keepers could sell collateral as soon as it is set. Raise the trigger, "
                                + "repay first, or pass --force. Nothing was sent.");
            }
            verdict.warnings().forEach(w -> err().println("unwind: warning: " + w));
            if (p.equals(v.policy()))
                throw new UserError(ExitCodes.USAGE, "the vault has this policy already. Nothing was sent.");
            TxSender.Sent t = sender.send(VaultCalls.setPolicy(v.vault(), p));
            var d = details("policy set", v.vault(), null)
                    .with(new JsonShapes.PolicyExtra(VaultView.policyJson(p), List.copyOf(verdict.warnings())));
            return new Done(
                    "set the policy of vault " + v.vault() + ": trigger " + Units.percent(p.triggerLtvBps())
                            + ", target "
                            + Units.percent(p.targetLtvBps()) + ", band " + Units.percent(p.bandBps())
                            + ", max slippage " + Units.percent(p.maxSlippageBps())
                            + ", max fee " + Units.percent(p.maxFeeBps()) + ", max sell "
                            + Units.percent(p.maxSellBps()) + ", cooldown "
                            + Units.duration(p.cooldown()) + ", max gas price "
                            + Units.gwei(p.maxGasPrice().value()),
                    List.of(t),
                    d);
        }

        private static void put(Map<String, Object> in, String key, Object value) {
            if (value != null) in.put(key, value);
        }

        private static int bps(Map<String, Object> in, String key, int current) {
            return in.get(key) instanceof Converters.Bps b ? b.value() : current;
        }

        /** A setting of the policy file, read by the converter its option uses; a mistake names the file and key. */
        private static Object fromFile(Path file, String key, String text) {
            try {
                return switch (key) {
                    case "cooldown" -> Converters.duration(text);
                    case "maxGasPriceGwei" -> Converters.gwei(text);
                    default -> Converters.bps(text);
                };
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new UserError(ExitCodes.USAGE, file + ": " + key + ": " + e.getMessage());
            }
        }

        static Map<String, String> readFile(Path file) {
            return readFile(
                    file,
                    "policy",
                    java.util.Set.of(
                            "trigger",
                            "target",
                            "band",
                            "maxSlippage",
                            "maxFee",
                            "maxSell",
                            "cooldown",
                            "maxGasPriceGwei"));
        }

        /** A flat YAML file of {@code known} settings (a policy or a guard file), each as its text. */
        static Map<String, String> readFile(Path file, String what, java.util.Set<String> known) {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            } catch (IOException e) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "cannot read the " + what + " file " + file + ": "
                                + e.getMessage().lines().findFirst().orElse(""));
            }
            if (root == null || !root.isObject())
                throw new UserError(ExitCodes.USAGE, "the " + what + " file " + file + " must be a YAML mapping");
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (!known.contains(e.getKey())) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            file + ": unknown setting '" + e.getKey() + "' (known: "
                                    + String.join(", ", new java.util.TreeSet<>(known)) + ")");
                }
                if (!e.getValue().isValueNode())
                    throw new UserError(ExitCodes.USAGE, file + ": " + e.getKey() + " must be a single value");
                out.put(e.getKey(), e.getValue().asText());
            }
            return out;
        }
    }
}
