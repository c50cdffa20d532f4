package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.ChainException;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.utils.Numeric;

/**
 * Token metadata read from chain once and kept: decimals come from the lens (or decimals()), the symbol from symbol(),
 * which some tokens return as bytes32 and some not at all (then the address stands in).
 */
public final class TokenCatalog {
    private static final byte[] SYMBOL = VaultCalls.encode(TestToken.FUNC_SYMBOL);
    private static final byte[] DECIMALS = VaultCalls.encode(TestToken.FUNC_DECIMALS);

    private final ChainClient chain;
    private final Map<Address, Token> tokens = new ConcurrentHashMap<>();

    public TokenCatalog(ChainClient chain) {
        this.chain = chain;
    }

    /** The token at {@code address}, with {@code decimals} as reported by the lens. */
    public Token token(Address address, int decimals) {
        Token t = tokens.get(address);
        if (t != null && t.decimals() == decimals) return t;
        Token fresh = new Token(address, symbol(address), decimals);
        tokens.put(address, fresh);
        return fresh;
    }

    /** The token at {@code address}, reading its decimals if not known yet. */
    public Token token(Address address) {
        Token t = tokens.get(address);
        if (t != null) return t;
        byte[] d = chain.callLatest(null, address, DECIMALS).dataOrThrow();
        if (d.length < 32)
            throw new IllegalStateException(
                    address + " answered decimals() with " + d.length + " bytes: not an ERC-20?");
        return token(address, Numeric.toBigInt(d).intValueExact());
    }

    private String symbol(Address address) {
        try {
            CallResult r = chain.callLatest(null, address, SYMBOL);
            if (r instanceof CallResult.Success s) return decodeSymbol(s.data(), address);
        } catch (ChainException e) {
            // fall through: a symbol is only for display
        }
        return address.shortForm();
    }

    static String decodeSymbol(byte[] data, Address fallback) {
        if (data.length == 32) { // bytes32 symbol (MKR style)
            int n = 0;
            while (n < 32 && data[n] != 0) n++;
            return n == 0 ? fallback.shortForm() : new String(data, 0, n, StandardCharsets.UTF_8);
        }
        if (data.length >= 64) {
            int len = Words.uint(data, 32).intValue();
            if (len >= 0 && len <= 64 && data.length >= 64 + len) {
                return new String(data, 64, len, StandardCharsets.UTF_8).replaceAll("[^\\p{Graph} ]", "?");
            }
        }
        return fallback.shortForm();
    }
}
