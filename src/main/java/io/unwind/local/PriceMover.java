package io.unwind.local;

import io.unwind.contracts.SettablePriceFeed;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Moves a local market's price the way a real move looks: the feed publishes the new answer and arbitrage trades every
 * pool to it, through the local {@code PoolArbitrageur} (V3 swapped to the target price, V2 traded to the target
 * reserve ratio, direction and size decided when the transaction executes). With a local Aave attached
 * ({@link #withAave}), every published price also reaches the Aave oracle's collateral price; {@link #setRound}'s
 * arbitrary rounds do not (Aave reads a source's latest answer only, never round data).
 */
public final class PriceMover {

    private final Web3j web3j;
    private final MarketDeployment m;
    private final Prices prices;
    private final LocalMarket.Contracts c;
    private final DevWallet oracleOwner;
    private final DevWallet trader;
    private boolean await = true;
    private AaveDeployment aave;
    private LocalAave.Contracts aaveContracts;

    public PriceMover(Web3j web3j, MarketDeployment m) {
        this(web3j, m, LocalChain.devAccount(0), LocalChain.devAccount(9));
    }

    public PriceMover(Web3j web3j, MarketDeployment m, Credentials feedOwner, Credentials trader) {
        this.web3j = web3j;
        this.m = m;
        this.prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        this.c = new LocalMarket.Contracts(web3j, trader.getAddress());
        this.oracleOwner = new DevWallet(web3j, feedOwner, m.chainId());
        this.trader = new DevWallet(web3j, trader, m.chainId());
    }

    /**
     * Moves the Aave oracle's collateral price with the market's feed from now on: one market price, two protocols. The
     * collateral's USD price is the market price times the loan token's USD price. The feed owner must be the Aave pool
     * admin (account 0 deploys both by default).
     */
    public PriceMover withAave(AaveDeployment a) {
        this.aave = a;
        this.aaveContracts =
                new LocalAave.Contracts(web3j, oracleOwner.address().hex());
        return this;
    }

    public Prices prices() {
        return prices;
    }

    /**
     * For a chain that mines only when told (the simulator): moves send their transactions and return; call
     * {@link #settle()} once a block has been mined. Call {@link #prepare()} first, while the chain still mines.
     */
    public PriceMover noWait() {
        this.await = false;
        oracleOwner.minedOnDemand();
        trader.minedOnDemand();
        return this;
    }

    /** Nothing to prepare any more: the arbitrageur mints what it pays. Kept for callers that set up first. */
    public void prepare() {}

    /** How many moves sent since the last settle are not mined yet (asked once, no waiting). */
    public int unmined() {
        return oracleOwner.unmined() + trader.unmined();
    }

    /** Waits for and checks the receipts of every move sent since the last settle. */
    public void settle() {
        oracleOwner.flush();
        trader.flush();
    }

    /** Publishes {@code price} on the feed and trades every pool to it. */
    public void moveTo(BigDecimal price) {
        setFeed(price);
        tradePoolsTo(price);
    }

    public void setFeed(BigDecimal price) {
        SettablePriceFeed feed = c.feed(m.feed());
        oracleOwner.call(m.feed(), feed.setAnswer(prices.feedAnswer(price)).encodeFunctionCall());
        if (aave != null)
            LocalAave.sendUsdPrice(
                    oracleOwner,
                    aaveContracts,
                    aave,
                    aave.collateral().token().address(),
                    price.multiply(aave.loanUsdPrice()));
        if (await) oracleOwner.flush();
    }

    /** Publishes an arbitrary round (to play a stale, zero, negative or incomplete feed). */
    public void setRound(long roundId, BigInteger answer, long updatedAt, long answeredInRound) {
        SettablePriceFeed feed = c.feed(m.feed());
        oracleOwner.call(
                m.feed(),
                feed.setRoundData(
                                BigInteger.valueOf(roundId),
                                answer,
                                BigInteger.valueOf(updatedAt),
                                BigInteger.valueOf(answeredInRound))
                        .encodeFunctionCall());
        if (await) oracleOwner.flush();
    }

    /**
     * Trades every pool to {@code price} through the local arbitrageur, which decides direction and size from the
     * pool's state when its transaction executes.
     */
    public void tradePoolsTo(BigDecimal price) {
        var arb = c.arbitrageur(m.arbitrageur());
        for (MarketDeployment.Pool p : m.pools()) {
            if (p.dex().equals(MarketSpec.Dex.UNISWAP_V3.id())) {
                trader.call(
                        m.arbitrageur(),
                        arb.moveV3(p.address().hex(), prices.sqrtPriceX96(price))
                                .encodeFunctionCall());
            } else {
                BigInteger num = prices.loanPerCollateralToken(price);
                BigInteger den = BigInteger.TEN.pow(m.collateral().decimals());
                boolean collateralIs0 =
                        m.collateral().address().compareTo(m.loan().address()) < 0;
                trader.call(
                        m.arbitrageur(),
                        (collateralIs0
                                        ? arb.moveV2(p.address().hex(), num, den)
                                        : arb.moveV2(p.address().hex(), den, num))
                                .encodeFunctionCall());
            }
        }
        if (await) trader.flush();
    }
}
