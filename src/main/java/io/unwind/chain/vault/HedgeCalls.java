package io.unwind.chain.vault;

import io.unwind.contracts.UnwindHedge;
import io.unwind.domain.chain.Address;
import io.unwind.domain.hedge.HedgePolicy;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** Calldata of UnwindHedge's keeper functions (UnwindHedge.sol has their rules) and the owner's deposit. */
public final class HedgeCalls {
    private HedgeCalls() {}

    /** Borrow {@code assets} of C, sell them through {@code router} with {@code swap}, pay {@code fee} of L. */
    public static byte[] open(BigInteger assets, Address router, byte[] swap, BigInteger deadline, BigInteger fee) {
        return VaultCalls.encode(
                UnwindHedge.FUNC_OPEN,
                new Uint256(assets),
                VaultCalls.addr(router),
                new DynamicBytes(swap),
                new Uint256(deadline),
                new Uint256(fee));
    }

    /** Withdraw {@code quote} of L margin, pay {@code fee} of it, buy C with the rest and repay the short. */
    public static byte[] close(BigInteger quote, Address router, byte[] swap, BigInteger deadline, BigInteger fee) {
        return VaultCalls.encode(
                UnwindHedge.FUNC_CLOSE,
                new Uint256(quote),
                VaultCalls.addr(router),
                new DynamicBytes(swap),
                new Uint256(deadline),
                new Uint256(fee));
    }

    /** Send {@code amount} of L, out of the hedge's profit, to its vault. */
    public static byte[] releaseProfit(BigInteger amount, BigInteger deadline) {
        return VaultCalls.encode(UnwindHedge.FUNC_RELEASEPROFIT, new Uint256(amount), new Uint256(deadline));
    }

    /** The owner puts {@code amount} of L in as margin (after approving the hedge for it). */
    public static ContractCall deposit(Address hedge, BigInteger amount) {
        return new ContractCall(
                UnwindHedge.FUNC_DEPOSIT, hedge, VaultCalls.encode(UnwindHedge.FUNC_DEPOSIT, new Uint256(amount)));
    }

    /** The owner takes {@code amount} of L margin out to {@code receiver} ({@link VaultCalls#ALL}: all of it). */
    public static ContractCall withdraw(Address hedge, BigInteger amount, Address receiver) {
        return new ContractCall(
                UnwindHedge.FUNC_WITHDRAW,
                hedge,
                VaultCalls.encode(UnwindHedge.FUNC_WITHDRAW, new Uint256(amount), VaultCalls.addr(receiver)));
    }

    /** The owner repays the short with {@code assets} of C of their own (at least the debt repays all of it). */
    public static ContractCall repayWithAsset(Address hedge, BigInteger assets) {
        return new ContractCall(
                UnwindHedge.FUNC_REPAYWITHASSET,
                hedge,
                VaultCalls.encode(UnwindHedge.FUNC_REPAYWITHASSET, new Uint256(assets)));
    }

    /** The owner sets the hedge's policy. */
    public static ContractCall setPolicy(Address hedge, HedgePolicy p) {
        return new ContractCall(
                UnwindHedge.FUNC_SETPOLICY, hedge, VaultCalls.encode(UnwindHedge.FUNC_SETPOLICY, struct(p)));
    }

    /** UnwindHedge's creation code: on {@code morpho}, beside {@code vault}, in the reverse market, with a policy. */
    public static byte[] initCode(Address morpho, Address vault, MarketParams reverse, HedgePolicy p) {
        String args = FunctionEncoder.encodeConstructor(List.of(
                VaultCalls.addr(morpho),
                VaultCalls.addr(vault),
                new UnwindHedge.MarketParams(
                        reverse.loanToken().hex(),
                        reverse.collateralToken().hex(),
                        reverse.oracle().hex(),
                        reverse.irm().hex(),
                        reverse.lltv()),
                struct(p)));
        return Numeric.hexStringToByteArray(UnwindHedge.BINARY + Numeric.cleanHexPrefix(args));
    }

    private static UnwindHedge.HedgePolicy struct(HedgePolicy p) {
        return new UnwindHedge.HedgePolicy(
                BigInteger.valueOf(p.maxRatioBps()),
                BigInteger.valueOf(p.openLtvBps()),
                BigInteger.valueOf(p.triggerLtvBps()),
                BigInteger.valueOf(p.targetLtvBps()),
                BigInteger.valueOf(p.maxSlippageBps()),
                BigInteger.valueOf(p.maxFeeBps()),
                BigInteger.valueOf(p.cooldown().toSeconds()));
    }
}
