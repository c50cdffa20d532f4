package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.VaultHealth;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard, the on-chain lists and the ownership hand-over, typed as a user types them against a real devnet: each
 * command changes the chain as it says (read back from the vault), and each refusal says why and sends nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class GuardAndOwnershipCommandsTest {
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
    void stopDevnet() {
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

    private static String address(int account) {
        return LocalChain.devAccount(account).getAddress().toLowerCase();
    }

    /** The command words and options, then the vault and key options. */
    private static String[] with(String[] vaultAndKey, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(vaultAndKey));
        return all.toArray(String[]::new);
    }

    private String openVault(int owner) {
        String vault = ok("vault", "create", "--dev-account", dev(owner), "--json")
                .json()
                .get("vault")
                .asText();
        ok("vault", "fund", "10", "--vault", vault, "--dev-account", dev(owner));
        ok("vault", "borrow", "15000", "--vault", vault, "--dev-account", dev(owner));
        ok("policy", "set", "--trigger", "80%", "--target", "70%", "--vault", vault, "--dev-account", dev(owner));
        return vault;
    }

    private ChainContext context() {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        return o.open();
    }

    private VaultHealth health(String vault) {
        try (ChainContext c = context()) {
            return c.health(Address.of(vault));
        }
    }

    private Guard guard(String vault) {
        try (ChainContext c = context()) {
            return new VaultReads(c.client).guard(Address.of(vault));
        }
    }

    private BigInteger nonce(int account) {
        try (ChainContext c = context()) {
            return c.client.nonce(Address.of(LocalChain.devAccount(account).getAddress()), true);
        }
    }

    private Address marketFeed() {
        try (ChainContext c = context()) {
            return c.deployment.orElseThrow().feed();
        }
    }

    @Test
    void theOwnerSetsShowsAndClearsAGuard() throws Exception {
        int owner = 2;
        String vault = openVault(owner);
        String[] v = {"--vault", vault, "--dev-account", dev(owner)};

        // No guard yet: the vault says so and points at the command.
        assertThat(ok("guard", "show", vault).out()).contains("none: keepers act on the market oracle alone");

        // On a devnet the market's feed is the default, with a new guard's default limits.
        Unwind.Run set = ok(with(v, "guard", "set"));
        assertThat(set.err()).contains("feed " + marketFeed());
        assertThat(set.out()).contains("set the guard of vault " + vault, "max age 1h, max deviation 2%");
        assertThat(guard(vault)).isEqualTo(new Guard(marketFeed(), Duration.ofHours(1), 200, Duration.ZERO, 0));

        JsonNode window = ok(with(v, "guard", "set", "--sell-window", "1d", "--max-window-sell", "30%", "--json"))
                .json();
        assertThat(window.get("action").asText()).isEqualTo("guard set");
        assertThat(window.get("guard").get("sellWindowSeconds").asLong()).isEqualTo(86_400);
        assertThat(window.get("vaultAfter").get("windowSellLeftBps").asInt()).isEqualTo(3000);
        assertThat(guard(vault)).isEqualTo(new Guard(marketFeed(), Duration.ofHours(1), 200, Duration.ofDays(1), 3000));

        Unwind.Run shown = ok("guard", "show", "--dev-account", dev(owner));
        assertThat(shown.out())
                .contains(
                        "price feed   " + marketFeed(),
                        "max age 1h, max deviation 2%",
                        "price now    fresh, feed updated",
                        "rate limit   30% of the collateral per 1d, 30% left in this window");
        JsonNode shownJson = ok("guard", "show", vault, "--json").json();
        assertThat(shownJson.get("priceFeed").asText()).isEqualTo(marketFeed().hex());
        assertThat(shownJson.get("priceStatus").asText()).isEqualTo("ok");
        assertThat(shownJson.get("feedUpdatedAt").isNull()).isFalse();
        assertThat(ok("vault", "show", vault).out()).contains("price now    fresh", "rate limit   30%");
        assertThat(ok("status", vault).out()).contains("GUARD", "price fresh, 30% left");
        assertThat(ok("vault", "show", vault, "--json")
                        .json()
                        .get("guard")
                        .get("maxWindowSellBps")
                        .asInt())
                .isEqualTo(3000);

        // A guard file, options over it.
        Path file = tmp.resolve("guard.yaml");
        Files.writeString(file, "maxPriceAge: 10m\nmaxPriceDeviation: 1%\n");
        ok(with(v, "guard", "set", "--file", file.toString(), "--max-deviation", "0.5%"));
        assertThat(guard(vault))
                .isEqualTo(new Guard(marketFeed(), Duration.ofMinutes(10), 50, Duration.ofDays(1), 3000));

        // A feed older than the max age: the vault's price check says stale, and every view says so.
        ok(with(v, "guard", "set", "--max-price-age", "1s"));
        Thread.sleep(2_100);
        ok(with(v, "reserve", "deposit", "1")); // a new block, after the feed's last update
        assertThat(ok("guard", "show", vault, "--json")
                        .json()
                        .get("priceStatus")
                        .asText())
                .isEqualTo("stale");
        assertThat(ok("guard", "show", vault).out())
                .contains("price now    STALE: the feed is older", "keepers are held");

        ok(with(v, "guard", "clear"));
        assertThat(guard(vault)).isEqualTo(Guard.NONE);
        assertThat(health(vault).guard().windowSellLeftBps()).isEqualTo(10_000);
        assertThat(ok("events", vault, "--from-block", "0").out()).contains("GuardSet");
    }

    @Test
    void aGuardTheVaultWouldRefuseIsRefusedHereAndNothingIsSent() throws Exception {
        int owner = 8;
        String vault = openVault(owner);
        String[] v = {"--vault", vault, "--dev-account", dev(owner)};
        BigInteger nonce = nonce(owner);

        assertThat(refused(2, with(v, "guard", "set", "--max-price-age", "8d")).err())
                .contains("guard refused, nothing was sent", "max price age must be in (0, 7 days]");
        assertThat(refused(2, with(v, "guard", "set", "--max-price-age", "0s")).err())
                .contains("max price age must be in (0, 7 days]");
        assertThat(refused(2, with(v, "guard", "set", "--max-deviation", "101%"))
                        .err())
                .contains("max price deviation must be <= 100%");
        assertThat(refused(2, with(v, "guard", "set", "--sell-window", "31d", "--max-window-sell", "10%"))
                        .err())
                .contains("sell window must be <= 30 days");
        assertThat(refused(2, with(v, "guard", "set", "--sell-window", "1d")).err())
                .contains("--sell-window needs --max-window-sell");
        assertThat(refused(2, with(v, "guard", "set", "--max-window-sell", "10%"))
                        .err())
                .contains("--max-window-sell needs --sell-window");
        assertThat(refused(2, with(v, "guard", "set", "--feed", "none", "--max-price-age", "1h"))
                        .err())
                .contains("price limits need a feed");
        assertThat(refused(2, with(v, "guard", "set", "--feed", "0x1234")).err())
                .contains("--feed");
        assertThat(refused(2, with(v, "guard", "set", "--max-deviation", "0.02"))
                        .err())
                .contains("--max-deviation: '0.02' has no unit");
        Path unknown = tmp.resolve("bad-guard.yaml");
        Files.writeString(unknown, "maxAge: 1h\n");
        assertThat(refused(2, with(v, "guard", "set", "--file", unknown.toString()))
                        .err())
                .contains(unknown + ": unknown setting 'maxAge'");
        assertThat(refused(2, with(v, "guard", "clear")).err()).contains("has no guard. Nothing was sent.");
        // Someone else's key.
        assertThat(refused(2, "guard", "set", "--vault", vault, "--dev-account", "7")
                        .err())
                .contains("is not the owner of vault " + vault);
        assertThat(nonce(owner)).as("no refused command sent anything").isEqualTo(nonce);
        assertThat(guard(vault)).isEqualTo(Guard.NONE);
    }

    @Test
    void keepersAndRoutesAreListedFromTheChain() {
        int owner = 6;
        String vault = openVault(owner);
        assertThat(ok("keeper", "list", "--vault", vault).out()).contains("allows no keeper");
        assertThat(ok("route", "list", "--vault", vault, "--json")
                        .json()
                        .get("routes")
                        .size())
                .isZero();
        ok("keeper", "add", "--vault", vault, "--dev-account", dev(owner));
        ok("router", "allow", "both", "--vault", vault, "--dev-account", dev(owner));

        assertThat(ok("keeper", "list", "--vault", vault).out())
                .contains("keepers of vault " + vault, address(3) + "  (this config's keeper)");
        JsonNode keepers =
                ok("keeper", "list", "--dev-account", dev(owner), "--json").json();
        assertThat(keepers.get("vault").asText()).isEqualTo(vault);
        assertThat(keepers.get("keepers").get(0).asText()).isEqualTo(address(3));

        JsonNode routes = ok("route", "list", "--vault", vault, "--json").json().get("routes");
        assertThat(routes.size()).isEqualTo(2);
        List<String> names = new ArrayList<>();
        routes.forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("uniswap-v3", "uniswap-v2");
        assertThat(ok("router", "list", vault).out()).contains("(uniswap-v3)", "(uniswap-v2)");
        assertThat(refused(2, "keeper", "list", LocalChain.devAccount(7).getAddress())
                        .err())
                .contains("is not an Unwind vault");
    }

    @Test
    void ownershipIsOfferedThenAcceptedWithAnExplicitChoiceAboutAccess() {
        int owner = 4;
        int heir = 5;
        String vault = openVault(owner);
        ok("keeper", "add", "--vault", vault, "--dev-account", dev(owner));
        ok("router", "allow", "both", "--vault", vault, "--dev-account", dev(owner));

        // Accepting what was not offered, or without saying what becomes of the keepers, is refused.
        assertThat(refused(2, "vault", "accept", "--vault", vault, "--clear-access", "--dev-account", dev(heir))
                        .err())
                .contains("is not offered to " + address(heir), "offered to no one", "unwind vault transfer");
        Unwind.Run offered =
                ok("vault", "transfer", "--to", address(heir), "--vault", vault, "--dev-account", dev(owner));
        assertThat(offered.out())
                .contains("offered vault " + vault + " to " + address(heir), "--keep-access | --clear-access");
        try (ChainContext c = context()) {
            assertThat(c.pendingOwner(Address.of(vault))).isEqualTo(Address.of(address(heir)));
        }
        assertThat(health(vault).owner())
                .as("the owner stays until the offer is accepted")
                .isEqualTo(Address.of(address(owner)));
        assertThat(refused(2, "vault", "transfer", "--to", address(heir), "--vault", vault, "--dev-account", dev(owner))
                        .err())
                .contains("is offered to " + address(heir) + " already");
        assertThat(refused(2, "vault", "accept", "--vault", vault, "--dev-account", dev(heir))
                        .err())
                .contains("--keep-access", "--clear-access");
        assertThat(refused(
                                2,
                                "vault",
                                "accept",
                                "--vault",
                                vault,
                                "--keep-access",
                                "--clear-access",
                                "--dev-account",
                                dev(heir))
                        .err())
                .contains("mutually exclusive");
        assertThat(refused(2, "vault", "accept", "--clear-access", "--dev-account", dev(heir))
                        .err())
                .contains("pass --vault ADDRESS");
        assertThat(refused(2, "vault", "accept", "--vault", vault, "--clear-access", "--dev-account", "7")
                        .err())
                .contains("is not offered to " + address(7), "it is offered to " + address(heir));

        JsonNode accepted = ok(
                        "vault", "accept", "--vault", vault, "--clear-access", "--dev-account", dev(heir), "--json")
                .json();
        assertThat(accepted.get("previousOwner").asText()).isEqualTo(address(owner));
        assertThat(accepted.get("keptAccess").asBoolean()).isFalse();
        assertThat(accepted.get("keepersRemoved").asInt()).isEqualTo(1);
        assertThat(accepted.get("routesRemoved").asInt()).isEqualTo(2);
        assertThat(accepted.get("vaultAfter").get("owner").asText()).isEqualTo(address(heir));
        try (ChainContext c = context()) {
            assertThat(c.keepers(Address.of(vault))).isEmpty();
            assertThat(c.routes(Address.of(vault))).isEmpty();
            assertThat(c.pendingOwner(Address.of(vault))).isEqualTo(Address.ZERO);
        }
        assertThat(health(vault).owner()).isEqualTo(Address.of(address(heir)));
        assertThat(ok("events", vault, "--from-block", "0").out())
                .contains("AccessHandedOver", "KeeperSet", "RouteSet");
        // The previous owner has no power left; the new one has all of it.
        assertThat(refused(2, "vault", "pause", "--vault", vault, "--dev-account", dev(owner))
                        .err())
                .contains("is not the owner of vault " + vault);

        // The same hand-over back, keeping what the new owner allowed meanwhile.
        ok("keeper", "add", "--vault", vault, "--dev-account", dev(heir));
        ok("vault", "transfer", "--to", address(owner), "--vault", vault, "--dev-account", dev(heir));
        Unwind.Run kept = ok("vault", "accept", "--vault", vault, "--keep-access", "--dev-account", dev(owner));
        assertThat(kept.out()).contains("you own vault " + vault, "kept 1 keeper(s) and 0 route(s)");
        try (ChainContext c = context()) {
            assertThat(c.keepers(Address.of(vault))).containsExactly(Address.of(address(3)));
        }
    }
}
