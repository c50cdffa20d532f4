package io.unwind.chain.market;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.chain.vault.MarketParams;
import io.unwind.chain.vault.TokenCatalog;
import io.unwind.chain.vault.VaultReads;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.TxHash;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.utils.Numeric;

/** What a liquidation map needs to know of a market once: its parameters and its two tokens. */
public record MarketInfo(String marketId, MarketParams params, Token collateral, Token loan) {
    private static final byte[] PRICE = Numeric.hexStringToByteArray(
            FunctionEncoder.encode(new Function("price", java.util.List.of(), java.util.List.of())));

    /** Reads the market's parameters from Morpho and its tokens' decimals and symbols; fails for an unknown market. */
    public static MarketInfo read(ChainClient chain, Address morpho, TokenCatalog tokens, String marketId) {
        MarketParams p = new VaultReads(chain).marketParams(morpho, marketId);
        if (!p.exists()) throw new IllegalArgumentException("Morpho " + morpho + " has no market " + marketId);
        return new MarketInfo(marketId, p, tokens.token(p.collateralToken()), tokens.token(p.loanToken()));
    }

    /** A short label for people and metrics: "WETH/USDC 86%". */
    public String label() {
        return collateral.symbol() + "/" + loan.symbol() + " "
                + new java.math.BigDecimal(params.lltv())
                        .movePointLeft(16)
                        .stripTrailingZeros()
                        .toPlainString()
                + "%";
    }

    /** The oracle's price at {@code block} (Morpho scale, 1e36); empty when the oracle reverts or says 0. */
    public Optional<BigInteger> price(ChainClient chain, TxHash block) {
        return switch (chain.call(null, params.oracle(), PRICE, block)) {
            case CallResult.Success s
            when s.data().length >= 32 ->
                Optional.of(Numeric.toBigInt(s.data(), 0, 32)).filter(v -> v.signum() > 0);
            case CallResult.Success s -> Optional.empty();
            case CallResult.Reverted r -> Optional.empty();
        };
    }
}
