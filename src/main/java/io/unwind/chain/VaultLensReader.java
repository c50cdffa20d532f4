package io.unwind.chain;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.VaultHealth;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.utils.Numeric;

/**
 * Reads many vaults' health through {@code VaultLens.healthOf} in chunks, every chunk pinned to the same
 * block hash, chunks in parallel. The result is decoded by hand from the ABI layout (a dynamic array of a
 * static 25-word tuple): it is the keeper's hottest read and must not allocate per field.
 *
 * <p>A chunk that runs out of gas or reverts as a whole is split in two and retried, so one bad vault or a
 * tight call gas cap never hides the rest.
 */
public final class VaultLensReader {
    /** Words per VaultHealth: 13 scalars, the 8-field Policy, reserve, lastActionAt, paused, keeperAllowed. */
    static final int WORDS = 25;

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

    /** One vault that could not be read, and why. */
    public record Unreadable(Address vault, String reason) {}

    /** The vaults read at {@code block}, in input order, and those that could not be read. */
    public record Scan(BlockRef block, List<VaultHealth> vaults, List<Unreadable> unreadable) {}

    public Scan read(List<Address> vaults, BlockRef block) {
        List<CompletableFuture<List<Object>>> parts = new ArrayList<>();
        for (int i = 0; i < vaults.size(); i += chunkSize) {
            List<Address> chunk = vaults.subList(i, Math.min(vaults.size(), i + chunkSize));
            parts.add(CompletableFuture.supplyAsync(() -> readChunk(chunk, block), pool));
        }
        List<VaultHealth> ok = new ArrayList<>(vaults.size());
        List<Unreadable> bad = new ArrayList<>();
        for (var p : parts) {
            for (Object o : p.join()) {
                if (o instanceof VaultHealth h) ok.add(h);
                else bad.add((Unreadable) o);
            }
        }
        return new Scan(block, ok, bad);
    }

    private List<Object> readChunk(List<Address> chunk, BlockRef block) {
        CallResult r = chain.call(keeper, lens, encode(chunk), block.hash());
        if (r instanceof CallResult.Success s) return decode(s.data(), chunk);
        if (chunk.size() == 1) {
            return List.of(new Unreadable(chunk.get(0), "lens call reverted: " + ((CallResult.Reverted) r).message()));
        }
        int half = chunk.size() / 2;
        List<Object> out = new ArrayList<>(readChunk(chunk.subList(0, half), block));
        out.addAll(readChunk(chunk.subList(half, chunk.size()), block));
        return out;
    }

    /** The healthOf calldata for {@code chunk} (also used to measure its gas). */
    public byte[] encode(List<Address> chunk) {
        List<org.web3j.abi.datatypes.Address> list = chunk.stream().map(a -> new org.web3j.abi.datatypes.Address(a.hex())).toList();
        Function f = new Function("healthOf",
                List.of(new DynamicArray<>(org.web3j.abi.datatypes.Address.class, list), new org.web3j.abi.datatypes.Address(keeper.hex())),
                List.of());
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
    }

    List<Object> decode(byte[] data, List<Address> asked) {
        if (data.length < 64) throw new RpcEndpoint.TransportException("lens returned " + data.length + " bytes");
        int offset = word(data, 0).intValueExact();
        int n = word(data, offset).intValueExact();
        if (n != asked.size() || data.length < offset + 32 + (long) n * WORDS * 32) {
            throw new RpcEndpoint.TransportException("lens returned " + n + " entries for " + asked.size() + " vaults");
        }
        List<Object> out = new ArrayList<>(n);
        int base = offset + 32;
        for (int i = 0; i < n; i++) {
            int at = base + i * WORDS * 32;
            Address vault = address(data, at);
            if (!vault.equals(asked.get(i))) {
                throw new RpcEndpoint.TransportException("lens entry " + i + " is " + vault + ", asked " + asked.get(i));
            }
            Address owner = address(data, at + 32);
            if (owner.isZero()) {
                out.add(new Unreadable(vault, "not an Unwind vault, or its state() reverted"));
                continue;
            }
            out.add(health(data, at, vault, owner));
        }
        return out;
    }

    private VaultHealth health(byte[] d, int at, Address vault, Address owner) {
        String marketId = Numeric.toHexString(Arrays.copyOfRange(d, at + 64, at + 96));
        int loanDecimals = word(d, at + 5 * 32).intValueExact();
        int collateralDecimals = word(d, at + 6 * 32).intValueExact();
        var loan = tokens.token(address(d, at + 3 * 32), loanDecimals);
        var collateral = tokens.token(address(d, at + 4 * 32), collateralDecimals);
        int p = at + 13 * 32;
        Policy policy = new Policy(
                word(d, p).intValueExact(),
                word(d, p + 32).intValueExact(),
                word(d, p + 64).intValueExact(),
                word(d, p + 96).intValueExact(),
                word(d, p + 128).intValueExact(),
                word(d, p + 160).intValueExact(),
                Duration.ofSeconds(word(d, p + 192).longValueExact()),
                Wei.of(word(d, p + 224)));
        return new VaultHealth(
                vault,
                owner,
                marketId,
                loan,
                collateral,
                word(d, at + 7 * 32),
                word(d, at + 8 * 32),
                word(d, at + 9 * 32),
                word(d, at + 10 * 32),
                word(d, at + 11 * 32),
                word(d, at + 12 * 32),
                policy,
                word(d, at + 21 * 32),
                Instant.ofEpochSecond(word(d, at + 22 * 32).longValueExact()),
                word(d, at + 23 * 32).signum() != 0,
                word(d, at + 24 * 32).signum() != 0);
    }

    private static BigInteger word(byte[] d, int at) {
        return new BigInteger(1, Arrays.copyOfRange(d, at, at + 32));
    }

    private static Address address(byte[] d, int at) {
        return Address.of(Numeric.toHexStringNoPrefix(Arrays.copyOfRange(d, at + 12, at + 32)));
    }
}
