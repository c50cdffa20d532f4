package io.unwind.chain;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Wei;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * {@link ChainClient} over one or more JSON-RPC endpoints. Each call goes to the first endpoint whose breaker permits
 * it and that is on the configured chain; a transport failure (after that endpoint's retries) moves on to the next. The
 * configured chain id is checked on each endpoint before first use and again whenever its breaker lets it back in; an
 * endpoint on another chain is never used. With several endpoints, each new head also has them compared on a recent
 * block's hash, and one the majority contradicts is not used while it does ({@link #checkAgreement}).
 */
public final class Web3jChainClient implements ChainClient {
    private static final Logger log = LoggerFactory.getLogger(Web3jChainClient.class);

    /** One endpoint's configuration. */
    public record EndpointConfig(String name, URI url) {}

    private final long chainId;
    private final List<RpcEndpoint> endpoints;
    private final ExecutorService broadcaster = Executors.newVirtualThreadPerTaskExecutor();
    private final RpcOutageLog outages;
    private volatile long lastAgreementCheck = -1;

    /** A client that keeps quiet about endpoints going down (its caller reports failures): the CLI's. */
    public Web3jChainClient(
            long chainId,
            List<EndpointConfig> configs,
            Duration callTimeout,
            int attempts,
            CircuitBreakerRegistry breakers) {
        this(chainId, configs, callTimeout, attempts, breakers, RpcOutageLog.silent());
    }

    /** A client that tells the operator, through {@code outages}, when an endpoint goes down and comes back. */
    public Web3jChainClient(
            long chainId,
            List<EndpointConfig> configs,
            Duration callTimeout,
            int attempts,
            CircuitBreakerRegistry breakers,
            RpcOutageLog outages) {
        if (configs.isEmpty()) throw new IllegalArgumentException("at least one RPC endpoint is needed");
        this.chainId = chainId;
        this.outages = outages;
        List<RpcEndpoint> list = new ArrayList<>();
        for (EndpointConfig c : configs) list.add(new RpcEndpoint(c.name(), c.url(), callTimeout, attempts, breakers));
        this.endpoints = List.copyOf(list);
    }

    /** A client for one local endpoint with default resilience settings. */
    public static Web3jChainClient single(long chainId, URI url) {
        return new Web3jChainClient(
                chainId, List.of(new EndpointConfig("local", url)), Duration.ofSeconds(10), 3, breakers());
    }

    /**
     * The circuit breakers every chain client uses, one per endpoint: an endpoint is left alone for 10 s once half of
     * its last 20 calls failed (after at least 5), then let back in with 2 trial calls.
     */
    public static CircuitBreakerRegistry breakers() {
        return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10))
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
    }

    /** The chain id {@code url} reports, asked once, before there is a client (which needs the id). */
    public static long chainIdAt(URI url) throws java.io.IOException {
        org.web3j.protocol.Web3j w =
                org.web3j.protocol.Web3j.build(new org.web3j.protocol.http.HttpService(url.toString()));
        try {
            return w.ethChainId().send().getChainId().longValueExact();
        } finally {
            w.shutdown();
        }
    }

    @Override
    public long chainId() {
        return chainId;
    }

    public List<RpcEndpoint> endpoints() {
        return endpoints;
    }

    /** Which endpoints are down now, and what the operator was told about them. */
    public RpcOutageLog outages() {
        return outages;
    }

    // ---------------------------------------------------------------------------------------------
    // Failover
    // ---------------------------------------------------------------------------------------------

    private <T> T withFailover(String what, Function<RpcEndpoint, T> call) {
        List<String> failures = new ArrayList<>();
        for (RpcEndpoint e : endpoints) {
            if (!usable(e)) {
                failures.add(e.name() + ": " + e.status()
                        + (e.statusDetail().isEmpty() ? "" : " (" + e.statusDetail() + ")"));
                continue;
            }
            try {
                T answer = e.execute(() -> call.apply(e));
                outages.answered(e.name());
                return answer;
            } catch (CallNotPermittedException ex) {
                failures.add(e.name() + ": circuit open");
            } catch (RpcEndpoint.CallCancelled ex) {
                // Our own caller gave up (a late quote): not the endpoint's failure, and no one waits for an answer.
                throw ex;
            } catch (Exception ex) {
                failures.add(e.name() + ": " + describe(ex));
                log.debug("{} failed on {}: {}", what, e.name(), describe(ex));
                unreachable(e, ex);
            }
        }
        throw new ChainException(what + " failed on every endpoint: " + String.join("; ", failures));
    }

    /**
     * Tells the outage log of a call that failed on {@code e}: a transport failure means the endpoint is down; a
     * JSON-RPC error is an answer (the node is up, it could not serve this request).
     */
    private void unreachable(RpcEndpoint e, Exception ex) {
        if (ex instanceof RpcError) {
            outages.answered(e.name());
        } else if (RpcEndpoint.isTransportFailure(ex) || ex instanceof java.io.UncheckedIOException) {
            List<String> others = endpoints.stream()
                    .filter(o -> o != e
                            && o.permitsCalls()
                            && !outages.isDown(o.name())
                            && o.status() != RpcEndpoint.Status.UNREACHABLE)
                    .map(RpcEndpoint::name)
                    .toList();
            outages.failed(e.name(), ex, others.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", others)));
        }
    }

    private boolean usable(RpcEndpoint e) {
        if (!e.permitsCalls()) return false;
        if (e.status() == RpcEndpoint.Status.UNVERIFIED || e.status() == RpcEndpoint.Status.UNREACHABLE) verify(e);
        return e.permitsCalls();
    }

    /** Checks the endpoint's chain id against the configured one; never trusts the endpoint's. */
    public void verify(RpcEndpoint e) {
        try {
            long reported = e.execute(
                    () -> checked(e.web3j().ethChainId().send()).getChainId().longValue());
            if (reported != chainId) {
                e.markStatus(RpcEndpoint.Status.WRONG_CHAIN, "reports chain " + reported + ", configured " + chainId);
                log.warn(
                        "RPC endpoint {} is on chain {}, not the configured {}: not used", e.name(), reported, chainId);
            } else {
                e.markStatus(RpcEndpoint.Status.ALIVE, "");
            }
            outages.answered(e.name());
        } catch (Exception ex) {
            e.markStatus(RpcEndpoint.Status.UNREACHABLE, describe(ex));
            unreachable(e, ex);
        }
    }

    static <R extends Response<?>> R checked(R response) {
        if (response == null) throw new RpcEndpoint.TransportException("empty response");
        if (response.hasError()) throw new RpcError(response.getError());
        return response;
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null
                && c.getCause() != c
                && (c.getMessage() == null || c instanceof java.util.concurrent.CompletionException)) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    // ---------------------------------------------------------------------------------------------
    // Blocks
    // ---------------------------------------------------------------------------------------------

    @Override
    public BlockRef latestBlock() {
        BlockRef head = withFailover(
                "eth_getBlockByNumber(latest)",
                e -> block(e.web3j(), DefaultBlockParameterName.LATEST)
                        .orElseThrow(() -> new RpcEndpoint.TransportException("no latest block")));
        if (endpoints.size() > 1 && head.number() > lastAgreementCheck) {
            lastAgreementCheck = head.number();
            checkAgreement(Math.max(0, head.number() - 1));
        }
        return head;
    }

    /**
     * Asks every endpoint on the configured chain for block {@code number} and halts (OUT_OF_SYNC) each one whose hash
     * is not the one most of them report: it is on another fork, or lying. An endpoint that has no such block yet, or
     * does not answer, has no say. A halted endpoint that agrees again is used again. On a tie nobody can tell who is
     * right: nothing is halted, and the disagreement is logged.
     *
     * <p>Run by {@link #latestBlock()} once per new head when more than one endpoint is configured (on the block under
     * the head, which every endpoint that is not behind has).
     */
    public void checkAgreement(long number) {
        Map<RpcEndpoint, TxHash> said = new LinkedHashMap<>();
        for (RpcEndpoint e : endpoints) {
            if (e.status() == RpcEndpoint.Status.WRONG_CHAIN || e.status() == RpcEndpoint.Status.UNREACHABLE) continue;
            try {
                e.execute(() -> block(e.web3j(), DefaultBlockParameter.valueOf(BigInteger.valueOf(number))))
                        .ifPresent(b -> said.put(e, b.hash()));
            } catch (Exception ex) {
                // no answer, no say
            }
        }
        Map<TxHash, Long> votes = new LinkedHashMap<>();
        said.values().forEach(h -> votes.merge(h, 1L, Long::sum));
        if (votes.size() < 2) {
            said.keySet().forEach(e -> backInSync(e, number));
            return;
        }
        long most = votes.values().stream().mapToLong(Long::longValue).max().orElse(0);
        List<TxHash> leaders = votes.entrySet().stream()
                .filter(v -> v.getValue() == most)
                .map(Map.Entry::getKey)
                .toList();
        if (leaders.size() > 1) {
            log.warn("RPC endpoints disagree on block {} and no hash has a majority: {}", number, said);
            return;
        }
        TxHash agreed = leaders.get(0);
        for (var x : said.entrySet()) {
            RpcEndpoint e = x.getKey();
            if (x.getValue().equals(agreed)) {
                backInSync(e, number);
            } else if (e.status() != RpcEndpoint.Status.OUT_OF_SYNC) {
                e.markStatus(
                        RpcEndpoint.Status.OUT_OF_SYNC,
                        "block " + number + " is " + x.getValue() + " there, " + agreed + " on " + most
                                + " other endpoint(s)");
                log.warn(
                        "RPC endpoint {} reports block {} as {}, while {} endpoint(s) report {}: not used until it agrees",
                        e.name(),
                        number,
                        x.getValue(),
                        most,
                        agreed);
            }
        }
    }

    private static void backInSync(RpcEndpoint e, long number) {
        if (e.status() == RpcEndpoint.Status.OUT_OF_SYNC) {
            e.markStatus(RpcEndpoint.Status.ALIVE, "");
            log.warn("RPC endpoint {} agrees with the others again at block {}: used again", e.name(), number);
        }
    }

    @Override
    public Optional<BlockRef> blockByNumber(long number) {
        return withFailover(
                "eth_getBlockByNumber(" + number + ")",
                e -> block(e.web3j(), DefaultBlockParameter.valueOf(BigInteger.valueOf(number))));
    }

    @Override
    public java.util.OptionalLong blockGasLimit(TxHash blockHash) {
        return withFailover("eth_getBlockByHash", e -> {
            try {
                EthBlock.Block b = checked(e.web3j()
                                .ethGetBlockByHash(blockHash.hex(), false)
                                .send())
                        .getBlock();
                return b == null || b.getGasLimitRaw() == null
                        ? java.util.OptionalLong.empty()
                        : java.util.OptionalLong.of(b.getGasLimit().longValueExact());
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public Optional<BlockRef> finalizedBlock() {
        return withFailover("eth_getBlockByNumber(finalized)", e -> {
            try {
                return block(e.web3j(), DefaultBlockParameterName.FINALIZED);
            } catch (RpcError err) {
                return Optional.empty(); // a node without finality information
            }
        });
    }

    private static Optional<BlockRef> block(Web3j w, DefaultBlockParameter p) {
        try {
            EthBlock.Block b = checked(w.ethGetBlockByNumber(p, false).send()).getBlock();
            if (b == null) return Optional.empty();
            return Optional.of(toRef(b));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    static BlockRef toRef(EthBlock.Block b) {
        if (b.getNumber() == null || b.getHash() == null || b.getParentHash() == null || b.getTimestamp() == null) {
            throw new RpcEndpoint.TransportException("block without number, hash, parent or timestamp");
        }
        return new BlockRef(
                b.getNumber().longValueExact(),
                TxHash.of(b.getHash()),
                TxHash.of(b.getParentHash()),
                Instant.ofEpochSecond(b.getTimestamp().longValueExact()));
    }

    // ---------------------------------------------------------------------------------------------
    // Calls
    // ---------------------------------------------------------------------------------------------

    @Override
    public CallResult call(Address from, Address to, byte[] data, TxHash blockHash) {
        return withFailover("eth_call", e -> ethCall(e, from, to, data, Map.of("blockHash", blockHash.hex())));
    }

    @Override
    public CallResult callLatest(Address from, Address to, byte[] data) {
        return withFailover("eth_call", e -> ethCall(e, from, to, data, "latest"));
    }

    @Override
    public CallResult callWithCode(
            Address from, Address to, byte[] data, TxHash blockHash, Address codeAt, byte[] code) {
        Map<String, Object> overrides = Map.of(codeAt.hex(), Map.of("code", Numeric.toHexString(code)));
        return withFailover("eth_call", e -> {
            try {
                return ethCall(e, from, to, data, Map.of("blockHash", blockHash.hex()), overrides);
            } catch (RpcError refused) {
                // The node answered, and refused the call: it has no state overrides (or forbids this one). An answer,
                // not a failure of the endpoint; the caller stops asking.
                return new CallResult.Reverted(new byte[0], "refused: " + refused.getMessage());
            }
        });
    }

    @Override
    public CallResult callLatestWithState(
            Address from, Address to, byte[] data, Map<Address, AccountOverride> accounts) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        accounts.forEach((a, o) -> {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("code", Numeric.toHexString(o.code()));
            o.nonce().ifPresent(n -> account.put("nonce", Numeric.encodeQuantity(BigInteger.valueOf(n))));
            overrides.put(a.hex(), account);
        });
        return withFailover("eth_call", e -> ethCall(e, from, to, data, "latest", overrides));
    }

    @Override
    public byte[] code(Address account) {
        return withFailover("eth_getCode", e -> {
            try {
                var r = e.web3j()
                        .ethGetCode(account.hex(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST)
                        .send();
                if (r.hasError()) throw new RpcError(r.getError());
                return Numeric.hexStringToByteArray(r.getCode());
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    private static CallResult ethCall(RpcEndpoint e, Address from, Address to, byte[] data, Object block) {
        return ethCall(e, from, to, data, block, null);
    }

    private static CallResult ethCall(
            RpcEndpoint e, Address from, Address to, byte[] data, Object block, Map<String, Object> overrides) {
        Map<String, String> tx = new LinkedHashMap<>();
        if (from != null) tx.put("from", from.hex());
        tx.put("to", to.hex());
        tx.put("data", Numeric.toHexString(data));
        try {
            List<Object> params = overrides == null ? List.of(tx, block) : List.of(tx, block, overrides);
            EthCall r = new Request<>("eth_call", params, e.service(), EthCall.class).send();
            if (r == null) throw new RpcEndpoint.TransportException("empty response");
            if (r.hasError()) {
                Response.Error err = r.getError();
                if (isRevert(err)) return new CallResult.Reverted(revertData(err), err.getMessage());
                throw new RpcError(err);
            }
            return new CallResult.Success(Numeric.hexStringToByteArray(r.getValue()));
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * An execution failure, not a transport one: a revert, or running out of gas (a lens chunk too large for the node's
     * call gas cap), which the caller handles by splitting the call.
     */
    static boolean isRevert(Response.Error err) {
        String m = err.getMessage() == null ? "" : err.getMessage().toLowerCase(java.util.Locale.ROOT);
        return err.getCode() == 3
                || m.contains("revert")
                || m.contains("out of gas")
                || m.contains("gas required exceeds");
    }

    static byte[] revertData(Response.Error err) {
        String d = err.getData();
        if (d == null) return new byte[0];
        d = d.trim();
        if (d.startsWith("\"")) d = d.substring(1, d.length() - 1);
        if (!d.startsWith("0x")) {
            int i = d.indexOf("0x"); // some nodes wrap it: {"data":"0x..."} or "Reverted 0x..."
            if (i < 0) return new byte[0];
            d = d.substring(i).replaceAll("[^0-9a-fA-Fx].*$", "");
        }
        try {
            return Numeric.hexStringToByteArray(d);
        } catch (RuntimeException ex) {
            return new byte[0];
        }
    }

    @Override
    public EstimateResult estimateGas(Address from, Address to, byte[] data) {
        return withFailover("eth_estimateGas", e -> {
            try {
                EthEstimateGas r = e.web3j()
                        .ethEstimateGas(new Transaction(
                                from.hex(),
                                null,
                                null,
                                null,
                                to == null ? null : to.hex(),
                                BigInteger.ZERO,
                                Numeric.toHexString(data)))
                        .send();
                if (r.hasError()) {
                    if (isRevert(r.getError())) {
                        return new EstimateResult.Reverted(new CallResult.Reverted(
                                revertData(r.getError()), r.getError().getMessage()));
                    }
                    throw new RpcError(r.getError());
                }
                return new EstimateResult.Gas(r.getAmountUsed());
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public FeeHistoryData feeHistory(int blocks, List<Double> percentiles) {
        return withFailover("eth_feeHistory", e -> {
            try {
                var h = checked(e.web3j()
                                .ethFeeHistory(blocks, DefaultBlockParameterName.LATEST, percentiles)
                                .send())
                        .getFeeHistory();
                List<List<BigInteger>> rewards = h.getReward() == null ? List.of() : h.getReward();
                return new FeeHistoryData(
                        h.getOldestBlock().longValueExact(), h.getBaseFeePerGas(), h.getGasUsedRatio(), rewards);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public BigInteger nonce(Address account, boolean pending) {
        return withFailover("eth_getTransactionCount", e -> {
            try {
                return checked(e.web3j()
                                .ethGetTransactionCount(
                                        account.hex(),
                                        pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST)
                                .send())
                        .getTransactionCount();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public Wei balance(Address account) {
        return withFailover("eth_getBalance", e -> {
            try {
                return Wei.of(checked(e.web3j()
                                .ethGetBalance(account.hex(), DefaultBlockParameterName.LATEST)
                                .send())
                        .getBalance());
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Transactions
    // ---------------------------------------------------------------------------------------------

    @Override
    public List<SendResult> broadcast(byte[] signedTransaction) {
        String hex = Numeric.toHexString(signedTransaction);
        List<CompletableFuture<SendResult>> futures = new ArrayList<>();
        for (RpcEndpoint e : endpoints) {
            if (e.status() == RpcEndpoint.Status.WRONG_CHAIN) continue;
            futures.add(CompletableFuture.supplyAsync(() -> sendOne(e, hex), broadcaster));
        }
        List<SendResult> results = new ArrayList<>();
        for (var f : futures) {
            try {
                results.add(f.get(60, TimeUnit.SECONDS));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new ChainException("interrupted while broadcasting", ex);
            } catch (Exception ex) {
                results.add(SendResult.unreachable("?", describe(ex)));
            }
        }
        return results;
    }

    private SendResult sendOne(RpcEndpoint e, String hex) {
        try {
            // Rejections are answers, not transport failures: they must not trip the endpoint's breaker.
            EthSendTransaction r =
                    e.execute(() -> e.web3j().ethSendRawTransaction(hex).send());
            if (r.hasError()) return SendResult.rejected(e.name(), r.getError().getMessage());
            return SendResult.accepted(e.name(), r.getTransactionHash());
        } catch (Exception ex) {
            return SendResult.unreachable(e.name(), describe(ex));
        }
    }

    @Override
    public Optional<Receipt> receipt(TxHash hash) {
        return withFailover("eth_getTransactionReceipt", e -> {
            try {
                Optional<TransactionReceipt> r = checked(
                                e.web3j().ethGetTransactionReceipt(hash.hex()).send())
                        .getTransactionReceipt();
                return r.map(Web3jChainClient::toReceipt);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    static Receipt toReceipt(TransactionReceipt r) {
        List<Receipt.LogEntry> logs = new ArrayList<>();
        for (var l : r.getLogs()) {
            logs.add(logEntry(l));
        }
        BigInteger price =
                r.getEffectiveGasPrice() == null ? BigInteger.ZERO : Numeric.decodeQuantity(r.getEffectiveGasPrice());
        return new Receipt(
                TxHash.of(r.getTransactionHash()),
                r.getBlockNumber().longValueExact(),
                TxHash.of(r.getBlockHash()),
                r.isStatusOK(),
                r.getGasUsed(),
                price,
                Address.of(r.getFrom()),
                logs);
    }

    static Receipt.LogEntry logEntry(org.web3j.protocol.core.methods.response.Log l) {
        return new Receipt.LogEntry(
                Address.of(l.getAddress()),
                List.copyOf(l.getTopics()),
                l.getData(),
                l.getBlockNumber() == null ? -1 : l.getBlockNumber().longValueExact(),
                l.getTransactionHash() == null ? null : TxHash.of(l.getTransactionHash()),
                l.getLogIndex() == null ? 0 : l.getLogIndex().longValue());
    }

    @Override
    public Optional<TxInfo> transaction(TxHash hash) {
        return withFailover("eth_getTransactionByHash", e -> {
            try {
                var t = checked(e.web3j().ethGetTransactionByHash(hash.hex()).send())
                        .getTransaction();
                return t.map(Web3jChainClient::toTxInfo);
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public List<TxInfo> blockTransactions(long number) {
        return withFailover("eth_getBlockByNumber(" + number + ", full)", e -> {
            try {
                EthBlock.Block b = checked(e.web3j()
                                .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), true)
                                .send())
                        .getBlock();
                if (b == null) return List.<TxInfo>of();
                List<TxInfo> out = new ArrayList<>();
                for (EthBlock.TransactionResult<?> r : b.getTransactions()) {
                    if (r.get() instanceof org.web3j.protocol.core.methods.response.Transaction tx)
                        out.add(toTxInfo(tx));
                }
                return out;
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    private static TxInfo toTxInfo(org.web3j.protocol.core.methods.response.Transaction tx) {
        return new TxInfo(
                TxHash.of(tx.getHash()),
                Address.of(tx.getFrom()),
                tx.getNonce(),
                tx.getBlockNumberRaw() == null
                        ? OptionalLong.empty()
                        : OptionalLong.of(tx.getBlockNumber().longValueExact()),
                tx.getMaxFeePerGasRaw() == null ? BigInteger.ZERO : tx.getMaxFeePerGas(),
                tx.getMaxPriorityFeePerGasRaw() == null ? BigInteger.ZERO : tx.getMaxPriorityFeePerGas());
    }

    @Override
    public List<Receipt.LogEntry> logs(List<Address> addresses, List<String> topic0s, long fromBlock, long toBlock) {
        return withFailover("eth_getLogs", e -> {
            EthFilter f = new EthFilter(
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)),
                    addresses.stream().map(Address::hex).toList());
            if (!topic0s.isEmpty()) f.addOptionalTopics(topic0s.toArray(String[]::new));
            try {
                EthLog r = checked(e.web3j().ethGetLogs(f).send());
                List<Receipt.LogEntry> out = new ArrayList<>();
                for (EthLog.LogResult<?> lr : r.getLogs()) {
                    var l = (org.web3j.protocol.core.methods.response.Log) lr.get();
                    out.add(logEntry(l));
                }
                return out;
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    @Override
    public void close() {
        broadcaster.shutdownNow();
        endpoints.forEach(RpcEndpoint::close);
    }

    /** A JSON-RPC error answer that is not a revert: the endpoint could not serve this request. */
    static final class RpcError extends RpcEndpoint.TransportException {
        final int code;

        RpcError(Response.Error e) {
            super("JSON-RPC error " + e.getCode() + ": " + e.getMessage());
            this.code = e.getCode();
        }
    }
}
