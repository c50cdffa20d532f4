package io.unwind.chain.vault;

import io.unwind.contracts.SharedReserve;
import io.unwind.contracts.VaultPortfolio;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * Calldata of an owner's portfolio functions (IVaultPortfolio.sol and SharedReserve.sol have their meaning): the
 * vault's link to a shared reserve, its move peers and move cap, the reserve's per-vault limits, and the keeper's
 * {@code moveCollateral}. Every Unwind vault, Morpho or Aave, answers them.
 */
public final class PortfolioCalls {
    private PortfolioCalls() {}

    /** The keeper's move: {@code amount} of collateral out of {@code from}'s position into {@code to}'s. */
    public static byte[] moveCollateral(Address to, BigInteger amount, BigInteger deadline) {
        return VaultCalls.encode(
                VaultPortfolio.FUNC_MOVECOLLATERAL, VaultCalls.addr(to), new Uint256(amount), new Uint256(deadline));
    }

    public static ContractCall setSharedReserve(Address vault, Address reserve) {
        return call(
                vault,
                VaultPortfolio.FUNC_SETSHAREDRESERVE,
                VaultCalls.encode(VaultPortfolio.FUNC_SETSHAREDRESERVE, VaultCalls.addr(reserve)));
    }

    public static ContractCall setMovePeer(Address vault, Address peer, boolean allowed) {
        return call(
                vault,
                VaultPortfolio.FUNC_SETMOVEPEER,
                VaultCalls.encode(VaultPortfolio.FUNC_SETMOVEPEER, VaultCalls.addr(peer), new Bool(allowed)));
    }

    /** The most one move may take out of {@code vault}, in basis points of its collateral (0 turns moves off). */
    public static ContractCall setMoveCap(Address vault, int maxMoveBps) {
        if (maxMoveBps < 0 || maxMoveBps > 10_000) {
            throw new IllegalArgumentException("a move cap is 0..10000 basis points, not " + maxMoveBps);
        }
        return call(
                vault,
                VaultPortfolio.FUNC_SETMOVECAP,
                VaultCalls.encode(VaultPortfolio.FUNC_SETMOVECAP, new Uint16(maxMoveBps)));
    }

    /** What {@code vault} may draw of {@code token} from the shared {@code reserve} from now on. */
    public static ContractCall setLimit(Address reserve, Address vault, Address token, BigInteger amount) {
        return call(
                reserve,
                SharedReserve.FUNC_SETLIMIT,
                VaultCalls.encode(
                        SharedReserve.FUNC_SETLIMIT,
                        VaultCalls.addr(vault),
                        VaultCalls.addr(token),
                        new Uint256(amount)));
    }

    /** The owner takes {@code amount} of {@code token} out of the shared {@code reserve}, to {@code receiver}. */
    public static ContractCall withdraw(Address reserve, Address token, BigInteger amount, Address receiver) {
        return call(
                reserve,
                SharedReserve.FUNC_WITHDRAW,
                VaultCalls.encode(
                        SharedReserve.FUNC_WITHDRAW,
                        VaultCalls.addr(token),
                        new Uint256(amount),
                        VaultCalls.addr(receiver)));
    }

    /** An ERC-20 transfer: how anyone funds a shared reserve. */
    public static ContractCall transfer(Address token, Address to, BigInteger amount) {
        return call(
                token,
                io.unwind.contracts.TestToken.FUNC_TRANSFER,
                VaultCalls.encode(
                        io.unwind.contracts.TestToken.FUNC_TRANSFER, VaultCalls.addr(to), new Uint256(amount)));
    }

    /** A SharedReserve's creation code with its owner: what `unwind reserve shared create` deploys. */
    public static byte[] sharedReserveInitCode(Address owner) {
        String args = org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(VaultCalls.addr(owner)));
        return org.web3j.utils.Numeric.hexStringToByteArray(
                SharedReserve.BINARY + org.web3j.utils.Numeric.cleanHexPrefix(args));
    }

    private static ContractCall call(Address to, String function, byte[] data) {
        return new ContractCall(function, to, data);
    }
}
