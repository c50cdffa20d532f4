package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.Receipt;
import io.unwind.chain.vault.MarketParams;
import io.unwind.chain.vault.VaultCalls;
import io.unwind.chain.vault.VaultEvents;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketDeployment;
import io.unwind.tx.Signer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "create",
        description = {
            "Create a vault on a Morpho Blue market through the VaultFactory, or with --protocol aave-v3 on an Aave V3 pool",
            "through the AaveVaultFactory. The market is --market-id (Morpho) or --collateral and --loan (Aave), else the",
            "deployment file's pair. The signer pays the gas and owns the vault."
        },
        footer = {
            "",
            "Examples:",
            "  unwind vault create --dev-account 2",
            "  unwind vault create --market-id 0xb323...86cc --keystore owner.json --password-file owner.pass",
            "  unwind vault create --protocol aave-v3 --dev-account 2"
        })
final class VaultCreateCommand implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Mixin
    OwnerKeyOptions key;

    @Mixin
    TxOptions txOptions;

    @Option(names = "--market-id", paramLabel = "ID", description = "The Morpho Blue market id (0x and 64 hex digits).")
    String marketId;

    @Option(
            names = "--protocol",
            paramLabel = "NAME",
            defaultValue = "morpho-blue",
            description = "morpho-blue (default) or aave-v3: an Aave V3 vault through contracts.aaveFactory.")
    String protocol;

    @Option(
            names = "--collateral",
            paramLabel = "TOKEN",
            description = "aave-v3: the collateral asset (default: the deployment file's collateral).")
    Address collateral;

    @Option(
            names = "--loan",
            paramLabel = "TOKEN",
            description =
                    "aave-v3: the asset borrowed, at the variable rate (default: the deployment file's loan token).")
    Address loan;

    @Option(
            names = "--emode",
            paramLabel = "N",
            defaultValue = "0",
            description = "aave-v3: the e-mode category (0, the default: none). Fixed for the vault's life.")
    int eMode;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            Signer signer = key.signer(chain.chainId);
            // The factory creates vaults only in the sender's name: nobody can open one in another's.
            Address vaultOwner = signer.address();
            io.unwind.domain.position.LendingProtocol p;
            try {
                p = io.unwind.domain.position.LendingProtocol.parse(protocol);
            } catch (IllegalArgumentException e) {
                throw Cli.usage(spec, "--protocol: " + e.getMessage());
            }
            if (p == io.unwind.domain.position.LendingProtocol.AAVE_V3) return createOnAave(chain, signer, vaultOwner);
            if (collateral != null || loan != null || eMode != 0)
                throw Cli.usage(spec, "--collateral, --loan and --emode are for --protocol aave-v3");
            MarketParams params = market(chain);
            List<Address> before = chain.vaultsOf(vaultOwner);
            TxSender sender =
                    new TxSender(chain, signer, txOptions, spec.commandLine().getErr());
            TxSender.Sent t = sender.send(VaultCalls.createVault(chain.factory(), params));
            Address vault = created(t.receipt(), chain.factory());
            report("vault", vault, vaultOwner, params.id(), before, t);
        }
        return ExitCodes.OK;
    }

    /** What was created, as text or JSON, and the warning an owner's second vault calls for. */
    private void report(
            String what, Address vault, Address vaultOwner, String id, List<Address> before, TxSender.Sent t) {
        if (json.on()) {
            Json.print(
                    spec.commandLine().getOut(),
                    new JsonShapes.VaultCreated(
                            vault.hex(),
                            vaultOwner.hex(),
                            id,
                            before.stream().map(Address::hex).toList(),
                            List.of(t.json())));
        } else {
            var out = spec.commandLine().getOut();
            out.println("created " + what + " " + vault + " owned by " + vaultOwner + " on market " + id);
            out.printf("  %-18s tx %s  block %d  gas %,d%n", t.what(), t.hash(), t.block(), t.gasUsed());
            out.println("next: fund it (unwind vault fund AMOUNT --vault " + vault
                    + "), borrow, set a policy, add the keeper");
            out.flush();
        }
        if (!before.isEmpty()) warnSecondVault(vaultOwner, vault, before);
    }

    /** An Aave V3 vault on the pair given (or the deployment file's), through the Aave vault factory. */
    private int createOnAave(ChainContext chain, Signer signer, Address vaultOwner) {
        if (marketId != null)
            throw Cli.usage(
                    spec,
                    "--market-id names a Morpho market: with --protocol aave-v3 use" + " --collateral and --loan");
        if (eMode < 0 || eMode > 255) throw Cli.usage(spec, "--emode: a category is 0 to 255, got " + eMode);
        Optional<MarketDeployment> d = chain.deployment;
        Address coll = collateral != null
                ? collateral
                : d.map(x -> x.collateral().address())
                        .orElseThrow(
                                () -> Cli.usage(spec, "--collateral is needed" + " (no deployment file gives one)"));
        Address debt = loan != null
                ? loan
                : d.map(x -> x.loan().address())
                        .orElseThrow(() -> Cli.usage(spec, "--loan is needed" + " (no deployment file gives one)"));
        Address factory = chain.aaveFactory();
        List<Address> before = chain.vaultsOf(vaultOwner);
        TxSender sender =
                new TxSender(chain, signer, txOptions, spec.commandLine().getErr());
        TxSender.Sent t = sender.send(VaultCalls.createAaveVault(factory, coll, debt, eMode));
        Address vault = created(t.receipt(), factory);
        report("Aave V3 vault", vault, vaultOwner, chain.health(vault).marketId(), before, t);
        return ExitCodes.OK;
    }

    /**
     * With one vault, the owner's commands find it without --vault; from the second on they cannot. Said at creation,
     * when it is news, rather than as a surprise on the next command.
     */
    private void warnSecondVault(Address vaultOwner, Address created, List<Address> before) {
        var err = spec.commandLine().getErr();
        err.println("unwind: warning: " + vaultOwner + " already owns "
                + (before.size() == 1
                        ? "vault " + before.get(0) + ","
                        : before.size() + " vaults:\n" + VaultChoice.list(before) + "\nunwind:")
                + " so from now on its commands cannot pick the vault"
                + " by owner: they need --vault ADDRESS (this new one: --vault " + created + ")");
        err.flush();
    }

    private MarketParams market(ChainContext chain) {
        if (marketId != null) {
            if (!marketId.matches("0x[0-9a-fA-F]{64}"))
                throw Cli.usage(spec, "--market-id: want 0x and 64 hex digits, got " + marketId);
            MarketParams p = chain.market(marketId);
            if (!p.exists()) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "Morpho at " + chain.morpho() + " has no market " + marketId
                                + "; check the id. Nothing was sent.");
            }
            return p;
        }
        MarketDeployment d = chain.deployment.orElseThrow(
                () -> new UserError(
                        ExitCodes.USAGE,
                        "which market? pass --market-id ID, or a deployment file (--deployment, or contracts.deployment in the config)"));
        return new MarketParams(d.loan().address(), d.collateral().address(), d.oracle(), d.irm(), d.lltv());
    }

    static Address created(Receipt r, Address factory) {
        return VaultEvents.createdVault(r, factory)
                .orElseThrow(() -> new UserError(
                        ExitCodes.FAILED,
                        "the factory's receipt " + r.txHash() + " has no VaultCreated event: is " + factory
                                + " an Unwind VaultFactory?"));
    }
}
