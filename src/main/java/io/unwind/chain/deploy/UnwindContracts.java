package io.unwind.chain.deploy;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.contracts.AavePoolAddressesProvider;
import io.unwind.contracts.AaveVaultFactory;
import io.unwind.contracts.Create2Probe;
import io.unwind.contracts.VaultFactory;
import io.unwind.contracts.VaultLens;
import io.unwind.domain.chain.Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Unwind's own contracts on a chain, at deterministic CREATE2 addresses: the Morpho vault factory, the lens and, on a
 * chain with Aave V3, the Aave vault factory. Each is created through the deterministic deployment proxy (the same
 * address on every chain that has it, anvil included), from a salt and the build's creation code with its constructor
 * arguments, so that its address depends on nothing else: a second run finds what the first made.
 *
 * <p>What is at an address is checked against the build, byte for byte: the creation is replayed in one eth_call from
 * the proxy's own address (its code replaced by {@code Create2Probe}, the address's code and nonce cleared), which
 * produces the runtime code this build must leave there, immutables and the addresses of nested creations included.
 */
public final class UnwindContracts {
    /** The deterministic deployment proxy (input: 32-byte salt, then the creation code; output: the address). */
    public static final Address CREATE2_DEPLOYER = Address.of("0x4e59b44847b379578588920ca78fbf26c0b4956c");

    private UnwindContracts() {}

    /** One contract of the plan: its name, its constructor arguments in words, its creation code and its address. */
    public record Planned(String name, String args, byte[] initCode, Address address) {}

    /** What a check found at a planned address. */
    public enum State {
        /** Nothing there yet: to deploy. */
        MISSING,
        /** The build's code is there. */
        VERIFIED,
        /** Other code is there: not this build (another version, or something else). */
        DIFFERENT
    }

    /**
     * @param gas for a missing contract, the proxy call's gas estimate (empty if it would revert: see {@code detail})
     */
    public record Checked(Planned planned, State state, OptionalLong gas, String detail) {}

    /**
     * The salt for {@code label}: keccak256 of "unwind:" and the label, so that one label gives one set of addresses.
     */
    public static byte[] salt(String label) {
        return Hash.sha3(("unwind:" + label).getBytes(StandardCharsets.UTF_8));
    }

    /** The address the proxy creates {@code initCode} at with {@code salt} (EIP-1014). */
    public static Address create2Address(byte[] salt, byte[] initCode) {
        byte[] preimage = new byte[1 + 20 + 32 + 32];
        preimage[0] = (byte) 0xff;
        System.arraycopy(Numeric.hexStringToByteArray(CREATE2_DEPLOYER.hex()), 0, preimage, 1, 20);
        System.arraycopy(salt, 0, preimage, 21, 32);
        System.arraycopy(Hash.sha3(initCode), 0, preimage, 53, 32);
        byte[] h = Hash.sha3(preimage);
        return Address.of(Numeric.toHexString(Arrays.copyOfRange(h, 12, 32)));
    }

    /** The proxy's input: the salt, then the creation code. */
    public static byte[] deployerInput(byte[] salt, byte[] initCode) {
        byte[] out = new byte[32 + initCode.length];
        System.arraycopy(salt, 0, out, 0, 32);
        System.arraycopy(initCode, 0, out, 32, initCode.length);
        return out;
    }

    /**
     * The contracts to have on a chain: the Morpho vault factory and the lens (which reads Aave vaults too when
     * {@code aavePool} is given), and the Aave vault factory when {@code aaveProvider} is given.
     */
    public static List<Planned> plan(
            byte[] salt, Address morpho, Optional<Address> aavePool, Optional<Address> aaveProvider) {
        List<Planned> out = new ArrayList<>();
        out.add(planned(salt, "VaultFactory", "morpho " + morpho, VaultFactory.BINARY, addr(morpho)));
        Address pool = aavePool.orElse(Address.ZERO);
        out.add(planned(
                salt,
                "VaultLens",
                "morpho " + morpho + ", aavePool " + pool,
                VaultLens.BINARY,
                addr(morpho),
                addr(pool)));
        aaveProvider.ifPresent(
                p -> out.add(planned(salt, "AaveVaultFactory", "provider " + p, AaveVaultFactory.BINARY, addr(p))));
        return List.copyOf(out);
    }

    /** The Aave V3 pool a PoolAddressesProvider names. */
    public static Address aavePool(ChainClient chain, Address provider) {
        Function f = new Function(
                AavePoolAddressesProvider.FUNC_GETPOOL,
                List.of(),
                List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}));
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
        return switch (chain.callLatest(null, provider, data)) {
            case CallResult.Success s -> {
                @SuppressWarnings("rawtypes")
                List<Type> out = FunctionReturnDecoder.decode(s.hex(), f.getOutputParameters());
                if (out.isEmpty()) {
                    throw new IllegalArgumentException(provider + " answered getPool() with nothing: is it an Aave V3"
                            + " PoolAddressesProvider?");
                }
                yield Address.of((String) out.get(0).getValue());
            }
            case CallResult.Reverted r ->
                throw new IllegalArgumentException(provider
                        + " reverted getPool(): is it an Aave V3 PoolAddressesProvider? (" + r.message() + ")");
        };
    }

    /** Whether the deterministic deployment proxy is on the chain (it is on anvil and most public chains). */
    public static boolean deployerPresent(ChainClient chain) {
        return chain.code(CREATE2_DEPLOYER).length > 0;
    }

    /**
     * What is at {@code p}'s address: nothing (with the gas a deployment from {@code from} is estimated at), this
     * build's code, or other code.
     */
    public static Checked check(ChainClient chain, Address from, byte[] salt, Planned p) {
        byte[] input = deployerInput(salt, p.initCode());
        byte[] code = chain.code(p.address());
        if (code.length == 0) {
            return switch (chain.estimateGas(from, CREATE2_DEPLOYER, input)) {
                case ChainClient.EstimateResult.Gas g ->
                    new Checked(p, State.MISSING, OptionalLong.of(g.units().longValueExact()), "to deploy");
                case ChainClient.EstimateResult.Reverted r ->
                    new Checked(
                            p,
                            State.MISSING,
                            OptionalLong.empty(),
                            "its creation would revert: " + r.revert().message());
            };
        }
        byte[] expected = expectedCode(chain, from, input, p.address());
        return Arrays.equals(expected, code)
                ? new Checked(p, State.VERIFIED, OptionalLong.empty(), "deployed, code matches this build")
                : new Checked(
                        p,
                        State.DIFFERENT,
                        OptionalLong.empty(),
                        "holds " + code.length + " bytes of other code than this build's " + expected.length
                                + ": another version or another contract");
    }

    /**
     * Creations a constructor may make, cleared for the replay: the first {@value #NESTED_PER_LEVEL} CREATEs of the
     * contract and of each of those (the factories create their vault implementation, which creates its portfolio
     * code).
     */
    static final int NESTED_PER_LEVEL = 3;

    /** The runtime code creating {@code input} through the proxy leaves at {@code at}, replayed in one eth_call. */
    static byte[] expectedCode(ChainClient chain, Address from, byte[] input, Address at) {
        Map<Address, ChainClient.AccountOverride> state = new java.util.LinkedHashMap<>();
        state.put(
                CREATE2_DEPLOYER,
                new ChainClient.AccountOverride(
                        Numeric.hexStringToByteArray(Create2Probe.RUNTIME_BINARY), OptionalLong.empty()));
        // The address and what its constructor created must be empty again for the replay to create them at the same
        // addresses (a CREATE onto code or a used nonce fails).
        ChainClient.AccountOverride empty = new ChainClient.AccountOverride(new byte[0], OptionalLong.of(0));
        state.put(at, empty);
        for (int n = 1; n <= NESTED_PER_LEVEL; n++) {
            Address child = created(at, n);
            state.put(child, empty);
            for (int m = 1; m <= NESTED_PER_LEVEL; m++) state.put(created(child, m), empty);
        }
        return switch (chain.callLatestWithState(from, CREATE2_DEPLOYER, input, state)) {
            case CallResult.Success s -> s.data();
            case CallResult.Reverted r ->
                throw new IllegalStateException("replaying the creation of " + at + " reverted (" + r.message()
                        + "): the node may not take state overrides in eth_call");
        };
    }

    /** The address {@code creator}'s CREATE with nonce {@code nonce} makes. */
    static Address created(Address creator, long nonce) {
        return Address.of(org.web3j.crypto.ContractUtils.generateContractAddress(
                creator.hex(), java.math.BigInteger.valueOf(nonce)));
    }

    private static Planned planned(byte[] salt, String name, String args, String binary, Type<?>... ctorArgs) {
        String encoded = FunctionEncoder.encodeConstructor(List.of(ctorArgs));
        byte[] init = Numeric.hexStringToByteArray(binary + Numeric.cleanHexPrefix(encoded));
        return new Planned(name, args, init, create2Address(salt, init));
    }

    private static org.web3j.abi.datatypes.Address addr(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }
}
