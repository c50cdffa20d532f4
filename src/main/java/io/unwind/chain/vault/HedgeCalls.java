package io.unwind.chain.vault;

import io.unwind.contracts.UnwindHedge;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint256;

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
}
