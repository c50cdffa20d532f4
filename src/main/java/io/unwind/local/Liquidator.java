package io.unwind.local;

import io.unwind.contracts.Morpho;
import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * A liquidator on a local market, as the real ones behave: it liquidates any position Morpho lets it, seizing all the
 * collateral it can. It mints the loan tokens it repays with (local tokens mint openly). Used by the simulator to show
 * what happens to a vault nobody protects.
 */
public final class Liquidator {
    private static final BigInteger HUGE = BigInteger.TWO.pow(200);

    private final Web3j web3j;
    private final MarketDeployment m;
    private final DevWallet wallet;
    private final LocalMarket.Contracts c;
    private final Morpho.MarketParams params;

    public Liquidator(Web3j web3j, MarketDeployment m) {
        this(web3j, m, LocalChain.devAccount(5));
    }

    public Liquidator(Web3j web3j, MarketDeployment m, Credentials who) {
        this.web3j = web3j;
        this.m = m;
        this.wallet = new DevWallet(web3j, who, m.chainId());
        this.c = new LocalMarket.Contracts(web3j, who.getAddress());
        this.params = new Morpho.MarketParams(
                m.loan().address().hex(),
                m.collateral().address().hex(),
                m.oracle().hex(),
                m.irm().hex(),
                m.lltv());
    }

    /**
     * For a chain that mines only when told (the simulator, after {@link #prepare()}): liquidations are sent without
     * waiting for any receipt, however many one block brings; {@link #settle()} checks them once a block is mined.
     */
    public Liquidator minedOnDemand() {
        wallet.minedOnDemand();
        return this;
    }

    public Address address() {
        return wallet.address();
    }

    /** Mints and approves the loan tokens liquidations repay with (needs a mining chain). */
    public void prepare() {
        TestToken loan = c.token(m.loan().address());
        wallet.call(m.loan().address(), loan.mint(wallet.address().hex(), HUGE).encodeFunctionCall());
        wallet.call(m.loan().address(), loan.approve(m.morpho().hex(), HUGE).encodeFunctionCall());
        wallet.flush();
    }

    /**
     * Sends a liquidation of {@code borrower} if Morpho would accept one now: all the collateral, or, when that would
     * repay more than the debt, the whole debt. Returns the transaction hash, or null if not liquidatable.
     */
    public String liquidateIfPossible(Address borrower, BigInteger collateral, BigInteger borrowShares) {
        if (collateral.signum() == 0 || borrowShares.signum() == 0) return null;
        Morpho morpho = c.morpho(m.morpho());
        String seizeAll = morpho.liquidate(params, borrower.hex(), collateral, BigInteger.ZERO, new byte[0])
                .encodeFunctionCall();
        if (wouldSucceed(seizeAll)) return wallet.call(m.morpho(), seizeAll);
        String repayAll = morpho.liquidate(params, borrower.hex(), BigInteger.ZERO, borrowShares, new byte[0])
                .encodeFunctionCall();
        if (wouldSucceed(repayAll)) return wallet.call(m.morpho(), repayAll);
        return null;
    }

    private boolean wouldSucceed(String data) {
        try {
            var r = web3j.ethCall(
                            Transaction.createEthCallTransaction(
                                    wallet.address().hex(), m.morpho().hex(), data),
                            DefaultBlockParameterName.LATEST)
                    .send();
            return !r.hasError() && !r.isReverted();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot simulate a liquidation: " + e.getMessage(), e);
        }
    }

    /** How many liquidations sent since the last settle are not mined yet (asked once, no waiting). */
    public int unmined() {
        return wallet.unmined();
    }

    /** Receipts of the liquidations sent since the last call (after the block that holds them was mined). */
    public java.util.List<org.web3j.protocol.core.methods.response.TransactionReceipt> settle() {
        return wallet.flush();
    }
}
