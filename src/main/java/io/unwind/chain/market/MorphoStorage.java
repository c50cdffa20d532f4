package io.unwind.chain.market;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.contracts.Morpho;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Morpho Blue's storage, read with {@code extSloads(bytes32[])}: many positions in one eth_call. The slots follow
 * Morpho's own {@code MorphoStorageLib} (as the vault's {@code _position()} does): {@code position} is mapping slot 2,
 * {@code market} slot 3; a position's second word packs {@code collateral << 128 | borrowShares}, a market's second
 * word {@code totalBorrowShares << 128 | totalBorrowAssets}.
 */
public final class MorphoStorage {
    static final int POSITION_SLOT = 2;
    static final int MARKET_SLOT = 3;
    static final BigInteger MASK_128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    /** SharesMathLib's virtual shares and assets. */
    static final BigInteger VIRTUAL_SHARES = BigInteger.TEN.pow(6);

    static final BigInteger VIRTUAL_ASSETS = BigInteger.ONE;

    private MorphoStorage() {}

    /** A position's borrow shares and collateral, as stored. */
    public record RawPosition(BigInteger borrowShares, BigInteger collateral) {
        public boolean isEmpty() {
            return borrowShares.signum() == 0 && collateral.signum() == 0;
        }
    }

    /** A market's borrow totals, as stored (interest up to the market's last interaction). */
    public record BorrowTotals(BigInteger assets, BigInteger shares) {
        /** SharesMathLib.toAssetsUp: a debt is never under-stated. */
        public BigInteger toAssetsUp(BigInteger borrowShares) {
            BigInteger num = borrowShares.multiply(assets.add(VIRTUAL_ASSETS));
            BigInteger den = shares.add(VIRTUAL_SHARES);
            return num.add(den).subtract(BigInteger.ONE).divide(den);
        }
    }

    /** {@code keccak256(abi.encode(user, keccak256(abi.encode(id, 2)))) + 1}. */
    static byte[] positionSlot(String marketId, Address user) {
        byte[] inner = Hash.sha3(concat(word(marketId), word(BigInteger.valueOf(POSITION_SLOT))));
        byte[] outer = Hash.sha3(concat(addressWord(user), inner));
        return plus(outer, 1);
    }

    /** {@code keccak256(abi.encode(id, 3)) + 1}. */
    static byte[] totalBorrowSlot(String marketId) {
        return plus(Hash.sha3(concat(word(marketId), word(BigInteger.valueOf(MARKET_SLOT)))), 1);
    }

    static RawPosition position(byte[] word) {
        BigInteger w = new BigInteger(1, word);
        return new RawPosition(w.and(MASK_128), w.shiftRight(128));
    }

    static BorrowTotals totals(byte[] word) {
        BigInteger w = new BigInteger(1, word);
        return new BorrowTotals(w.and(MASK_128), w.shiftRight(128));
    }

    /** One extSloads call at {@code block}; the words in the order of {@code slots}. */
    static List<byte[]> extSloads(ChainClient chain, Address morpho, List<byte[]> slots, TxHash block) {
        List<Bytes32> in = slots.stream().map(Bytes32::new).toList();
        Function f = new Function(Morpho.FUNC_EXTSLOADS, List.of(new DynamicArray<>(Bytes32.class, in)), List.of());
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
        byte[] out = switch (chain.call(null, morpho, data, block)) {
            case CallResult.Success s -> s.data();
            case CallResult.Reverted r ->
                throw new IllegalStateException("Morpho " + morpho + " reverted extSloads: " + r.message());
        };
        // abi: offset, length, then one word per slot
        if (out.length < 64) throw new IllegalStateException("extSloads answered " + out.length + " bytes");
        int n = new BigInteger(1, java.util.Arrays.copyOfRange(out, 32, 64)).intValueExact();
        if (n != slots.size() || out.length < 64 + 32 * n)
            throw new IllegalStateException("extSloads answered " + n + " words for " + slots.size() + " slots");
        List<byte[]> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) words.add(java.util.Arrays.copyOfRange(out, 64 + 32 * i, 96 + 32 * i));
        return words;
    }

    private static byte[] word(String hex) {
        byte[] b = Numeric.hexStringToByteArray(hex);
        if (b.length != 32) throw new IllegalArgumentException("not a 32-byte id: " + hex);
        return b;
    }

    private static byte[] word(BigInteger v) {
        return Numeric.toBytesPadded(v, 32);
    }

    private static byte[] addressWord(Address a) {
        return Numeric.toBytesPadded(Numeric.toBigInt(a.hex()), 32);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] plus(byte[] slot, int n) {
        BigInteger v = new BigInteger(1, slot).add(BigInteger.valueOf(n)).mod(BigInteger.ONE.shiftLeft(256));
        return Numeric.toBytesPadded(v, 32);
    }
}
