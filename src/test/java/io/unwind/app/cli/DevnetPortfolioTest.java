package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unwind.local.LocalChain;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One owner's vaults on both of the devnet's protocols, opened and read through the commands as a user would:
 * {@code vault create} on Morpho Blue and with {@code --protocol aave-v3} on the devnet's Aave V3 pool, funded and
 * borrowed against with the same owner commands, and shown together by {@code unwind portfolio}; {@code devnet price}
 * moves both protocols' price.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("chain")
class DevnetPortfolioTest {
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

    @Test
    void portfolioShowsAnOwnersMorphoAndAaveVaultsAndTheirTotals() {
        assertThat(devnet.output()).contains("Aave V3 pool", "unwind vault create --protocol aave-v3");
        ok("devnet", "price", "3000");
        String owner = LocalChain.devAccount(2).getAddress().toLowerCase();
        String morpho = ok("vault", "create", "--dev-account", "2", "--json")
                .json()
                .get("vault")
                .asText();
        Unwind.Run createdOnAave = ok("vault", "create", "--protocol", "aave-v3", "--dev-account", "2", "--json");
        String aave = createdOnAave.json().get("vault").asText();
        assertThat(createdOnAave.err()).contains("already owns vault " + morpho);
        // The same owner commands on both.
        ok("vault", "fund", "10", "--vault", morpho, "--dev-account", "2");
        ok("vault", "borrow", "15000", "--vault", morpho, "--dev-account", "2");
        ok("vault", "fund", "10", "--vault", aave, "--dev-account", "2");
        ok("vault", "borrow", "12000", "--vault", aave, "--dev-account", "2");

        JsonNode p = ok("portfolio", "--owner", owner, "--json").json();
        assertThat(p.get("portfolios")).hasSize(1);
        JsonNode book = p.get("portfolios").get(0);
        assertThat(book.get("owner").asText()).isEqualTo(owner);
        assertThat(book.get("protocols").toString()).isEqualTo("[\"morpho-blue\",\"aave-v3\"]");
        assertThat(book.get("vaults")).hasSize(2);
        assertThat(book.get("vaults").get(1).get("vault").asText()).isEqualTo(aave);
        assertThat(book.get("vaults").get(1).get("lltv").asText()).isEqualTo("0.825");
        // 20 WETH supplied over both, 27,000 USDC owed.
        JsonNode weth = book.get("assets").get(0);
        assertThat(weth.get("symbol").asText()).isEqualTo("WETH");
        assertThat(new BigDecimal(weth.get("collateral").get("text").asText())).isEqualByComparingTo("20");
        JsonNode usdc = book.get("assets").get(1);
        assertThat(new BigDecimal(usdc.get("debt").get("text").asText()))
                .isGreaterThanOrEqualTo(new BigDecimal("27000"))
                .isLessThan(new BigDecimal("27001"));
        JsonNode total = book.get("totals").get(0);
        assertThat(total.get("quote").asText()).isEqualTo("USDC");
        assertThat(total.get("vaults").asInt()).isEqualTo(2);
        // Equity = 20 WETH at the devnet's 3,000 - 27,000 USDC (and a few units of interest).
        BigDecimal equity = new BigDecimal(total.get("equity").get("units").asText()).movePointLeft(6);
        assertThat(equity).isBetween(new BigDecimal("32999"), new BigDecimal("33000"));
        // Morpho at 50% of 86% is closer to liquidation than Aave at 40% of 82.5%.
        assertThat(book.get("worst").get("vault").asText()).isEqualTo(morpho);

        Unwind.Run text = ok("portfolio", "--owner", owner);
        assertThat(text.out())
                .contains("2 vaults on morpho-blue, aave-v3", "aave-v3", "total in USDC", "closest to liquidation: ");

        // One price for both protocols: at 2,000 both LTVs rise by the same factor.
        ok("devnet", "price", "2000");
        JsonNode after = ok("portfolio", "--owner", owner, "--json")
                .json()
                .get("portfolios")
                .get(0);
        assertThat(new BigDecimal(after.get("vaults").get(1).get("ltv").asText()))
                .isBetween(new BigDecimal("0.5999"), new BigDecimal("0.6001"));
        assertThat(new BigDecimal(after.get("vaults").get(0).get("ltv").asText()))
                .isBetween(new BigDecimal("0.7499"), new BigDecimal("0.7501"));
    }

    /**
     * The keeper as the devnet's own config runs it (no vault list: it watches every vault of both factories) protects
     * an Aave V3 vault set up through the commands.
     */
    @Test
    void theDevnetKeeperProtectsAnAaveVault() throws Exception {
        ok("devnet", "price", "3000");
        String aave = ok("vault", "create", "--protocol", "aave-v3", "--dev-account", "4", "--json")
                .json()
                .get("vault")
                .asText();
        String[] v = {"--vault", aave, "--dev-account", "4"};
        ok(concat(v, "vault", "fund", "10"));
        ok(concat(v, "vault", "borrow", "21000"));
        ok(concat(v, "policy", "set", "--trigger", "76%", "--target", "66%"));
        ok(concat(v, "keeper", "add"));
        ok(concat(v, "router", "allow", "both"));

        java.io.StringWriter runErr = new java.io.StringWriter();
        Thread keeper = startKeeper(runErr);
        try {
            String base = "http://127.0.0.1:" + devnet.httpPort;
            // Not /ready's 200: the devnet's config watches every vault of both factories, and the other test's
            // vaults have not allowed the keeper, which /ready reports. The status server answering is enough.
            waitFor(() -> get(base + "/ready").contains("\"vaults\""), "the keeper's status server");
            // 21,000 / (10 x 2,700) = 77.8%: over the 76% trigger, under Aave's 82.5% liquidation threshold.
            ok("devnet", "price", "2700");
            waitFor(
                    () -> {
                        JsonNode h = ok("status", aave, "--json")
                                .json()
                                .get("vaults")
                                .get(0);
                        return h.get("protocol").asText().equals("aave-v3")
                                && new BigDecimal(h.get("ltv").asText()).compareTo(new BigDecimal("0.76")) < 0;
                    },
                    "the keeper to bring the Aave vault under its trigger: " + runErr);
            JsonNode deleveraged = ok("events", aave, "--from-block", "0", "--json")
                    .out()
                    .lines()
                    .map(Unwind::json)
                    .filter(e -> e.get("event").asText().equals("Deleveraged"))
                    .findFirst()
                    .orElseThrow();
            assertThat(deleveraged.get("args").get("keeper").asText())
                    .isEqualTo(LocalChain.devAccount(3).getAddress().toLowerCase());
            assertThat(get(base + "/metrics"))
                    .contains("unwind_owner_vaults{owner=\""
                            + LocalChain.devAccount(4).getAddress().toLowerCase());
        } finally {
            keeper.interrupt();
            keeper.join(20_000);
        }
    }

    /**
     * An owner's resources through the commands, as a user sets them up: two of the owner's vaults (Morpho and Aave)
     * listed as move peers with caps, a shared reserve created, funded and linked; the devnet's keeper, run as its
     * config runs it, first moves collateral from the lightly borrowed Aave vault into the Morpho vault at its trigger,
     * then, with the peers unlisted, tops the Morpho vault up from the shared reserve. Neither time does it sell.
     */
    @Test
    void theKeeperMovesCollateralThenDrawsTheSharedReserveSetUpWithTheCommands() throws Exception {
        ok("devnet", "price", "3000");
        String morpho = ok("vault", "create", "--dev-account", "5", "--json")
                .json()
                .get("vault")
                .asText();
        String spare = ok("vault", "create", "--protocol", "aave-v3", "--dev-account", "5", "--json")
                .json()
                .get("vault")
                .asText();
        String[] m = {"--vault", morpho, "--dev-account", "5"};
        String[] s = {"--vault", spare, "--dev-account", "5"};
        // 21,000 against 10 WETH at 3,000: 70%, trigger 78%.
        ok(concat(m, "vault", "fund", "10"));
        ok(concat(m, "vault", "borrow", "21000"));
        ok(concat(m, "policy", "set", "--trigger", "78%", "--target", "68%"));
        ok(concat(m, "keeper", "add"));
        ok(concat(m, "router", "allow", "both"));
        // 6,000 against 20 WETH: 10%. The keeper acts on a move's source, so it is allowed there too.
        ok(concat(s, "vault", "fund", "20"));
        ok(concat(s, "vault", "borrow", "6000"));
        ok(concat(s, "policy", "set", "--trigger", "75%", "--target", "60%"));
        ok(concat(s, "keeper", "add"));

        Unwind.Run uncapped = ok(concat(m, "vault", "move-peer", spare));
        assertThat(uncapped.out()).contains("listed", "stay off until its move cap is set");
        ok(concat(s, "vault", "move-cap", "20%"));
        // Both ends were listed by the first command: nothing is left to send, and the owner is told so.
        Unwind.Run again = Unwind.run(Unwind.with(config, concat(s, "vault", "move-peer", morpho)));
        assertThat(again.exit()).as("%s", again).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("list each other already", "Nothing was sent");
        JsonNode created = ok(concat(m, "reserve", "shared", "create", "--fund", "5000", "--limit", "4000", "--json"))
                .json();
        String reserve = created.get("sharedReserve").asText();
        assertThat(created.get("action").asText()).isEqualTo("shared-reserve create");
        assertThat(created.get("limit").get("text").asText()).isEqualTo("4000");
        assertThat(created.get("transactions")).hasSize(4); // deploy, transfer, setLimit, setSharedReserve

        JsonNode links = ok("vault", "show", morpho, "--json").json().get("portfolio");
        assertThat(links.get("sharedReserve").asText()).isEqualTo(reserve);
        assertThat(links.get("movePeers").toString()).isEqualTo("[\"" + spare + "\"]");
        assertThat(links.get("maxMoveBps").asInt()).isZero();
        // Its own reserve is empty: all it can spend is the limit.
        assertThat(links.get("topUpAvailable").get("text").asText()).isEqualTo("4000");
        assertThat(ok("vault", "show", spare).out()).contains("one move out takes at most 20%");

        java.io.StringWriter runErr = new java.io.StringWriter();
        Thread keeper = startKeeper(runErr);
        try {
            String base = "http://127.0.0.1:" + devnet.httpPort;
            waitFor(() -> get(base + "/ready").contains("\"vaults\""), "the keeper's status server");
            // 21,000 / (10 x 2,650) = 79.2%: over the trigger. The spare vault can give 20% of its 20 WETH, more than
            // the 1.65 WETH the Morpho vault needs to reach 68%.
            ok("devnet", "price", "2650");
            waitFor(() -> ltv(morpho).compareTo(new BigDecimal("0.78")) < 0, "a move into the Morpho vault: " + runErr);
            java.util.List<JsonNode> events = events(morpho);
            JsonNode received = events.stream()
                    .filter(e -> e.get("event").asText().equals("CollateralReceived"))
                    .findFirst()
                    .orElseThrow();
            assertThat(received.get("args").get("from").asText()).isEqualTo(spare);
            assertThat(events).noneMatch(e -> e.get("event").asText().equals("Deleveraged"));
            assertThat(events(spare))
                    .anyMatch(e -> e.get("event").asText().equals("CollateralMoved"))
                    .noneMatch(e -> e.get("event").asText().equals("Deleveraged"));
            assertThat(ltv(morpho)).isBetween(new BigDecimal("0.67"), new BigDecimal("0.69"));

            // No more moves: the next crossing is paid from the shared reserve.
            ok(concat(m, "vault", "move-peer", spare, "--remove"));
            // 21,000 / (11.65 x 2,300) = 78.4%.
            ok("devnet", "price", "2300");
            waitFor(() -> ltv(morpho).compareTo(new BigDecimal("0.78")) < 0, "a shared top-up: " + runErr);
            assertThat(events(morpho)).anyMatch(e -> e.get("event").asText().equals("ToppedUp"));
            assertThat(events(morpho)).noneMatch(e -> e.get("event").asText().equals("Deleveraged"));
            BigDecimal left = new BigDecimal(ok("vault", "show", morpho, "--json")
                    .json()
                    .get("portfolio")
                    .get("topUpAvailable")
                    .get("text")
                    .asText());
            assertThat(left).isLessThan(new BigDecimal("4000")).isGreaterThan(BigDecimal.ZERO);
            JsonNode withdrawn = ok(concat(m, "reserve", "shared", "withdraw", "all", "--json"))
                    .json();
            assertThat(withdrawn.get("sharedReserve").asText()).isEqualTo(reserve);
            assertThat(new BigDecimal(withdrawn.get("amount").get("text").asText()))
                    .isGreaterThan(new BigDecimal("1000"));
        } finally {
            keeper.interrupt();
            keeper.join(20_000);
        }
    }

    /** {@code unwind run --config} with the devnet's own config, as a user starts it, in a daemon thread. */
    private Thread startKeeper(java.io.StringWriter err) {
        return Unwind.startKeeper(config, err);
    }

    private BigDecimal ltv(String vault) {
        return new BigDecimal(ok("status", vault, "--json")
                .json()
                .get("vaults")
                .get(0)
                .get("ltv")
                .asText());
    }

    private java.util.List<JsonNode> events(String vault) {
        return ok("events", vault, "--from-block", "0", "--json")
                .out()
                .lines()
                .map(Unwind::json)
                .toList();
    }

    private static String[] concat(String[] tail, String... head) {
        return Unwind.concat(tail, head);
    }

    private static void waitFor(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        DevnetCommandsTest.waitFor(done, what);
    }

    private static String get(String url) {
        return DevnetCommandsTest.get(url);
    }
}
