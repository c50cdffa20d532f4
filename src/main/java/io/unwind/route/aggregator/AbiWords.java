package io.unwind.route.aggregator;

import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * Strict reading of ABI-encoded arguments (the calldata after its selector), by byte position. Every read is
 * bounds-checked, an address word must have its 12 high bytes clear, and an offset must be word-aligned and point
 * inside the data: calldata that does not fit the layout it claims is an error, never a guess.
 */
final class AbiWords {
    private static final int MAX_ARRAY = 64;

    private final byte[] a;
    private final String what;

    private AbiWords(byte[] args, String what) {
        this.a = args;
        this.what = what;
    }

    /** The arguments of {@code call} (its first four bytes are the selector), read as {@code what}. */
    static AbiWords arguments(byte[] call, String what) {
        if (call.length < 4) throw new IllegalArgumentException(what + " calldata has no selector");
        return new AbiWords(Arrays.copyOfRange(call, 4, call.length), what);
    }

    /** The selector of a function signature such as {@code "swap(address,(address,uint256),bytes)"}. */
    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }

    /** The first four bytes of {@code call} as {@code 0x}-hex, or empty text if it is shorter. */
    static String selectorOf(byte[] call) {
        return call.length < 4 ? "" : "0x" + HexFormat.of().formatHex(call, 0, 4);
    }

    /** Fails unless there are at least {@code bytes} bytes of arguments. */
    AbiWords need(int bytes) {
        if (bytes < 0 || a.length < bytes)
            throw new IllegalArgumentException(what + " calldata too short: " + a.length + " bytes");
        return this;
    }

    BigInteger uint(int at) {
        need(at + 32);
        return new BigInteger(1, Arrays.copyOfRange(a, at, at + 32));
    }

    Address address(int at) {
        need(at + 32);
        for (int k = at; k < at + 12; k++) {
            if (a[k] != 0) throw new IllegalArgumentException(what + ": the word at " + at + " is not an address");
        }
        return Address.of("0x" + HexFormat.of().formatHex(a, at + 12, at + 32));
    }

    /**
     * Where the dynamic value whose offset sits at {@code at} begins: {@code base} (the start of the enclosing tuple)
     * plus that offset.
     */
    int tail(int base, int at, String field) {
        int o = small(uint(at), field + " offset");
        if (o % 32 != 0)
            throw new IllegalArgumentException(what + ": " + field + " offset " + o + " is not word-aligned");
        int p = base + o;
        need(p + 32);
        return p;
    }

    /** The {@code bytes} value whose length word is at {@code at}. */
    byte[] bytes(int at, String field) {
        int len = small(uint(at), field + " length");
        need(at + 32 + len);
        return Arrays.copyOfRange(a, at + 32, at + 32 + len);
    }

    /** The {@code address[]} whose length word is at {@code at}. */
    List<Address> addresses(int at, String field) {
        int n = count(at, field);
        List<Address> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(address(at + 32 + 32 * i));
        return out;
    }

    /** The {@code uint256[]} whose length word is at {@code at}. */
    List<BigInteger> uints(int at, String field) {
        int n = count(at, field);
        List<BigInteger> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(uint(at + 32 + 32 * i));
        return out;
    }

    /** The length of the array whose length word is at {@code at}, with room for that many head words. */
    int count(int at, String field) {
        int n = small(uint(at), field + " length");
        if (n > MAX_ARRAY) throw new IllegalArgumentException(what + ": " + field + " has " + n + " elements");
        need(at + 32 + 32 * n);
        return n;
    }

    private int small(BigInteger v, String field) {
        if (v.bitLength() > 24) throw new IllegalArgumentException(what + ": " + field + " too large: " + v);
        return v.intValue();
    }
}
