package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.TokenAmount;
import io.unwind.tx.Signer;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command the owner of a hedge signs (the hedge belongs to its vault's owner): reads the hedge and its vault, checks
 * the signer owns them, runs the action's transactions (each simulated first, none sent if a check fails), then prints
 * the hedge as it is after them. The hedge's counterpart of {@link OwnerAction}.
 */
abstract class HedgeAction implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Mixin
    OwnerKeyOptions key;

    @Mixin
    TxOptions txOptions;

    @Option(
            names = "--hedge",
            paramLabel = "ADDRESS",
            required = true,
            description = "The hedge (the address `unwind hedge create` printed).")
    Address hedge;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    /** What the action did: a sentence for people, its transactions, its name and amount for --json. */
    record Done(String summary, List<TxSender.Sent> txs, String action, TokenAmount amount) {}

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            Signer signer = key.signer(chain.chainId);
            HedgeView before = HedgeView.read(chain, hedge);
            Address owner = before.vault().owner();
            if (!owner.equals(signer.address())) {
                throw new UserError(
                        ExitCodes.USAGE,
                        signer.address() + " is not the owner of hedge " + hedge + " (it belongs to the owner of vault "
                                + before.state().vault() + ", " + owner + "); sign with the owner's key. Nothing"
                                + " was sent.");
            }
            TxSender sender = new TxSender(chain, signer, txOptions, err());
            Done done = act(chain, sender, before);
            print(done, HedgeView.read(chain, hedge));
        }
        return ExitCodes.OK;
    }

    abstract Done act(ChainContext chain, TxSender sender, HedgeView h);

    private void print(Done done, HedgeView after) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.on()) {
            Json.print(
                    out,
                    new JsonShapes.HedgeAnswer(
                            done.action(),
                            hedge.hex(),
                            after.state().vault().hex(),
                            done.amount() == null ? null : Units.json(done.amount()),
                            done.txs().stream().map(TxSender.Sent::json).toList(),
                            after.json()));
            return;
        }
        out.println(done.summary());
        for (TxSender.Sent t : done.txs()) {
            out.printf("  %-18s tx %s  block %d  gas %,d%n", t.what(), t.hash(), t.block(), t.gasUsed());
        }
        after.print(out);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
