package io.unwind.app.cli;

import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import io.unwind.local.DevWallet;
import io.unwind.local.ForkRehearsal;
import io.unwind.local.LocalChain;
import io.unwind.local.LocalMarket;
import io.unwind.local.MarketDeployment;
import io.unwind.local.MarketSpec;
import io.unwind.local.PriceMover;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "devnet",
        description = {
            "Start a local chain with a market, funded accounts and a ready config.",
            "anvil with real markets deployed (Morpho Blue and Aave V3 on WETH/USDC, Uniswap V3 and V2, a settable price feed), test accounts",
            "funded with WETH and USDC, and a keeper config and deployment.json in --dir: the place to try every other command.",
            "Stays up until Ctrl-C; the chain lives in memory and is gone after."
        },
        subcommands = DevnetCommand.Price.class,
        footer = {
            "",
            "Accounts are anvil's public development keys (never use them on a real chain): 0 deploys and owns the price",
            "feed, 1 lends in Morpho, 2 is the vault owner (--dev-account 2), 3 the keeper the config signs with, 4-8 spare owners, 9 moves prices.",
            "",
            "Examples:",
            "  unwind devnet                      # then, in another terminal: export UNWIND_CONFIG=$PWD/devnet/unwind.yaml",
            "  unwind devnet --dir /tmp/dn --block-time 2 --price 2000",
            "  unwind devnet price 2500          # move the price (feed and pools)"
        })
public final class DevnetCommand implements Callable<Integer> {
    static final int OWNER = 2;
    static final int KEEPER = 3;
    static final List<Integer> FUNDED = List.of(2, 4, 5, 6, 7, 8);
    static final BigDecimal FUND_WETH = new BigDecimal("100");
    static final BigDecimal FUND_USDC = new BigDecimal("500000");

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "devnet",
            description = "Where to write unwind.yaml and deployment.json (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
            names = "--block-time",
            paramLabel = "SECONDS",
            defaultValue = "1",
            description = "A block every this many seconds (default: ${DEFAULT-VALUE}).")
    int blockTime;

    @Option(
            names = "--price",
            paramLabel = "USDC",
            defaultValue = "3000",
            description = "The starting WETH price (default: ${DEFAULT-VALUE}).")
    BigDecimal price;

    @Option(
            names = "--http-port",
            paramLabel = "PORT",
            defaultValue = "9464",
            description = "The port the config gives the keeper's status page and metrics (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--fork",
            paramLabel = "URL",
            description = {
                "Rehearse on a fork of the chain at URL instead: Unwind's contracts deployed there, a vault opened on one of its Morpho",
                "markets (--morpho, --market) with its real collateral token, and that market's oracle made movable by `devnet price`.",
                "The pools, their liquidity and the market's lenders stay the chain's own. The URL is never written or printed in full."
            })
    URI fork;

    @Option(
            names = "--block",
            paramLabel = "N",
            description = "With --fork: fork at this block (default: the chain's head).")
    Long forkBlock;

    @Option(
            names = "--morpho",
            paramLabel = "ADDRESS",
            description =
                    "With --fork: the chain's Morpho Blue (default on a chain with a network preset: the preset's).")
    Address forkMorpho;

    @Option(
            names = "--market",
            paramLabel = "ID",
            description = "With --fork: the Morpho market (its 32-byte id) to open the vault on.")
    String forkMarket;

    @Option(
            names = "--uniswap-v3-router",
            paramLabel = "ADDRESS",
            description =
                    "With --fork: the chain's original Uniswap V3 SwapRouter (exactInputSingle), for the keeper's sales.")
    Address forkV3Router;

    @Option(
            names = "--uniswap-v3-router02",
            paramLabel = "ADDRESS",
            description = {
                "With --fork: the chain's Uniswap SwapRouter02 (the V3 router of Base and most L2s; a network preset's",
                "uniswapV3SwapRouter02), for the keeper's sales. The vault allows it where --uniswap-v3-router is not given."
            })
    Address forkV3Router02;

    @Option(
            names = "--uniswap-v3-quoter",
            paramLabel = "ADDRESS",
            description = "With --fork: the chain's Uniswap V3 QuoterV2, to price sales on the V3 pools.")
    Address forkV3Quoter;

    @Option(
            names = "--uniswap-v2-router",
            paramLabel = "ADDRESS",
            description =
                    "With --fork: the chain's Uniswap V2 router, for the keeper's sales (default: the network preset's).")
    Address forkV2Router;

    @Option(
            names = "--wrapped-native",
            paramLabel = "ADDRESS",
            description =
                    "With --fork: the chain's wrapped native token (WETH), which prices the keeper's gas (default: the network preset's).")
    Address forkWrappedNative;

    @Option(
            names = "--collateral",
            paramLabel = "AMOUNT",
            defaultValue = "10",
            description =
                    "With --fork: the vault's collateral, in whole tokens of the market's collateral (default: ${DEFAULT-VALUE}).")
    BigDecimal forkCollateral;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (blockTime < 1) throw Cli.usage(spec, "--block-time must be at least 1 second");
        if (price.signum() <= 0) throw Cli.usage(spec, "--price must be more than 0");
        if (fork == null) {
            for (Object o : new Object[] {
                forkBlock, forkMorpho, forkMarket, forkV3Router, forkV3Router02, forkV3Quoter, forkV2Router
            })
                if (o != null)
                    throw Cli.usage(spec, "--block, --morpho, --market and the router options go with --fork URL");
        } else {
            if (forkMarket == null) throw Cli.usage(spec, "--fork needs --market ID: the Morpho market to rehearse on");
            if (!forkMarket.matches("0x[0-9a-fA-F]{64}"))
                throw Cli.usage(spec, "--market takes a Morpho market id: 0x and 64 hex digits, not " + forkMarket);
            if (forkCollateral.signum() <= 0) throw Cli.usage(spec, "--collateral must be more than 0");
            if ((forkV3Router == null && forkV3Router02 == null) != (forkV3Quoter == null))
                throw Cli.usage(
                        spec,
                        "--uniswap-v3-quoter goes with --uniswap-v3-router or --uniswap-v3-router02: one prices, the other"
                                + " sells");
        }
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dir);
        clearOldJournal(out);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "unwind-devnet-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (fork != null) rehearse(out, stop);
            else local(out, stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
        out.println("devnet stopped");
        out.flush();
        return ExitCodes.OK;
    }

    /** The local devnet: a fresh chain with the markets deployed, up until Ctrl-C. */
    private void local(PrintWriter out, CountDownLatch stop) throws Exception {
        try (LocalChain chain = LocalChain.start()) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            try {
                MarketDeployment morpho = LocalMarket.deploy(
                        web3j, chain.chainId(), MarketSpec.wethUsdc().withPrice(price));
                // Aave V3 beside Morpho on the same WETH and USDC, with Unwind's Aave vault factory and a lens that
                // reads the vaults of both.
                io.unwind.local.AaveDeployment aave = io.unwind.local.LocalAave.deploy(web3j, morpho);
                var onAave = io.unwind.local.LocalAave.deployUnwind(web3j, morpho, aave);
                MarketDeployment m = morpho.withVaultLens(onAave.vaultLens());
                fund(web3j, chain.chainId(), m);
                // The reverse market a hedge of the devnet's vaults shorts in, with lenders of WETH to borrow from.
                DevWallet lender = new DevWallet(web3j, LocalChain.devAccount(1), chain.chainId());
                var reverse = io.unwind.local.HedgeSetup.reverseMarket(
                        lender,
                        lender,
                        m,
                        m.collateral().parse(REVERSE_LEND_WETH).units());
                lender.flush();
                chain.setIntervalMining(blockTime);
                DeploymentFile.write(dir.resolve("deployment.json"), m, onAave.vaultFactory(), aave);
                Path config = dir.resolve("unwind.yaml");
                Files.writeString(config, config(chain, m));
                summary(out, chain, m, config);
                out.printf(
                        "aave     Aave V3 pool %s (WETH LTV %s, liquidation threshold %s), Aave vault factory %s%n",
                        aave.pool(), Units.percent(8000), Units.percent(8250), onAave.vaultFactory());
                out.println("         an Aave vault: unwind vault create --protocol aave-v3 --dev-account 2");
                out.printf(
                        "hedge    reverse market %s (%s WETH lent by account 1), a hedge's short borrows there:"
                                + " unwind hedge create --vault V ... --dev-account 2%n",
                        reverse.id(), REVERSE_LEND_WETH);
                out.flush();
                stop.await();
            } finally {
                web3j.shutdown();
            }
        }
    }

    /** {@code --fork}: the rehearsal on a fork of a real chain, up until Ctrl-C. */
    private void rehearse(PrintWriter out, CountDownLatch stop) throws Exception {
        String shown = ForkRehearsal.redact(fork);
        long chainId;
        try {
            chainId = ChainId.of(chainIdOf(fork)).value();
        } catch (RuntimeException e) {
            throw new UserError(
                    ExitCodes.FAILED,
                    "cannot read the chain id of " + shown + ": " + e.getMessage()
                            + ". Check the URL and that the node answers JSON-RPC.");
        }
        // A public network's preset names its Morpho, SwapRouter02 and quoter, V2 router and wrapped native token: the
        // options may be left out.
        var preset = io.unwind.chain.preset.NetworkPresets.forChain(ChainId.of(chainId));
        if (preset.isPresent()) {
            var p = preset.get();
            if (forkV3Router == null && forkV3Router02 == null && forkV3Quoter == null) {
                forkV3Router02 = p.address(io.unwind.chain.preset.NetworkPreset.UNISWAP_V3_SWAP_ROUTER_02)
                        .orElse(null);
                forkV3Quoter = forkV3Router02 == null
                        ? null
                        : p.address(io.unwind.chain.preset.NetworkPreset.UNISWAP_V3_QUOTER_V2)
                                .orElse(null);
                if (forkV3Quoter == null) forkV3Router02 = null;
            }
            if (forkMorpho == null)
                forkMorpho =
                        p.address(io.unwind.chain.preset.NetworkPreset.MORPHO).orElse(null);
            if (forkV2Router == null)
                forkV2Router = p.address(io.unwind.chain.preset.NetworkPreset.UNISWAP_V2_ROUTER_02)
                        .orElse(null);
            if (forkWrappedNative == null)
                forkWrappedNative = p.address(io.unwind.chain.preset.NetworkPreset.WRAPPED_NATIVE)
                        .orElse(null);
            out.println("preset   " + p.name() + " (chain " + chainId + "): addresses not given are the preset's");
        }
        if (forkMorpho == null)
            throw Cli.usage(
                    spec,
                    "--fork needs --morpho ADDRESS: chain " + chainId + " has no network preset (unwind network list)");
        LocalChain.Options options = LocalChain.Options.defaults()
                .withChainId(chainId)
                .withFork(fork, java.util.Optional.ofNullable(forkBlock));
        try (LocalChain chain = LocalChain.start(options)) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            try {
                long block = chain.blockNumber();
                ForkRehearsal rehearsal = new ForkRehearsal(chain, web3j);
                ForkRehearsal.Result r;
                try {
                    r = rehearsal.prepare(new ForkRehearsal.Request(
                            forkMorpho,
                            forkMarket,
                            java.util.Optional.ofNullable(forkV3Router),
                            java.util.Optional.ofNullable(forkV3Router02),
                            java.util.Optional.ofNullable(forkV3Quoter),
                            java.util.Optional.ofNullable(forkV2Router),
                            java.util.Optional.ofNullable(forkWrappedNative),
                            OWNER,
                            forkCollateral,
                            Address.of(LocalChain.devAccount(KEEPER).getAddress()),
                            "v1"));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new UserError(ExitCodes.FAILED, "the rehearsal could not be set up: " + e.getMessage());
                }
                chain.setIntervalMining(blockTime);
                MarketDeployment m = r.market();
                DeploymentFile.writeFork(dir.resolve("deployment.json"), m, new DeploymentFile.Fork(block, m.oracle()));
                Path config = dir.resolve("unwind.yaml");
                Files.writeString(config, config(chain, m));
                forkSummary(out, chain, shown, block, r, config);
                stop.await();
            } finally {
                web3j.shutdown();
            }
        }
    }

    private static long chainIdOf(URI url) {
        Web3j w = Web3j.build(new HttpService(url.toString()));
        try {
            return w.ethChainId().send().getChainId().longValueExact();
        } catch (IOException e) {
            throw new IllegalStateException(e.getClass().getSimpleName(), e);
        } finally {
            w.shutdown();
        }
    }

    private void forkSummary(
            PrintWriter out, LocalChain chain, String shown, long block, ForkRehearsal.Result r, Path config) {
        MarketDeployment m = r.market();
        out.printf(
                "devnet up: a fork of chain %d (%s) at block %d, served by anvil at %s, a block every %d s%n",
                chain.chainId(), shown, block, chain.httpUrl(), blockTime);
        out.printf(
                "market   %s/%s at %s (the market's oracle), LLTV %s, Morpho Blue %s, market id %s%n",
                m.collateral().symbol(),
                m.loan().symbol(),
                r.price().toPlainString(),
                Units.percent(m.lltv()),
                m.morpho(),
                m.marketId());
        out.printf(
                "oracle   %s now answers a price `unwind devnet price P` sets; the pools keep the chain's own%n",
                m.oracle());
        out.printf(
                "unwind   VaultFactory %s, VaultLens %s (%s)%n",
                m.vaultFactory(),
                m.vaultLens(),
                r.deployed() == 0 ? "found on the chain" : r.deployed() + " deployed on the fork");
        out.printf(
                "vault    %s of account %d (%s): %s %s, LTV %s, trigger %s, target %s, keeper account %d%n",
                r.vault(),
                OWNER,
                LocalChain.devAccount(OWNER).getAddress(),
                forkCollateral.toPlainString(),
                m.collateral().symbol(),
                Units.percent(r.ltvBps()),
                Units.percent(r.policy().triggerLtvBps()),
                Units.percent(r.policy().targetLtvBps()),
                KEEPER);
        out.println("files");
        out.println("  " + config + "         keeper config");
        out.println("  " + dir.resolve("deployment.json") + "  contract addresses");
        out.println("next, in another terminal:");
        out.println("  export UNWIND_CONFIG=" + config.toAbsolutePath());
        out.println("  ./unwind run                                   # the keeper; status page on http://127.0.0.1:"
                + httpPort + "/");
        out.println("  ./unwind devnet price P                        # move the market's oracle; the keeper acts on"
                + " the chain's pools");
        out.println("Ctrl-C stops the devnet.");
        out.flush();
    }

    /** A journal left by an earlier devnet describes transactions of a chain that no longer exists. */
    private void clearOldJournal(PrintWriter out) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) return;
        try (Stream<Path> files = Files.list(data)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("journal"))
                    .toList()) Files.delete(p);
        }
        out.println("cleared the journal of the previous devnet in " + data);
    }

    /** WETH the devnet's lender supplies to the reverse market, for hedges to short. */
    static final String REVERSE_LEND_WETH = "1000";

    private static void fund(Web3j web3j, long chainId, MarketDeployment m) {
        DevWallet minter = new DevWallet(web3j, LocalChain.devAccount(0), chainId);
        for (int i : FUNDED) {
            Address to = Address.of(LocalChain.devAccount(i).getAddress());
            minter.mint(
                    m.collateral().address(),
                    to,
                    m.collateral().parse(FUND_WETH.toPlainString()).units());
            minter.mint(
                    m.loan().address(),
                    to,
                    m.loan().parse(FUND_USDC.toPlainString()).units());
        }
        minter.flush();
    }

    private String config(LocalChain chain, MarketDeployment m) {
        return """
                # Written by `unwind devnet` for the local chain it runs at %s. Development only: the keeper signs with
                # anvil's public development account %d. keystore-template/unwind.example.yaml explains every setting.
                chain:
                  id: %d
                  endpoints:
                    - {name: devnet, url: "%s", ws: "%s"}
                  confirmations: 1
                contracts:
                  deployment: deployment.json   # Morpho, the lens, the factories (Morpho's, Aave's) and the Uniswap routers
                %s
                # No vaults list: the keeper watches every vault of both factories, including ones created later.
                keeper:
                  devAccount: %d
                # The journal is an embedded H2 database in data/ next to this file.
                http:
                  port: %d
                """.formatted(
                        chain.httpUrl(),
                        KEEPER,
                        chain.chainId(),
                        chain.httpUrl(),
                        chain.wsUrl(),
                        nativeToken(m),
                        KEEPER,
                        httpPort);
    }

    /** The config's nativeToken line: the fork's wrapped native token where known, the devnet's WETH otherwise. */
    private String nativeToken(MarketDeployment m) {
        if (fork == null)
            return "  nativeToken: \"" + m.collateral().address()
                    + "\"   # the devnet's WETH stands in for the native token when pricing gas";
        if (m.weth9() == null)
            return "  # nativeToken: the chain's wrapped native token, to price gas (--wrapped-native)";
        return "  nativeToken: \"" + m.weth9() + "\"   # the chain's wrapped native token, to price gas";
    }

    private void summary(PrintWriter out, LocalChain chain, MarketDeployment m, Path config) {
        out.printf(
                "devnet up: anvil at %s (chain %d), a block every %d s%n", chain.httpUrl(), chain.chainId(), blockTime);
        out.printf(
                "market   %s/%s at %s, LLTV %s, Morpho Blue %s, market id %s%n",
                m.collateral().symbol(),
                m.loan().symbol(),
                price.toPlainString(),
                Units.percent(m.lltv()),
                m.morpho(),
                m.marketId());
        out.println("accounts (anvil's public development keys: never use them on a real chain)");
        out.printf(
                "  0  %s  deployer, owns the price feed%n",
                LocalChain.devAccount(0).getAddress());
        out.printf("  1  %s  lender%n", LocalChain.devAccount(1).getAddress());
        for (int i : FUNDED) {
            out.printf(
                    "  %d  %s  %s%s WETH, %s USDC%n",
                    i,
                    LocalChain.devAccount(i).getAddress(),
                    i == OWNER ? "vault owner (--dev-account 2): " : "",
                    FUND_WETH.toPlainString(),
                    Units.decimal(FUND_USDC));
            if (i == OWNER)
                out.printf(
                        "  %d  %s  keeper (devAccount %d in the config)%n",
                        KEEPER, LocalChain.devAccount(KEEPER).getAddress(), KEEPER);
        }
        out.println("files");
        out.println("  " + config + "         keeper config");
        out.println("  " + dir.resolve("deployment.json") + "  contract addresses");
        out.println("next, in another terminal:");
        out.println("  export UNWIND_CONFIG=" + config.toAbsolutePath());
        out.println("  ./unwind vault create --dev-account 2");
        out.println("  ./unwind vault fund 10 --dev-account 2 && ./unwind vault borrow 21000 --dev-account 2");
        out.println("  ./unwind policy set --trigger 80% --target 70% --dev-account 2");
        out.println("  ./unwind keeper add --dev-account 2 && ./unwind router allow both --dev-account 2");
        out.println("  ./unwind run                                   # the keeper; status page on http://127.0.0.1:"
                + httpPort + "/");
        out.println(
                "  ./unwind devnet price 2500                     # then: ./unwind status, ./unwind tx list, ./unwind events");
        out.println("Ctrl-C stops the devnet.");
        out.flush();
    }

    @Command(
            name = "price",
            description = {
                "Move a devnet's WETH price.",
                "The feed publishes it and arbitrage trades every pool to it, as a real move looks. Local chains only (it signs with anvil's accounts 0 and 9)."
            },
            footer = {
                "",
                "Examples:",
                "  unwind devnet price 2500",
                "  unwind devnet price 2350.5 --config /tmp/dn/unwind.yaml"
            })
    static final class Price implements Callable<Integer> {
        @Mixin
        ChainOptions chainOptions;

        @Parameters(
                paramLabel = "PRICE",
                description = "The new price, in loan tokens per collateral token (USDC per WETH).")
        BigDecimal price;

        @Mixin
        JsonOutput json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (price.signum() <= 0) throw Cli.usage(spec, "PRICE must be more than 0");
            try (ChainContext chain = chainOptions.open()) {
                var fork = chain.fork();
                if (fork.isPresent()) return moveFork(chain, fork.get());
                if (!ChainId.of(chain.chainId).isLocal()) {
                    throw new UserError(
                            ExitCodes.USAGE,
                            "devnet price moves prices with anvil's development keys: local chains only, not chain "
                                    + chain.chainId);
                }
                MarketDeployment m = chain.deployment.orElseThrow(
                        () -> new UserError(
                                ExitCodes.USAGE,
                                "which market? pass --config with contracts.deployment (the devnet's unwind.yaml) or --deployment FILE"));
                Web3j web3j = Web3j.build(new HttpService(chain.rpc.toString()));
                try {
                    PriceMover mover = new PriceMover(web3j, m);
                    // On the devnet the price is one for both protocols: Aave's oracle follows the feed.
                    chain.aaveDeployment().ifPresent(mover::withAave);
                    mover.moveTo(price);
                } finally {
                    web3j.shutdown();
                }
                long block = chain.head().number();
                if (json.on()) {
                    Json.print(
                            spec.commandLine().getOut(),
                            new JsonShapes.PriceMoved(
                                    price.toPlainString(), block, m.pools().size()));
                } else {
                    spec.commandLine()
                            .getOut()
                            .printf(
                                    "moved %s to %s %s at block %d: the feed and %d pool(s) (unwind status shows the vaults)%n",
                                    m.collateral().symbol(),
                                    price.toPlainString(),
                                    m.loan().symbol(),
                                    block,
                                    m.pools().size());
                    spec.commandLine().getOut().flush();
                }
            }
            return ExitCodes.OK;
        }

        /**
         * A fork's price: the market's oracle, whose code {@code devnet --fork} replaced, answers the new price; the
         * pools are the chain's own and stay as they are (the keeper meets their real liquidity). Only on a local node:
         * one that serves anvil's methods.
         */
        private int moveFork(ChainContext chain, DeploymentFile.Fork fork) {
            MarketDeployment m = chain.deployment.orElseThrow();
            String client;
            try {
                client = io.unwind.local.LocalChain.rpcAt(chain.rpc, "web3_clientVersion")
                        .asText();
            } catch (IllegalStateException e) {
                throw new UserError(ExitCodes.FAILED, "cannot ask the node what it is: " + e.getMessage());
            }
            if (!client.toLowerCase(java.util.Locale.ROOT).startsWith("anvil")) {
                throw new UserError(
                        ExitCodes.USAGE,
                        "devnet price writes a fork's oracle with anvil's methods: the node at "
                                + ForkRehearsal.redact(chain.rpc) + " is " + client + ", not the fork's anvil");
            }
            Web3j web3j = Web3j.build(new HttpService(chain.rpc.toString()));
            try {
                ForkRehearsal.attach(chain.rpc, chain.chainId, web3j)
                        .setPrice(fork.oracle(), price, m.collateral(), m.loan());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UserError(ExitCodes.FAILED, "cannot move the fork's price: " + e.getMessage());
            } finally {
                web3j.shutdown();
            }
            long block = chain.head().number();
            if (json.on()) {
                Json.print(spec.commandLine().getOut(), new JsonShapes.PriceMoved(price.toPlainString(), block, 0));
            } else {
                spec.commandLine()
                        .getOut()
                        .printf(
                                "moved %s to %s %s at block %d: the market's oracle %s (the chain's pools are as they"
                                        + " were; unwind status shows the vaults)%n",
                                m.collateral().symbol(),
                                price.toPlainString(),
                                m.loan().symbol(),
                                block,
                                fork.oracle());
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }
}
