package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.RpcEndpoint;
import io.unwind.contracts.VaultLens;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.GuardState;
import io.unwind.domain.position.LendingProtocol;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.PriceStatus;
import io.unwind.domain.position.SoftTrigger;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.utils.Numeric;

/**
 * Reads many vaults' health through {@code VaultLens.healthOf} in chunks, every chunk pinned to the same block hash,
 * chunks in parallel. The result is decoded by hand from the ABI layout (a dynamic array of the static 37-word tuple
 * {@code VaultLens.VaultHealth}, whose word offsets are named below): it is the keeper's hottest read and must not
 * allocate per field.
 *
 * <p>A chunk that runs out of gas or reverts as a whole is split in two and retried, so one bad vault or a tight call
 * gas cap never hides the rest.
 */
public final class VaultLensReader {
    /**
     * Words per VaultHealth: 13 scalars, the 8-field Policy, reserve, lastActionAt, paused, keeperAllowed, the 5-field
     * Guard, windowSellLeftBps, priceStatus, feedUpdatedAt, readFlags, and the soft trigger's two words (appended last
     * so that every older offset stays put), the protocol and the flash-loan premium.
     */
    static final int WORDS = 38;
    /** A lens deployed before the flash-loan premium was reported: its Aave vaults read with premium 0. */
    static final int WORDS_NO_PREMIUM = 37;
    /** A lens deployed before Aave V3 support: no protocol word; every vault it reads is on Morpho Blue. */
    static final int WORDS_MORPHO_ONLY = 36;
    // Word offsets of VaultLens.VaultHealth's fields, in declaration order.
    private static final int VAULT = 0;
    private static final int OWNER = 1;
    private static final int MARKET_ID = 2;
    private static final int LOAN_TOKEN = 3;
    private static final int COLLATERAL_TOKEN = 4;
    private static final int LOAN_DECIMALS = 5;
    private static final int COLLATERAL_DECIMALS = 6;
    private static final int COLLATERAL = 7;
    private static final int BORROW_SHARES = 8;
    private static final int DEBT = 9;
    private static final int PRICE = 10;
    private static final int LTV = 11;
    private static final int LLTV = 12;
    /** The Policy struct, inline: trigger, target, band, maxSlippage, maxFee, maxSell (bps), cooldown, maxGasPrice. */
    private static final int POLICY = 13;

    private static final int RESERVE = 21;
    private static final int LAST_ACTION_AT = 22;
    private static final int PAUSED = 23;
    private static final int KEEPER_ALLOWED = 24;
    /** The Guard struct, inline: priceFeed, maxPriceAge, maxPriceDeviationBps, sellWindow, maxWindowSellBps. */
    private static final int GUARD = 25;

    private static final int WINDOW_SELL_LEFT_BPS = 30;
    private static final int PRICE_STATUS = 31;
    private static final int FEED_UPDATED_AT = 32;
    private static final int READ_FLAGS = 33;
    private static final int SOFT_TRIGGER_LTV_BPS = 34;
    private static final int MAX_LIQUIDATION_PROBABILITY_BPS = 35;
    /** LendingProtocol.code(): 0 Morpho Blue, 1 Aave V3. */
    private static final int PROTOCOL = 36;
    /**
     * What a sale that flash-borrows its repayment pays the pool, in bps (Aave's FLASHLOAN_PREMIUM_TOTAL; 0: Morpho).
     */
    private static final int FLASH_PREMIUM_BPS = 37;

    private final ChainClient chain;
    private final Address lens;
    private final Address keeper;
    private final TokenCatalog tokens;
    private final int chunkSize;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    public VaultLensReader(ChainClient chain, Address lens, Address keeper, TokenCatalog tokens, int chunkSize) {
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be >= 1");
        this.chain = chain;
        this.lens = lens;
        this.keeper = keeper;
        this.tokens = tokens;
        this.chunkSize = chunkSize;
    }

    /** What the lens answered for one vault: its health, or why it could not be read. */
    public sealed interface Entry permits Read, Unreadable {}

    /** One vault read. */
    public record Read(VaultHealth health) implements Entry {}

    /** One vault that could not be read, and why. */
    public record Unreadable(Address vault, String reason) implements Entry {}

    /** The vaults read at {@code block}, in input order, and those that could not be read. */
    public record Scan(BlockRef block, List<VaultHealth> vaults, List<Unreadable> unreadable) {}

    public Scan read(List<Address> vaults, BlockRef block) {
        List<CompletableFuture<List<Entry>>> parts = new ArrayList<>();
        for (int i = 0; i < vaults.size(); i += chunkSize) {
            List<Address> chunk = vaults.subList(i, Math.min(vaults.size(), i + chunkSize));
            parts.add(CompletableFuture.supplyAsync(() -> readChunk(chunk, block), pool));
        }
        List<VaultHealth> ok = new ArrayList<>(vaults.size());
        List<Unreadable> bad = new ArrayList<>();
        for (var p : parts) {
            for (Entry e : p.join()) {
                switch (e) {
                    case Read r -> ok.add(r.health());
                    case Unreadable u -> bad.add(u);
                }
            }
        }
        return new Scan(block, ok, bad);
    }

    private List<Entry> readChunk(List<Address> chunk, BlockRef block) {
        CallResult r = chain.call(keeper, lens, encode(chunk), block.hash());
        if (r instanceof CallResult.Success s) return decode(s.data(), chunk);
        if (chunk.size() == 1) {
            return List.of(new Unreadable(chunk.get(0), "lens call reverted: " + ((CallResult.Reverted) r).message()));
        }
        int half = chunk.size() / 2;
        List<Entry> out = new ArrayList<>(readChunk(chunk.subList(0, half), block));
        out.addAll(readChunk(chunk.subList(half, chunk.size()), block));
        return out;
    }

    /** The healthOf calldata for {@code chunk} (also used to measure its gas). */
    public byte[] encode(List<Address> chunk) {
        List<org.web3j.abi.datatypes.Address> list =
                chunk.stream().map(VaultCalls::addr).toList();
        Function f = new Function(
                VaultLens.FUNC_HEALTHOF,
                List.of(new DynamicArray<>(org.web3j.abi.datatypes.Address.class, list), VaultCalls.addr(keeper)),
                List.of());
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
    }

    List<Entry> decode(byte[] data, List<Address> asked) {
        if (data.length < 64) throw new RpcEndpoint.TransportException("lens returned " + data.length + " bytes");
        int offset = Words.uint(data, 0).intValueExact();
        int n = Words.uint(data, offset).intValueExact();
        if (n != asked.size()) {
            throw new RpcEndpoint.TransportException("lens returned " + n + " entries for " + asked.size() + " vaults");
        }
        int base = offset + 32;
        long entryBytes = n == 0 ? WORDS * 32L : (data.length - (long) base) / n;
        int words = (int) (entryBytes / 32);
        if ((words != WORDS && words != WORDS_NO_PREMIUM && words != WORDS_MORPHO_ONLY)
                || data.length < base + (long) n * words * 32) {
            throw new RpcEndpoint.TransportException(
                    "lens returned " + (data.length - base) + " bytes for " + n + " vaults: not " + WORDS + " (or "
                            + WORDS_NO_PREMIUM + " or " + WORDS_MORPHO_ONLY
                            + ") words each; is contracts.lens a VaultLens?");
        }
        List<Entry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = base + i * words * 32;
            Address vault = Words.address(data, at + VAULT * 32);
            if (!vault.equals(asked.get(i))) {
                throw new RpcEndpoint.TransportException(
                        "lens entry " + i + " is " + vault + ", asked " + asked.get(i));
            }
            Address owner = Words.address(data, at + OWNER * 32);
            if (owner.isZero()) {
                out.add(new Unreadable(vault, "not an Unwind vault, or its state() reverted"));
                continue;
            }
            if ((field(data, at, READ_FLAGS).intValue() & VaultHealth.READ_MARKET_FAILED) != 0) {
                out.add(new Unreadable(
                        vault,
                        "a token of its market gave no decimals (none, a revert, or out of the lens's gas cap)"));
                continue;
            }
            LendingProtocol protocol = LendingProtocol.MORPHO_BLUE;
            int flashPremiumBps = 0;
            if (words == WORDS) {
                BigInteger premium = field(data, at, FLASH_PREMIUM_BPS);
                if (premium.compareTo(BigInteger.valueOf(10_000)) > 0) {
                    out.add(new Unreadable(vault, "the lens reports a flash-loan premium of " + premium + " bps"));
                    continue;
                }
                flashPremiumBps = premium.intValueExact();
            }
            if (words >= WORDS_NO_PREMIUM) {
                int code = field(data, at, PROTOCOL).intValue();
                var known = LendingProtocol.ofCode(code);
                if (known.isEmpty()) {
                    out.add(new Unreadable(
                            vault, "the lens reports protocol " + code + ", which this keeper does not know"));
                    continue;
                }
                protocol = known.get();
            }
            out.add(new Read(
                    health(data, at, vault, owner).withProtocol(protocol).withFlashPremiumBps(flashPremiumBps)));
        }
        return out;
    }

    private VaultHealth health(byte[] d, int at, Address vault, Address owner) {
        String marketId = "0x" + HexFormat.of().formatHex(d, at + MARKET_ID * 32, at + (MARKET_ID + 1) * 32);
        var loan = tokens.token(
                Words.address(d, at + LOAN_TOKEN * 32),
                field(d, at, LOAN_DECIMALS).intValueExact());
        var collateral = tokens.token(
                Words.address(d, at + COLLATERAL_TOKEN * 32),
                field(d, at, COLLATERAL_DECIMALS).intValueExact());
        int p = at + POLICY * 32;
        Policy policy = new Policy(
                field(d, p, 0).intValueExact(),
                field(d, p, 1).intValueExact(),
                field(d, p, 2).intValueExact(),
                field(d, p, 3).intValueExact(),
                field(d, p, 4).intValueExact(),
                field(d, p, 5).intValueExact(),
                Duration.ofSeconds(field(d, p, 6).longValueExact()),
                Wei.of(field(d, p, 7)));
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loan,
                collateral,
                field(d, at, COLLATERAL),
                field(d, at, BORROW_SHARES),
                field(d, at, DEBT),
                field(d, at, PRICE),
                field(d, at, LTV),
                field(d, at, LLTV),
                policy,
                field(d, at, RESERVE),
                Instant.ofEpochSecond(field(d, at, LAST_ACTION_AT).longValueExact()),
                field(d, at, PAUSED).signum() != 0,
                field(d, at, KEEPER_ALLOWED).signum() != 0,
                guardState(d, at),
                field(d, at, READ_FLAGS).intValueExact(),
                new SoftTrigger(
                        field(d, at, SOFT_TRIGGER_LTV_BPS).intValueExact(),
                        field(d, at, MAX_LIQUIDATION_PROBABILITY_BPS).intValueExact()));
    }

    private static GuardState guardState(byte[] d, int at) {
        int g = at + GUARD * 32;
        Guard guard = new Guard(
                Words.address(d, g),
                Duration.ofSeconds(field(d, g, 1).longValueExact()),
                field(d, g, 2).intValueExact(),
                Duration.ofSeconds(field(d, g, 3).longValueExact()),
                field(d, g, 4).intValueExact());
        return new GuardState(
                guard,
                field(d, at, WINDOW_SELL_LEFT_BPS).intValueExact(),
                PriceStatus.ofCode(field(d, at, PRICE_STATUS).intValueExact()),
                Instant.ofEpochSecond(field(d, at, FEED_UPDATED_AT).longValueExact()));
    }

    /** Word {@code field} of the tuple starting at byte {@code at}. */
    private static BigInteger field(byte[] d, int at, int field) {
        return Words.uint(d, at + field * 32);
    }
}
