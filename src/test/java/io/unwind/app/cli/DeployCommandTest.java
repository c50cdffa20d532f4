package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unwind deploy} as a user runs it against a chain that has Morpho Blue and Aave V3 but not Unwind (the devnet's
 * anvil, which has the deterministic deployment proxy as public chains do): the plan first, then the deployment, then a
 * re-run that finds everything and sends nothing; code that is not this build's is refused; the file it writes drives
 * {@code vault create}, {@code status}, and a keeper run that protects a vault.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class DeployCommandTest {
    @TempDir
    static Path tmp;

    private Devnet devnet;
    private String config;
    private JsonNode devnetDeployment;

    @BeforeAll
    void startDevnet() throws Exception {
        devnet = new Devnet(tmp.resolve("devnet"));
        config = devnet.config.toString();
        devnetDeployment = new ObjectMapper()
                .readTree(devnet.dir.resolve("deployment.json").toFile());
    }

    @AfterAll
    void stopDevnet() {
        if (devnet != null) devnet.close();
    }

    private Unwind.Run run(String... args) {
        return Unwind.run(Unwind.with(config, args));
    }

    private Unwind.Run ok(String... args) {
        Unwind.Run r = run(args);
        assertThat(r.exit()).as("%s", r).isZero();
        return r;
    }

    private String provider() {
        return devnetDeployment.get("aave").get("addressesProvider").asText();
    }

    @Test
    void plansDeploysFindsAndVerifiesAndItsFileDrivesTheOtherCommandsAndTheKeeper() throws Exception {
        Path file = tmp.resolve("unwind-deployment.json");
        String[] deploy = {"deploy", "--aave-provider", provider(), "--dev-account", "0", "--out", file.toString()};

        // The plan: three contracts to deploy, their cost, and nothing sent.
        Unwind.Run plan = ok(deploy);
        System.out.print(plan.out());
        assertThat(plan.out())
                .contains("VaultFactory", "VaultLens", "AaveVaultFactory", "to deploy, gas", "3 to send")
                .doesNotContain("gwei gwei")
                .contains("dry run: nothing was sent");
        assertThat(Files.exists(file)).isFalse();
        JsonNode planned = ok(concat(deploy, "--json")).json();
        assertThat(planned.get("dryRun").asBoolean()).isTrue();
        assertThat(planned.get("transactions")).isEmpty();
        assertThat(planned.get("contracts"))
                .hasSize(3)
                .allSatisfy(c -> assertThat(c.get("state").asText()).isEqualTo("missing"));

        // Deployed at the planned addresses, each checked against the build.
        JsonNode deployed = ok(concat(deploy, "--yes", "--json")).json();
        assertThat(deployed.get("transactions")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode c = deployed.get("contracts").get(i);
            assertThat(c.get("state").asText()).isEqualTo("verified");
            assertThat(c.get("address").asText())
                    .isEqualTo(planned.get("contracts").get(i).get("address").asText());
        }
        JsonNode written = new ObjectMapper().readTree(file.toFile());
        assertThat(written.get("vaultFactory").asText()).isEqualTo(address(deployed, "VaultFactory"));
        assertThat(written.get("vaultLens").asText()).isEqualTo(address(deployed, "VaultLens"));
        assertThat(written.get("aaveVaultFactory").asText()).isEqualTo(address(deployed, "AaveVaultFactory"));
        assertThat(written.get("morpho").asText())
                .isEqualTo(devnetDeployment.get("morpho").asText());

        // Idempotent: a second run finds everything and sends nothing.
        JsonNode again = ok(concat(deploy, "--yes", "--json")).json();
        assertThat(again.get("transactions")).isEmpty();
        assertThat(again.get("contracts"))
                .allSatisfy(c -> assertThat(c.get("state").asText()).isEqualTo("verified"));
        assertThat(ok(concat(deploy, "--yes")).out()).contains("nothing to send", "deployed and verified");

        // The file drives the owner's commands: a vault made by this factory, read through this lens.
        String[] chain = {"--deployment", file.toString()};
        String marketId = devnetDeployment.get("marketId").asText();
        String vault = ok(concat(
                        new String[] {"vault", "create"},
                        concat(chain, "--market-id", marketId, "--dev-account", "6", "--json")))
                .json()
                .get("vault")
                .asText();
        assertThat(ok(concat(new String[] {"vault", "show", vault}, chain)).out())
                .contains(vault);
        String[] v = concat(chain, "--vault", vault, "--dev-account", "6");
        ok(concat(new String[] {"vault", "fund", "10"}, v));
        ok(concat(new String[] {"vault", "borrow", "21000"}, v));
        ok(concat(new String[] {"policy", "set", "--trigger", "78%", "--target", "68%"}, v));
        ok(concat(new String[] {"keeper", "add"}, v));
        ok(concat(new String[] {"router", "allow", "both"}, v));

        // And the keeper's config: contracts.deployment names the file; the routers are the chain's (here the
        // devnet's).
        Path keeperDir = Files.createDirectories(tmp.resolve("keeper"));
        int port = Devnet.freePort();
        String yaml = Files.readString(devnet.config)
                .replace(
                        "deployment: deployment.json",
                        "deployment: " + file + "\n  uniswapV3Router: \""
                                + devnetDeployment.get("swapRouter").asText()
                                + "\"\n  uniswapV3Quoter: \""
                                + devnetDeployment.get("quoterV2").asText()
                                + "\"\n  uniswapV2Router: \""
                                + devnetDeployment.get("uniswapV2Router").asText() + "\"")
                .replaceAll("port: \\d+", "port: " + port);
        assertThat(yaml).contains("deployment: " + file);
        Path keeperConfig = keeperDir.resolve("unwind.yaml");
        Files.writeString(keeperConfig, yaml);
        java.io.StringWriter runErr = new java.io.StringWriter();
        Thread keeper = Unwind.startKeeper(keeperConfig.toString(), runErr);
        try {
            DevnetCommandsTest.waitFor(
                    () -> DevnetCommandsTest.get("http://127.0.0.1:" + port + "/ready")
                            .contains("\"vaults\""),
                    "the keeper's status server: " + runErr);
            // 21,000 / (10 x 2,650) = 79.2%: over the trigger.
            ok("devnet", "price", "2650");
            DevnetCommandsTest.waitFor(
                    () -> ltv(chain, vault).compareTo(new BigDecimal("0.78")) < 0,
                    "the keeper to deleverage the vault of the deployed factory: " + runErr);
        } finally {
            keeper.interrupt();
            keeper.join(20_000);
            ok("devnet", "price", "3000");
        }
    }

    /**
     * The rehearsal on a fork, end to end, against a forked local chain that carries a deployed market (the devnet's:
     * Morpho, its lenders, the Uniswap pools), by the same code path a fork of a public chain takes: Unwind's contracts
     * placed on the fork, a vault opened on the chain's existing market with its own collateral token, the market's
     * oracle moved, and the keeper started from the config the fork wrote deleverages the vault through the chain's
     * pools (given SwapRouter02 and no original SwapRouter, as on Base). The forked chain itself is left as it was.
     */
    @Test
    void aRehearsalOnAForkOpensAVaultOnTheChainsMarketMovesItsOracleAndTheKeeperSavesIt() throws Exception {
        String parentUrl = rpcUrl();
        String oracle = devnetDeployment.get("oracle").asText();
        String parentOracleCode = code(oracle);
        Devnet fork = new Devnet(
                tmp.resolve("fork"),
                "--fork",
                parentUrl + "/?apikey=secret-key-value",
                "--morpho",
                devnetDeployment.get("morpho").asText(),
                "--market",
                devnetDeployment.get("marketId").asText(),
                // SwapRouter02 alone, as on Base (which has no original SwapRouter).
                "--uniswap-v3-router02",
                devnetDeployment.get("swapRouter02").asText(),
                "--uniswap-v3-quoter",
                devnetDeployment.get("quoterV2").asText(),
                "--uniswap-v2-router",
                devnetDeployment.get("uniswapV2Router").asText(),
                "--wrapped-native",
                devnetDeployment.get("collateral").get("address").asText());
        try {
            System.out.print(fork.output());
            // A provider's key in the URL (anvil takes it with its query) is never printed or written.
            assertThat(fork.output())
                    .contains("a fork of chain 31337", "/…")
                    .doesNotContain("secret-key-value")
                    .contains("market   WETH/USDC at 3000 (the market's oracle)", "LTV 72%, trigger 80%, target 70%");
            JsonNode d = new ObjectMapper()
                    .readTree(fork.dir.resolve("deployment.json").toFile());
            assertThat(d.get("fork").get("oracle").asText()).isEqualTo(oracle);
            assertThat(d.get("morpho").asText())
                    .isEqualTo(devnetDeployment.get("morpho").asText());
            assertThat(d.get("collateral").get("address").asText())
                    .isEqualTo(devnetDeployment.get("collateral").get("address").asText());
            assertThat(Files.readString(fork.config)).doesNotContain("secret-key-value");
            JsonNode vaults = Unwind.run(Unwind.with(fork.config.toString(), "status", "--json"))
                    .json()
                    .get("vaults");
            // The factory may be the forked chain's own (the other test deploys the same CREATE2 set there), with
            // its vaults: the rehearsal's is the one of account 2.
            String owner = io.unwind.local.LocalChain.devAccount(2).getAddress();
            String vault = java.util.stream.StreamSupport.stream(vaults.spliterator(), false)
                    .filter(v -> v.get("owner").asText().equalsIgnoreCase(owner))
                    .map(v -> v.get("vault").asText())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no vault of account 2 in " + vaults));
            assertThat(forkLtv(fork, vault)).isBetween(new BigDecimal("0.71"), new BigDecimal("0.73"));

            // The keeper, as the fork's summary says to start it.
            java.io.StringWriter runErr = new java.io.StringWriter();
            Thread keeper = new Thread(
                    () -> io.unwind.app.Main.execute(
                            new java.io.PrintWriter(new java.io.StringWriter(), true),
                            new java.io.PrintWriter(runErr, true),
                            "run",
                            "--config",
                            fork.config.toString()),
                    "test-fork-keeper");
            keeper.setDaemon(true);
            keeper.start();
            try {
                DevnetCommandsTest.waitFor(
                        () -> DevnetCommandsTest.get("http://127.0.0.1:" + fork.httpPort + "/ready")
                                .contains("\"vaults\""),
                        "the fork keeper's status server: " + runErr);
                // 72% x 3,000 / 2,650 = 81.5%: over the 80% trigger.
                Unwind.Run moved = Unwind.run(Unwind.with(fork.config.toString(), "devnet", "price", "2650"));
                assertThat(moved.exit()).as("%s", moved).isZero();
                assertThat(moved.out()).contains("the market's oracle " + oracle);
                assertThat(forkLtv(fork, vault)).isGreaterThan(new BigDecimal("0.80"));
                DevnetCommandsTest.waitFor(
                        () -> forkLtv(fork, vault).compareTo(new BigDecimal("0.80")) < 0,
                        "the keeper to deleverage the fork's vault: " + runErr);
            } finally {
                keeper.interrupt();
                keeper.join(20_000);
            }
            JsonNode sent = Unwind.run(Unwind.with(fork.config.toString(), "tx", "list", "--json"))
                    .json();
            assertThat(sent.toString())
                    .as("the keeper's sale on the fork, mined")
                    .contains("DELEVERAGE")
                    .containsPattern("CONFIRMED|FINALIZED")
                    .contains("via uniswap-v3-02-");
        } finally {
            fork.close();
        }
        // The forked chain is as it was: its oracle's code, and no vault of the fork's.
        assertThat(code(oracle)).isEqualTo(parentOracleCode);
    }

    @Test
    void aNetworkPresetForAnotherChainIsRefusedBeforeAnythingIsPlanned() {
        Unwind.Run r = run("deploy", "--network", "base", "--dev-account", "0");
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.err())
                .contains("--network: the node at", "is chain 31337, the preset 'base' is chain 8453")
                .contains("Nothing was sent");
        assertThat(r.out()).doesNotContain("to deploy");
    }

    @Test
    void aForkOfAChainWithNoPresetNeedsItsMorpho() throws Exception {
        Unwind.Run r = Unwind.run(
                "devnet",
                "--dir",
                tmp.resolve("fork-no-morpho").toString(),
                "--fork",
                rpcUrl(),
                "--market",
                devnetDeployment.get("marketId").asText());
        assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--fork needs --morpho ADDRESS", "chain 31337 has no network preset");
    }

    @Test
    void codeThatIsNotThisBuildsIsRefusedAndNothingIsSent() throws Exception {
        Path file = tmp.resolve("other.json");
        String[] deploy = {"deploy", "--salt", "tampered", "--dev-account", "0", "--out", file.toString(), "--json"};
        JsonNode planned = ok(deploy).json();
        String lens = planned.get("contracts").get(1).get("address").asText();
        // Something else already at the lens's address.
        rpc("anvil_setCode", lens, "0x6001600155");
        Unwind.Run refused = run(concat(deploy, "--yes"));
        assertThat(refused.exit()).as("%s", refused).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.err()).contains("VaultLens at " + lens, "other code than this build's", "Nothing was sent");
        // Nothing was sent: the factory of that salt is still missing, and no file was written.
        String factory = planned.get("contracts").get(0).get("address").asText();
        assertThat(code(factory)).isEqualTo("0x");
        assertThat(Files.exists(file)).isFalse();
    }

    private static BigDecimal forkLtv(Devnet fork, String vault) {
        Unwind.Run r = Unwind.run(Unwind.with(fork.config.toString(), "status", vault, "--json"));
        assertThat(r.exit()).as("%s", r).isZero();
        return new BigDecimal(r.json().get("vaults").get(0).get("ltv").asText());
    }

    private BigDecimal ltv(String[] chain, String vault) {
        return new BigDecimal(ok(concat(new String[] {"status", vault, "--json"}, chain))
                .json()
                .get("vaults")
                .get(0)
                .get("ltv")
                .asText());
    }

    private void rpc(String method, String... params) throws Exception {
        String url = rpcUrl();
        var web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(url));
        try {
            var r = new org.web3j.protocol.core.Request<>(
                            method,
                            java.util.List.of((Object[]) params),
                            new org.web3j.protocol.http.HttpService(url),
                            org.web3j.protocol.core.methods.response.VoidResponse.class)
                    .send();
            assertThat(r.hasError())
                    .as("%s", r.getError() == null ? "" : r.getError().getMessage())
                    .isFalse();
        } finally {
            web3.shutdown();
        }
    }

    private String code(String address) throws Exception {
        var web3 = org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(rpcUrl()));
        try {
            return web3.ethGetCode(address, org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                    .send()
                    .getCode();
        } finally {
            web3.shutdown();
        }
    }

    private String rpcUrl() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)")
                .matcher(Files.readString(devnet.config));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String address(JsonNode deployed, String name) {
        for (JsonNode c : deployed.get("contracts")) {
            if (c.get("name").asText().equals(name)) return c.get("address").asText();
        }
        throw new AssertionError("no " + name + " in " + deployed);
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
