package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.Ltv;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code unwind vault ...}: the owner's position. Each verb is a small class below; create and show have their own
 * files.
 */
@Command(
        name = "vault",
        description = "Create a vault, look at it, and manage its position (owner commands).",
        subcommands = {
            VaultCreateCommand.class,
            VaultShowCommand.class,
            VaultCommand.Fund.class,
            VaultCommand.Borrow.class,
            VaultCommand.Repay.class,
            VaultCommand.Withdraw.class,
            VaultCommand.Pause.class,
            VaultCommand.Unpause.class,
            VaultCommand.Transfer.class,
            VaultCommand.Accept.class,
            VaultMoveCommand.Peer.class,
            VaultMoveCommand.Cap.class
        },
        footer = {
            "",
            "Examples (on a devnet, where the owner is anvil account 2):",
            "  unwind vault create --dev-account 2",
            "  unwind vault fund 10 --dev-account 2          # supply 10 WETH of collateral",
            "  unwind vault borrow 20000 --dev-account 2     # borrow 20,000 USDC",
            "  unwind vault show 0x8acd...41ff"
        })
public final class VaultCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "fund",
            description = "Supply collateral to the vault (approves the vault for the exact amount first if needed).",
            footer = {
                "",
                "Example:",
                "  unwind vault fund 10 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Fund extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT",
                description = "Collateral to supply, in whole tokens (1.5 = 1.5 WETH)." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount a = amount.of(v.collateralToken(), "AMOUNT");
            List<TxSender.Sent> txs = new ArrayList<>(approve(chain, sender, v.vault(), a, "funding"));
            txs.add(sender.send(VaultCalls.supplyCollateral(v.vault(), a.units())));
            return new Done(
                    "supplied " + Units.amount(a) + " to vault " + v.vault() + " (" + txWord(txs) + ")",
                    txs,
                    details("fund", v.vault(), a));
        }
    }

    @Command(
            name = "borrow",
            description = {
                "Borrow the loan token against the vault's collateral.",
                "The vault refuses a borrow that would put LTV at or above its trigger; Morpho refuses one at or above the LLTV."
            },
            footer = {"", "Example:", "  unwind vault borrow 20000 --dev-account 2 --to 0x3c44...93bc"})
    static final class Borrow extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT",
                description = "Loan tokens to borrow, in whole tokens." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "Who receives the loan (default: the owner).")
        Address to;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount a = amount.of(v.loanToken(), "AMOUNT");
            Address receiver = to == null ? sender.from() : to;
            if (v.priceKnown() && v.policy().isSet()) {
                BigInteger ltvAfter = Ltv.ltv(v.collateral(), v.debt().add(a.units()), v.price());
                if (ltvAfter.compareTo(VaultView.triggerWad(v)) >= 0) {
                    throw new UserError(
                            ExitCodes.REFUSED,
                            "borrowing " + Units.amount(a) + " would put LTV at " + Units.percent(ltvAfter)
                                    + ", at or above the trigger "
                                    + Units.percent(v.policy().triggerLtvBps()) + "; the vault refuses that. "
                                    + "Borrow less or fund more collateral. Nothing was sent.");
                }
            }
            TxSender.Sent t = sender.send(VaultCalls.borrow(v.vault(), a.units(), receiver));
            return new Done(
                    "borrowed " + Units.amount(a) + " from vault " + v.vault() + " to " + receiver,
                    List.of(t),
                    details("borrow", v.vault(), a));
        }
    }

    @Command(
            name = "repay",
            description = "Repay debt with the owner's loan tokens; 'all' repays the whole debt, interest included.",
            footer = {
                "",
                "Examples:",
                "  unwind vault repay 5000 --dev-account 2",
                "  unwind vault repay all --dev-account 2"
            })
    static final class Repay extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT|all",
                description = "Loan tokens to repay, in whole tokens, or 'all'." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (!v.hasDebt())
                throw new UserError(ExitCodes.USAGE, "vault " + v.vault() + " has no debt to repay. Nothing was sent.");
            boolean all = amount.isAll();
            // Interest accrues until the repayment is mined: allow a little more than today's debt for 'all'.
            TokenAmount a = all
                    ? v.loanToken()
                            .amount(v.debt()
                                    .add(v.debt().divide(BigInteger.valueOf(10_000)))
                                    .add(BigInteger.ONE))
                    : amount.of(v.loanToken(), "AMOUNT");
            if (!all && a.units().compareTo(v.debt()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the debt is " + Units.amount(VaultView.debt(v))
                                + "; to repay it all, say 'all'. Nothing was sent.");
            }
            List<TxSender.Sent> txs = new ArrayList<>(approve(chain, sender, v.vault(), a, "repaying"));
            txs.add(sender.send(VaultCalls.repay(v.vault(), all ? VaultCalls.ALL : a.units())));
            return new Done(
                    "repaid "
                            + (all
                                    ? "all the debt (" + Units.amount(VaultView.debt(v)) + " plus interest)"
                                    : Units.amount(a))
                            + " of vault " + v.vault(),
                    txs,
                    details("repay", v.vault(), all ? VaultView.debt(v) : a));
        }
    }

    @Command(
            name = "withdraw",
            description = {
                "Withdraw collateral to the owner (or --to).",
                "'all' withdraws everything (needs no debt).",
                "Works while paused. Refused when it would put LTV at or above the trigger, unless --force."
            },
            footer = {
                "",
                "Examples:",
                "  unwind vault withdraw 2.5 --dev-account 2",
                "  unwind vault withdraw all --dev-account 2"
            })
    static final class Withdraw extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT|all",
                description = "Collateral to withdraw, in whole tokens, or 'all'." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "Who receives it (default: the owner).")
        Address to;

        @Option(
                names = "--force",
                description = "Withdraw even if LTV ends at or above the trigger (keepers may then sell collateral).")
        boolean force;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount a = amount.isAll() ? VaultView.collateral(v) : amount.of(v.collateralToken(), "AMOUNT");
            if (a.isZero())
                throw new UserError(ExitCodes.USAGE, "vault " + v.vault() + " holds no collateral. Nothing was sent.");
            if (a.units().compareTo(v.collateral()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the vault holds " + Units.amount(VaultView.collateral(v)) + ", less than " + Units.amount(a)
                                + ". Nothing was sent.");
            }
            Address receiver = to == null ? sender.from() : to;
            if (v.hasDebt() && v.priceKnown() && v.policy().isSet() && !force) {
                BigInteger ltvAfter = Ltv.ltv(v.collateral().subtract(a.units()), v.debt(), v.price());
                if (ltvAfter.compareTo(VaultView.triggerWad(v)) >= 0) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            "withdrawing " + Units.amount(a) + " would put LTV at " + Units.percent(ltvAfter)
                                    + ", at or above the trigger "
                                    + Units.percent(v.policy().triggerLtvBps()) + ": keepers could start selling "
                                    + "collateral at once. Withdraw less, repay first, or pass --force. Nothing was sent.");
                }
            }
            TxSender.Sent t = sender.send(VaultCalls.withdrawCollateral(v.vault(), a.units(), receiver));
            return new Done(
                    "withdrew " + Units.amount(a) + " from vault " + v.vault() + " to " + receiver,
                    List.of(t),
                    details("withdraw", v.vault(), a));
        }
    }

    @Command(
            name = "pause",
            description = {
                "Stop keepers from acting on the vault (an emergency brake).",
                "The owner keeps every power while paused: repay, withdraw, change the policy."
            },
            footer = {
                "",
                "Example:",
                "  unwind vault pause --vault 0x8acd...41ff --keystore owner.json --password-env OWNER_PASSWORD"
            })
    static final class Pause extends OwnerAction {
        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (v.paused())
                throw new UserError(ExitCodes.USAGE, "vault " + v.vault() + " is paused already. Nothing was sent.");
            TxSender.Sent t = sender.sendShowing(VaultCalls.setPaused(v.vault(), true), "true");
            return new Done(
                    "paused vault " + v.vault() + ": keepers can no longer act on it",
                    List.of(t),
                    details("pause", v.vault(), null));
        }
    }

    @Command(
            name = "unpause",
            description = "Let keepers act on the vault again.",
            footer = {"", "Example:", "  unwind vault unpause --dev-account 2"})
    static final class Unpause extends OwnerAction {
        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (!v.paused())
                throw new UserError(ExitCodes.USAGE, "vault " + v.vault() + " is not paused. Nothing was sent.");
            TxSender.Sent t = sender.sendShowing(VaultCalls.setPaused(v.vault(), false), "false");
            return new Done(
                    "unpaused vault " + v.vault() + ": keepers may act on it again",
                    List.of(t),
                    details("unpause", v.vault(), null));
        }
    }

    @Command(
            name = "transfer",
            description = {
                "Offer the vault to a new owner, who takes it with `unwind vault accept`. Until then you remain the owner",
                "and keep every power; a later transfer replaces the offer."
            },
            footer = {
                "",
                "Example:",
                "  unwind vault transfer --to 0x15d3...6a65 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Transfer extends OwnerAction {
        @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The new owner.")
        Address to;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (to.isZero()) throw Cli.usage(spec, "--to: the zero address cannot accept a vault (pause it instead)");
            if (to.equals(v.owner()))
                throw new UserError(ExitCodes.USAGE, to + " owns vault " + v.vault() + " already. Nothing was sent.");
            if (chain.pendingOwner(v.vault()).equals(to))
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " is offered to " + to + " already; they accept it with `unwind vault "
                                + "accept`. Nothing was sent.");
            TxSender.Sent t = sender.send(VaultCalls.transferOwnership(v.vault(), to));
            var d = details("vault transfer", v.vault(), null).with(new JsonShapes.TransferExtra(to.hex()));
            return new Done(
                    "offered vault " + v.vault() + " to " + to + "; you stay its owner until " + to
                            + " runs: unwind vault accept --vault " + v.vault() + " --keep-access | --clear-access",
                    List.of(t),
                    d);
        }
    }

    @Command(
            name = "accept",
            description = {
                "Take a vault offered to you (`unwind vault transfer`), signed with your key. Say what becomes of the keepers and",
                "routes the previous owner allowed; one of the two is required:",
                "  --keep-access   they stay allowed: the keepers may go on deleveraging through those routes;",
                "  --clear-access  every keeper and route is removed (each with its event): no keeper can act until you allow one.",
                "The policy, guard, pause, position and reserve are the vault's and stay as they are."
            },
            footer = {
                "",
                "Examples:",
                "  unwind vault accept --vault 0x8acd...41ff --clear-access --keystore me.json --password-file me.pass",
                "  unwind vault accept --vault 0x8acd...41ff --keep-access --dev-account 4"
            })
    static final class Accept extends OwnerAction {
        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Access access;

        static final class Access {
            @Option(
                    names = "--keep-access",
                    required = true,
                    description = "Keep the previous owner's keepers and routes allowed.")
            boolean keep;

            @Option(
                    names = "--clear-access",
                    required = true,
                    description = "Remove every keeper and route the previous owner allowed.")
            boolean clear;
        }

        @Override
        Address vault(ChainContext chain, Address signer) {
            if (vaultText == null) throw Cli.usage(spec, "which vault? pass --vault ADDRESS, the vault offered to you");
            return vaultText;
        }

        @Override
        void checkSigner(ChainContext chain, VaultHealth v, Address signer) {
            if (v.owner().equals(signer))
                throw new UserError(
                        ExitCodes.USAGE, signer + " owns vault " + v.vault() + " already. Nothing was sent.");
            Address pending = chain.pendingOwner(v.vault());
            if (!pending.equals(signer)) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " is not offered to " + signer
                                + (pending.isZero()
                                        ? " (it is offered to no one)"
                                        : " (it is offered to " + pending + ")")
                                + "; its owner " + v.owner() + " offers it with `unwind vault transfer --to "
                                + signer + "`. Nothing was sent.");
            }
        }

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            boolean keep = access.keep;
            int keepers = chain.keepers(v.vault()).size();
            int routes = chain.routes(v.vault()).size();
            TxSender.Sent t = sender.sendShowing(VaultCalls.acceptOwnership(v.vault(), keep), String.valueOf(keep));
            List<Address> keepersNow = chain.keepers(v.vault());
            List<JsonShapes.ListedRoute> routesNow = RouterCommand.listed(chain, v.vault());
            var d = details("vault accept", v.vault(), null)
                    .with(new JsonShapes.AcceptExtra(
                            v.owner().hex(),
                            keep,
                            keepersNow.stream().map(Address::hex).toList(),
                            routesNow,
                            keepers - keepersNow.size(),
                            routes - routesNow.size()));
            return new Done(
                    "you own vault " + v.vault() + " now (from " + v.owner() + "); "
                            + (keep
                                    ? "kept " + keepers + " keeper(s) and " + routes + " route(s) allowed"
                                    : "removed " + keepers + " keeper(s) and " + routes
                                            + " route(s): no keeper can act until you allow one (unwind keeper add)"),
                    List.of(t),
                    d);
        }
    }
}
