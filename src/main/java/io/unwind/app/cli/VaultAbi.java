package io.unwind.app.cli;

import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Policy;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/** Calldata of the owner's calls on a vault, the factory and ERC-20 tokens (IUnwindVault.sol has the meaning). */
final class VaultAbi {
    /** repay(type(uint256).max) repays the whole debt, interest included. */
    static final BigInteger ALL = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    private VaultAbi() {}

    static byte[] supplyCollateral(BigInteger amount) {
        return call("supplyCollateral", new Uint256(amount));
    }

    static byte[] withdrawCollateral(BigInteger amount, Address receiver) {
        return call("withdrawCollateral", new Uint256(amount), addr(receiver));
    }

    static byte[] borrow(BigInteger amount, Address receiver) {
        return call("borrow", new Uint256(amount), addr(receiver));
    }

    static byte[] repay(BigInteger amount) {
        return call("repay", new Uint256(amount));
    }

    static byte[] depositReserve(BigInteger amount) {
        return call("depositReserve", new Uint256(amount));
    }

    static byte[] withdrawReserve(BigInteger amount, Address receiver) {
        return call("withdrawReserve", new Uint256(amount), addr(receiver));
    }

    static byte[] setKeeper(Address keeper, boolean allowed) {
        return call("setKeeper", addr(keeper), new Bool(allowed));
    }

    static byte[] setRoute(Address router, byte[] selector, boolean allowed) {
        return call("setRoute", addr(router), new Bytes4(selector), new Bool(allowed));
    }

    static byte[] setPaused(boolean paused) {
        return call("setPaused", new Bool(paused));
    }

    static byte[] setPolicy(Policy p) {
        return call("setPolicy", new UnwindVault.Policy(BigInteger.valueOf(p.triggerLtvBps()), BigInteger.valueOf(p.targetLtvBps()),
                BigInteger.valueOf(p.bandBps()), BigInteger.valueOf(p.maxSlippageBps()), BigInteger.valueOf(p.maxFeeBps()),
                BigInteger.valueOf(p.maxSellBps()), BigInteger.valueOf(p.cooldown().toSeconds()), p.maxGasPrice().value()));
    }

    static byte[] createVault(VaultFactory.MarketParams params, Address owner) {
        return call("createVault", params, addr(owner));
    }

    static byte[] approve(Address spender, BigInteger amount) {
        return call("approve", addr(spender), new Uint256(amount));
    }

    /** The 4-byte selector of a function signature ("exactInputSingle((address,...))") or of 0x-hex. */
    static byte[] selector(String text) {
        String t = text.trim();
        if (t.matches("0x[0-9a-fA-F]{8}")) return Numeric.hexStringToByteArray(t);
        if (!t.matches("[A-Za-z_][A-Za-z0-9_]*\\(.*\\)")) {
            throw new ExitCodes.UserError(ExitCodes.USAGE, "--selector: '" + text + "' is neither 0x and 8 hex digits nor a function "
                    + "signature like swapExactTokensForTokens(uint256,uint256,address[],address,uint256)");
        }
        return java.util.Arrays.copyOf(org.web3j.crypto.Hash.sha3(t.replace(" ", "").getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 4);
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    private static byte[] call(String name, Type<?>... args) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(name, List.of(args), List.of())));
    }
}
