package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.HedgeCalls;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgePolicy;
import io.unwind.domain.hedge.HedgeState;
import io.unwind.domain.money.TokenAmount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The owner's commands on an existing hedge: its margin, its policy, and the exit. */
final class HedgeOwnerCommands {
    private HedgeOwnerCommands() {}

    @Command(
            name = "deposit",
            description = "Move loan tokens from the owner into the hedge as margin (approves the exact amount first"
                    + " if needed).",
            footer = {"", "Example:", "  unwind hedge deposit 5000 --hedge 0x5fbd...0aa3 --dev-account 2"})
    static final class Deposit extends HedgeAction {
        @Parameters(
                paramLabel = "AMOUNT",
                description = "Loan tokens to deposit, in whole tokens." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Override
        Done act(ChainContext chain, TxSender sender, HedgeView h) {
            TokenAmount a = amount.of(h.loan(), "AMOUNT");
            List<TxSender.Sent> txs = new ArrayList<>(OwnerAction.approve(chain, sender, hedge, a, "the deposit"));
            txs.add(sender.send(HedgeCalls.deposit(hedge, a.units())));
            return new Done("deposited " + Units.amount(a) + " into hedge " + hedge, txs, "hedge deposit", a);
        }
    }

    @Command(
            name = "withdraw",
            description = {
                "Move margin out of the hedge to the owner (or --to); 'all' takes all of it.",
                "While a short is open Morpho keeps the margin it needs (at the reverse market's LLTV): close first."
            },
            footer = {"", "Example:", "  unwind hedge withdraw all --hedge 0x5fbd...0aa3 --dev-account 2"})
    static final class Withdraw extends HedgeAction {
        @Parameters(
                paramLabel = "AMOUNT|all",
                description = "Loan tokens to withdraw, in whole tokens, or 'all'." + Units.AMOUNT_SYNTAX)
        AmountText amount;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "Who receives them (default: the owner).")
        Address to;

        @Override
        Done act(ChainContext chain, TxSender sender, HedgeView h) {
            HedgeState s = h.state();
            TokenAmount margin = h.loan().amount(s.margin());
            if (margin.isZero())
                throw new UserError(ExitCodes.USAGE, "hedge " + hedge + " holds no margin. Nothing was sent.");
            TokenAmount free =
                    h.loan().amount(s.margin().subtract(h.marginNeeded()).max(BigInteger.ZERO));
            TokenAmount a = amount.isAll() ? margin : amount.of(h.loan(), "AMOUNT");
            if (a.units().compareTo(margin.units()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the hedge holds " + Units.amount(margin) + " of margin, less than " + Units.amount(a)
                                + ". Nothing was sent.");
            }
            if (a.units().compareTo(free.units()) > 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the hedge's short of " + Units.amount(h.asset().amount(s.shorted()))
                                + " needs its margin: at most " + Units.amount(free)
                                + " can be withdrawn now. Close the short first (`unwind hedge close --hedge " + hedge
                                + "`). Nothing was sent.");
            }
            Address receiver = to == null ? sender.from() : to;
            TxSender.Sent t = sender.send(HedgeCalls.withdraw(hedge, a.units(), receiver));
            return new Done(
                    "withdrew " + Units.amount(a) + " of margin from hedge " + hedge + " to " + receiver,
                    List.of(t),
                    "hedge withdraw",
                    a);
        }
    }

    @Command(
            name = "policy",
            description = {
                "Change the hedge's policy: the fields given, the others kept.",
                "Checked before anything is sent, as the hedge checks it: target > 0 and under trigger, trigger under",
                "the reverse market's LLTV, slippage at most 10%%, fee at most 1%%, cooldown at most 1 day."
            },
            footer = {
                "",
                "Example:",
                "  unwind hedge policy --hedge 0x5fbd...0aa3 --trigger 80%% --max-ratio 40%% --dev-account 2"
            })
    static final class PolicySet extends HedgeAction {
        @Mixin
        HedgePolicyOptions policy;

        @Override
        Done act(ChainContext chain, TxSender sender, HedgeView h) {
            if (!policy.anyGiven()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "nothing to change: give --max-ratio, --open, --trigger, --target, --max-slippage, --max-fee"
                                + " or --cooldown");
            }
            HedgeState s = h.state();
            HedgePolicy p = policy.over(s.policy(), s.liquidationLtvWad());
            if (p.equals(s.policy()))
                throw new UserError(ExitCodes.USAGE, "the hedge has this policy already. Nothing was sent.");
            io.unwind.domain.hedge.HedgePolicyRules.warnings(p, s.liquidationLtvWad())
                    .forEach(w -> err().println("unwind: warning: " + w));
            TxSender.Sent t = sender.send(HedgeCalls.setPolicy(hedge, p));
            return new Done(
                    "set the policy of hedge " + hedge + ": " + HedgePolicyOptions.describe(p),
                    List.of(t),
                    "hedge policy",
                    null);
        }
    }

    @Command(
            name = "close",
            description = {
                "The owner's exit: repay the short with the vault's collateral token from the owner's wallet (no",
                "swap; approves first), then withdraw all the margin to the owner."
            },
            footer = {"", "Example:", "  unwind hedge close --hedge 0x5fbd...0aa3 --dev-account 2"})
    static final class Close extends HedgeAction {
        /**
         * What the repayment approves over the short read now, in parts per 10,000: the short accrues interest until
         * the transaction is mined, and the hedge takes only the debt it then finds.
         */
        private static final BigInteger INTEREST_ROOM_BPS = BigInteger.valueOf(10);

        @Override
        Done act(ChainContext chain, TxSender sender, HedgeView h) {
            HedgeState s = h.state();
            if (!s.hasShort() && s.margin().signum() == 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "hedge " + hedge + " has no short and no margin: nothing to close. Nothing" + " was sent.");
            }
            List<TxSender.Sent> txs = new ArrayList<>();
            TokenAmount repaid = null;
            if (s.hasShort()) {
                BigInteger room = s.shorted().multiply(INTEREST_ROOM_BPS).divide(BigInteger.valueOf(10_000));
                BigInteger wanted = s.shorted().add(room).add(BigInteger.ONE);
                BigInteger balance = chain.balanceOf(h.asset().address(), sender.from());
                if (balance.compareTo(wanted) < 0) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            "closing repays the short of "
                                    + Units.amount(h.asset().amount(s.shorted()))
                                    + " (and its interest until mined) with the owner's own "
                                    + h.asset().symbol() + ", but " + sender.from() + " holds "
                                    + Units.amount(h.asset().amount(balance)) + ": get at least "
                                    + Units.amount(h.asset().amount(wanted.subtract(balance))) + " more "
                                    + h.asset().symbol() + " first. Nothing was sent.");
                }
                // The whole debt as it is when mined (the hedge takes exactly that), within what is approved: the
                // short read now and the interest room.
                repaid = h.asset().amount(wanted);
                txs.addAll(OwnerAction.approve(chain, sender, hedge, repaid, "repaying the short"));
                txs.add(sender.send(HedgeCalls.repayWithAsset(hedge, VaultCalls.ALL)));
            }
            if (s.margin().signum() > 0)
                txs.add(sender.send(HedgeCalls.withdraw(hedge, VaultCalls.ALL, sender.from())));
            String summary = "closed hedge " + hedge + ": "
                    + (s.hasShort()
                            ? "repaid its short of " + Units.amount(h.asset().amount(s.shorted())) + ", "
                            : "")
                    + (s.margin().signum() > 0
                            ? "withdrew its " + Units.amount(h.loan().amount(s.margin())) + " of margin to "
                                    + sender.from()
                            : "no margin to withdraw");
            return new Done(summary, txs, "hedge close", h.loan().amount(s.margin()));
        }
    }
}
