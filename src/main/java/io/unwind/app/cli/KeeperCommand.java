package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "keeper",
        description = {
            "Allow or remove a keeper on a vault (owner commands).",
            "A keeper can only deleverage or top up, inside the policy the vault enforces."
        },
        subcommands = {KeeperCommand.ListKeepers.class, KeeperCommand.Add.class, KeeperCommand.Remove.class},
        footer = {
            "",
            "Examples:",
            "  unwind keeper list --vault 0x8acd...41ff",
            "  unwind keeper add --dev-account 2                 # the keeper of the config (UNWIND_CONFIG)",
            "  unwind keeper add 0x90f7...b906 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass",
            "  unwind keeper remove 0x90f7...b906 --dev-account 2"
        })
public final class KeeperCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "list",
            description = {
                "The keepers the vault allows, as the vault lists them on chain (at most 16).",
                "Without --vault: the owner's only vault (--owner, or the key options the owner's commands take), else the config's only vault."
            },
            footer = {
                "",
                "Examples:",
                "  unwind keeper list --vault 0x8acd...41ff",
                "  unwind keeper list --dev-account 2 --json"
            })
    static final class ListKeepers implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Mixin
        ChainOptions chainOptions;

        @picocli.CommandLine.Mixin
        ShownVault shown;

        @picocli.CommandLine.Mixin
        JsonOutput json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (ChainContext chain = chainOptions.open()) {
                Address vault = shown.resolve(chain, spec.commandLine().getErr());
                chain.health(vault); // an address that is not a vault is refused with its reason
                List<Address> keepers = chain.keepers(vault);
                var out = spec.commandLine().getOut();
                if (json.on()) {
                    Json.print(
                            out,
                            new JsonShapes.KeepersListed(
                                    vault.hex(),
                                    keepers.stream().map(Address::hex).toList()));
                    return ExitCodes.OK;
                }
                var configured = chain.keeper();
                out.println(
                        keepers.isEmpty()
                                ? "vault " + vault + " allows no keeper (unwind keeper add)"
                                : "keepers of vault " + vault + ":");
                for (Address k : keepers)
                    out.println(
                            "  " + k + (configured.filter(k::equals).isPresent() ? "  (this config's keeper)" : ""));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    abstract static class SetKeeper extends OwnerAction {
        @Parameters(
                paramLabel = "KEEPER",
                arity = "0..1",
                description = "The keeper's address (default: the keeper in the config).")
        Address keeper;

        abstract boolean allow();

        @Override
        Done act(ChainContext chain, TxSender sender, VaultHealth v) {
            Address k = keeper != null
                    ? keeper
                    : chain.keeper()
                            .orElseThrow(() -> new UserError(
                                    ExitCodes.USAGE,
                                    "which keeper? give its address, or --config with the keeper's key"));
            boolean now = chain.isKeeper(v.vault(), k);
            if (now == allow()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        k + (allow() ? " is already a keeper of " : " is not a keeper of ") + v.vault()
                                + ". Nothing was sent.");
            }
            if (allow() && !v.policy().isSet()) {
                err().println(
                                "unwind: warning: the vault has no policy yet; the keeper cannot act until one is set (unwind policy set)");
            }
            TxSender.Sent t = sender.sendShowing(VaultCalls.setKeeper(v.vault(), k, allow()), String.valueOf(allow()));
            var d = details(allow() ? "keeper add" : "keeper remove", v.vault(), null)
                    .with(new JsonShapes.KeeperExtra(k.hex()));
            return new Done(
                    (allow() ? "allowed keeper " : "removed keeper ")
                            + k
                            + (allow() ? " on vault " : " from vault ")
                            + v.vault(),
                    List.of(t),
                    d);
        }
    }

    @Command(
            name = "add",
            description = "Allow a keeper to act on the vault.",
            footer = {"", "Example:", "  unwind keeper add 0x90f7...b906 --dev-account 2"})
    static final class Add extends SetKeeper {
        @Override
        boolean allow() {
            return true;
        }
    }

    @Command(
            name = "remove",
            description =
                    "Stop a keeper from acting on the vault (do this first when a keeper key may be compromised).",
            footer = {
                "",
                "Example:",
                "  unwind keeper remove 0x90f7...b906 --vault 0x8acd...41ff --keystore owner.json --password-file owner.pass"
            })
    static final class Remove extends SetKeeper {
        @Override
        boolean allow() {
            return false;
        }
    }
}
