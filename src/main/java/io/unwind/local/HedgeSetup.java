package io.unwind.local;

import io.unwind.chain.deploy.UnwindContracts;
import io.unwind.chain.vault.HedgeCalls;
import io.unwind.chain.vault.MarketParams;
import io.unwind.chain.vault.ReverseMarket;
import io.unwind.contracts.Morpho;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindHedge;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgePolicy;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * What an owner does on a local chain to hedge a vault (docs/HEDGE.md), and what the market needs for it: the reverse
 * Morpho market of the vault's (loan: its collateral token C, collateral: its loan token L, priced by an
 * {@code InverseOracle} over the vault's oracle, on the same rate model and LLTV: the one `unwind hedge market`
 * creates), lenders of C in it, and the owner's UnwindHedge with its margin deposited. Transactions are sent from the
 * given wallets; the caller flushes them.
 */
public final class HedgeSetup {
    private HedgeSetup() {}

    /** The reverse market of a vault market: its parameters, as Morpho's {@code MarketParams}. */
    public record Reverse(Address inverseOracle, Morpho.MarketParams params, String id) {}

    /**
     * The reverse market `unwind hedge market` creates (its InverseOracle through the deterministic deployment proxy,
     * so the commands find it), created here with the market on the rate model and LLTV {@code m} enabled, and
     * {@code lend} of C supplied to it by {@code lender}: the lenders a short borrows from.
     */
    public static Reverse reverseMarket(DevWallet deployer, DevWallet lender, MarketDeployment m, BigInteger lend) {
        MarketParams vaultMarket =
                new MarketParams(m.loan().address(), m.collateral().address(), m.oracle(), m.irm(), m.lltv());
        MarketParams r = ReverseMarket.of(vaultMarket);
        deployer.call(
                UnwindContracts.CREATE2_DEPLOYER,
                ReverseMarket.deployInverseOracle(m.oracle()).hex());
        deployer.call(m.morpho(), ReverseMarket.createMarket(m.morpho(), r).hex());
        Morpho.MarketParams params = new Morpho.MarketParams(
                r.loanToken().hex(),
                r.collateralToken().hex(),
                r.oracle().hex(),
                r.irm().hex(),
                r.lltv());
        if (lend.signum() > 0) {
            lender.mint(m.collateral().address(), lender.address(), lend);
            lender.call(m.collateral().address(), approve(m.morpho(), lend));
            lender.call(
                    m.morpho(),
                    new Function(
                            Morpho.FUNC_SUPPLY,
                            List.of(
                                    params,
                                    new Uint256(lend),
                                    new Uint256(BigInteger.ZERO),
                                    new org.web3j.abi.datatypes.Address(
                                            lender.address().hex()),
                                    new DynamicBytes(new byte[0])),
                            List.of()));
        }
        return new Reverse(r.oracle(), params, r.id());
    }

    /**
     * The vault's owner deploys its hedge on the reverse market with {@code policy} and deposits {@code margin} of L
     * (minted to it first, as the devnet's test tokens allow). Returns the hedge's address.
     */
    public static Address hedge(
            DevWallet owner,
            MarketDeployment m,
            Reverse reverse,
            Address vault,
            HedgePolicy policy,
            BigInteger margin) {
        Morpho.MarketParams r = reverse.params();
        UnwindHedge.MarketParams params =
                new UnwindHedge.MarketParams(r.loanToken, r.collateralToken, r.oracle, r.irm, r.lltv);
        UnwindHedge.HedgePolicy p = new UnwindHedge.HedgePolicy(
                BigInteger.valueOf(policy.maxRatioBps()),
                BigInteger.valueOf(policy.openLtvBps()),
                BigInteger.valueOf(policy.triggerLtvBps()),
                BigInteger.valueOf(policy.targetLtvBps()),
                BigInteger.valueOf(policy.maxSlippageBps()),
                BigInteger.valueOf(policy.maxFeeBps()),
                BigInteger.valueOf(policy.cooldown().toSeconds()));
        Address hedge = owner.deploy(
                UnwindHedge.BINARY,
                FunctionEncoder.encodeConstructor(List.of(
                        new org.web3j.abi.datatypes.Address(m.morpho().hex()),
                        new org.web3j.abi.datatypes.Address(vault.hex()),
                        params,
                        p)));
        if (margin.signum() > 0) {
            owner.mint(m.loan().address(), owner.address(), margin);
            owner.call(m.loan().address(), approve(hedge, margin));
            owner.call(hedge, HedgeCalls.deposit(hedge, margin).hex());
        }
        return hedge;
    }

    private static Function approve(Address spender, BigInteger amount) {
        return new Function(
                TestToken.FUNC_APPROVE,
                List.of(new org.web3j.abi.datatypes.Address(spender.hex()), new Uint256(amount)),
                List.of());
    }
}
