package io.unwind.app.cli;

import io.unwind.app.Wiring;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.app.config.UnwindConfig;
import io.unwind.chain.Web3jChainClient;
import io.unwind.chain.vault.ContractReverted;
import io.unwind.chain.vault.MarketParams;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultLensReader;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.MarketDeployment;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A command's view of the chain: the client, the chain id, the Unwind contracts, and reads of vaults through the lens.
 * Built from {@link ChainOptions}; every missing piece is reported with the option or setting that supplies it.
 */
final class ChainContext implements AutoCloseable {
    private static final int LIST_CHUNK = 500;

    final Optional<UnwindConfig> config;
    final Optional<MarketDeployment> deployment;
    final long chainId;
    final URI rpc;
    final Web3jChainClient client;
    final TokenCatalog tokens;
    private final VaultReads reads;
    private final Optional<Address> morpho;
    private final Optional<Address> lens;
    private final Optional<Address> factory;
    /** The Aave vault factory (deployment file's aaveVaultFactory, else contracts.aaveFactory), if any. */
    private final Optional<Address> aaveFactory;
    /** The deployment file, when one was given. */
    private final Optional<java.nio.file.Path> deploymentFile;

    private final Optional<Address> swapRouter;
    private final Optional<Address> swapRouter02;
    private final Optional<Address> v2Router;

    private ChainContext(
            Optional<UnwindConfig> config,
            Optional<MarketDeployment> deployment,
            Optional<java.nio.file.Path> deploymentFile,
            long chainId,
            URI rpc,
            Web3jChainClient client) {
        this.deploymentFile = deploymentFile;
        this.config = config;
        this.deployment = deployment;
        this.chainId = chainId;
        this.rpc = rpc;
        this.client = client;
        this.tokens = new TokenCatalog(client);
        this.reads = new VaultReads(client);
        var c = config.map(UnwindConfig::contracts);
        this.morpho = deployment.map(MarketDeployment::morpho).or(() -> c.map(UnwindConfig.Contracts::morpho));
        this.lens = deployment.map(MarketDeployment::vaultLens).or(() -> c.map(UnwindConfig.Contracts::lens));
        this.factory =
                deployment.map(MarketDeployment::vaultFactory).or(() -> c.flatMap(UnwindConfig.Contracts::factory));
        this.aaveFactory = deploymentFile
                .flatMap(DeploymentFile::readAaveFactory)
                .or(() -> c.flatMap(UnwindConfig.Contracts::aaveFactory));
        this.swapRouter = deployment
                .map(MarketDeployment::swapRouter)
                .or(() -> c.flatMap(UnwindConfig.Contracts::uniswapV3Router));
        this.swapRouter02 = deployment
                .map(MarketDeployment::swapRouter02)
                .or(() -> c.flatMap(UnwindConfig.Contracts::uniswapV3Router02));
        this.v2Router = deployment
                .map(MarketDeployment::uniswapV2Router)
                .or(() -> c.flatMap(UnwindConfig.Contracts::uniswapV2Router));
    }

    static ChainContext open(ChainOptions o) {
        Optional<UnwindConfig> config = o.loadConfig();
        Optional<java.nio.file.Path> deploymentFile = Optional.ofNullable(o.deployment)
                .or(() -> config.flatMap(c -> c.contracts().deployment()));
        Optional<MarketDeployment> deployment = deploymentFile.map(DeploymentFile::read);
        URI rpc = o.rpc != null
                ? o.rpc
                : config.map(c -> c.chain().endpoints().get(0).url())
                        .orElseThrow(() -> new UserError(
                                ExitCodes.USAGE,
                                "no chain to talk to: pass --config FILE (the one `unwind devnet` printed, or set UNWIND_CONFIG), "
                                        + "or --rpc URL"));
        long chainId = config.map(c -> c.chain().id()).orElseGet(() -> chainIdOf(rpc));
        // With a config, the chain client the keeper itself would build (its endpoints, timeout, attempts, breakers);
        // with --rpc alone, that one endpoint, patient enough for a public node.
        Web3jChainClient client = o.rpc != null || config.isEmpty()
                ? new Web3jChainClient(
                        chainId,
                        List.of(new Web3jChainClient.EndpointConfig("rpc", rpc)),
                        Duration.ofSeconds(15),
                        2,
                        Web3jChainClient.breakers())
                : Wiring.chainClient(config.get().chain());
        for (var e : client.endpoints()) client.verify(e);
        var usable = client.endpoints().stream()
                .filter(e -> e.status() == io.unwind.chain.RpcEndpoint.Status.ALIVE)
                .findAny();
        if (usable.isEmpty()) {
            var e = client.endpoints().get(0);
            client.close();
            throw new UserError(
                    ExitCodes.FAILED,
                    "cannot use " + e.url() + ": " + e.status()
                            + (e.statusDetail().isEmpty() ? "" : " (" + e.statusDetail() + ")")
                            + ". Check that the node is running and on chain " + chainId + ".");
        }
        return new ChainContext(config, deployment, deploymentFile, chainId, rpc, client);
    }

    private static long chainIdOf(URI rpc) {
        try {
            return Web3jChainClient.chainIdAt(rpc);
        } catch (IOException | RuntimeException e) {
            throw new UserError(
                    ExitCodes.FAILED,
                    "cannot reach " + rpc + " (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "). Check the URL and that the node is running.");
        }
    }

    private static UserError missing(String what, String setting) {
        return new UserError(
                ExitCodes.USAGE,
                "no " + what + " address: set " + setting
                        + " in the config (or contracts.deployment), or pass --deployment FILE");
    }

    /** Morpho as the deployment file or the config names it, if either does. */
    Optional<Address> configuredMorpho() {
        return morpho;
    }

    Address morpho() {
        return morpho.orElseThrow(() -> missing("Morpho Blue", "contracts.morpho"));
    }

    Address lens() {
        return lens.orElseThrow(() -> missing("VaultLens", "contracts.lens"));
    }

    Address factory() {
        return factory.orElseThrow(() -> missing("VaultFactory", "contracts.factory"));
    }

    Address aaveFactory() {
        return aaveFactory.orElseThrow(() -> missing("AaveVaultFactory", "contracts.aaveFactory"));
    }

    /** The Aave V3 deployment of the deployment file (the devnet's), if it has one. */
    Optional<io.unwind.local.AaveDeployment> aaveDeployment() {
        return deploymentFile.flatMap(DeploymentFile::readAave);
    }

    /** Where {@code unwind devnet --fork} made the market's oracle settable, if this is such a fork's deployment. */
    Optional<DeploymentFile.Fork> fork() {
        return deploymentFile.flatMap(DeploymentFile::readFork);
    }

    /** Every factory whose vaults the CLI lists: Morpho's (when known), then Aave's (when known). */
    private List<Address> factories() {
        List<Address> out = new ArrayList<>();
        factory.ifPresent(out::add);
        aaveFactory.ifPresent(out::add);
        if (out.isEmpty()) factory(); // says which setting is missing
        return out;
    }

    Optional<Address> swapRouter() {
        return swapRouter;
    }

    Optional<Address> swapRouter02() {
        return swapRouter02;
    }

    Optional<Address> v2Router() {
        return v2Router;
    }

    /** The keeper the config signs with (its keystore's stated address, read without unlocking), or none. */
    Optional<Address> keeper() {
        return config.flatMap(Keys::address);
    }

    BlockRef head() {
        return client.latestBlock();
    }

    VaultLensReader lensReader() {
        return new VaultLensReader(client, lens(), keeper().orElse(Address.ZERO), tokens, 200);
    }

    /** One vault's health at the latest block; refuses an address that is not a vault the lens can read. */
    VaultHealth health(Address vault) {
        var scan = lensReader().read(List.of(vault), head());
        if (scan.vaults().isEmpty()) {
            String why = scan.unreadable().isEmpty()
                    ? "no answer"
                    : scan.unreadable().get(0).reason();
            throw new UserError(
                    ExitCodes.USAGE,
                    vault + " is not an Unwind vault on chain " + chainId + " (" + why
                            + "); check the address (`unwind status` lists the vaults)");
        }
        return scan.vaults().get(0);
    }

    /** The vaults to look at when none are named: the config's list, else every vault of the factory. */
    List<Address> watchedVaults() {
        if (config.isPresent() && !config.get().vaults().isEmpty())
            return config.get().vaults();
        return factoryVaults();
    }

    List<Address> factoryVaults() {
        List<Address> out = new ArrayList<>();
        for (Address f : factories()) {
            long count = view(() -> reads.vaultCount(f, Optional.empty()));
            for (long start = 0; start < count; start += LIST_CHUNK) {
                long from = start;
                out.addAll(view(() -> reads.vaults(f, from, LIST_CHUNK, Optional.empty())));
            }
        }
        return out;
    }

    /** The owner's vaults on every factory (Morpho's, then Aave's). */
    List<Address> vaultsOf(Address owner) {
        List<Address> out = new ArrayList<>();
        for (Address f : factories()) out.addAll(view(() -> reads.vaultsOf(f, owner)));
        return out;
    }

    boolean isKeeper(Address vault, Address keeper) {
        return view(() -> reads.isKeeper(vault, keeper));
    }

    boolean routeAllowed(Address vault, Address router, byte[] selector) {
        return view(() -> reads.isRouteAllowed(vault, router, selector));
    }

    List<Address> keepers(Address vault) {
        return view(() -> reads.keepers(vault));
    }

    List<VaultReads.AllowedRoute> routes(Address vault) {
        return view(() -> reads.routes(vault));
    }

    Address pendingOwner(Address vault) {
        return view(() -> reads.pendingOwner(vault));
    }

    BigInteger balanceOf(Address token, Address holder) {
        return view(() -> reads.balanceOf(token, holder));
    }

    BigInteger allowance(Address token, Address owner, Address spender) {
        return view(() -> reads.allowance(token, owner, spender));
    }

    /** The vault's portfolio settings: shared reserve, move cap, move peers. */
    io.unwind.domain.portfolio.PortfolioLinks links(Address vault) {
        return view(() -> new io.unwind.domain.portfolio.PortfolioLinks(
                reads.sharedReserve(vault), reads.maxMoveBps(vault), java.util.Set.copyOf(reads.movePeers(vault))));
    }

    /** What a top-up of the vault can spend now: its reserve plus what its shared reserve would give it. */
    BigInteger topUpAvailable(Address vault) {
        return view(() -> reads.topUpAvailable(vault, Optional.empty()));
    }

    /** A shared reserve's owner; refuses an address that is not one. */
    Address reserveOwner(Address reserve) {
        return view(() -> reads.reserveOwner(reserve));
    }

    /** What {@code vault} may still draw of {@code token} from {@code reserve}. */
    BigInteger sharedLimit(Address reserve, Address vault, Address token) {
        return view(() -> reads.sharedLimit(reserve, vault, token));
    }

    /** Morpho's parameters of market {@code marketId} (0x and 64 hex digits). */
    MarketParams market(String marketId) {
        return view(() -> reads.marketParams(morpho(), marketId));
    }

    /** A view at the latest block; a revert is reported as the contract's reason. */
    private <T> T view(Supplier<T> read) {
        try {
            return read.get();
        } catch (ContractReverted r) {
            throw new UserError(
                    ExitCodes.FAILED,
                    r.function() + " on " + r.contract() + " reverted: " + Reverts.explain(r.data())
                            + " (is it the right contract on chain " + chainId + "?)");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
