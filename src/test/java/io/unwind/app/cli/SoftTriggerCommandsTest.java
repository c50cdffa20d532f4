package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.local.LocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unwind policy soft-trigger} typed as an owner types it against a real devnet: it sets and clears the vault's
 * soft trigger (read back through the lens), every view shows it, and what the vault would refuse is refused here with
 * nothing sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class SoftTriggerCommandsTest {
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

    private static String[] with(String[] vaultAndKey, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(vaultAndKey));
        return all.toArray(String[]::new);
    }

    private SoftTrigger softTrigger(String vault) {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        try (ChainContext c = o.open()) {
            return c.health(Address.of(vault)).softTrigger();
        }
    }

    private BigInteger nonce(int account) {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        try (ChainContext c = o.open()) {
            return c.client.nonce(Address.of(LocalChain.devAccount(account).getAddress()), true);
        }
    }

    private String openVault(int owner) {
        String dev = Integer.toString(owner);
        String vault = ok("vault", "create", "--dev-account", dev, "--json")
                .json()
                .get("vault")
                .asText();
        ok("vault", "fund", "10", "--vault", vault, "--dev-account", dev);
        ok("vault", "borrow", "15000", "--vault", vault, "--dev-account", dev);
        ok("policy", "set", "--trigger", "80%", "--target", "70%", "--vault", vault, "--dev-account", dev);
        return vault;
    }

    @Test
    void theOwnerSetsShowsAndClearsASoftTrigger() {
        String vault = openVault(2);
        String[] v = {"--vault", vault, "--dev-account", "2"};
        assertThat(ok("policy", "show", vault).out()).contains("soft trigger", "off: keepers act only at the trigger");
        assertThat(ok("policy", "show", vault, "--json")
                        .json()
                        .get("softTrigger")
                        .isNull())
                .isTrue();

        Unwind.Run set = ok(with(v, "policy", "soft-trigger", "--ltv", "76%", "--max-probability", "5%"));
        assertThat(set.out()).contains("set the soft trigger of vault " + vault, "from 76% LTV", "more likely than 5%");
        assertThat(softTrigger(vault)).isEqualTo(new SoftTrigger(7600, 500));

        assertThat(ok("policy", "show", vault).out()).contains("soft trigger    76%", "more likely than 5%");
        JsonNode shown = ok("policy", "show", vault, "--json").json();
        assertThat(shown.get("softTrigger").asText()).isEqualTo("0.76");
        assertThat(shown.get("maxLiquidationProbability").asText()).isEqualTo("0.05");
        assertThat(ok("vault", "show", vault).out()).contains("soft trigger 76%");
        JsonNode vaultJson = ok("vault", "show", vault, "--json").json();
        assertThat(vaultJson.get("softTrigger").asText()).isEqualTo("0.76");
        assertThat(vaultJson.get("maxLiquidationProbability").asText()).isEqualTo("0.05");

        JsonNode off = ok(with(v, "policy", "soft-trigger", "--off", "--json")).json();
        assertThat(off.get("action").asText()).isEqualTo("soft trigger cleared");
        assertThat(off.get("softTrigger").isNull()).isTrue();
        assertThat(off.get("vaultAfter").get("softTrigger").isNull()).isTrue();
        assertThat(softTrigger(vault)).isEqualTo(SoftTrigger.NONE);
        assertThat(ok("events", vault, "--from-block", "0").out()).contains("SoftTriggerSet");
    }

    @Test
    void aSoftTriggerTheVaultWouldRefuseIsRefusedHereAndNothingIsSent() {
        String vault = openVault(8);
        String[] v = {"--vault", vault, "--dev-account", "8"};
        BigInteger nonce = nonce(8);

        assertThat(refused(2, with(v, "policy", "soft-trigger", "--ltv", "70%", "--max-probability", "5%"))
                        .err())
                .contains("soft trigger refused, nothing was sent", "must be above the target (70%)");
        assertThat(refused(2, with(v, "policy", "soft-trigger", "--ltv", "80%", "--max-probability", "5%"))
                        .err())
                .contains("below the trigger (80%)");
        assertThat(refused(2, with(v, "policy", "soft-trigger", "--ltv", "76%", "--max-probability", "100%"))
                        .err())
                .contains("max liquidation probability must be more than 0% and less than 100%");
        assertThat(refused(2, with(v, "policy", "soft-trigger", "--ltv", "76%")).err())
                .contains("give --ltv and --max-probability, or --off");
        assertThat(refused(2, with(v, "policy", "soft-trigger", "--off", "--ltv", "76%"))
                        .err())
                .contains("--off takes no --ltv or --max-probability");
        assertThat(refused(2, with(v, "policy", "soft-trigger", "--off")).err())
                .contains("has this soft trigger already");
        assertThat(refused(2, "policy", "soft-trigger", "--off", "--vault", vault, "--dev-account", "7")
                        .err())
                .contains("is not the owner of vault " + vault);
        assertThat(nonce(8)).as("no refused command sent anything").isEqualTo(nonce);

        // A policy that would leave the soft trigger outside (target, trigger) is refused until it is cleared.
        ok(with(v, "policy", "soft-trigger", "--ltv", "76%", "--max-probability", "5%"));
        assertThat(refused(2, with(v, "policy", "set", "--target", "77%")).err())
                .contains("soft trigger (76%) must stay above the target and below the trigger", "--off");
        ok(with(v, "policy", "soft-trigger", "--off"));
        ok(with(v, "policy", "set", "--target", "77%"));
    }
}
