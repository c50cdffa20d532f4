package io.unwind.local;

import io.unwind.contracts.SettablePriceFeed;
import io.unwind.contracts.SwapRouter;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UniswapV2Pair;
import io.unwind.contracts.UniswapV3Pool;
import io.unwind.domain.chain.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.tuples.generated.Tuple7;

/**
 * Moves a local market's price the way a real move looks: the feed publishes the new answer and arbitrage
 * trades every pool to it (V3 by a swap with a price limit at the target, V2 by the trade that puts its
 * reserves at the target ratio). The trader is a development account that mints what it sells.
 */
public final class PriceMover {
    private static final BigInteger HUGE = BigInteger.TWO.pow(200);
    private static final BigInteger SWAP_CAP = BigInteger.TWO.pow(127);

    private final MarketDeployment m;
    private final Prices prices;
    private final LocalMarket.Contracts c;
    private final DevWallet oracleOwner;
    private final DevWallet trader;
    private boolean traderFunded;

    public PriceMover(Web3j web3j, MarketDeployment m) {
        this(web3j, m, LocalChain.devAccount(0), LocalChain.devAccount(9));
    }

    public PriceMover(Web3j web3j, MarketDeployment m, Credentials feedOwner, Credentials trader) {
        this.m = m;
        this.prices = new Prices(m.collateral(), m.loan(), m.feedDecimals());
        this.c = new LocalMarket.Contracts(web3j, trader.getAddress());
        this.oracleOwner = new DevWallet(web3j, feedOwner, m.chainId());
        this.trader = new DevWallet(web3j, trader, m.chainId());
    }

    public Prices prices() {
        return prices;
    }

    /** Publishes {@code price} on the feed and trades every pool to it. */
    public void moveTo(BigDecimal price) {
        setFeed(price);
        tradePoolsTo(price);
    }

    public void setFeed(BigDecimal price) {
        SettablePriceFeed feed = c.feed(m.feed());
        oracleOwner.call(m.feed(), feed.setAnswer(prices.feedAnswer(price)).encodeFunctionCall());
        oracleOwner.flush();
    }

    /** Publishes an arbitrary round (to play a stale, zero, negative or incomplete feed). */
    public void setRound(long roundId, BigInteger answer, long updatedAt, long answeredInRound) {
        SettablePriceFeed feed = c.feed(m.feed());
        oracleOwner.call(m.feed(), feed.setRoundData(BigInteger.valueOf(roundId), answer, BigInteger.valueOf(updatedAt),
                BigInteger.valueOf(answeredInRound)).encodeFunctionCall());
        oracleOwner.flush();
    }

    public void tradePoolsTo(BigDecimal price) {
        fundTrader();
        for (MarketDeployment.Pool p : m.pools()) {
            if (p.dex().equals(MarketSpec.Dex.UNISWAP_V3.id())) tradeV3(p, price);
            else tradeV2(p, price);
        }
        trader.flush();
    }

    /** Mints the trader what it sells, once per chain state (a snapshot revert may have undone it). */
    private void fundTrader() {
        if (traderFunded && c.call(() -> c.token(m.loan().address()).allowance(trader.address().hex(), m.swapRouter().hex()).send())
                .compareTo(HUGE.shiftRight(1)) > 0) {
            return;
        }
        for (Address t : List.of(m.collateral().address(), m.loan().address())) {
            TestToken token = c.token(t);
            trader.call(t, token.mint(trader.address().hex(), HUGE).encodeFunctionCall());
            trader.call(t, token.approve(m.swapRouter().hex(), HUGE).encodeFunctionCall());
            trader.call(t, token.approve(m.uniswapV2Router().hex(), HUGE).encodeFunctionCall());
        }
        trader.flush();
        traderFunded = true;
    }

    private void tradeV3(MarketDeployment.Pool p, BigDecimal price) {
        UniswapV3Pool pool = c.v3Pool(p.address());
        if (c.call(() -> pool.liquidity().send()).signum() == 0) return;
        Tuple7<BigInteger, BigInteger, BigInteger, BigInteger, BigInteger, BigInteger, Boolean> slot0 =
                c.call(() -> pool.slot0().send());
        BigInteger current = slot0.component1();
        BigInteger target = prices.sqrtPriceX96(price);
        if (target.equals(current)) return;
        Address token0 = Address.of(c.call(() -> pool.token0().send()));
        Address token1 = token0.equals(m.collateral().address()) ? m.loan().address() : m.collateral().address();
        // Selling token0 lowers sqrtPrice (token1 per token0); selling token1 raises it.
        boolean sell0 = target.compareTo(current) < 0;
        Address in = sell0 ? token0 : token1;
        Address out = sell0 ? token1 : token0;
        SwapRouter router = c.swapRouter(m.swapRouter());
        trader.call(m.swapRouter(), router.exactInputSingle(new SwapRouter.ExactInputSingleParams(in.hex(), out.hex(),
                BigInteger.valueOf(p.fee()), trader.address().hex(), LocalMarket.DEADLINE, SWAP_CAP, BigInteger.ZERO, target),
                BigInteger.ZERO).encodeFunctionCall());
    }

    /**
     * With x*y = k and a target y/x = p, the collateral reserve must become sqrt(k / p); the input is grossed
     * up for the 0.3% fee, which leaves the pair within a few basis points of the target.
     */
    private void tradeV2(MarketDeployment.Pool p, BigDecimal price) {
        UniswapV2Pair pair = c.v2Pair(p.address());
        Tuple3<BigInteger, BigInteger, BigInteger> reserves = c.call(() -> pair.getReserves().send());
        if (reserves.component1().signum() == 0) return;
        boolean collateralIs0 = Address.of(c.call(() -> pair.token0().send())).equals(m.collateral().address());
        BigInteger rc = collateralIs0 ? reserves.component1() : reserves.component2();
        BigInteger rl = collateralIs0 ? reserves.component2() : reserves.component1();
        BigInteger k = rc.multiply(rl);
        BigInteger targetRc = k.multiply(BigInteger.TEN.pow(m.collateral().decimals()))
                .divide(prices.loanPerCollateralToken(price)).sqrt();
        List<String> path;
        BigInteger amountIn;
        if (targetRc.compareTo(rc) > 0) {
            amountIn = targetRc.subtract(rc).multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(997));
            path = List.of(m.collateral().address().hex(), m.loan().address().hex());
        } else {
            BigInteger targetRl = k.divide(targetRc);
            if (targetRl.compareTo(rl) <= 0) return;
            amountIn = targetRl.subtract(rl).multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(997));
            path = List.of(m.loan().address().hex(), m.collateral().address().hex());
        }
        if (amountIn.signum() == 0) return;
        trader.call(m.uniswapV2Router(), c.v2Router(m.uniswapV2Router()).swapExactTokensForTokens(amountIn, BigInteger.ZERO,
                path, trader.address().hex(), LocalMarket.DEADLINE).encodeFunctionCall());
    }
}
