package io.unwind.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.ChainId;
import io.unwind.domain.money.Wei;
import io.unwind.tx.Signer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * A local anvil chain on a free port of 127.0.0.1, for tests, the simulator, the demo and devnet.
 *
 * <p>anvil runs under a small shell watchdog that kills it when this JVM dies, even by SIGKILL, so no anvil outlives
 * the process that started it; {@link #close()} stops it at once and waits for it.
 */
public final class LocalChain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalChain.class);
    private static final Pattern LISTENING = Pattern.compile("Listening on ([0-9.]+):(\\d+)");
    private static final Pattern PID = Pattern.compile("^anvil-pid (\\d+)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** anvil's well-known development mnemonic; its accounts never hold real funds. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

    private static final Pattern KEY_LIKE = Pattern.compile("0x[0-9a-fA-F]{64}");
    /** A URL's path, query and credentials: where providers put API keys (a fork's URL, which anvil prints). */
    private static final Pattern URL_SECRETS = Pattern.compile("(https?|wss?)://(?:[^/\\s@]+@)?([^/\\s?#]+)[^\\s]*");

    private static final Credentials[] DEV_ACCOUNTS = new Credentials[20];

    private final Process watchdog;
    private final ProcessHandle anvil;
    private final URI http;
    private final URI ws;
    private final long chainId;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong ids = new AtomicLong();
    private final List<String> output;

    /** How to start anvil. */
    public record Options(
            long chainId,
            Optional<Duration> blockTime,
            boolean noMining,
            Optional<Path> loadState,
            Optional<Long> gasLimit,
            Optional<Long> baseFee,
            int accounts,
            Optional<Integer> pruneHistory,
            boolean fifo,
            Optional<URI> forkUrl,
            Optional<Long> forkBlock) {

        /**
         * Chain 31337, automine, 10 funded accounts, and the last 256 block states kept in memory: anvil otherwise
         * keeps every block's state, which makes each new block slower as a fleet of vaults grows.
         */
        public static Options defaults() {
            return new Options(
                    ChainId.ANVIL.value(),
                    Optional.empty(),
                    false,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    10,
                    Optional.of(256),
                    false,
                    Optional.empty(),
                    Optional.empty());
        }

        /** Keep only the last {@code states} block states in memory (faster blocks on a large state). */
        public Options withPruneHistory(int states) {
            return new Options(
                    chainId,
                    blockTime,
                    noMining,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    Optional.of(states),
                    fifo,
                    forkUrl,
                    forkBlock);
        }

        /**
         * Mine transactions in arrival order instead of by tip: the simulator's keeper then lands at the top of the
         * block after the one it decided on, before that block's price moves.
         */
        public Options withFifoOrder() {
            return new Options(
                    chainId,
                    blockTime,
                    noMining,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    true,
                    forkUrl,
                    forkBlock);
        }

        public Options withChainId(long id) {
            return new Options(
                    id,
                    blockTime,
                    noMining,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    fifo,
                    forkUrl,
                    forkBlock);
        }

        public Options withBlockTime(Duration d) {
            return new Options(
                    chainId,
                    Optional.of(d),
                    noMining,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    fifo,
                    forkUrl,
                    forkBlock);
        }

        public Options withNoMining() {
            return new Options(
                    chainId,
                    blockTime,
                    true,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    fifo,
                    forkUrl,
                    forkBlock);
        }

        public Options withLoadState(Path p) {
            return new Options(
                    chainId,
                    blockTime,
                    noMining,
                    Optional.of(p),
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    fifo,
                    forkUrl,
                    forkBlock);
        }

        /**
         * A fork of the chain at {@code url} (at {@code block}, or its head): anvil serves that chain's state, fetched
         * as it is read, with its own blocks on top. Give it the forked chain's id ({@link #withChainId}).
         */
        public Options withFork(URI url, Optional<Long> block) {
            return new Options(
                    chainId,
                    blockTime,
                    noMining,
                    loadState,
                    gasLimit,
                    baseFee,
                    accounts,
                    pruneHistory,
                    fifo,
                    Optional.of(url),
                    block);
        }

        public Options withBaseFee(long wei) {
            return new Options(
                    chainId,
                    blockTime,
                    noMining,
                    loadState,
                    gasLimit,
                    Optional.of(wei),
                    accounts,
                    pruneHistory,
                    fifo,
                    forkUrl,
                    forkBlock);
        }
    }

    private LocalChain(
            Process watchdog, ProcessHandle anvil, String host, int port, long chainId, List<String> output) {
        this.watchdog = watchdog;
        this.anvil = anvil;
        this.http = URI.create("http://" + host + ":" + port);
        this.ws = URI.create("ws://" + host + ":" + port);
        this.chainId = chainId;
        this.output = output;
    }

    public static LocalChain start() {
        return start(Options.defaults());
    }

    public static LocalChain start(Options o) {
        return start(Toolchain.locate(), o);
    }

    public static LocalChain start(Toolchain toolchain, Options o) {
        List<String> anvilArgs = new ArrayList<>(List.of(
                toolchain.anvil().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--chain-id",
                Long.toString(o.chainId()),
                "--accounts",
                Integer.toString(o.accounts())));
        o.blockTime().ifPresent(d -> anvilArgs.addAll(List.of("--block-time", Double.toString(d.toMillis() / 1000.0))));
        if (o.noMining()) anvilArgs.add("--no-mining");
        o.loadState().ifPresent(p -> anvilArgs.addAll(List.of("--load-state", p.toString())));
        o.gasLimit().ifPresent(g -> anvilArgs.addAll(List.of("--gas-limit", Long.toString(g))));
        o.baseFee().ifPresent(b -> anvilArgs.addAll(List.of("--base-fee", Long.toString(b))));
        o.pruneHistory().ifPresent(n -> anvilArgs.addAll(List.of("--prune-history", Integer.toString(n))));
        if (o.fifo()) anvilArgs.addAll(List.of("--order", "fifo"));
        o.forkUrl().ifPresent(u -> anvilArgs.addAll(List.of("--fork-url", u.toString())));
        o.forkBlock().ifPresent(b -> anvilArgs.addAll(List.of("--fork-block-number", Long.toString(b))));

        // The watchdog: start anvil, print its pid, and kill it as soon as our JVM is gone (even SIGKILLed)
        // or when we are told to stop.
        long me = ProcessHandle.current().pid();
        String script = "\"$@\" & a=$!; echo \"anvil-pid $a\"; trap 'kill $a 2>/dev/null' TERM INT HUP; "
                + "while kill -0 " + me + " 2>/dev/null && kill -0 $a 2>/dev/null; do sleep 0.2; done; "
                + "kill $a 2>/dev/null; wait $a";
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "anvil-watchdog"));
        cmd.addAll(anvilArgs);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil (" + toolchain.anvil() + "): " + e.getMessage(), e);
        }
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String[]> listening = new CompletableFuture<>();
        CompletableFuture<Long> pid = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            // anvil prints its development keys at start; they are public, but keep them out of our
                            // logs anyway.
                            if (output.size() < 400)
                                output.add(URL_SECRETS
                                        .matcher(KEY_LIKE.matcher(line).replaceAll("0x…"))
                                        .replaceAll("$1://$2/…"));
                            Matcher m = LISTENING.matcher(line);
                            if (m.find()) listening.complete(new String[] {m.group(1), m.group(2)});
                            Matcher pm = PID.matcher(line.trim());
                            if (pm.matches()) pid.complete(Long.parseLong(pm.group(1)));
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    listening.completeExceptionally(new IllegalStateException("anvil exited before listening"));
                },
                "anvil-output");
        reader.setDaemon(true);
        reader.start();
        try {
            String[] hp = listening.get(30, TimeUnit.SECONDS);
            long anvilPid = pid.get(5, TimeUnit.SECONDS);
            ProcessHandle handle =
                    ProcessHandle.of(anvilPid).orElseThrow(() -> new IllegalStateException("anvil vanished"));
            LocalChain chain = new LocalChain(p, handle, hp[0], Integer.parseInt(hp[1]), o.chainId(), output);
            chain.awaitReady();
            log.debug("anvil {} listening on {}", anvilPid, chain.http);
            return chain;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting anvil", e);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("anvil did not start: " + e.getMessage() + "; its output: " + output, e);
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                rpc("eth_chainId");
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    public URI httpUrl() {
        return http;
    }

    public URI wsUrl() {
        return ws;
    }

    public long chainId() {
        return chainId;
    }

    public long pid() {
        return anvil.pid();
    }

    /** A signer with development account {@code i}, for {@code chainId}, which must be a local chain. */
    public static Signer devSigner(int i, long chainId) {
        return Signer.localDev(devAccount(i), chainId);
    }

    /** The development account {@code i} (0..19) of anvil's mnemonic, derived as anvil does (m/44'/60'/0'/0/i). */
    public static synchronized Credentials devAccount(int i) {
        if (DEV_ACCOUNTS[i] == null) {
            byte[] seed = org.web3j.crypto.MnemonicUtils.generateSeed(DEV_MNEMONIC, "");
            var master = org.web3j.crypto.Bip32ECKeyPair.generateKeyPair(seed);
            int h = org.web3j.crypto.Bip32ECKeyPair.HARDENED_BIT;
            DEV_ACCOUNTS[i] = Credentials.create(
                    org.web3j.crypto.Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | h, 60 | h, h, 0, i}));
        }
        return DEV_ACCOUNTS[i];
    }

    // ---------------------------------------------------------------------------------------------
    // Raw JSON-RPC, for anvil's own methods (mining, snapshots, fees, reorgs...)
    // ---------------------------------------------------------------------------------------------

    public JsonNode rpc(String method, Object... params) {
        return rpc(client, http, ids.incrementAndGet(), method, params);
    }

    /**
     * One JSON-RPC call to a local node this process did not start (a devnet's, from its config): for anvil's own
     * methods.
     */
    public static JsonNode rpcAt(URI node, String method, Object... params) {
        HttpClient c =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return rpc(c, node, 1, method, params);
    }

    private static JsonNode rpc(HttpClient client, URI http, long id, String method, Object... params) {
        try {
            String body = JSON.writeValueAsString(
                    Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", Arrays.asList(params)));
            HttpResponse<String> resp = client.send(
                    HttpRequest.newBuilder(http)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode node = JSON.readTree(resp.body());
            if (node.has("error")) throw new IllegalStateException(method + " failed: " + node.get("error"));
            return node.get("result");
        } catch (IOException e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method, e);
        }
    }

    public long blockNumber() {
        return Long.decode(rpc("eth_blockNumber").asText());
    }

    public void mine(int blocks) {
        rpc("anvil_mine", hex(blocks));
    }

    public void setAutomine(boolean on) {
        rpc("evm_setAutomine", on);
    }

    /** Mines a block every {@code seconds} (0 turns interval mining off). */
    public void setIntervalMining(long seconds) {
        rpc("evm_setIntervalMining", seconds);
    }

    public void setNextBlockTimestamp(long epochSeconds) {
        rpc("evm_setNextBlockTimestamp", epochSeconds);
    }

    public void increaseTime(long seconds) {
        rpc("evm_increaseTime", seconds);
    }

    public void setNextBlockBaseFee(Wei baseFee) {
        rpc("anvil_setNextBlockBaseFeePerGas", hex(baseFee.value()));
    }

    public void setBalance(String address, Wei balance) {
        rpc("anvil_setBalance", address, hex(balance.value()));
    }

    public String snapshot() {
        return rpc("evm_snapshot").asText();
    }

    public boolean revert(String snapshotId) {
        return rpc("evm_revert", snapshotId).asBoolean();
    }

    public void dropTransaction(String txHash) {
        rpc("anvil_dropTransaction", txHash);
    }

    /** Re-orgs the last {@code depth} blocks away (replaced by empty blocks). */
    public void reorg(int depth) {
        rpc("anvil_reorg", depth, List.of());
    }

    public void dumpState(Path file) {
        String state = rpc("anvil_dumpState").asText();
        try {
            java.nio.file.Files.writeString(file, state);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** What anvil printed so far (at most the first 400 lines), to explain a failure. */
    public List<String> output() {
        return List.copyOf(output);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static String hex(BigInteger v) {
        return "0x" + v.toString(16);
    }

    /** Stops anvil now and waits until it is gone. */
    @Override
    public void close() {
        anvil.destroy();
        try {
            anvil.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            anvil.destroyForcibly();
        }
        watchdog.destroy();
        try {
            watchdog.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watchdog.isAlive()) watchdog.destroyForcibly();
    }
}
