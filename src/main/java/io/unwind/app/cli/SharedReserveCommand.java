package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.PortfolioCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code unwind reserve shared ...}: one reserve of loan tokens several of the owner's vaults (Morpho and Aave) draw
 * top-ups from, each within a limit the owner sets; only the owner withdraws (SharedReserve.sol).
 */
@Command(
        name = "shared",
        description = {
            "An owner's shared reserve: loan tokens several of the owner's vaults may draw top-ups from (owner commands).",
            "A top-up takes what the vault's own reserve lacks from it, within the limit set for that vault; only the"
                    + " owner withdraws. The keeper serves the vault closest to liquidation first when it runs short."
        },
        subcommands = {
            SharedReserveCommand.Create.class,
            SharedReserveCommand.Link.class,
            SharedReserveCommand.Unlink.class,
            SharedReserveCommand.Withdraw.class
        },
        footer = {
            "",
            "Examples (on a devnet, where the owner is anvil account 2):",
            "  unwind reserve shared create --fund 30000 --limit 20000 --vault 0x8acd...41ff --dev-account 2",
            "  unwind reserve shared link --reserve 0x5fbd...0aa3 --limit 20000 --vault 0x9e54...1c0d --dev-account 2",
            "  unwind reserve shared withdraw all --vault 0x8acd...41ff --dev-account 2"
        })
public final class SharedReserveCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            description = "Deploy a shared reserve owned by the signer, fund it (--fund) and link the vault to it with"
                    + " a limit (--limit: the most this vault may draw).",
            footer = {
                "",
                "Example:",
                "  unwind reserve shared create --fund 30000 --limit 20000 --vault 0x8acd...41ff --keystore owner.json"
            })
    static final class Create extends OwnerAction {
        @Option(
                names = "--fund",
                paramLabel = "AMOUNT",
                description = "Loan tokens to move from the owner into it now, in whole tokens." + Units.AMOUNT_SYNTAX)
        AmountText fund;

        @Option(
                names = "--limit",
                paramLabel = "AMOUNT",
                description = "The most this vault may draw from it (default: the --fund amount).")
        AmountText limit;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount funded = fund == null ? null : fund.of(v.loanToken(), "--fund");
            TokenAmount lim = limit != null ? limit.of(v.loanToken(), "--limit") : funded;
            if (lim == null || lim.isZero()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "give --limit (what this vault may draw from the reserve) or --fund (the limit is then the"
                                + " amount funded). Nothing was sent.");
            }
            if (funded != null) {
                BigInteger balance = chain.balanceOf(v.loanToken().address(), sender.from());
                if (balance.compareTo(funded.units()) < 0) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            "--fund needs " + Units.amount(funded) + " but " + sender.from() + " holds "
                                    + Units.amount(v.loanToken().amount(balance)) + ". Nothing was sent.");
                }
            }
            TxSender.Deployed d =
                    sender.deploy("deploy SharedReserve", PortfolioCalls.sharedReserveInitCode(sender.from()));
            List<TxSender.Sent> txs = new ArrayList<>(List.of(d.tx()));
            if (funded != null && !funded.isZero()) {
                txs.add(sender.send(
                        "transfer " + v.loanToken().symbol(),
                        PortfolioCalls.transfer(v.loanToken().address(), d.address(), funded.units())));
            }
            txs.addAll(link(sender, v, d.address(), lim));
            return new Done(
                    "created shared reserve " + d.address() + " (owner " + sender.from() + ")"
                            + (funded == null ? "" : ", funded " + Units.amount(funded)) + ", and linked vault "
                            + v.vault() + " to it with a limit of " + Units.amount(lim),
                    txs,
                    details("shared-reserve create", v.vault(), funded)
                            .with(new JsonShapes.SharedReserveExtra(d.address().hex(), Units.json(lim))));
        }
    }

    @Command(
            name = "link",
            description = "Link the vault to one of the owner's shared reserves and set how much it may draw from it.",
            footer = {
                "",
                "Example:",
                "  unwind reserve shared link --reserve 0x5fbd...0aa3 --limit 20000 --vault 0x9e54...1c0d --dev-account 2"
            })
    static final class Link extends OwnerAction {
        @Option(names = "--reserve", paramLabel = "ADDRESS", required = true, description = "The shared reserve.")
        Address reserve;

        @Option(
                names = "--limit",
                paramLabel = "AMOUNT",
                required = true,
                description = "The most this vault may draw from it, in whole loan tokens (0 stops its draws)."
                        + Units.AMOUNT_SYNTAX)
        AmountText limit;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Address owner = chain.reserveOwner(reserve);
            if (!owner.equals(sender.from())) {
                throw new UserError(
                        ExitCodes.USAGE,
                        reserve + " is owned by " + owner + ", not by the vault's owner " + sender.from()
                                + ": a vault draws only from its owner's reserve. Nothing was sent.");
            }
            TokenAmount lim = limit.of(v.loanToken(), "--limit");
            List<TxSender.Sent> txs = link(sender, v, reserve, lim);
            if (txs.isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " is linked to " + reserve + " with that limit already. Nothing was"
                                + " sent.");
            }
            return new Done(
                    "linked vault " + v.vault() + " to shared reserve " + reserve + " with a limit of "
                            + Units.amount(lim),
                    txs,
                    details("shared-reserve link", v.vault(), null)
                            .with(new JsonShapes.SharedReserveExtra(reserve.hex(), Units.json(lim))));
        }
    }

    /** The reserve's limit for the vault (when it differs) and the vault's link (when missing), in that order. */
    static List<TxSender.Sent> link(TxSender sender, VaultHealth v, Address reserve, TokenAmount limit) {
        ChainContext chain = sender.chain();
        List<TxSender.Sent> txs = new ArrayList<>();
        boolean fresh = chain.reserveOwner(reserve).equals(sender.from())
                && !chain.sharedLimit(reserve, v.vault(), v.loanToken().address())
                        .equals(limit.units());
        if (fresh) {
            txs.add(sender.send(
                    "setLimit " + Units.amount(limit),
                    PortfolioCalls.setLimit(reserve, v.vault(), v.loanToken().address(), limit.units())));
        }
        if (!chain.links(v.vault()).sharedReserve().equals(reserve)) {
            txs.add(sender.send(PortfolioCalls.setSharedReserve(v.vault(), reserve)));
        }
        return txs;
    }

    @Command(
            name = "unlink",
            description = "Stop the vault drawing from its shared reserve: unlinks it and sets its limit to 0.",
            footer = {"", "Example:", "  unwind reserve shared unlink --vault 0x9e54...1c0d --dev-account 2"})
    static final class Unlink extends OwnerAction {
        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Address reserve = chain.links(v.vault()).sharedReserve();
            if (reserve.equals(Address.ZERO)) {
                throw new UserError(
                        ExitCodes.USAGE, "vault " + v.vault() + " has no shared reserve. Nothing was sent.");
            }
            List<TxSender.Sent> txs = new ArrayList<>();
            txs.add(sender.send(PortfolioCalls.setSharedReserve(v.vault(), Address.ZERO)));
            if (chain.reserveOwner(reserve).equals(sender.from())) {
                txs.add(sender.send(
                        "setLimit 0",
                        PortfolioCalls.setLimit(
                                reserve, v.vault(), v.loanToken().address(), BigInteger.ZERO)));
            }
            return new Done(
                    "unlinked vault " + v.vault() + " from shared reserve " + reserve,
                    txs,
                    details("shared-reserve unlink", v.vault(), null)
                            .with(new JsonShapes.SharedReserveExtra(reserve.hex(), null)));
        }
    }

    @Command(
            name = "withdraw",
            description = "Take loan tokens out of the owner's shared reserve (the vault's, or --reserve); 'all'"
                    + " empties it.",
            footer = {"", "Example:", "  unwind reserve shared withdraw 5000 --vault 0x8acd...41ff --dev-account 2"})
    static final class Withdraw extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT|all",
                description = "Loan tokens to withdraw, in whole tokens, or 'all'." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Option(
                names = "--reserve",
                paramLabel = "ADDRESS",
                description = "The shared reserve (default: the one the vault is linked to).")
        Address reserve;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "Who receives them (default: the owner).")
        Address to;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Address r = reserve != null ? reserve : chain.links(v.vault()).sharedReserve();
            if (r.equals(Address.ZERO)) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "vault " + v.vault() + " has no shared reserve; name one with --reserve. Nothing was sent.");
            }
            Address owner = chain.reserveOwner(r);
            if (!owner.equals(sender.from())) {
                throw new UserError(
                        ExitCodes.USAGE, r + " is owned by " + owner + "; only its owner withdraws. Nothing was sent.");
            }
            TokenAmount held =
                    v.loanToken().amount(chain.balanceOf(v.loanToken().address(), r));
            TokenAmount a = amount.isAll() ? held : amount.of(v.loanToken(), "AMOUNT");
            if (a.isZero())
                throw new UserError(ExitCodes.USAGE, "the shared reserve " + r + " is empty. Nothing was sent.");
            if (a.units().compareTo(held.units()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the shared reserve holds " + Units.amount(held) + ", less than " + Units.amount(a)
                                + ". Nothing was sent.");
            }
            Address receiver = to == null ? sender.from() : to;
            TxSender.Sent t =
                    sender.send(PortfolioCalls.withdraw(r, v.loanToken().address(), a.units(), receiver));
            return new Done(
                    "withdrew " + Units.amount(a) + " from shared reserve " + r + " to " + receiver,
                    List.of(t),
                    details("shared-reserve withdraw", v.vault(), a)
                            .with(new JsonShapes.SharedReserveExtra(r.hex(), null)));
        }
    }
}
