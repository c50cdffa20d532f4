package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's commands against a real devnet (started with {@code unwind devnet}, as a user would): the happy paths
 * change the chain as they say, and every refusal exits with its code, says why, and sends nothing. Each test works on
 * its own vault with its own owner account, so they do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class DevnetCommandsTest {
    /** An amount with more than six significant digits after the point, as 18-decimal base units print. */
    private static final String RAW_AMOUNT = "\\.\\d*[1-9]\\d{6,} (WETH|USDC|ETH)";

    @TempDir
    static Path tmp;

    private Devnet devnet;
    private String config;

    @BeforeAll
    void startDevnet() throws Exception {
        devnet = new Devnet(tmp.resolve("devnet"));
        config = devnet.config.toString();
    }

    @AfterAll
    void stopDevnet() throws Exception {
        if (devnet != null) devnet.close();
    }

    private Unwind.Run ok(String... args) {
        Unwind.Run r = Unwind.run(Unwind.with(config, args));
        assertThat(r.exit()).as("%s", r).isZero();
        return r;
    }

    private Unwind.Run refused(int code, String... args) {
        Unwind.Run r = Unwind.run(Unwind.with(config, args));
        assertThat(r.exit()).as("%s", r).isEqualTo(code);
        return r;
    }

    private static String dev(int account) {
        return Integer.toString(account);
    }

    /** create, fund and borrow through the commands; returns the new vault. */
    private String openVault(int owner, String collateral, String borrow) {
        String vault = ok("vault", "create", "--dev-account", dev(owner), "--json")
                .json()
                .get("vault")
                .asText();
        ok("vault", "fund", collateral, "--vault", vault, "--dev-account", dev(owner));
        ok("vault", "borrow", borrow, "--vault", vault, "--dev-account", dev(owner));
        return vault;
    }

    private VaultHealth health(String vault) {
        try (ChainContext c = context()) {
            return c.health(Address.of(vault));
        }
    }

    private BigInteger nonce(int account) {
        try (ChainContext c = context()) {
            return c.client.nonce(Address.of(LocalChain.devAccount(account).getAddress()), true);
        }
    }

    private ChainContext context() {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        return o.open();
    }

    @Test
    void devnetWritesAConfigAndDeploymentThatTheCommandsUse() throws Exception {
        assertThat(devnet.output()).contains("devnet up", "vault owner (--dev-account 2)", "export UNWIND_CONFIG=");
        JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(devnet.dir.resolve("deployment.json").toFile());
        assertThat(d.get("vaultFactory").asText()).startsWith("0x");
        Unwind.Run check = Unwind.run("config", "check", config);
        assertThat(check.exit()).as("%s", check).isZero();
        assertThat(check.out()).contains("configuration ok", d.get("vaultLens").asText());
        // The devnet's spare owners hold test tokens to fund vaults with (account 7 only ever signs refused commands
        // here).
        try (ChainContext c = context()) {
            var weth = c.deployment.orElseThrow().collateral();
            assertThat(c.balanceOf(
                            weth.address(), Address.of(LocalChain.devAccount(7).getAddress())))
                    .isEqualTo(weth.parse("100").units());
        }
    }

    @Test
    void anOwnerSetsUpAVaultForTheKeeper() {
        int owner = 2;
        Unwind.Run created = ok("vault", "create", "--dev-account", dev(owner), "--json");
        String vault = created.json().get("vault").asText();
        assertThat(created.json().get("owner").asText())
                .isEqualTo(LocalChain.devAccount(owner).getAddress().toLowerCase());

        // With one vault, the owner's commands find it without --vault.
        Unwind.Run fund = ok("vault", "fund", "10", "--dev-account", dev(owner));
        assertThat(fund.out()).contains("supplied 10 WETH to vault " + vault);
        assertThat(fund.err()).contains("the only vault of");
        ok("vault", "borrow", "21000", "--dev-account", dev(owner));
        Unwind.Run policy = ok(
                "policy",
                "set",
                "--trigger",
                "80%",
                "--target",
                "70%",
                "--max-slippage",
                "1%",
                "--dev-account",
                dev(owner));
        assertThat(policy.out()).contains("trigger 80%, target 70%");
        Unwind.Run keeper = ok("keeper", "add", "--dev-account", dev(owner));
        assertThat(keeper.out())
                .contains("allowed keeper "
                        + LocalChain.devAccount(3).getAddress().toLowerCase());
        ok("router", "allow", "both", "--dev-account", dev(owner));

        VaultHealth h = health(vault);
        assertThat(h.collateral()).isEqualTo(h.collateralToken().parse("10").units());
        assertThat(h.debt()).isGreaterThanOrEqualTo(h.loanToken().parse("21000").units());
        assertThat(h.policy().triggerLtvBps()).isEqualTo(8000);
        assertThat(h.policy().targetLtvBps()).isEqualTo(7000);
        assertThat(h.policy().maxSlippageBps()).isEqualTo(100);
        assertThat(h.keeperAllowed()).isTrue();

        JsonNode show = ok("vault", "show", vault, "--json").json();
        assertThat(show.get("keeperAllowed").asBoolean()).isTrue();
        // Every router the deployment names; "both" is SwapRouter and the V2 router, as before SwapRouter02 was known.
        assertThat(show.get("routes").size()).isEqualTo(3);
        show.get("routes")
                .properties()
                .forEach(r -> assertThat(r.getValue().asBoolean())
                        .as(r.getKey())
                        .isEqualTo(!r.getKey().startsWith("uniswap-v3-02 ")));
        assertThat(ok("router", "allow", "uniswap-v3-02", "--dev-account", dev(owner))
                        .out())
                .containsPattern("allowed uniswap-v3-02 0x[0-9a-f]{40} 0x04e45aaf on vault " + vault);
        ok("vault", "show", vault, "--json")
                .json()
                .get("routes")
                .forEach(r -> assertThat(r.asBoolean()).isTrue());
        assertThat(show.get("ltv").asText()).startsWith("0.7");
        assertThat(ok("policy", "show", vault).out()).contains("trigger LTV", "80%", "max slippage", "1%");
        // As the README writes them: the owner's only vault, found from the key as the owner's commands find it.
        Unwind.Run shown = ok("vault", "show", "--dev-account", dev(owner));
        assertThat(shown.out()).contains("vault        " + vault, "trigger LTV");
        assertThat(shown.err())
                .contains("the only vault of "
                        + LocalChain.devAccount(owner).getAddress().toLowerCase());
        assertThat(ok("policy", "show", "--dev-account", dev(owner)).out()).contains("policy of vault " + vault);

        Unwind.Run status = ok("status", "--owner", LocalChain.devAccount(owner).getAddress());
        assertThat(status.out()).contains(vault, "70.00%", "80%", "86.00%", "10 WETH", "ok");
        JsonNode statusJson = ok("status", vault, "--json").json();
        assertThat(statusJson.get("vaults").get(0).get("state").asText()).isEqualTo("ok");

        List<String> events =
                ok("events", vault, "--from-block", "0").out().lines().toList();
        assertThat(String.join("\n", events))
                .contains(
                        "CollateralSupplied",
                        "amount=10 WETH",
                        "Borrowed",
                        "amount=21,000 USDC",
                        "PolicySet",
                        "trigger 80%",
                        "KeeperSet",
                        "RouteSet");
    }

    @Test
    void reserveRepayWithdrawPauseAndKeeperRemoval() {
        int owner = 6;
        String vault = openVault(owner, "5", "6000");
        Path examplePolicy = Path.of(System.getProperty("unwind.contracts.dir", "contracts"))
                .resolveSibling("keystore-template/policy.example.yaml");
        assertThat(ok(
                                "policy",
                                "set",
                                "--file",
                                examplePolicy.toString(),
                                "--max-fee",
                                "0.3%",
                                "--vault",
                                vault,
                                "--dev-account",
                                dev(owner))
                        .out())
                .contains("trigger 80%, target 70%, band 5%, max slippage 1%, max fee 0.3%, max sell 50%");
        assertThat(health(vault).policy().maxSellBps()).isEqualTo(5000);
        ok("keeper", "add", "--vault", vault, "--dev-account", dev(owner));
        ok("reserve", "deposit", "1000", "--vault", vault, "--dev-account", dev(owner));
        VaultHealth h = health(vault);
        assertThat(h.reserve()).isEqualTo(h.loanToken().parse("1000").units());
        ok("reserve", "withdraw", "all", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).reserve()).isZero();

        ok("vault", "repay", "2000", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).debt()).isLessThan(h.loanToken().parse("4001").units());
        ok("vault", "repay", "all", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).debt()).isZero();
        ok("vault", "withdraw", "all", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).collateral()).isZero();

        ok("vault", "pause", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).paused()).isTrue();
        ok("vault", "unpause", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).paused()).isFalse();
        ok("keeper", "remove", "--vault", vault, "--dev-account", dev(owner));
        assertThat(health(vault).keeperAllowed()).isFalse();

        JsonNode repaid = Unwind.run(Unwind.with(config, "events", vault, "--from-block", "0", "--json"))
                .out()
                .lines()
                .map(Unwind::json)
                .filter(e -> e.get("event").asText().equals("Repaid"))
                .findFirst()
                .orElseThrow();
        assertThat(repaid.get("args").get("assets").asText())
                .isEqualTo(h.loanToken().parse("2000").units().toString());
    }

    @Test
    void refusalsSayWhyAndSendNothing() throws Exception {
        int owner = 5;
        String vault = openVault(owner, "10", "21000");
        ok("policy", "set", "--trigger", "80%", "--target", "70%", "--vault", vault, "--dev-account", dev(owner));
        BigInteger nonce = nonce(owner);
        String[] v = {"--vault", vault, "--dev-account", dev(owner)};

        assertThat(refused(2, concat(v, "policy", "set", "--trigger", "90%")).err())
                .contains("must be below the market's LLTV (86%)", "nothing was sent");
        assertThat(refused(2, concat(v, "policy", "set", "--target", "85%")).err())
                .contains("must be below the trigger (80%)");
        assertThat(refused(2, concat(v, "policy", "set", "--max-slippage", "11%"))
                        .err())
                .contains("above the vault's cap of 10%");
        assertThat(refused(2, concat(v, "policy", "set", "--max-slippage", "0%"))
                        .err())
                .contains("would refuse every sale");
        assertThat(refused(2, concat(v, "policy", "set", "--max-fee", "6%")).err())
                .contains("above the vault's cap of 5%");
        assertThat(refused(2, concat(v, "policy", "set", "--cooldown", "8d")).err())
                .contains("at most 7 days");
        assertThat(refused(2, concat(v, "policy", "set", "--trigger", "80.123%"))
                        .err())
                .contains("finer than a basis point");
        assertThat(refused(2, concat(v, "policy", "set", "--max-fee", "0.3")).err())
                .contains("--max-fee: '0.3' has no unit: write 30% (if you meant the fraction 0.3) or 0.3%");
        Path unitless = tmp.resolve("unitless-policy.yaml");
        Files.writeString(unitless, "trigger: 0.8\ntarget: 70%\n");
        assertThat(refused(2, concat(v, "policy", "set", "--file", unitless.toString()))
                        .err())
                .contains(unitless + ": trigger: '0.8' has no unit: write 80% (if you meant the fraction 0.8) or 0.8%");
        assertThat(refused(2, concat(v, "reserve", "deposit", "0,5")).err())
                .contains("AMOUNT: '0,5': write 0.5; ',' is not a decimal separator here");
        assertThat(refused(2, concat(v, "vault", "repay", "1,000")).err()).contains("write 1.000 or 1_000");
        assertThat(refused(2, concat(v, "policy", "set", "--trigger", "65%", "--target", "60%"))
                        .err())
                .contains("already at or above the new trigger 65%", "--force");
        assertThat(refused(4, concat(v, "vault", "borrow", "5000")).err())
                .contains("would put LTV at", "at or above the trigger 80%");
        assertThat(refused(2, concat(v, "vault", "fund", "1000")).err()).contains("needs 1,000 WETH", "holds 90 WETH");
        assertThat(refused(2, concat(v, "vault", "fund", "0.0000000000000000001"))
                        .err())
                .contains("WETH has 18 decimals");
        assertThat(refused(2, concat(v, "vault", "withdraw", "2")).err())
                .contains("at or above the trigger 80%", "--force");
        assertThat(refused(2, concat(v, "reserve", "withdraw", "all")).err())
                .contains("reserve of vault " + vault + " is empty");
        assertThat(refused(
                                4,
                                concat(
                                        v,
                                        "router",
                                        "allow",
                                        LocalChain.devAccount(7).getAddress(),
                                        "--selector",
                                        "0x12345678"))
                        .err())
                .contains("setRoute", "would revert", "ForbiddenTarget");
        assertThat(nonce(owner))
                .as("no transaction was sent by any refused command")
                .isEqualTo(nonce);

        // Someone else's key, and an address that is no vault.
        BigInteger strangerNonce = nonce(7);
        assertThat(refused(2, "vault", "borrow", "1", "--vault", vault, "--dev-account", "7")
                        .err())
                .contains(
                        "is not the owner of vault " + vault,
                        "its owner is "
                                + LocalChain.devAccount(owner).getAddress().toLowerCase());
        assertThat(nonce(7)).isEqualTo(strangerNonce);
        assertThat(refused(2, "vault", "show", "0x0000000000000000000000000000000000000001")
                        .err())
                .contains("is not an Unwind vault");
        assertThat(refused(2, "vault", "show", "0x123").err()).contains("not an address");
    }

    @Test
    void showFindsTheOwnersOnlyVaultAndASecondVaultIsWarnedAbout() throws Exception {
        int owner =
                10; // beyond the accounts anvil funds: it gets gas money, and needs no tokens to create and show vaults
        String address = LocalChain.devAccount(owner).getAddress().toLowerCase();
        try (ChainContext c = context()) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"anvil_setBalance\",\"params\":[\"" + address
                    + "\",\"0x56bc75e2d63100000\"]}";
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                var r = http.send(
                        java.net.http.HttpRequest.newBuilder(c.rpc)
                                .header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.body()).doesNotContain("error");
            }
        }
        assertThat(refused(2, "vault", "show", "--dev-account", dev(owner)).err())
                .contains(address + " owns no vault on the factory", "vault create");
        String first = ok("vault", "create", "--dev-account", dev(owner), "--json")
                .json()
                .get("vault")
                .asText();

        Unwind.Run byKey = ok("vault", "show", "--dev-account", dev(owner));
        assertThat(byKey.out()).contains("vault        " + first, "owner        " + address);
        assertThat(byKey.err()).contains("vault " + first + " (the only vault of " + address + ")");
        assertThat(ok("vault", "show", "--owner", address, "--json")
                        .json()
                        .get("vault")
                        .asText())
                .isEqualTo(first);
        assertThat(ok("policy", "show", "--owner", address).out()).contains("policy of vault " + first, "not set");
        // A keystore is not unlocked for a read: its stated address is enough, so no password is asked for.
        Path keyFile = tmp.resolve("owner10.hex");
        Files.writeString(
                keyFile,
                "0x"
                        + LocalChain.devAccount(owner)
                                .getEcKeyPair()
                                .getPrivateKey()
                                .toString(16) + "\n");
        Path password = Files.writeString(tmp.resolve("owner10.pass"), "owner 10 password\n");
        String keystore = Unwind.run(
                        "keystore",
                        "import",
                        "--private-key-file",
                        keyFile.toString(),
                        "--dir",
                        tmp.resolve("keys10").toString(),
                        "--password-file",
                        password.toString(),
                        "--json")
                .json()
                .get("file")
                .asText();
        assertThat(ok("vault", "show", "--keystore", keystore).out()).contains("vault        " + first);
        assertThat(refused(
                                2,
                                "vault",
                                "show",
                                "--owner",
                                LocalChain.devAccount(7).getAddress(),
                                "--dev-account",
                                dev(owner))
                        .err())
                .contains("is not the key's address");

        // A second vault: said at creation, and the commands that picked the only one now list both.
        Unwind.Run second = ok("vault", "create", "--dev-account", dev(owner), "--json");
        String other = second.json().get("vault").asText();
        assertThat(second.json().get("ownersOtherVaults").get(0).asText()).isEqualTo(first);
        assertThat(second.err())
                .contains(
                        "warning: " + address + " already owns vault " + first,
                        "need --vault ADDRESS",
                        "--vault " + other);
        assertThat(refused(2, "vault", "show", "--dev-account", dev(owner)).err())
                .contains(address + " owns 2 vaults: pass VAULT, one of", "\n  " + first, "\n  " + other);
        BigInteger nonce = nonce(owner);
        assertThat(refused(2, "vault", "pause", "--dev-account", dev(owner)).err())
                .contains(address + " owns 2 vaults: pass --vault ADDRESS", "\n  " + first, "\n  " + other);
        assertThat(nonce(owner)).as("nothing was sent").isEqualTo(nonce);
        assertThat(ok("vault", "show", other, "--dev-account", dev(owner)).out())
                .as("a named vault wins")
                .contains("vault        " + other);

        // No vault, no owner: the factory has several here, so say what to pass; a config listing one vault uses it.
        assertThat(refused(2, "vault", "show").err())
                .contains("which vault? the factory has", "pass VAULT", "--owner ADDRESS", "--dev-account N");
        Path oneVault = devnet.dir.resolve("one-vault.yaml"); // beside deployment.json, which the config names
        Files.writeString(oneVault, Files.readString(devnet.config) + "vaults: [\"" + first + "\"]\n");
        Unwind.Run fromConfig = Unwind.run("policy", "show", "--config", oneVault.toString());
        assertThat(fromConfig.exit()).as("%s", fromConfig).isZero();
        assertThat(fromConfig.out()).contains("policy of vault " + first);
        assertThat(fromConfig.err()).contains("the only vault the config lists");
    }

    @Test
    void withoutAChainTheCommandsSayWhatToPass() {
        Unwind.Run r =
                Unwind.run("status", "--config", tmp.resolve("missing.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("does not exist");
        Unwind.Run down = Unwind.run("status", "--rpc", "http://127.0.0.1:" + Devnet.freePort());
        assertThat(down.exit()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach", "Check the URL");
    }

    @Test
    void eventsFollowPrintsNewEventsAsBlocksArrive() throws Exception {
        int owner = 8;
        String vault = openVault(owner, "2", "1000");
        java.io.StringWriter out = new java.io.StringWriter();
        Thread follow = new Thread(
                () -> io.unwind.app.Main.execute(
                        new java.io.PrintWriter(out, true),
                        new java.io.PrintWriter(new java.io.StringWriter(), true),
                        "events",
                        vault,
                        "--follow",
                        "--json",
                        "--poll",
                        "200",
                        "--config",
                        config),
                "test-events-follow");
        follow.setDaemon(true);
        follow.start();
        try {
            waitFor(() -> out.toString().contains("\"Borrowed\""), "the past events");
            ok("reserve", "deposit", "250", "--vault", vault, "--dev-account", dev(owner));
            waitFor(() -> out.toString().contains("\"ReserveDeposited\""), "the new event");
        } finally {
            follow.interrupt();
            follow.join(10_000);
        }
        JsonNode last = Unwind.json(out.toString()
                .lines()
                .filter(l -> l.contains("ReserveDeposited"))
                .findFirst()
                .orElseThrow());
        assertThat(last.get("contract").asText()).isEqualTo(vault);
        assertThat(last.get("args").get("amount").asText()).isEqualTo("250000000");
    }

    @Test
    void theKeeperActsAndEveryViewShowsIt() throws Exception {
        int owner = 4;
        String vault = openVault(owner, "10", "21000");
        String[] v = {"--vault", vault, "--dev-account", dev(owner)};
        ok(concat(v, "policy", "set", "--trigger", "80%", "--target", "70%"));
        ok(concat(v, "keeper", "add"));
        ok(concat(v, "router", "allow", "both"));
        // The operator lists the vaults the keeper protects.
        Path keeperConfig = devnet.dir.resolve("keeper.yaml");
        Files.writeString(keeperConfig, Files.readString(devnet.config) + "vaults: [\"" + vault + "\"]\n");
        String kc = keeperConfig.toString();
        assertThat(Unwind.run("tx", "list", "--config", kc).out()).contains("no transactions yet");

        java.io.StringWriter runErr = new java.io.StringWriter();
        Thread keeper = Unwind.startKeeper(kc, runErr);
        try {
            String base = "http://127.0.0.1:" + devnet.httpPort;
            waitFor(() -> get(base + "/ready").startsWith("200 "), "the keeper to be ready");
            ok("devnet", "price", "2500");
            // Not necessarily the newest: a chunk may have another in flight behind it, and a sale can revert when
            // another
            // vault's sale went through the same pool earlier in its block.
            waitFor(() -> minedSuccessfully(vault, kc).isPresent(), "a successful keeper transaction");
            JsonNode tx = minedSuccessfully(vault, kc).orElseThrow();
            assertThat(tx.get("kind").asText()).isEqualTo("DELEVERAGE");
            assertThat(tx.get("confirmation").get("succeeded").asBoolean()).isTrue();
            Unwind.Run shown = Unwind.run("tx", "show", tx.get("id").asText(), "--config", kc);
            assertThat(shown.out())
                    .contains(
                            "deleverage",
                            vault,
                            "successfully",
                            "attempt 1 (the action)",
                            "endpoints devnet accepted",
                            tx.get("attempts").get(0).get("hash").asText());
            // The journaled plan in words: no Java record or Optional, no enum names, amounts to a sentence's
            // precision.
            assertThat(shown.out())
                    .doesNotContain("Chunk[", "Full[]", "Optional", "ACTION", "SENT", "\"endpoint\"", "LTV inf")
                    .doesNotContainPattern(RAW_AMOUNT);
            JsonNode shownJson = Unwind.run("tx", "show", tx.get("id").asText(), "--json", "--config", kc)
                    .json();
            JsonNode endpoints = shownJson.get("attempts").get(0).get("endpointResults");
            assertThat(endpoints.isArray())
                    .as("a nested JSON value, not JSON text in a string: %s", endpoints)
                    .isTrue();
            assertThat(endpoints.get(0).get("answer").asText()).isEqualTo("accepted");
            assertThat(shownJson.get("plan").asText())
                    .startsWith("sell ")
                    .doesNotContain("Chunk[", "Full[]", "Optional");
            Unwind.Run listed = Unwind.run("tx", "list", "--config", kc);
            assertThat(listed.out())
                    .contains("deleverage", vault.substring(0, 6), " UTC")
                    .doesNotContainPattern(RAW_AMOUNT);

            // A sale capped by pool liquidity leaves LTV over the trigger; the next chunk follows on a later block.
            waitFor(
                    () -> health(vault).ltv().compareTo(io.unwind.domain.position.Ltv.bpsToWad(8000)) < 0,
                    "the keeper to bring LTV under the trigger");
            JsonNode deleveraged = ok("events", vault, "--from-block", "0", "--json")
                    .out()
                    .lines()
                    .map(Unwind::json)
                    .filter(e -> e.get("event").asText().equals("Deleveraged"))
                    .findFirst()
                    .orElseThrow();
            assertThat(new BigInteger(deleveraged.get("args").get("ltvAfter").asText()))
                    .isLessThan(new BigInteger(
                            deleveraged.get("args").get("ltvBefore").asText()));
            assertThat(deleveraged.get("tx").asText())
                    .isEqualTo(tx.get("attempts").get(0).get("hash").asText());
            assertThat(ok("status", vault).out()).contains(vault, "ago").doesNotContainPattern(RAW_AMOUNT);

            JsonNode page = Unwind.json(get(base + "/api/status").substring(4));
            // The keeper may watch the factory's other vaults too: find this one's row and transaction.
            JsonNode row = java.util.stream.StreamSupport.stream(
                            page.get("vaults").spliterator(), false)
                    .filter(r -> r.get("vault").asText().equals(vault))
                    .findFirst()
                    .orElseThrow();
            assertThat(row.get("history").size()).isGreaterThan(1);
            assertThat(page.get("transactions").findValuesAsText("hash"))
                    .contains(tx.get("attempts").get(0).get("hash").asText());
            assertThat(get(base + "/")).startsWith("200 ").contains("<svg id=\"chart\"");
            assertThat(get(base + "/metrics"))
                    .contains(
                            "unwind_vault_ltv{vault=\"" + vault + "\"}",
                            "unwind_tx_confirmed_total",
                            "unwind_keeper_balance_wei{keeper=\""
                                    + LocalChain.devAccount(3).getAddress().toLowerCase() + "\"}");
            assertThat(ok("status").out()).contains("node ready at http://127.0.0.1:" + devnet.httpPort);
        } finally {
            keeper.interrupt();
            keeper.join(30_000);
            ok("devnet", "price", "3000"); // the other tests' vaults were opened at 3000
        }
        assertThat(keeper.isAlive()).as("run stops when interrupted").isFalse();
    }

    /**
     * The vault's first keeper transaction that was mined and did not revert, from {@code tx list --json} (newest
     * first).
     */
    private static java.util.Optional<JsonNode> minedSuccessfully(String vault, String config) {
        JsonNode list = Unwind.run("tx", "list", "--vault", vault, "--json", "--config", config)
                .json();
        return java.util.stream.StreamSupport.stream(list.spliterator(), false)
                .filter(t -> t.get("confirmation").path("succeeded").asBoolean(false))
                .reduce((newer, older) -> older);
    }

    /** "STATUS body" of a GET, or "0 " when nothing answers. */
    static String get(String url) {
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            var r = client.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                            .timeout(java.time.Duration.ofSeconds(10))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (java.io.IOException e) {
            return "0 " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "0 interrupted";
        }
    }

    static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("gave up waiting for " + what);
            Thread.sleep(200);
        }
    }

    private static String[] concat(String[] tail, String... head) {
        return Unwind.concat(tail, head);
    }
}
