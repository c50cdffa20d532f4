package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.PortfolioCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.portfolio.PortfolioLinks;
import io.unwind.domain.position.VaultHealth;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code unwind vault move-peer} and {@code unwind vault move-cap}: collateral moved between two of the owner's vaults
 * instead of sold. A keeper may move collateral from a vault far from its trigger into one at its trigger when both
 * list each other, both have the owner and the collateral token, the source ends under its own trigger (checked on
 * chain) and one move takes at most the source's cap.
 */
final class VaultMoveCommand {
    private VaultMoveCommand() {}

    @Command(
            name = "move-peer",
            description = {
                "List (or, with --remove, unlist) PEER as a vault this one may move collateral to and from, on both"
                        + " vaults: both must be the signer's and hold the same collateral token.",
                "Moves out of a vault stay off until its move cap is set (unwind vault move-cap)."
            },
            footer = {"", "Example:", "  unwind vault move-peer 0x9e54...1c0d --vault 0x8acd...41ff --dev-account 2"})
    static final class Peer extends OwnerAction {
        @Parameters(paramLabel = "PEER", description = "The other vault.")
        Address peer;

        @Option(names = "--remove", description = "Unlist instead: no more moves between the two.")
        boolean remove;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (peer.equals(v.vault())) {
                throw new UserError(ExitCodes.USAGE, "a vault cannot be its own move peer. Nothing was sent.");
            }
            VaultHealth p = chain.health(peer);
            if (!remove && !p.owner().equals(v.owner())) {
                throw new UserError(
                        ExitCodes.USAGE,
                        peer + " is owned by " + p.owner() + ", not by " + v.owner()
                                + ": moves only go between one owner's vaults. Nothing was sent.");
            }
            if (!remove
                    && !p.collateralToken().address().equals(v.collateralToken().address())) {
                throw new UserError(
                        ExitCodes.USAGE,
                        peer + " holds " + p.collateralToken().symbol() + ", vault " + v.vault() + " holds "
                                + v.collateralToken().symbol()
                                + ": moves need one collateral token. Nothing was sent.");
            }
            boolean allowed = !remove;
            PortfolioLinks mine = chain.links(v.vault());
            List<TxSender.Sent> txs = new ArrayList<>();
            if (mine.movePeers().contains(peer) != allowed) {
                txs.add(sender.sendShowing(
                        PortfolioCalls.setMovePeer(v.vault(), peer, allowed), "on " + v.vault() + ", " + allowed));
            }
            PortfolioLinks theirs = chain.links(peer);
            if (p.owner().equals(sender.from()) && theirs.movePeers().contains(v.vault()) != allowed) {
                txs.add(sender.sendShowing(
                        PortfolioCalls.setMovePeer(peer, v.vault(), allowed), "on " + peer + ", " + allowed));
            }
            if (txs.isEmpty()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the two vaults " + (allowed ? "list" : "do not list") + " each other already. Nothing was"
                                + " sent.");
            }
            String caps = "";
            if (allowed && (mine.maxMoveBps() == 0 || theirs.maxMoveBps() == 0)) {
                caps = "; moves out of " + (mine.maxMoveBps() == 0 ? v.vault() : peer)
                        + " stay off until its move cap is set (unwind vault move-cap)";
            }
            return new Done(
                    (allowed ? "listed " : "unlisted ") + v.vault() + " and " + peer + " as each other's move peers"
                            + caps,
                    txs,
                    details("move-peer", v.vault(), null).with(new JsonShapes.MoveExtra(peer.hex(), allowed, null)));
        }
    }

    @Command(
            name = "move-cap",
            description = "Set the most one move may take out of the vault, as a share of its collateral (0 turns"
                    + " moves out of it off).",
            footer = {"", "Example:", "  unwind vault move-cap 10%% --vault 0x8acd...41ff --dev-account 2"})
    static final class Cap extends OwnerAction {
        @Parameters(paramLabel = "PCT", description = "A share of the vault's collateral: 10%%, 0.1, or 0 (off).")
        Converters.Bps cap;

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            if (cap.value() > 10_000) {
                throw new UserError(ExitCodes.USAGE, "a move cap is at most 100%. Nothing was sent.");
            }
            TxSender.Sent t =
                    sender.sendShowing(PortfolioCalls.setMoveCap(v.vault(), cap.value()), String.valueOf(cap.value()));
            return new Done(
                    cap.value() == 0
                            ? "turned moves out of vault " + v.vault() + " off"
                            : "one move may now take at most " + Units.percent(cap.value()) + " of vault " + v.vault()
                                    + "'s collateral",
                    List.of(t),
                    details("move-cap", v.vault(), null).with(new JsonShapes.MoveExtra(null, null, cap.value())));
        }
    }
}
