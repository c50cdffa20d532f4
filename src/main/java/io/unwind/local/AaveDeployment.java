package io.unwind.local;

import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigDecimal;

/**
 * What {@link LocalAave} deployed: Aave V3 (core 1.19.3, the V3.0 pool) on a local chain, with one reserve per token of
 * a local market.
 *
 * @param deployer the provider's owner, ACL admin and pool admin (it may set prices and configure reserves)
 * @param pool the Pool proxy (the address to call); {@code configurator} likewise the PoolConfigurator proxy
 * @param oracle the AaveOracle, USD with {@link #PRICE_DECIMALS} decimals
 * @param loanUsdPrice USD per whole loan token the loan's source was set to
 */
public record AaveDeployment(
        long chainId,
        Address deployer,
        Address addressesProvider,
        Address aclManager,
        Address pool,
        Address configurator,
        Address oracle,
        Address dataProvider,
        Address treasury,
        TokenImplementations tokenImplementations,
        Reserve collateral,
        Reserve loan,
        BigDecimal loanUsdPrice) {

    /** Aave's oracle prices in USD with 8 decimals (the base currency unit 1e8). */
    public static final int PRICE_DECIMALS = 8;

    /** The implementations behind every reserve's token proxies (bound to the pool). */
    public record TokenImplementations(Address aToken, Address variableDebtToken, Address stableDebtToken) {}

    /**
     * One reserve: its token, the proxies of its aToken and debt tokens, its interest-rate strategy, and the price
     * source the oracle was deployed with (a price move replaces the source; {@code AaveOracle.getSourceOfAsset} reads
     * the current one).
     */
    public record Reserve(
            Token token,
            Address aToken,
            Address variableDebtToken,
            Address stableDebtToken,
            Address rateStrategy,
            Address source) {}
}
