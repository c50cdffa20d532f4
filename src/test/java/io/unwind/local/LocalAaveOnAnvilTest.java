package io.unwind.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.unwind.contracts.AavePool;
import io.unwind.contracts.AaveProtocolDataProvider;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Aave V3 from the npm artifacts beside a local Morpho market, checked against the reference outcome: a lender supplies
 * 100k of the loan token; a borrower supplies 10 collateral tokens at $2000 and borrows 14k (health factor 1.1786); the
 * market price moves to 1600 on both protocols (0.9429); a liquidation covering 7000 pays 7000 / 1600 x 1.05 = 4.59375
 * collateral tokens and leaves 1.0195. The same with other decimals: they are data.
 */
@Tag("chain")
class LocalAaveOnAnvilTest {
    private static final Credentials BORROWER = LocalChain.devAccount(6);

    @ParameterizedTest(name = "{0} ({1} decimals) against {2} ({3} decimals)")
    @CsvSource({"WETH, 18, USDC, 6", "WBTC, 8, DAI, 18"})
    void deploysBesideMorphoAndLiquidatesAsTheReferenceDoes(
            String coll, int collDecimals, String loan, int loanDecimals) throws Exception {
        MarketSpec spec = MarketSpec.wethUsdc()
                .withTokens(new MarketSpec.TokenSpec(coll, collDecimals), new MarketSpec.TokenSpec(loan, loanDecimals))
                .withPrice(new BigDecimal("2000"))
                .withPools(List.of());
        try (LocalChain chain = LocalChain.start()) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            MarketDeployment m = LocalMarket.deploy(web3j, chain.chainId(), spec);

            long block0 = chain.blockNumber();
            long t0 = System.nanoTime();
            AaveDeployment a =
                    LocalMarket.deployAave(web3j, m, AaveSpec.defaults().withLiquidity(new BigDecimal("100000")));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long block1 = chain.blockNumber();
            long txs = 0;
            BigInteger gas = BigInteger.ZERO;
            for (long b = block0 + 1; b <= block1; b++) {
                var block = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(b)), false)
                        .send()
                        .getBlock();
                txs += block.getTransactions().size();
                gas = gas.add(block.getGasUsed());
            }
            System.out.printf(
                    "Aave V3 beside %s/%s: %d transactions (the last 3 the lender's supply), %s gas, %d ms%n",
                    coll, loan, txs, gas, millis);
            assertThat(txs).isEqualTo(36);

            Token collateral = new Token(m.collateral().address(), collDecimals);
            Token debt = new Token(m.loan().address(), loanDecimals);
            var ro = new ReadonlyTransactionManager(web3j, a.deployer().hex());
            @SuppressWarnings("deprecation")
            var gasProvider = new DefaultGasProvider();
            var dp = AaveProtocolDataProvider.load(a.dataProvider().hex(), web3j, ro, gasProvider);
            var cc = dp.getReserveConfigurationData(collateral.address().hex()).send();
            assertThat(cc.component1()).isEqualTo(collDecimals);
            assertThat(List.of(cc.component2(), cc.component3(), cc.component4()))
                    .containsExactly(BigInteger.valueOf(8000), BigInteger.valueOf(8250), BigInteger.valueOf(10500));
            assertThat(cc.component6()).as("usable as collateral").isTrue();
            var lc = dp.getReserveConfigurationData(debt.address().hex()).send();
            assertThat(lc.component1()).isEqualTo(loanDecimals);
            assertThat(lc.component7()).as("borrowing enabled").isTrue();
            assertThat(lc.component8()).as("stable borrowing").isFalse();
            assertThat(LocalAave.usdPrice(web3j, a, collateral.address())).isEqualTo(usd(2000));
            assertThat(LocalAave.usdPrice(web3j, a, debt.address())).isEqualTo(usd(1));
            assertThat(balance(
                            web3j, a.loan().aToken(), LocalChain.devAccount(1).getAddress()))
                    .isEqualTo(debt.units("100000"));

            var pool = AavePool.load(a.pool().hex(), web3j, ro, gasProvider);
            assertThat(pool.FLASHLOAN_PREMIUM_TOTAL().send())
                    .as("flash premium, bps")
                    .isEqualTo(9);

            // The borrower: 10 collateral tokens, 14k borrowed at the variable rate.
            BigInteger ten = collateral.units("10");
            Address borrower = openBorrower(web3j, a, ten, debt.units("14000"));
            assertThat(hf(web3j, a, borrower)).isCloseTo(1.1786, within(0.00005));
            AaveLiquidator liquidator = new AaveLiquidator(web3j, a);
            liquidator.prepare();
            assertThat(liquidator.liquidateIfPossible(borrower)).as("healthy").isNull();

            // One market price, two protocols.
            new PriceMover(web3j, m).withAave(a).setFeed(new BigDecimal("1600"));
            assertThat(LocalAave.usdPrice(web3j, a, collateral.address())).isEqualTo(usd(1600));
            assertThat(LocalAave.marketPrice(web3j, m)).isEqualByComparingTo("1600");
            assertThat(hf(web3j, a, borrower)).isCloseTo(0.9429, within(0.00005));

            BigInteger before =
                    balance(web3j, collateral.address(), liquidator.address().hex());
            liquidator.liquidate(borrower, debt.units("7000"));
            liquidator.settle();
            BigInteger seized = balance(
                            web3j, collateral.address(), liquidator.address().hex())
                    .subtract(before);
            assertThat(seized).isEqualTo(collateral.units("4.59375"));
            assertThat(hf(web3j, a, borrower)).isCloseTo(1.0195, within(0.00005));
            assertThat(balance(web3j, a.collateral().aToken(), borrower.hex())).isEqualTo(ten.subtract(seized));
        }
    }

    @Test
    void listsAnotherMarketOnTheSamePoolAndMovesItsPriceOnAChainThatMinesWhenTold() throws Exception {
        MarketSpec first =
                MarketSpec.wethUsdc().withPrice(new BigDecimal("2000")).withPools(List.of());
        MarketSpec second = first.withTokens(new MarketSpec.TokenSpec("WBTC", 8), new MarketSpec.TokenSpec("DAI", 18));
        AaveSpec spec = AaveSpec.defaults().withLiquidity(new BigDecimal("100000"));
        try (LocalChain chain = LocalChain.start()) {
            Web3j web3j = Web3j.build(new HttpService(chain.httpUrl().toString()));
            MarketDeployment m1 = LocalMarket.deploy(web3j, chain.chainId(), first);
            AaveDeployment a1 = LocalMarket.deployAave(web3j, m1, spec);
            MarketDeployment m2 = LocalMarket.deployAlongside(web3j, second, m1);
            AaveDeployment a2 = LocalAave.deployAlongside(web3j, m2, spec, a1);
            assertThat(a2.pool()).isEqualTo(a1.pool());
            assertThat(a2.collateral().aToken()).isNotEqualTo(a1.collateral().aToken());
            var ro = new ReadonlyTransactionManager(web3j, a1.deployer().hex());
            @SuppressWarnings("deprecation")
            var gasProvider = new DefaultGasProvider();
            int reserves = AavePool.load(a1.pool().hex(), web3j, ro, gasProvider)
                    .getReservesList()
                    .send()
                    .size(); // web3j's wrapper returns a raw List here
            assertThat(reserves).as("one pool, both markets' tokens").isEqualTo(4);

            Token wbtc = new Token(m2.collateral().address(), 8);
            Token dai = new Token(m2.loan().address(), 18);
            Address borrower = openBorrower(web3j, a2, wbtc.units("10"), dai.units("14000"));
            assertThat(hf(web3j, a2, borrower)).isCloseTo(1.1786, within(0.00005));
            AaveLiquidator liquidator = new AaveLiquidator(web3j, a2);
            liquidator.prepare();

            // The simulator's way: moves and liquidations are sent, then a block is mined.
            chain.setAutomine(false);
            PriceMover mover = new PriceMover(web3j, m2).withAave(a2).noWait();
            liquidator.minedOnDemand();
            mover.setFeed(new BigDecimal("1400"));
            chain.mine(1);
            mover.settle();
            assertThat(LocalAave.usdPrice(web3j, a2, wbtc.address())).isEqualTo(usd(1400));
            assertThat(LocalAave.usdPrice(web3j, a1, m1.collateral().address())).isEqualTo(usd(2000));
            assertThat(hf(web3j, a2, borrower)).isCloseTo(0.825, within(0.00005));

            // Below 0.95 the whole debt may be covered: here the collateral runs out first, all of it seized.
            assertThat(liquidator.liquidateIfPossible(borrower)).isNotNull();
            chain.mine(1);
            liquidator.settle();
            assertThat(balance(web3j, a2.collateral().aToken(), borrower.hex())).isZero();
            assertThat(balance(web3j, wbtc.address(), liquidator.address().hex()))
                    .isEqualTo(wbtc.units("10"));
            assertThat(balance(web3j, a2.loan().variableDebtToken(), borrower.hex()))
                    .as("what 10 WBTC at 1400 with a 5% bonus could not cover")
                    .isGreaterThan(dai.units("666"));
        }
    }

    /** Anvil's account 6 supplies {@code collateral} and borrows {@code debt} at the variable rate. */
    private static Address openBorrower(Web3j web3j, AaveDeployment a, BigInteger collateral, BigInteger debt) {
        DevWallet b = new DevWallet(web3j, BORROWER, a.chainId());
        LocalAave.Contracts c = new LocalAave.Contracts(web3j, BORROWER.getAddress());
        Address borrower = b.address();
        Address coll = a.collateral().token().address();
        b.mint(coll, borrower, collateral);
        b.call(coll, c.token(coll).approve(a.pool().hex(), collateral).encodeFunctionCall());
        b.call(
                a.pool(),
                c.pool(a.pool())
                        .supply(coll.hex(), collateral, borrower.hex(), BigInteger.ZERO)
                        .encodeFunctionCall());
        b.call(a.pool(), LocalAave.encodeBorrow(c, a, a.loan().token().address(), debt, borrower));
        b.flush();
        return borrower;
    }

    private record Token(Address address, int decimals) {
        BigInteger units(String whole) {
            return new BigDecimal(whole).movePointRight(decimals).toBigIntegerExact();
        }
    }

    private static BigInteger usd(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(AaveDeployment.PRICE_DECIMALS));
    }

    private static double hf(Web3j web3j, AaveDeployment a, Address user) {
        return new BigDecimal(LocalAave.healthFactor(web3j, a, user), 18)
                .round(MathContext.DECIMAL64)
                .doubleValue();
    }

    @SuppressWarnings("deprecation")
    private static BigInteger balance(Web3j web3j, Address token, String who) throws Exception {
        return TestToken.load(token.hex(), web3j, new ReadonlyTransactionManager(web3j, who), new DefaultGasProvider())
                .balanceOf(who)
                .send();
    }
}
