package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.domain.chain.Address;
import io.unwind.local.LocalChain;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code unwind hedge ...} typed as an owner types it against a real devnet and a real vault: the reverse market made
 * once (and found again), the hedge deployed with its margin, shown, its policy changed, margin withdrawn, and closed;
 * what the hedge would refuse is refused here, with exit 2 and nothing sent. The devnet's vaults share one market, so
 * they share one reverse market, which the devnet creates with lenders of WETH in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("chain")
class HedgeCommandsTest {
    @TempDir
    static Path tmp;

    private Devnet devnet;
    private String config;
    private String vault;

    @BeforeAll
    void startDevnet() throws Exception {
        devnet = new Devnet(tmp.resolve("devnet"));
        config = devnet.config.toString();
        vault = ok("vault", "create", "--dev-account", "2", "--json")
                .json()
                .get("vault")
                .asText();
        ok("vault", "fund", "10", "--vault", vault, "--dev-account", "2");
        ok("vault", "borrow", "15000", "--vault", vault, "--dev-account", "2");
        ok("policy", "set", "--trigger", "80%", "--target", "70%", "--vault", vault, "--dev-account", "2");
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

    private Unwind.Run refused(String... args) {
        Unwind.Run r = Unwind.run(Unwind.with(config, args));
        assertThat(r.exit()).as("%s", r).isEqualTo(ExitCodes.USAGE);
        return r;
    }

    private String[] owner(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of("--vault", vault, "--dev-account", "2"));
        return all.toArray(String[]::new);
    }

    private static String[] signedBy(int account, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of("--dev-account", Integer.toString(account)));
        return all.toArray(String[]::new);
    }

    private BigInteger nonce(int account) {
        ChainOptions o = new ChainOptions();
        o.config = devnet.config;
        try (ChainContext c = o.open()) {
            return c.client.nonce(Address.of(LocalChain.devAccount(account).getAddress()), true);
        }
    }

    private static final String[] POLICY = {
        "--max-ratio", "50%", "--open", "74%", "--trigger", "78%", "--target", "60%", "--cooldown", "60s"
    };

    private String[] create(String... more) {
        List<String> all = new ArrayList<>(List.of("hedge", "create"));
        all.addAll(List.of(POLICY));
        all.addAll(List.of(more));
        return owner(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void aHedgeOfAnAaveVaultIsRefusedAndNothingIsSent() {
        String aave = ok("vault", "create", "--protocol", "aave-v3", "--dev-account", "2", "--json")
                .json()
                .get("vault")
                .asText();
        BigInteger before = nonce(2);
        List<String> args = new ArrayList<>(List.of("hedge", "create"));
        args.addAll(List.of(POLICY));
        args.addAll(List.of("--deposit", "1000", "--vault", aave, "--dev-account", "2"));
        Unwind.Run r = refused(args.toArray(String[]::new));
        assertThat(r.err()).contains("is on aave-v3", "only a Morpho Blue vault has", "Nothing was sent");
        assertThat(nonce(2)).isEqualTo(before);
    }

    @Test
    @Order(2)
    void theOwnerCreatesShowsChangesWithdrawsAndClosesAHedge() {
        // The reverse market: the devnet made it (with lenders), and the command finds it, sending nothing.
        BigInteger beforeMarket = nonce(2);
        JsonNode market = ok(owner("hedge", "market", "--json")).json();
        assertThat(market.get("action").asText()).isEqualTo("hedge market");
        assertThat(market.get("created").asBoolean()).isFalse();
        assertThat(market.get("lltv").asText()).isEqualTo("0.86");
        assertThat(market.get("transactions")).isEmpty();
        String reverseId = market.get("reverseMarketId").asText();
        assertThat(devnet.output()).contains("reverse market " + reverseId);
        BigInteger afterMarket = nonce(2);
        assertThat(afterMarket).isEqualTo(beforeMarket);
        Unwind.Run again = ok(owner("hedge", "market"));
        assertThat(again.out()).contains("exists already", reverseId);
        assertThat(nonce(2)).isEqualTo(afterMarket);

        // A trigger at or over the reverse market's LLTV, and a target over the trigger: refused, nothing sent.
        Unwind.Run overLltv = refused(
                owner("hedge", "create", "--max-ratio", "50%", "--open", "74%", "--trigger", "90%", "--target", "60%"));
        assertThat(overLltv.err())
                .contains(
                        "hedge policy refused, nothing was sent",
                        "the trigger must be under the reverse market's" + " LLTV (86.00%)");
        Unwind.Run targetOver = refused(owner(
                "hedge",
                "create",
                "--max-ratio",
                "50%",
                "--open",
                "74%",
                "--trigger",
                "78%",
                "--target",
                "79%",
                "--max-fee",
                "2%"));
        assertThat(targetOver.err())
                .contains(
                        "the target must be more than 0 and under the trigger",
                        "the max keeper fee must be at most" + " 1%");
        // Not the vault's owner.
        BigInteger stranger = nonce(5);
        List<String> asStranger = new ArrayList<>(List.of("hedge", "create"));
        asStranger.addAll(List.of(POLICY));
        asStranger.addAll(List.of("--vault", vault, "--dev-account", "5"));
        assertThat(refused(asStranger.toArray(String[]::new)).err()).contains("is not the owner of vault " + vault);
        assertThat(nonce(5)).isEqualTo(stranger);
        assertThat(nonce(2)).isEqualTo(afterMarket);

        // Created with 10,000 USDC of margin; the slippage and fee default to the vault policy's (1%, 0.5%).
        JsonNode created = ok(create("--deposit", "10000", "--json")).json();
        String hedge = created.get("hedge").asText();
        assertThat(created.get("action").asText()).isEqualTo("hedge create");
        assertThat(created.get("reverseMarketId").asText()).isEqualTo(reverseId);
        assertThat(created.get("config").asText()).contains("hedges:", "vault: \"" + vault + "\"", "hedge: \"" + hedge);
        assertThat(created.get("amount").get("text").asText()).isEqualTo("10000");
        Unwind.Run createdText = ok(create());
        assertThat(createdText.out()).contains("created hedge 0x", "hedges:", "- vault: \"" + vault + "\"");

        JsonNode shown = ok("hedge", "show", "--hedge", hedge, "--json").json();
        assertThat(shown.get("vault").asText()).isEqualTo(vault);
        assertThat(shown.get("owner").asText())
                .isEqualTo(LocalChain.devAccount(2).getAddress().toLowerCase());
        assertThat(shown.get("margin").get("text").asText()).isEqualTo("10000");
        assertThat(shown.get("margin").get("symbol").asText()).isEqualTo("USDC");
        assertThat(shown.get("shorted").get("units").asText()).isEqualTo("0");
        assertThat(shown.get("shorted").get("symbol").asText()).isEqualTo("WETH");
        assertThat(shown.get("ratioBps").asInt()).isZero();
        assertThat(shown.get("ltv").asText()).isEqualTo("0");
        assertThat(shown.get("reverseLltv").asText()).isEqualTo("0.86");
        assertThat(new BigDecimal(shown.get("equity").get("units").asText())).isEqualByComparingTo("10000000000");
        assertThat(shown.get("principal").get("text").asText()).isEqualTo("10000");
        assertThat(shown.get("pnl").get("units").asText()).isEqualTo("0");
        assertThat(shown.get("fundingPerYear").get("units").asText()).isEqualTo("0");
        assertThat(shown.get("lastActionAt").isNull()).isTrue();
        JsonNode policy = shown.get("policy");
        assertThat(policy.get("maxRatioBps").asInt()).isEqualTo(5000);
        assertThat(policy.get("openLtvBps").asInt()).isEqualTo(7400);
        assertThat(policy.get("triggerLtvBps").asInt()).isEqualTo(7800);
        assertThat(policy.get("targetLtvBps").asInt()).isEqualTo(6000);
        assertThat(policy.get("maxSlippageBps").asInt()).isEqualTo(100);
        assertThat(policy.get("maxFeeBps").asInt()).isEqualTo(50);
        assertThat(policy.get("cooldownSeconds").asLong()).isEqualTo(60);
        assertThat(ok("hedge", "show", "--hedge", hedge).out())
                .contains(
                        "hedge " + hedge + " of vault " + vault,
                        "margin       10,000 USDC",
                        "short        0 WETH",
                        "trigger 78%, target 60%, reverse market LLTV 86.00%",
                        "P&L");

        // Only the vault's owner acts on its hedge.
        BigInteger strangerNow = nonce(5);
        assertThat(refused(signedBy(5, "hedge", "deposit", "100", "--hedge", hedge))
                        .err())
                .contains("is not the owner of hedge " + hedge, "Nothing was sent");
        assertThat(nonce(5)).isEqualTo(strangerNow);

        // The policy: a subset changed, the rest kept; a trigger over the LLTV refused.
        BigInteger beforePolicy = nonce(2);
        assertThat(refused(signedBy(2, "hedge", "policy", "--hedge", hedge, "--trigger", "86%"))
                        .err())
                .contains("the trigger must be under the reverse market's LLTV");
        assertThat(nonce(2)).isEqualTo(beforePolicy);
        JsonNode changed = ok(signedBy(
                        2, "hedge", "policy", "--hedge", hedge, "--trigger", "80%", "--max-ratio", "40%", "--json"))
                .json();
        assertThat(changed.get("action").asText()).isEqualTo("hedge policy");
        JsonNode p = changed.get("hedgeAfter").get("policy");
        assertThat(p.get("triggerLtvBps").asInt()).isEqualTo(8000);
        assertThat(p.get("maxRatioBps").asInt()).isEqualTo(4000);
        assertThat(p.get("targetLtvBps").asInt()).isEqualTo(6000);
        assertThat(p.get("cooldownSeconds").asLong()).isEqualTo(60);

        // Margin: more than held is refused; some withdrawn; some deposited.
        assertThat(refused(signedBy(2, "hedge", "withdraw", "20000", "--hedge", hedge))
                        .err())
                .contains("holds 10,000 USDC of margin, less than 20,000 USDC");
        JsonNode withdrew = ok(signedBy(2, "hedge", "withdraw", "4000", "--hedge", hedge, "--json"))
                .json();
        assertThat(withdrew.get("hedgeAfter").get("margin").get("text").asText())
                .isEqualTo("6000");
        assertThat(withdrew.get("hedgeAfter").get("principal").get("text").asText())
                .isEqualTo("6000");
        JsonNode deposited = ok(signedBy(2, "hedge", "deposit", "500", "--hedge", hedge, "--json"))
                .json();
        assertThat(deposited.get("hedgeAfter").get("margin").get("text").asText())
                .isEqualTo("6500");

        // The exit: no short to repay, all the margin back to the owner.
        Unwind.Run closed = ok(signedBy(2, "hedge", "close", "--hedge", hedge));
        assertThat(closed.out()).contains("closed hedge " + hedge, "withdrew its 6,500 USDC of margin");
        JsonNode after = ok("hedge", "show", "--hedge", hedge, "--json").json();
        assertThat(after.get("margin").get("units").asText()).isEqualTo("0");
        assertThat(after.get("principal").get("units").asText()).isEqualTo("0");
        BigInteger closedNonce = nonce(2);
        assertThat(refused(signedBy(2, "hedge", "close", "--hedge", hedge)).err())
                .contains("nothing to close");
        assertThat(nonce(2)).isEqualTo(closedNonce);
    }

    /**
     * The whole path as an owner takes it: a vault and its hedge set up with the commands, the {@code hedges:} lines
     * {@code hedge create} prints added to the devnet's own config, and {@code unwind run} with that config. The keeper
     * shorts as the vault passes the hedge's open LTV, releases the short's profit to the vault's reserve when it
     * crosses its trigger and tops it up from it (no sale), buys the short back once the price has come back and shorts
     * again when it falls back; the owner then closes the hedge with the short open (repaid with the owner's own WETH)
     * and takes all its margin back. What is asserted is on chain (the hedge's short, the vault's LTV and events) and
     * in the journal (the keeper's transactions by kind).
     */
    @Test
    @Order(4)
    void theDevnetKeeperRunsAHedgeSetUpWithTheCommands() throws Exception {
        ok("devnet", "price", "3000");
        String mine = ok("vault", "create", "--dev-account", "4", "--json")
                .json()
                .get("vault")
                .asText();
        String[] v = {"--vault", mine, "--dev-account", "4"};
        // 21,000 against 10 WETH at 3,000: 70%; trigger 78%, target 68%.
        ok(concat(v, "vault", "fund", "10"));
        ok(concat(v, "vault", "borrow", "21000"));
        ok(concat(v, "policy", "set", "--trigger", "78%", "--target", "68%"));
        ok(concat(v, "keeper", "add"));
        ok(concat(v, "router", "allow", "both"));
        JsonNode created = ok(concat(
                        v,
                        "hedge",
                        "create",
                        "--max-ratio",
                        "100%",
                        "--open",
                        "71%",
                        "--trigger",
                        "78%",
                        "--target",
                        "65%",
                        "--cooldown",
                        "0s",
                        "--deposit",
                        "17000",
                        "--json"))
                .json();
        String hedge = created.get("hedge").asText();
        // The config as the owner edits it: the devnet's, with the lines `hedge create` printed.
        Path withHedge = devnet.config.resolveSibling("unwind-hedged.yaml");
        java.nio.file.Files.writeString(
                withHedge,
                java.nio.file.Files.readString(devnet.config) + "\n"
                        + created.get("config").asText() + "\n");

        // `config check --online` finds the hedge to be its vault's; listed for another vault, it is a problem.
        Unwind.Run checked =
                Unwind.run(new String[] {"config", "check", "--online", "--json", "--config", withHedge.toString()});
        assertThat(checked.exit()).as("%s", checked).isZero();
        assertThat(checked.json().get("hedges").get(0).asText()).isEqualTo("hedge " + hedge + " of vault " + mine);
        Path wrong = devnet.config.resolveSibling("unwind-wrong-hedge.yaml");
        java.nio.file.Files.writeString(
                wrong,
                java.nio.file.Files.readString(devnet.config) + "\nhedges:\n  - vault: \"" + vault + "\"\n    hedge: \""
                        + hedge + "\"\n");
        Unwind.Run misnamed =
                Unwind.run(new String[] {"config", "check", "--online", "--json", "--config", wrong.toString()});
        assertThat(misnamed.exit()).as("%s", misnamed).isEqualTo(ExitCodes.FAILED);
        assertThat(misnamed.json().get("problems").toString())
                .contains("hedges[0]: " + hedge + " is the hedge of vault " + mine + ", not of " + vault);

        java.io.StringWriter runErr = new java.io.StringWriter();
        Thread keeper = Unwind.startKeeper(withHedge.toString(), runErr);
        try {
            String base = "http://127.0.0.1:" + devnet.httpPort;
            DevnetCommandsTest.waitFor(
                    () -> DevnetCommandsTest.get(base + "/ready").contains("\"vaults\""), "the keeper's status server");
            // 21,000 / (10 x 2,950) = 71.2%: over the hedge's open LTV, under the vault's trigger.
            ok("devnet", "price", "2950");
            DevnetCommandsTest.waitFor(() -> shorted(hedge).signum() > 0, "the keeper to open the short: " + runErr);
            // 21,000 / (10 x 2,650) = 79.2%: over the trigger. The short's profit goes to the reserve, which tops up.
            ok("devnet", "price", "2650");
            DevnetCommandsTest.waitFor(
                    () -> ltv(mine).compareTo(new BigDecimal("0.78")) < 0,
                    "a top-up from the hedge's profit: " + runErr);
            List<String> events = ok("events", mine, "--from-block", "0", "--json")
                    .out()
                    .lines()
                    .map(Unwind::json)
                    .map(e -> e.get("event").asText())
                    .toList();
            assertThat(events).contains("ToppedUp").doesNotContain("Deleveraged");
            // The price comes back: the vault is out of danger, the short is bought back whole.
            ok("devnet", "price", "3100");
            DevnetCommandsTest.waitFor(() -> shorted(hedge).signum() == 0, "the short bought back: " + runErr);
            // Down again, into danger: shorted again, and left open for the owner's exit below.
            ok("devnet", "price", "2800");
            DevnetCommandsTest.waitFor(() -> shorted(hedge).signum() > 0, "the short opened again: " + runErr);
        } finally {
            keeper.interrupt();
            keeper.join(20_000);
        }
        // The journal holds the keeper's hedge transactions under the hedge, by kind.
        List<String> kinds = new ArrayList<>();
        ok("tx", "list", "--vault", hedge, "--limit", "50", "--json").json().forEach(t -> {
            assertThat(t.get("vault").asText()).isEqualTo(hedge);
            kinds.add(t.get("kind").asText());
        });
        assertThat(kinds).contains("HEDGE", "HEDGE_RELEASE", "UNHEDGE");
        // The keeper's last transactions, broadcast before it stopped, are mined: its last action stays the last.
        String[] last = {""};
        DevnetCommandsTest.waitFor(
                () -> {
                    String now = ok("hedge", "show", "--hedge", hedge, "--json")
                            .json()
                            .get("lastActionAt")
                            .asText();
                    boolean same = now.equals(last[0]);
                    last[0] = now;
                    if (!same) sleepQuietly(3000);
                    return same;
                },
                "the keeper's last hedge action to be mined");
        // The owner's exit with the short open: repaid with the owner's own WETH, then all the margin back.
        Unwind.Run closed = ok(signedBy(4, "hedge", "close", "--hedge", hedge));
        assertThat(closed.out()).contains("closed hedge " + hedge, "repaid its short of", "withdrew its");
        JsonNode after = ok("hedge", "show", "--hedge", hedge, "--json").json();
        assertThat(after.get("shorted").get("units").asText()).isEqualTo("0");
        assertThat(after.get("margin").get("units").asText()).isEqualTo("0");
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BigInteger shorted(String hedge) {
        return new BigInteger(ok("hedge", "show", "--hedge", hedge, "--json")
                .json()
                .get("shorted")
                .get("units")
                .asText());
    }

    private BigDecimal ltv(String vault) {
        return new BigDecimal(ok("status", vault, "--json")
                .json()
                .get("vaults")
                .get(0)
                .get("ltv")
                .asText());
    }

    private static String[] concat(String[] tail, String... head) {
        return Unwind.concat(tail, head);
    }

    @Test
    @Order(3)
    void anAddressThatIsNoHedgeIsRefused() {
        assertThat(refused("hedge", "show", "--hedge", vault).err()).contains("is not an UnwindHedge");
    }
}
