package io.unwind.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import io.unwind.route.QuoteRequest;
import io.unwind.route.aggregator.AggregatorSettings;
import io.unwind.route.aggregator.ApiKey;
import io.unwind.route.aggregator.Vendor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded answers of the five aggregators (under {@code src/test/resources/aggregators/<vendor>/}), in each vendor's
 * own JSON and with calldata in its router's real layout, anonymised: the tokens, vault, keeper, routers and executors
 * are this class's addresses, and no key appears anywhere. One instance serves one vendor's answers from a
 * {@link LoopbackHttp} server; a test may alter an answer (a word of its calldata, its router) before asking.
 *
 * <p>Every recording is of one sale: {@value #AMOUNT_TEXT} WETH (18 decimals) for USDC (6 decimals) on chain 1, by
 * {@link #VAULT}, quoted with {@value #SLIPPAGE_BPS} bps of slippage.
 */
public final class RecordedAnswers implements AutoCloseable {
    public static final long CHAIN_ID = 1;
    public static final String KYBER_SLUG = "ethereum";
    public static final Address VAULT = Address.of("0x" + "aa".repeat(20));
    /** The keeper's EOA (1inch's {@code origin}). */
    public static final Address KEEPER = Address.of("0x" + "be".repeat(20));

    public static final Token WETH = new Token(Address.of("0x" + "c0".repeat(20)), "WETH", 18);
    public static final Token USDC = new Token(Address.of("0x" + "d0".repeat(20)), "USDC", 6);
    /** A token that is neither of the sale's. */
    public static final Address OTHER_TOKEN = Address.of("0x" + "dd".repeat(20));
    /** Someone who is not the vault. */
    public static final Address THIEF = Address.of("0x" + "ee".repeat(20));
    /** The 0x Settler the AllowanceHolder calls. */
    public static final Address SETTLER = Address.of("0x" + "23".repeat(20));

    static final String AMOUNT_TEXT = "4.2";
    public static final BigInteger AMOUNT_IN = new BigInteger("4200000000000000000");
    public static final int SLIPPAGE_BPS = 50;

    /**
     * What one vendor's recording says.
     *
     * @param router the contract the vault calls (0x: the AllowanceHolder)
     * @param selector the entry point's selector, as the deployed router answers to it
     * @param expectedOut the vendor's expected proceeds
     * @param minOut the minimum written in the calldata
     * @param files "METHOD path" of each endpoint the client calls, to the file answering it
     * @param swapFile the file holding the calldata, and {@code calldata} the JSON pointer to it
     */
    public record Recording(
            Vendor vendor,
            Address router,
            String selector,
            BigInteger expectedOut,
            BigInteger minOut,
            Map<String, String> files,
            String swapFile,
            String calldata) {}

    public static final List<Recording> ALL = List.of(
            new Recording(
                    Vendor.ONE_INCH,
                    Address.of("0x" + "11".repeat(20)),
                    "0x07ed2379",
                    new BigInteger("10489335124"),
                    new BigInteger("10436888448"),
                    Map.of("GET /swap/v6.0/1/swap", "swap.json"),
                    "swap.json",
                    "/tx/data"),
            new Recording(
                    Vendor.ZERO_X,
                    Address.of("0x" + "22".repeat(20)),
                    "0x2213bc0b",
                    new BigInteger("10487114035"),
                    new BigInteger("10434678464"),
                    Map.of("GET /swap/allowance-holder/quote", "quote.json"),
                    "quote.json",
                    "/transaction/data"),
            new Recording(
                    Vendor.PARASWAP,
                    Address.of("0x" + "33".repeat(20)),
                    "0xe3ead59e",
                    new BigInteger("10488002177"),
                    new BigInteger("10435562166"),
                    Map.of("GET /prices", "prices.json", "POST /transactions/1", "transactions.json"),
                    "transactions.json",
                    "/data"),
            new Recording(
                    Vendor.ODOS,
                    Address.of("0x" + "44".repeat(20)),
                    "0x3b635ce4",
                    new BigInteger("10486551920"),
                    new BigInteger("10434119160"),
                    Map.of("POST /sor/quote/v2", "quote.json", "POST /sor/assemble", "assemble.json"),
                    "assemble.json",
                    "/transaction/data"),
            new Recording(
                    Vendor.KYBERSWAP,
                    Address.of("0x" + "55".repeat(20)),
                    "0xe21fd0e9",
                    new BigInteger("10488770340"),
                    new BigInteger("10436326488"),
                    Map.of(
                            "GET /ethereum/api/v1/routes",
                            "routes.json",
                            "POST /ethereum/api/v1/route/build",
                            "build.json"),
                    "build.json",
                    "/data/data"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Recording recording;
    private final Map<String, ObjectNode> answers = new LinkedHashMap<>();
    private final LoopbackHttp http;

    private RecordedAnswers(Recording recording) {
        this.recording = recording;
        recording.files().values().forEach(f -> answers.put(f, load(recording.vendor(), f)));
        this.http = LoopbackHttp.start(r -> {
            String file = recording.files().get(r.method() + " " + r.path());
            if (file == null) return LoopbackHttp.Response.json(404, "{\"error\":\"Not Found\"}");
            return LoopbackHttp.Response.json(200, write(answers.get(file)));
        });
    }

    /** Serves {@code vendor}'s recorded answers on 127.0.0.1. */
    public static RecordedAnswers serve(Vendor vendor) {
        return new RecordedAnswers(of(vendor));
    }

    public static Recording of(Vendor vendor) {
        return ALL.stream().filter(r -> r.vendor() == vendor).findFirst().orElseThrow();
    }

    /** The recorded file, as stored. */
    public static ObjectNode load(Vendor vendor, String file) {
        String path = "/aggregators/" + vendor.id() + "/" + file;
        try (InputStream in = RecordedAnswers.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("no recorded answer " + path);
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    public Recording recording() {
        return recording;
    }

    /** Settings for a client of this vendor talking to the recorded answers (a placeholder key where one is needed). */
    public AggregatorSettings settings() {
        Vendor v = recording.vendor();
        Optional<ApiKey> key = v.needsKey() ? Optional.of(new ApiKey("recorded-answers-key")) : Optional.empty();
        return new AggregatorSettings(
                v, http.uri(""), key, Duration.ofSeconds(5), 100, 0, CHAIN_ID, KYBER_SLUG, KEEPER);
    }

    /** The sale every recording is of, at {@code block}, valid until {@code deadline}. */
    public static QuoteRequest request(TxHash block, Instant deadline) {
        return new QuoteRequest(VAULT, WETH, USDC, AMOUNT_IN, block, deadline, SLIPPAGE_BPS);
    }

    /** The answer served from {@code file}; changes to it are served from then on. */
    public ObjectNode answer(String file) {
        return answers.get(file);
    }

    public String calldata() {
        return answer(recording.swapFile()).at(recording.calldata()).asText();
    }

    public void calldata(String hex) {
        String pointer = recording.calldata();
        int cut = pointer.lastIndexOf('/');
        JsonNode parent = cut == 0
                ? answer(recording.swapFile())
                : answer(recording.swapFile()).at(pointer.substring(0, cut));
        ((ObjectNode) parent).put(pointer.substring(cut + 1), hex);
    }

    /** Replaces every occurrence of the 32-byte word holding {@code from} in the calldata by one holding {@code to}. */
    public int replaceWord(Address from, Address to) {
        return replaceWord(word(from), word(to));
    }

    public int replaceWord(BigInteger from, BigInteger to) {
        return replaceWord(word(from), word(to));
    }

    /** Sets the word at {@code index} of the arguments (after the selector) to {@code value}. */
    public void setWord(int index, Address value) {
        String d = calldata();
        int at = 10 + 64 * index;
        calldata(d.substring(0, at) + word(value) + d.substring(at + 64));
    }

    private int replaceWord(String from, String to) {
        StringBuilder d = new StringBuilder(calldata());
        int n = 0;
        for (int i = d.indexOf(from, 10); i >= 0; i = d.indexOf(from, i + 1)) {
            if (i % 2 != 0) continue; // whole bytes only
            d.replace(i, i + 64, to);
            n++;
        }
        if (n == 0) throw new IllegalStateException("the calldata holds no word " + from);
        calldata(d.toString());
        return n;
    }

    /** Points the answer's transaction, and the spender it names, at {@code router}. */
    public void router(Address router) {
        String hex = router.hex();
        switch (recording.vendor()) {
            case ONE_INCH -> ((ObjectNode) answer("swap.json").get("tx")).put("to", hex);
            case ZERO_X -> {
                ObjectNode q = answer("quote.json");
                ((ObjectNode) q.get("transaction")).put("to", hex);
                q.put("allowanceTarget", hex);
                ((ObjectNode) q.at("/issues/allowance")).put("spender", hex);
            }
            case PARASWAP -> {
                answer("transactions.json").put("to", hex);
                ((ObjectNode) answer("prices.json").get("priceRoute"))
                        .put("contractAddress", hex)
                        .put("tokenTransferProxy", hex);
            }
            case ODOS -> ((ObjectNode) answer("assemble.json").get("transaction")).put("to", hex);
            case KYBERSWAP -> {
                ((ObjectNode) answer("routes.json").get("data")).put("routerAddress", hex);
                ((ObjectNode) answer("build.json").get("data")).put("routerAddress", hex);
            }
        }
    }

    public List<LoopbackHttp.Request> requests() {
        return http.requests();
    }

    private static String word(Address a) {
        return "0".repeat(24) + a.hex().substring(2);
    }

    private static String word(BigInteger v) {
        String h = v.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
