package io.unwind.chain.vault;

import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.position.Guard;
import io.unwind.domain.position.Policy;
import io.unwind.domain.position.SoftTrigger;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Calldata of the vault's functions (IUnwindVault.sol has their meaning): the keeper's two, the owner's, the factory's
 * createVault and ERC-20 approve. Function names and structs come from the generated wrappers.
 */
public final class VaultCalls {
    /** repay(type(uint256).max) repays the whole debt, interest included. */
    public static final BigInteger ALL = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    /** Head words before the deadline argument: deleverage(collateral, router, swapData, minRepaid, deadline, fee). */
    private static final int DELEVERAGE_DEADLINE_WORD = 4;
    /** topUp(amount, deadline, keeperFee). */
    private static final int TOP_UP_DEADLINE_WORD = 1;

    private static final String DELEVERAGE = selectorOf(
            deleverage(BigInteger.ZERO, Address.ZERO, new byte[0], BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));
    private static final String TOP_UP = selectorOf(topUp(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO));

    private VaultCalls() {}

    public static byte[] deleverage(
            BigInteger collateralAmount,
            Address router,
            byte[] swapData,
            BigInteger minRepaid,
            BigInteger deadline,
            BigInteger keeperFee) {
        return encode(
                UnwindVault.FUNC_DELEVERAGE,
                new Uint256(collateralAmount),
                addr(router),
                new DynamicBytes(swapData),
                new Uint256(minRepaid),
                new Uint256(deadline),
                new Uint256(keeperFee));
    }

    public static byte[] topUp(BigInteger amount, BigInteger deadline, BigInteger keeperFee) {
        return encode(UnwindVault.FUNC_TOPUP, new Uint256(amount), new Uint256(deadline), new Uint256(keeperFee));
    }

    /** The {@code deadline} argument of a deleverage or topUp call, if {@code calldata} is one. */
    public static Optional<Instant> deadline(byte[] calldata) {
        if (calldata.length < 4) return Optional.empty();
        String selector = Numeric.toHexString(calldata, 0, 4, true);
        int word = selector.equals(DELEVERAGE)
                ? DELEVERAGE_DEADLINE_WORD
                : selector.equals(TOP_UP) ? TOP_UP_DEADLINE_WORD : -1;
        if (word < 0 || calldata.length < 4 + 32 * (word + 1)) return Optional.empty();
        BigInteger d = Words.uint(calldata, 4 + 32 * word);
        return d.bitLength() > 62 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(d.longValueExact()));
    }

    /** isRouteAllowed(router, selector), a view. */
    public static byte[] isRouteAllowed(Address router, byte[] selector) {
        return encode(UnwindVault.FUNC_ISROUTEALLOWED, addr(router), new Bytes4(selector));
    }

    public static ContractCall supplyCollateral(Address vault, BigInteger amount) {
        return call(vault, UnwindVault.FUNC_SUPPLYCOLLATERAL, new Uint256(amount));
    }

    public static ContractCall withdrawCollateral(Address vault, BigInteger amount, Address receiver) {
        return call(vault, UnwindVault.FUNC_WITHDRAWCOLLATERAL, new Uint256(amount), addr(receiver));
    }

    public static ContractCall borrow(Address vault, BigInteger amount, Address receiver) {
        return call(vault, UnwindVault.FUNC_BORROW, new Uint256(amount), addr(receiver));
    }

    /** repay(amount); {@link #ALL} repays the whole debt. */
    public static ContractCall repay(Address vault, BigInteger amount) {
        return call(vault, UnwindVault.FUNC_REPAY, new Uint256(amount));
    }

    public static ContractCall depositReserve(Address vault, BigInteger amount) {
        return call(vault, UnwindVault.FUNC_DEPOSITRESERVE, new Uint256(amount));
    }

    public static ContractCall withdrawReserve(Address vault, BigInteger amount, Address receiver) {
        return call(vault, UnwindVault.FUNC_WITHDRAWRESERVE, new Uint256(amount), addr(receiver));
    }

    public static ContractCall setKeeper(Address vault, Address keeper, boolean allowed) {
        return call(vault, UnwindVault.FUNC_SETKEEPER, addr(keeper), new Bool(allowed));
    }

    public static ContractCall setRoute(Address vault, Address router, byte[] selector, boolean allowed) {
        return call(vault, UnwindVault.FUNC_SETROUTE, addr(router), new Bytes4(selector), new Bool(allowed));
    }

    public static ContractCall setPaused(Address vault, boolean paused) {
        return call(vault, UnwindVault.FUNC_SETPAUSED, new Bool(paused));
    }

    public static ContractCall setPolicy(Address vault, Policy p) {
        return call(
                vault,
                UnwindVault.FUNC_SETPOLICY,
                new UnwindVault.Policy(
                        BigInteger.valueOf(p.triggerLtvBps()),
                        BigInteger.valueOf(p.targetLtvBps()),
                        BigInteger.valueOf(p.bandBps()),
                        BigInteger.valueOf(p.maxSlippageBps()),
                        BigInteger.valueOf(p.maxFeeBps()),
                        BigInteger.valueOf(p.maxSellBps()),
                        BigInteger.valueOf(p.cooldown().toSeconds()),
                        p.maxGasPrice().value()));
    }

    /** Sets (or, with {@link SoftTrigger#NONE}, clears) the vault's soft trigger. */
    public static ContractCall setSoftTrigger(Address vault, SoftTrigger t) {
        return call(
                vault,
                UnwindVault.FUNC_SETSOFTTRIGGER,
                new Uint16(t.softTriggerLtvBps()),
                new Uint16(t.maxLiquidationProbabilityBps()));
    }

    /** A vault owned by the sender (the factory creates vaults in nobody else's name). */
    public static ContractCall createVault(Address factory, MarketParams market) {
        return call(factory, VaultFactory.FUNC_CREATEVAULT, market.struct());
    }

    /**
     * AaveVaultFactory.createVault(collateral, loan, eModeCategory): an Aave V3 vault owned by the sender, borrowing
     * {@code loan} (variable rate) against {@code collateral}, in e-mode {@code eMode} (0: none).
     */
    public static ContractCall createAaveVault(Address factory, Address collateral, Address loan, int eMode) {
        return call(
                factory,
                io.unwind.contracts.AaveVaultFactory.FUNC_CREATEVAULT,
                addr(collateral),
                addr(loan),
                new org.web3j.abi.datatypes.generated.Uint8(eMode));
    }

    /** The owner's guard: the price feed and its limits, and the rate limit on sales. */
    public static ContractCall setGuard(Address vault, Guard g) {
        return call(
                vault,
                UnwindVault.FUNC_SETGUARD,
                new UnwindVault.Guard(
                        g.priceFeed().hex(),
                        BigInteger.valueOf(g.maxPriceAge().toSeconds()),
                        BigInteger.valueOf(g.maxPriceDeviationBps()),
                        BigInteger.valueOf(g.sellWindow().toSeconds()),
                        BigInteger.valueOf(g.maxWindowSellBps())));
    }

    /** Offers the vault to {@code newOwner}, who must accept it. */
    public static ContractCall transferOwnership(Address vault, Address newOwner) {
        return call(vault, UnwindVault.FUNC_TRANSFEROWNERSHIP, addr(newOwner));
    }

    /**
     * Takes the ownership offered; {@code keepAccess} keeps the previous owner's keepers and routes, otherwise each is
     * removed (with its event).
     */
    public static ContractCall acceptOwnership(Address vault, boolean keepAccess) {
        return call(vault, UnwindVault.FUNC_ACCEPTOWNERSHIP, new org.web3j.abi.datatypes.Bool(keepAccess));
    }

    /** ERC-20 approve(spender, amount) on {@code token}. */
    public static ContractCall approve(Address token, Address spender, BigInteger amount) {
        return call(token, TestToken.FUNC_APPROVE, addr(spender), new Uint256(amount));
    }

    /** The 4-byte selector of a function signature such as {@code "swap(address,uint256)"} (spaces ignored). */
    public static byte[] selectorOf(String signature) {
        return Arrays.copyOf(Hash.sha3(signature.replace(" ", "").getBytes(StandardCharsets.US_ASCII)), 4);
    }

    static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    static byte[] encode(String function, Type<?>... args) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(function, List.of(args), List.of())));
    }

    private static ContractCall call(Address to, String function, Type<?>... args) {
        return new ContractCall(function, to, encode(function, args));
    }

    private static String selectorOf(byte[] calldata) {
        return Numeric.toHexString(calldata, 0, 4, true);
    }
}
