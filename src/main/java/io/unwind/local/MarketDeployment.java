package io.unwind.local;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.util.List;

/**
 * The addresses of a deployed local market, as written to {@code deployment.json} for the keeper, the CLI and tests to
 * load.
 *
 * @param feedDecimals decimals of the Chainlink-style feed's answer
 * @param marketId Morpho's market id (keccak of the market params), 0x-hex
 * @param swapRouter Uniswap V3's original SwapRouter (v3-periphery), null where the chain has none
 * @param swapRouter02 Uniswap's SwapRouter02 (swap-router-contracts), null where the chain has none or the file
 *     predates it
 */
public record MarketDeployment(
        long chainId,
        Address deployer,
        Address morpho,
        Address irm,
        Token collateral,
        Token loan,
        Address feed,
        int feedDecimals,
        Address oracle,
        BigInteger lltv,
        String marketId,
        Address vaultFactory,
        Address vaultLens,
        Address weth9,
        Address uniswapV3Factory,
        Address swapRouter,
        Address swapRouter02,
        Address quoterV2,
        Address positionManager,
        Address uniswapV2Factory,
        Address uniswapV2Router,
        Address arbitrageur,
        List<Pool> pools) {

    /** A seeded pool: {@code dex} is "uniswap-v3" or "uniswap-v2"; {@code fee} is the V3 tier (0 for V2). */
    public record Pool(String dex, int fee, Address address) {}

    public MarketDeployment {
        // A deployment file of `unwind deploy` names Unwind's contracts on a real chain: no seeded pools.
        pools = pools == null ? List.of() : List.copyOf(pools);
    }

    /** The same market read through another lens (one that also reads the chain's Aave vaults). */
    public MarketDeployment withVaultLens(Address lens) {
        return new MarketDeployment(
                chainId,
                deployer,
                morpho,
                irm,
                collateral,
                loan,
                feed,
                feedDecimals,
                oracle,
                lltv,
                marketId,
                vaultFactory,
                lens,
                weth9,
                uniswapV3Factory,
                swapRouter,
                swapRouter02,
                quoterV2,
                positionManager,
                uniswapV2Factory,
                uniswapV2Router,
                arbitrageur,
                pools);
    }

    /** The same pair as another lending market: its id (an Aave V3 market's, say) and its vault factory. */
    public MarketDeployment asMarket(String id, Address factory, BigInteger liquidationLtv) {
        return new MarketDeployment(
                chainId,
                deployer,
                morpho,
                irm,
                collateral,
                loan,
                feed,
                feedDecimals,
                oracle,
                liquidationLtv,
                id,
                factory,
                vaultLens,
                weth9,
                uniswapV3Factory,
                swapRouter,
                swapRouter02,
                quoterV2,
                positionManager,
                uniswapV2Factory,
                uniswapV2Router,
                arbitrageur,
                pools);
    }
}
