package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.deploy.UnwindContracts;
import io.unwind.chain.vault.HedgeCalls;
import io.unwind.chain.vault.MarketParams;
import io.unwind.chain.vault.ReverseMarket;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgePolicy;
import io.unwind.domain.hedge.HedgePolicyRules;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "hedge",
        description = {
            "Hedge a vault with a short on its collateral (owner commands; see docs/HEDGE.md).",
            "The hedge is a contract beside the vault, owned by the vault's owner, that borrows the vault's collateral in",
            "the reverse Morpho market against the owner's margin in the loan token; keepers open and buy back the short",
            "within the owner's hedge policy."
        },
        subcommands = {
            HedgeCommand.Market.class,
            HedgeCommand.Create.class,
            HedgeCommand.Show.class,
            HedgeOwnerCommands.Deposit.class,
            HedgeOwnerCommands.Withdraw.class,
            HedgeOwnerCommands.PolicySet.class,
            HedgeOwnerCommands.Close.class
        },
        footer = {
            "",
            "Examples:",
            "  unwind hedge market --dev-account 2",
            "  unwind hedge create --max-ratio 50%% --open 74%% --trigger 78%% --target 60%% --deposit 10000 --dev-account 2",
            "  unwind hedge show --hedge 0x5fbd...0aa3",
            "  unwind hedge close --hedge 0x5fbd...0aa3 --dev-account 2"
        })
public final class HedgeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The vault's Morpho market and its reverse market; refuses a vault a hedge cannot be built for. */
    record Markets(MarketParams vaultMarket, MarketParams reverse) {
        static Markets of(ChainContext chain, VaultHealth v) {
            if (v.protocol() != LendingProtocol.MORPHO_BLUE) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " is on " + v.protocol().id() + ": a hedge's reverse market takes"
                                + " the vault market's Morpho rate model and LLTV, which only a Morpho Blue vault has."
                                + " Nothing was sent.");
            }
            MarketParams m = chain.market(v.marketId());
            return new Markets(m, ReverseMarket.of(m));
        }

        boolean reverseExists(ChainContext chain) {
            return chain.market(reverse.id()).exists();
        }
    }

    @Command(
            name = "market",
            description = {
                "Create the reverse Morpho market a hedge of the vault shorts in, if it is missing, and show it.",
                "Loan: the vault's collateral; collateral: its loan token; priced by an InverseOracle over the vault",
                "market's oracle (deployed at a fixed CREATE2 address), on the vault market's rate model and LLTV.",
                "Anyone may create a Morpho market; an existing one is shown and nothing is sent."
            },
            footer = {"", "Example:", "  unwind hedge market --vault 0x8acd...41ff --dev-account 2"})
    static final class Market extends OwnerAction {
        /** Morpho's createMarket is permissionless: any signer may create the market. */
        @Override
        void checkSigner(ChainContext chain, VaultHealth v, Address signer) {}

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Markets m = Markets.of(chain, v);
            MarketParams r = m.reverse();
            List<TxSender.Sent> txs = new ArrayList<>();
            boolean exists = m.reverseExists(chain);
            if (!exists) {
                if (chain.client.code(r.oracle()).length == 0) {
                    if (!UnwindContracts.deployerPresent(chain.client)) {
                        throw new UserError(
                                ExitCodes.USAGE,
                                "chain " + chain.chainId + " has no deterministic deployment proxy at "
                                        + UnwindContracts.CREATE2_DEPLOYER + ", which the inverse oracle is created"
                                        + " through: deploy the proxy first. Nothing was sent.");
                    }
                    txs.add(sender.send(
                            ReverseMarket.deployInverseOracle(m.vaultMarket().oracle())));
                }
                txs.add(sender.send(ReverseMarket.createMarket(chain.morpho(), r)));
            }
            String summary = (exists
                            ? "the reverse market of vault " + v.vault() + " exists already: "
                            : "created the reverse market of vault " + v.vault() + ": ")
                    + r.id() + "\n  loan " + v.collateralToken().symbol() + " " + r.loanToken() + ", collateral "
                    + v.loanToken().symbol() + " " + r.collateralToken() + "\n  oracle " + r.oracle()
                    + " (InverseOracle over " + m.vaultMarket().oracle() + "), irm " + r.irm() + ", LLTV "
                    + Units.percent(r.lltv())
                    + "\n  next: unwind hedge create --vault " + v.vault()
                    + " --max-ratio PCT --open PCT --trigger PCT --target PCT";
            return new Done(
                    summary,
                    txs,
                    details("hedge market", v.vault(), null)
                            .with(new JsonShapes.HedgeMarketExtra(
                                    r.id(),
                                    r.loanToken().hex(),
                                    r.collateralToken().hex(),
                                    r.oracle().hex(),
                                    m.vaultMarket().oracle().hex(),
                                    r.irm().hex(),
                                    Units.fraction(r.lltv()),
                                    !exists)));
        }
    }

    @Command(
            name = "create",
            description = {
                "Deploy the owner's hedge of the vault on its reverse market, then deposit margin (--deposit).",
                "Checked before anything is sent, as the hedge checks it: target > 0 and under trigger, trigger under",
                "the reverse market's LLTV, ratio and open LTV at most 100%%, slippage at most 10%%, fee at most 1%%,",
                "cooldown at most 1 day. Prints the `hedges:` lines to add to the keeper's config."
            },
            footer = {
                "",
                "Defaults: --max-slippage and --cooldown the vault policy's (the cooldown at most 1d), --max-fee the"
                        + " vault policy's, at most 1%%.",
                "",
                "Example:",
                "  unwind hedge create --max-ratio 50%% --open 74%% --trigger 78%% --target 60%% --deposit 10000"
                        + " --vault 0x8acd...41ff --dev-account 2"
            })
    static final class Create extends OwnerAction {
        @Mixin
        HedgePolicyOptions policy;

        @Option(
                names = "--deposit",
                paramLabel = "AMOUNT",
                description = "Loan tokens to deposit as margin now, in whole tokens." + Units.AMOUNT_SYNTAX)
        AmountText deposit;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Markets m = Markets.of(chain, v);
            if (!m.reverseExists(chain)) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " has no reverse market to short in yet ("
                                + m.reverse().id() + "): run `unwind hedge market --vault " + v.vault()
                                + "` first. Nothing was sent.");
            }
            List<String> missing = new ArrayList<>();
            if (policy.maxRatio == null) missing.add("--max-ratio");
            if (policy.open == null) missing.add("--open");
            if (policy.trigger == null) missing.add("--trigger");
            if (policy.target == null) missing.add("--target");
            if (!missing.isEmpty()) throw Cli.usage(spec, "a new hedge needs " + String.join(", ", missing));
            HedgePolicy p =
                    policy.over(defaults(v.policy(), policy), m.reverse().lltv());
            io.unwind.domain.hedge.HedgePolicyRules.warnings(p, m.reverse().lltv())
                    .forEach(w -> err().println("unwind: warning: " + w));
            TokenAmount margin = deposit == null ? null : deposit.of(v.loanToken(), "--deposit");
            if (margin != null) {
                BigInteger balance = chain.balanceOf(v.loanToken().address(), sender.from());
                if (balance.compareTo(margin.units()) < 0) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            "--deposit needs " + Units.amount(margin) + " but " + sender.from() + " holds "
                                    + Units.amount(v.loanToken().amount(balance)) + ". Nothing was sent.");
                }
            }
            TxSender.Deployed d =
                    sender.deploy("deploy UnwindHedge", HedgeCalls.initCode(chain.morpho(), v.vault(), m.reverse(), p));
            List<TxSender.Sent> txs = new ArrayList<>(List.of(d.tx()));
            if (margin != null) {
                txs.addAll(approve(chain, sender, d.address(), margin, "the deposit"));
                txs.add(sender.send(HedgeCalls.deposit(d.address(), margin.units())));
            }
            String config = "hedges:\n  - vault: \"" + v.vault() + "\"\n    hedge: \"" + d.address() + "\"";
            return new Done(
                    "created hedge " + d.address() + " of vault " + v.vault()
                            + (margin == null ? "" : ", with " + Units.amount(margin) + " of margin") + "\n  policy: "
                            + HedgePolicyOptions.describe(p)
                            + "\n  add to the keeper's config (then restart it) for it to run the hedge:\n"
                            + config.indent(4).stripTrailing(),
                    txs,
                    details("hedge create", v.vault(), margin)
                            .with(new JsonShapes.HedgeCreatedExtra(
                                    d.address().hex(), m.reverse().id(), JsonShapes.HedgePolicyJson.of(p), config)));
        }

        /**
         * The fields not given take the vault policy's bounds on its own swaps (the fee and cooldown capped at what the
         * hedge allows); the four required ones are given, so their placeholders here never show.
         */
        private static HedgePolicy defaults(Policy vault, HedgePolicyOptions given) {
            int slippage = vault.isSet() ? vault.maxSlippageBps() : 100;
            int fee = Math.min(vault.isSet() ? vault.maxFeeBps() : 50, HedgePolicyRules.MAX_FEE_BPS);
            Duration cooldown = vault.isSet() ? vault.cooldown() : Duration.ZERO;
            if (cooldown.compareTo(HedgePolicyRules.MAX_COOLDOWN) > 0) cooldown = HedgePolicyRules.MAX_COOLDOWN;
            return new HedgePolicy(given.maxRatio.value(), given.open.value(), 2, 1, slippage, fee, cooldown);
        }
    }

    @Command(
            name = "show",
            description = "A hedge: its vault, policy, margin, short and its value, ratio of the vault's collateral,"
                    + " LTV, equity, P&L and funding cost.",
            footer = {
                "",
                "Examples:",
                "  unwind hedge show --hedge 0x5fbd...0aa3",
                "  unwind hedge show --hedge 0x5fbd...0aa3 --json"
            })
    static final class Show implements Callable<Integer> {
        @Mixin
        ChainOptions chainOptions;

        @Option(names = "--hedge", paramLabel = "ADDRESS", required = true, description = "The hedge.")
        Address hedge;

        @Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ChainContext chain = chainOptions.open()) {
                HedgeView h = HedgeView.read(chain, hedge);
                PrintWriter out = spec.commandLine().getOut();
                if (json.on()) Json.print(out, h.json());
                else h.print(out);
            }
            return ExitCodes.OK;
        }
    }
}
