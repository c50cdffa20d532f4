package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.ContractCall;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.domain.position.VaultHealth;
import io.unwind.tx.Signer;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command the vault's owner signs: finds the chain and the vault, checks the signer owns it, runs the action's
 * transactions (each simulated first, and none sent if a check fails), then prints what changed.
 */
abstract class OwnerAction implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Mixin
    OwnerKeyOptions key;

    @Mixin
    TxOptions txOptions;

    @Option(
            names = "--vault",
            paramLabel = "ADDRESS",
            description = "The vault (default: the signer's only vault on the factory, if it has exactly one).")
    Address vaultText;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    /** What the action did: its transactions and a sentence for people. */
    record Done(String summary, List<TxSender.Sent> txs, Details details) {}

    /** The fields an action's --json answer starts with: the action, the vault, the amount (if any), then extras. */
    record Details(String action, Address vault, TokenAmount amount, Object extra) {
        Details with(Object extra) {
            return new Details(action, vault, amount, extra);
        }
    }

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            Signer signer = key.signer(chain.chainId);
            Address vault = vault(chain, signer.address());
            VaultHealth before = chain.health(vault);
            checkSigner(chain, before, signer.address());
            TxSender sender = new TxSender(chain, signer, txOptions, err());
            Done done = act(chain, sender, before);
            VaultHealth after = chain.health(vault);
            print(done, after);
        }
        return ExitCodes.OK;
    }

    abstract Done act(ChainContext chain, TxSender sender, VaultHealth vault);

    /** Refuses a signer who may not act on the vault: the owner's commands need its owner. */
    void checkSigner(ChainContext chain, VaultHealth v, Address signer) {
        if (!v.owner().equals(signer)) {
            throw new UserError(
                    ExitCodes.USAGE,
                    signer + " is not the owner of vault " + v.vault() + " (its owner is " + v.owner()
                            + "); sign with the owner's key. Nothing was sent.");
        }
    }

    Address vault(ChainContext chain, Address signer) {
        return VaultChoice.resolve(
                chain, Optional.ofNullable(vaultText), Optional.of(signer), "--vault ADDRESS", err());
    }

    private void print(Done done, VaultHealth after) {
        PrintWriter out = out();
        if (json.on()) {
            Details d = done.details();
            Json.print(
                    out,
                    new JsonShapes.OwnerAnswer(
                            d.action(),
                            d.vault().hex(),
                            d.amount() == null ? null : Units.json(d.amount()),
                            d.extra(),
                            done.txs().stream().map(TxSender.Sent::json).toList(),
                            VaultView.json(after, Instant.now())));
            return;
        }
        out.println(done.summary());
        for (TxSender.Sent t : done.txs()) {
            out.printf("  %-18s tx %s  block %d  gas %,d%n", t.what(), t.hash(), t.block(), t.gasUsed());
        }
        out.printf(
                "  vault now: collateral %s, debt %s, reserve %s, LTV %s (trigger %s, LLTV %s)%n",
                Units.amount(VaultView.collateral(after)),
                Units.amount(VaultView.debt(after)),
                Units.amount(VaultView.reserve(after)),
                VaultView.ltv(after),
                after.policy().isSet() ? Units.percent(after.policy().triggerLtvBps()) : "not set",
                Units.percent(after.lltv()));
        out.flush();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Makes sure the vault may pull {@code amount} of the token from the signer: balance checked, exact approval sent
     * if short.
     */
    static List<TxSender.Sent> approve(
            ChainContext chain, TxSender sender, Address vault, TokenAmount amount, String what) {
        Address token = amount.token().address();
        BigInteger balance = chain.balanceOf(token, sender.from());
        if (balance.compareTo(amount.units()) < 0) {
            throw new UserError(
                    ExitCodes.USAGE,
                    what + " needs " + Units.amount(amount) + " but " + sender.from() + " holds "
                            + Units.amount(amount.token().amount(balance)) + ". Nothing was sent.");
        }
        BigInteger allowance = chain.allowance(token, sender.from(), vault);
        if (allowance.compareTo(amount.units()) >= 0) return List.of();
        ContractCall approve = VaultCalls.approve(token, vault, amount.units());
        return List.of(sender.send(approve.function() + " " + amount.token().symbol(), approve));
    }

    static Details details(String action, Address vault, TokenAmount amount) {
        return new Details(action, vault, amount, null);
    }

    static String txWord(List<TxSender.Sent> txs) {
        return txs.size() == 1 ? "1 transaction" : txs.size() + " transactions";
    }
}
