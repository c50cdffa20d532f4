package io.unwind.local;

import io.unwind.contracts.TestToken;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A liquidator on a local Aave pool, as the real ones behave: it calls {@code liquidationCall} on any borrower the pool
 * lets it, covering as much debt as the pool allows (Aave V3.0 caps it at half the debt while the health factor is at
 * least 0.95, all of it below) and taking the collateral itself, not aTokens. It mints the loan tokens it repays with.
 * The Aave counterpart of {@link Liquidator}, for the simulator's unprotected borrowers.
 */
public final class AaveLiquidator {
    private static final BigInteger HUGE = BigInteger.TWO.pow(200);
    /** Aave reads max uint256 as "as much as the close factor allows". */
    private static final BigInteger ALL = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    private final Web3j web3j;
    private final AaveDeployment a;
    private final DevWallet wallet;
    private final LocalAave.Contracts c;

    public AaveLiquidator(Web3j web3j, AaveDeployment a) {
        this(web3j, a, LocalChain.devAccount(5));
    }

    public AaveLiquidator(Web3j web3j, AaveDeployment a, Credentials who) {
        this.web3j = web3j;
        this.a = a;
        this.wallet = new DevWallet(web3j, who, a.chainId());
        this.c = new LocalAave.Contracts(web3j, who.getAddress());
    }

    /** For a chain that mines only when told: sends without waiting; {@link #settle()} checks once mined. */
    public AaveLiquidator minedOnDemand() {
        wallet.minedOnDemand();
        return this;
    }

    public Address address() {
        return wallet.address();
    }

    /** Mints and approves the loan tokens liquidations repay with (needs a mining chain). */
    public void prepare() {
        Address loan = a.loan().token().address();
        TestToken t = c.token(loan);
        wallet.call(loan, t.mint(wallet.address().hex(), HUGE).encodeFunctionCall());
        wallet.call(loan, t.approve(a.pool().hex(), HUGE).encodeFunctionCall());
        wallet.flush();
    }

    /**
     * Sends a liquidation of {@code borrower} covering as much debt as the pool allows, if the pool would accept one
     * now. Returns the transaction hash, or null if the borrower is not liquidatable.
     */
    public String liquidateIfPossible(Address borrower) {
        String data = encode(borrower, ALL);
        return wouldSucceed(data) ? wallet.call(a.pool(), data) : null;
    }

    /** Sends a liquidation of {@code borrower} covering {@code debtToCover} loan base units, unchecked. */
    public String liquidate(Address borrower, BigInteger debtToCover) {
        return wallet.call(a.pool(), encode(borrower, debtToCover));
    }

    private String encode(Address borrower, BigInteger debtToCover) {
        return c.pool(a.pool())
                .liquidationCall(
                        a.collateral().token().address().hex(),
                        a.loan().token().address().hex(),
                        borrower.hex(),
                        debtToCover,
                        false)
                .encodeFunctionCall();
    }

    private boolean wouldSucceed(String data) {
        try {
            var r = web3j.ethCall(
                            Transaction.createEthCallTransaction(
                                    wallet.address().hex(), a.pool().hex(), data),
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
    public List<TransactionReceipt> settle() {
        return wallet.flush();
    }
}
