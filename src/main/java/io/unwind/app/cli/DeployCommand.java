package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.chain.deploy.UnwindContracts;
import io.unwind.chain.preset.NetworkPreset;
import io.unwind.chain.preset.NetworkPresets;
import io.unwind.chain.preset.PresetCheck;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.tx.Signer;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code unwind deploy}: Unwind's contracts on a chain, at deterministic CREATE2 addresses. A dry run by default: the
 * plan (each contract, its address, whether it is there with this build's code, the gas and the cost of what is
 * missing); {@code --yes} sends what is missing from the signer's key and checks each deployed contract's code against
 * the build. Idempotent: a second run finds everything and sends nothing. Writes the deployment file that {@code vault
 * create}, {@code status} and the keeper's config ({@code contracts.deployment}) read.
 */
@Command(
        name = "deploy",
        description = {
            "Deploy Unwind's contracts (the vault factory, the lens, and with --aave-provider the Aave vault factory) at"
                    + " deterministic CREATE2 addresses, and write the deployment file the other commands read.",
            "A dry run unless --yes: prints the plan and what it would cost. Re-running finds what is there and checks"
                    + " that its code is this build's."
        },
        footer = {
            "",
            "Examples:",
            "  unwind deploy --rpc https://eth.example --morpho 0xBBBB...FFCb --keystore deployer.json     # the plan",
            "  unwind deploy --rpc https://eth.example --morpho 0xBBBB...FFCb --keystore deployer.json --yes",
            "  unwind deploy --rpc https://base.example --network base --keystore deployer.json   # Morpho and Aave from the preset",
            "  unwind deploy --rpc http://127.0.0.1:8545 --morpho 0x... --aave-provider 0x... --dev-account 0 --yes"
        })
public final class DeployCommand implements Callable<Integer> {
    @Mixin
    ChainOptions chainOptions;

    @Mixin
    OwnerKeyOptions key;

    @Mixin
    TxOptions txOptions;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--morpho",
            paramLabel = "ADDRESS",
            description = "Morpho Blue on this chain (default: the config's contracts.morpho).")
    Address morpho;

    @Option(
            names = "--aave-provider",
            paramLabel = "ADDRESS",
            description = "Aave V3's PoolAddressesProvider on this chain: deploys the Aave vault factory too, and the"
                    + " lens reads Aave vaults.")
    Address aaveProvider;

    @Option(
            names = "--network",
            paramLabel = "NAME",
            description =
                    "A network preset (ethereum, base, arbitrum, optimism; `unwind network list`): takes --morpho"
                            + " and --aave-provider from it where they are not given, after checking the chain is that network.")
    String network;

    @Option(
            names = "--salt",
            paramLabel = "LABEL",
            defaultValue = "v1",
            description = "Names the set of addresses (default: ${DEFAULT-VALUE}); another label deploys another set.")
    String salt;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "deployment.json",
            description = "Where to write the deployment file (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--yes", description = "Send the missing deployments (without it: the plan only).")
    boolean yes;

    @Override
    public Integer call() {
        try (ChainContext chain = chainOptions.open()) {
            Optional<NetworkPreset> preset = Optional.ofNullable(network).map(n -> preset(n, chain));
            Signer signer = key.signer(chain.chainId);
            Address provider = Optional.ofNullable(this.aaveProvider)
                    .or(() -> preset.flatMap(p -> p.address(NetworkPreset.AAVE_POOL_ADDRESSES_PROVIDER)))
                    .orElse(null);
            Address morphoAddress = Optional.ofNullable(morpho)
                    .or(() -> preset.flatMap(p -> p.address(NetworkPreset.MORPHO)))
                    .or(() -> chain.configuredMorpho())
                    .orElseThrow(() -> new UserError(
                            ExitCodes.USAGE,
                            "which Morpho Blue? pass --morpho ADDRESS or --network NAME (or contracts.morpho in the"
                                    + " config)"));
            if (chain.client.code(morphoAddress).length == 0) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "no contract at " + (morpho != null ? "--morpho " : "Morpho Blue ") + morphoAddress
                                + " on chain " + chain.chainId
                                + ": check the address for this chain. Nothing was sent.");
            }
            if (!UnwindContracts.deployerPresent(chain.client)) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "the deterministic deployment proxy " + UnwindContracts.CREATE2_DEPLOYER + " is not on chain "
                                + chain.chainId + "; deploy it first (its presigned transaction is the same on every"
                                + " chain). Nothing was sent.");
            }
            Optional<Address> pool = Optional.ofNullable(provider).map(p -> {
                try {
                    return UnwindContracts.aavePool(chain.client, p);
                } catch (IllegalArgumentException e) {
                    throw new UserError(ExitCodes.USAGE, "--aave-provider: " + e.getMessage() + ". Nothing was sent.");
                }
            });
            byte[] saltBytes = UnwindContracts.salt(salt);
            List<UnwindContracts.Planned> plan =
                    UnwindContracts.plan(saltBytes, morphoAddress, pool, Optional.ofNullable(provider));
            List<UnwindContracts.Checked> checked = check(chain, signer.address(), saltBytes, plan);
            PrintWriter o = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Eip1559Fees fees = TxSender.marketFees(chain);
            if (!json.on()) printPlan(o, chain, signer.address(), checked, fees);
            List<UnwindContracts.Checked> different = checked.stream()
                    .filter(c -> c.state() == UnwindContracts.State.DIFFERENT)
                    .toList();
            if (!different.isEmpty()) {
                UnwindContracts.Checked c = different.get(0);
                throw new UserError(
                        ExitCodes.FAILED,
                        c.planned().name() + " at " + c.planned().address() + " " + c.detail()
                                + ". Deploy this build under another --salt, or use the build that made it. Nothing was"
                                + " sent.");
            }
            List<TxSender.Sent> sent = new ArrayList<>();
            if (yes) {
                TxSender sender = new TxSender(chain, signer, txOptions, err);
                for (UnwindContracts.Checked c : checked) {
                    if (c.state() != UnwindContracts.State.MISSING) continue;
                    sent.add(sender.send(
                            "deploy " + c.planned().name(),
                            UnwindContracts.CREATE2_DEPLOYER,
                            UnwindContracts.deployerInput(saltBytes, c.planned().initCode())));
                }
                checked = check(chain, signer.address(), saltBytes, plan);
                for (UnwindContracts.Checked c : checked) {
                    if (c.state() != UnwindContracts.State.VERIFIED) {
                        throw new UserError(
                                ExitCodes.FAILED,
                                "after deploying, " + c.planned().name() + " at "
                                        + c.planned().address() + ": " + c.detail());
                    }
                }
                DeploymentFile.writeUnwind(
                        out, chain.chainId, signer.address(), morphoAddress, checked, provider, pool, salt);
            }
            boolean dryRun = !yes;
            if (json.on()) {
                Json.print(
                        o,
                        new JsonShapes.Deployed(
                                chain.chainId,
                                signer.address().hex(),
                                UnwindContracts.CREATE2_DEPLOYER.hex(),
                                salt,
                                checked.stream()
                                        .map(c -> new JsonShapes.DeployedContract(
                                                c.planned().name(),
                                                c.planned().address().hex(),
                                                c.state().name().toLowerCase(java.util.Locale.ROOT),
                                                c.gas().isPresent() ? c.gas().getAsLong() : null,
                                                c.planned().args()))
                                        .toList(),
                                sent.stream().map(TxSender.Sent::json).toList(),
                                dryRun ? null : out.toString(),
                                dryRun));
            } else if (dryRun) {
                long missing = checked.stream()
                        .filter(c -> c.state() == UnwindContracts.State.MISSING)
                        .count();
                o.println(
                        missing == 0
                                ? "dry run: everything is deployed and verified; run with --yes to write " + out
                                : "dry run: nothing was sent. Run again with --yes to deploy and write " + out);
            } else {
                for (TxSender.Sent t : sent) {
                    o.printf("  %-24s tx %s  block %d  gas %,d%n", t.what(), t.hash(), t.block(), t.gasUsed());
                }
                o.println((sent.isEmpty()
                                ? "nothing to send: every contract is deployed and verified; "
                                : "deployed and" + " verified; ")
                        + "wrote " + out);
            }
            o.flush();
        }
        return ExitCodes.OK;
    }

    /** The preset {@code name}, refused unless the chain is its network. */
    private static NetworkPreset preset(String name, ChainContext chain) {
        NetworkPreset p;
        try {
            p = NetworkPresets.load(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--network: " + e.getMessage());
        }
        ChainId node = ChainId.of(chain.chainId);
        if (!node.equals(p.chainId())) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "--network: "
                            + new PresetCheck.Mismatch.WrongChain(
                                            ConfigCommand.Check.redact(chain.rpc.toString()), node, p)
                                    .message()
                            + ". Nothing was sent.");
        }
        return p;
    }

    private static List<UnwindContracts.Checked> check(
            ChainContext chain, Address from, byte[] salt, List<UnwindContracts.Planned> plan) {
        List<UnwindContracts.Checked> out = new ArrayList<>();
        for (UnwindContracts.Planned p : plan) {
            try {
                out.add(UnwindContracts.check(chain.client, from, salt, p));
            } catch (IllegalStateException e) {
                throw new UserError(ExitCodes.FAILED, p.name() + " at " + p.address() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private void printPlan(
            PrintWriter o, ChainContext chain, Address from, List<UnwindContracts.Checked> checked, Eip1559Fees fees) {
        o.println("unwind deploy on chain " + chain.chainId + " from " + from + " (CREATE2 through "
                + UnwindContracts.CREATE2_DEPLOYER + ", salt \"" + salt + "\")");
        long gas = 0;
        int missing = 0;
        for (UnwindContracts.Checked c : checked) {
            String state = switch (c.state()) {
                case MISSING ->
                    c.gas().isPresent()
                            ? String.format("to deploy, gas %,d", c.gas().getAsLong())
                            : c.detail();
                case VERIFIED -> c.detail();
                case DIFFERENT -> "OTHER CODE: " + c.detail();
            };
            o.printf("  %-17s %s  %s%n", c.planned().name(), c.planned().address(), state);
            o.printf("  %-17s (%s)%n", "", c.planned().args());
            if (c.state() == UnwindContracts.State.MISSING) {
                missing++;
                gas += c.gas().orElse(0);
            }
        }
        if (missing > 0) {
            Wei worst =
                    Wei.of(BigInteger.valueOf(gas).multiply(fees.maxFeePerGas().value()));
            o.printf(
                    "  %d to send, %,d gas: at most %s at a max fee of %s%n",
                    missing,
                    gas,
                    Units.ether(worst),
                    Units.gwei(fees.maxFeePerGas().value()));
        }
    }
}
