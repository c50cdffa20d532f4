package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.VaultHealth;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "reserve",
        description = {
            "Deposit or withdraw the vault's reserve (owner commands).",
            "The reserve holds loan tokens keepers may repay debt from (a top-up) before selling any collateral."
        },
        subcommands = {ReserveCommand.Deposit.class, ReserveCommand.Withdraw.class, SharedReserveCommand.class},
        footer = {
            "",
            "Examples:",
            "  unwind reserve deposit 5000 --dev-account 2",
            "  unwind reserve withdraw all --dev-account 2",
            "  unwind reserve shared create --fund 30000 --limit 20000 --dev-account 2"
        })
public final class ReserveCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "deposit",
            description =
                    "Move loan tokens from the owner into the vault's reserve (approves the exact amount first if needed).",
            footer = {
                "",
                "Example:",
                "  unwind reserve deposit 5000 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Deposit extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT",
                description = "Loan tokens to deposit, in whole tokens." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount a = amount.of(v.loanToken(), "AMOUNT");
            List<TxSender.Sent> txs = new ArrayList<>(approve(chain, sender, v.vault(), a, "the deposit"));
            txs.add(sender.send(VaultCalls.depositReserve(v.vault(), a.units())));
            return new Done(
                    "deposited " + Units.amount(a) + " into the reserve of vault " + v.vault(),
                    txs,
                    details("reserve deposit", v.vault(), a));
        }
    }

    @Command(
            name = "withdraw",
            description = "Move loan tokens out of the reserve to the owner (or --to); 'all' empties it.",
            footer = {"", "Example:", "  unwind reserve withdraw 1000 --dev-account 2 --to 0x3c44...93bc"})
    static final class Withdraw extends OwnerAction {
        @Parameters(
                paramLabel = "AMOUNT|all",
                description = "Loan tokens to withdraw, in whole tokens, or 'all'." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "Who receives them (default: the owner).")
        Address to;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            TokenAmount a = amount.isAll() ? VaultView.reserve(v) : amount.of(v.loanToken(), "AMOUNT");
            if (a.isZero())
                throw new UserError(
                        ExitCodes.USAGE, "the reserve of vault " + v.vault() + " is empty. Nothing was sent.");
            if (a.units().compareTo(v.reserve()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the reserve holds " + Units.amount(VaultView.reserve(v)) + ", less than " + Units.amount(a)
                                + ". Nothing was sent.");
            }
            Address receiver = to == null ? sender.from() : to;
            TxSender.Sent t = sender.send(VaultCalls.withdrawReserve(v.vault(), a.units(), receiver));
            return new Done(
                    "withdrew " + Units.amount(a) + " from the reserve of vault " + v.vault() + " to " + receiver,
                    List.of(t),
                    details("reserve withdraw", v.vault(), a));
        }
    }
}
