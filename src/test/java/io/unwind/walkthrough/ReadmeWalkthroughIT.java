package io.unwind.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.unwind.contracts.UnwindVault;
import io.unwind.local.LocalChain;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;

/**
 * The README's walk-through, run as a new user runs it: its code blocks read from README.md and typed into bash
 * verbatim through the launcher {@code ./unwind} (with its own JVM options and the built jar), a devnet and the daemon
 * in the background as in a second terminal. The outcome that matters is asserted on chain: after {@code devnet price
 * 2500} the keeper's action is mined within two blocks and brings the vault under its trigger, from the key the config
 * names; {@code unwind_vaults_watched} is 1 and {@code tx list} shows the mined action.
 *
 * <p>The devnet's config has no {@code vaults:} list, so both tests exercise factory discovery; the keystore test
 * starts the daemon before the vault exists and signs with a key made by {@code keystore new} at full scrypt strength,
 * as on a real chain (keystore-template/README.md's commands, also run verbatim).
 */
@Tag("process")
class ReadmeWalkthroughIT {
    private static final Path REPO =
            Path.of(System.getProperty("unwind.repo.dir", ".")).toAbsolutePath().normalize();
    private static final String TRY = "Try it by hand";
    private static final String OWN = "Own a vault";
    private static final String RUN = "Run the keeper and watch it";
    private static final String KEY = "Making a keeper key";
    private static final int STATUS_PORT = 9464;
    private static final BigInteger TRIGGER_WAD = new BigInteger("800000000000000000"); // the README's --trigger 80%
    private static final String ACTION_TOPICS_DELEVERAGED = EventEncoder.encode(UnwindVault.DELEVERAGED_EVENT);
    private static final String ACTION_TOPICS_TOPPED_UP = EventEncoder.encode(UnwindVault.TOPPEDUP_EVENT);
    private static final Pattern PRICE_BLOCK = Pattern.compile("at block (\\d+)");

    @TempDir
    Path dir;

    private final Readme readme = Readme.read(REPO.resolve("README.md"));
    private UserShell shell;
    private Web3j web3j;
    private HttpService node;

    @BeforeEach
    void sandbox() throws IOException {
        try (ServerSocket s = new ServerSocket(STATUS_PORT)) {
            s.setReuseAddress(true);
        } catch (IOException taken) {
            throw new AssertionError(
                    "port " + STATUS_PORT
                            + " is taken (a keeper or devnet of yours?): the README's walk-through uses it; stop it and run again");
        }
        shell = UserShell.in(REPO, dir);
    }

    @AfterEach
    void close() {
        if (shell != null) shell.close();
        if (web3j != null) web3j.shutdown();
    }

    @Test
    void theReadmeWalkthroughAsWrittenProtectsTheVault() throws Exception {
        startDevnet();
        for (String line : readme.block(OWN)) shell.run(line).ok();

        String keeper = LocalChain.devAccount(3).getAddress(); // the devnet config's keeper
        List<String> run = readme.block(RUN);
        Optional<Action> first = Optional.empty();
        String txList = null;
        String metrics = null;
        for (String line : run) {
            String cmd = Readme.command(line);
            if (cmd.equals("./unwind run")) {
                shell.startAndWait(line, out -> out.contains("status page http"), Duration.ofSeconds(90));
            } else if (cmd.startsWith("./unwind devnet price")) {
                first = Optional.of(priceMovesAndKeeperActs(line, keeper));
            } else if (cmd.startsWith("./unwind events --follow")) {
                var events = shell.startAndWait(
                        line, out -> out.contains("Deleveraged") || out.contains("ToppedUp"), Duration.ofSeconds(60));
                shell.stop(events);
            } else {
                String out = shell.run(line).ok().out();
                if (cmd.startsWith("./unwind tx list")) txList = out;
                if (cmd.startsWith("curl") && cmd.contains("/metrics")) metrics = out;
            }
        }
        assertThat(first)
                .as("the README's run block moves the price (./unwind devnet price ...)")
                .isPresent();
        assertThat(txList)
                .as("the README's run block lists the journal (./unwind tx list)")
                .isNotNull();
        assertThat(txList)
                .as("tx list shows the action that was mined")
                .containsIgnoringCase(first.get().txHash());
        assertThat(shell.run("./unwind tx list --json").ok().out())
                .contains(first.get().txHash())
                .contains("\"CONFIRMED\"");
        assertThat(metrics).as("the README's metrics line").isNotNull();
        assertThat(metrics).containsPattern("(?m)^unwind_vaults_watched 1\\.0$");
    }

    @Test
    void aKeystoreKeeperInFactoryModeProtectsAVaultCreatedAfterItStarted() throws Exception {
        startDevnet();
        // keystore-template/README.md's commands for a real chain's keeper key, typed at the checkout's root
        for (String line :
                Readme.read(REPO.resolve("keystore-template/README.md")).block(KEY))
            shell.run(line).ok();
        Path keystore;
        try (var files = Files.list(shell.root().resolve("keys"))) {
            keystore = files.filter(f -> f.getFileName().toString().startsWith("UTC--"))
                    .findFirst()
                    .orElseThrow();
        }
        JsonNode ks = new ObjectMapper().readTree(keystore.toFile());
        assertThat(ks.at("/crypto/kdfparams/n").asInt())
                .as("keystore new makes a strong key")
                .isEqualTo(1 << 18);
        String keeper = "0x" + ks.path("address").asText();

        // The user points the devnet config at the new key instead of the development account and funds the key.
        Path devnetConfig = shell.root().resolve("devnet/unwind.yaml");
        String config = Files.readString(devnetConfig)
                .replaceFirst(
                        "(?m)^  devAccount: 3$",
                        "  keystore: " + keystore.toAbsolutePath() + "\n  passwordFile: "
                                + shell.root().resolve("keys/keeper.pass").toAbsolutePath());
        assertThat(config).contains("keystore: ");
        Files.writeString(shell.root().resolve("devnet/keeper.yaml"), config);
        shell.run("export UNWIND_CONFIG=$PWD/devnet/keeper.yaml").ok();
        rpc(chain().ethChainId()); // the node is up
        setBalance(keeper, BigInteger.TEN.pow(19));

        // The daemon first, while the factory has no vault; then the owner's walk-through creates one.
        shell.startAndWait(
                readme.line(RUN, "./unwind run"), out -> out.contains("status page http"), Duration.ofSeconds(90));
        for (String line : readme.block(OWN)) shell.run(line).ok();
        priceMovesAndKeeperActs(readme.line(RUN, "./unwind devnet price"), keeper);
        assertThat(shell.run("curl -s localhost:" + STATUS_PORT + "/metrics")
                        .ok()
                        .out())
                .containsPattern("(?m)^unwind_vaults_watched 1\\.0$");
    }

    /** A keeper action mined on chain: its transaction, block, and the LTV the contract computed after it. */
    record Action(String txHash, long block, String keeper, BigInteger ltvAfter) {}

    private void startDevnet() {
        shell.startAndWait(
                readme.line(TRY, "./unwind devnet"),
                out -> out.contains("Ctrl-C stops the devnet"),
                Duration.ofSeconds(180));
        shell.run(readme.line(TRY, "export UNWIND_CONFIG=")).ok();
    }

    /**
     * Runs the README's price line and asserts the outcome: a keeper action from {@code keeper} mined within two blocks
     * of the price move, and the vault under its trigger (by the contract's own LTV) within a few blocks more.
     */
    private Action priceMovesAndKeeperActs(String line, String keeper) throws IOException {
        String out = shell.run(line).ok().out();
        Matcher m = PRICE_BLOCK.matcher(out);
        assertThat(m.find())
                .as("devnet price says at which block it moved the price: " + out)
                .isTrue();
        long moved = Long.parseLong(m.group(1));
        List<Action> actions = waitForActions(moved, 12);
        assertThat(actions)
                .as("keeper actions after the price moved at block " + moved)
                .isNotEmpty();
        Action first = actions.get(0);
        assertThat(first.block())
                .as("the first action's block, price moved at " + moved)
                .isLessThanOrEqualTo(moved + 2);
        assertThat(first.keeper()).isEqualToIgnoringCase(keeper);
        assertThat(actions.get(actions.size() - 1).ltvAfter())
                .as("the vault's LTV after the last action (trigger 80%)")
                .isLessThan(TRIGGER_WAD);
        return first;
    }

    /**
     * The keeper actions from {@code from} on, once the vault is under its trigger or {@code blocks} blocks have
     * passed.
     */
    private List<Action> waitForActions(long from, int blocks) throws IOException {
        List<Action> actions = new ArrayList<>();
        while (true) {
            long head = rpc(chain().ethBlockNumber()).getBlockNumber().longValueExact();
            actions = actionsSince(from, head);
            boolean protectedNow = !actions.isEmpty()
                    && actions.get(actions.size() - 1).ltvAfter().compareTo(TRIGGER_WAD) < 0;
            if (protectedNow || head >= from + blocks) return actions;
            UserShell.sleep(300);
        }
    }

    @SuppressWarnings("rawtypes") // web3j decodes into List<Type>, with Type raw
    private List<Action> actionsSince(long from, long to) throws IOException {
        EthFilter filter = new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)),
                List.<String>of());
        filter.addOptionalTopics(ACTION_TOPICS_DELEVERAGED, ACTION_TOPICS_TOPPED_UP);
        List<Action> out = new ArrayList<>();
        for (EthLog.LogResult<?> r : rpc(chain().ethGetLogs(filter)).getLogs()) {
            Log log = (Log) r.get();
            boolean sale = log.getTopics().get(0).equals(ACTION_TOPICS_DELEVERAGED);
            // Deleveraged's data: collateralSold, debtRepaid, proceeds, keeperFee, ltvBefore, ltvAfter; ToppedUp's:
            // debtRepaid, keeperFee, ltvBefore, ltvAfter. ltvAfter is the last word of both.
            List<TypeReference<Type>> words = new ArrayList<>();
            for (int i = 0; i < (sale ? 6 : 4); i++) words.add(uint());
            List<Type> data = FunctionReturnDecoder.decode(log.getData(), words);
            String keeperTopic = log.getTopics().get(1);
            out.add(new Action(
                    log.getTransactionHash(),
                    log.getBlockNumber().longValueExact(),
                    "0x" + keeperTopic.substring(keeperTopic.length() - 40),
                    (BigInteger) data.get(data.size() - 1).getValue()));
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeReference<Type> uint() {
        return (TypeReference) new TypeReference<Uint256>() {};
    }

    private Web3j chain() throws IOException {
        if (web3j == null) {
            JsonNode config = new ObjectMapper(new YAMLFactory())
                    .readTree(shell.root().resolve("devnet/unwind.yaml").toFile());
            node = new HttpService(config.at("/chain/endpoints/0/url").asText());
            web3j = Web3j.build(node);
        }
        return web3j;
    }

    /** What the user does with their wallet: give the keeper key gas money. */
    private void setBalance(String address, BigInteger wei) throws IOException {
        chain();
        var r = new Request<>(
                        "anvil_setBalance",
                        List.of(address, "0x" + wei.toString(16)),
                        node,
                        org.web3j.protocol.core.methods.response.VoidResponse.class)
                .send();
        if (r.hasError())
            throw new AssertionError("anvil_setBalance: " + r.getError().getMessage());
    }

    private static <T extends Response<?>> T rpc(Request<?, T> request) throws IOException {
        T r = request.send();
        if (r.hasError())
            throw new AssertionError(request.getMethod() + ": " + r.getError().getMessage());
        return r;
    }
}
