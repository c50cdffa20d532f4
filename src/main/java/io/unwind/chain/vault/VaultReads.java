package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.contracts.Morpho;
import io.unwind.contracts.TestToken;
import io.unwind.contracts.UnwindVault;
import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.position.Guard;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.utils.Numeric;

/**
 * The views of the factory, the vault, Morpho and ERC-20 tokens that the keeper's directory and the owner's commands
 * read, typed. Each read is at the latest block, or pinned to {@code at} where given. A revert is a
 * {@link ContractReverted}.
 */
public final class VaultReads {
    private final ChainClient chain;

    public VaultReads(ChainClient chain) {
        this.chain = chain;
    }

    /** The factory's vaultCount(). */
    public long vaultCount(Address factory, Optional<BlockRef> at) {
        return uint(call(factory, VaultFactory.FUNC_VAULTCOUNT, List.of(), List.of(new TypeReference<Uint256>() {}), at)
                        .get(0))
                .longValueExact();
    }

    /** The factory's vaults(start, count): at most {@code count} vaults from index {@code start}. */
    public List<Address> vaults(Address factory, long start, int count, Optional<BlockRef> at) {
        return addresses(call(
                factory,
                VaultFactory.FUNC_VAULTS,
                List.of(new Uint256(start), new Uint256(count)),
                List.of(new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}),
                at));
    }

    /** The factory's marketOf(vault): the Morpho market id (0x, 64 lower-case hex digits) it recorded at creation. */
    public String marketOf(Address factory, Address vault, Optional<BlockRef> at) {
        return bytes32(call(
                        factory,
                        VaultFactory.FUNC_MARKETOF,
                        List.of(VaultCalls.addr(vault)),
                        List.of(new TypeReference<Bytes32>() {}),
                        at)
                .get(0));
    }

    /** The vault's own marketId() (for vaults listed in the configuration, which need not come from the factory). */
    public String marketIdOf(Address vault, Optional<BlockRef> at) {
        return bytes32(call(vault, UnwindVault.FUNC_MARKETID, List.of(), List.of(new TypeReference<Bytes32>() {}), at)
                .get(0));
    }

    /** The factory's vaultsOf(owner), at the latest block. */
    public List<Address> vaultsOf(Address factory, Address owner) {
        return addresses(call(
                factory,
                VaultFactory.FUNC_VAULTSOF,
                List.of(VaultCalls.addr(owner)),
                List.of(new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}),
                Optional.empty()));
    }

    /** The vault's isKeeper(keeper), at the latest block. */
    public boolean isKeeper(Address vault, Address keeper) {
        return bool(call(
                        vault,
                        UnwindVault.FUNC_ISKEEPER,
                        List.of(VaultCalls.addr(keeper)),
                        List.of(new TypeReference<Bool>() {}),
                        Optional.empty())
                .get(0));
    }

    /** The vault's isRouteAllowed(router, selector), at the latest block. */
    public boolean isRouteAllowed(Address vault, Address router, byte[] selector) {
        return bool(call(
                        vault,
                        UnwindVault.FUNC_ISROUTEALLOWED,
                        List.of(VaultCalls.addr(router), new org.web3j.abi.datatypes.generated.Bytes4(selector)),
                        List.of(new TypeReference<Bool>() {}),
                        Optional.empty())
                .get(0));
    }

    /** The address the owner offered the vault to (transferOwnership), or zero when none, at the latest block. */
    public Address pendingOwner(Address vault) {
        return address(call(
                        vault,
                        UnwindVault.FUNC_PENDINGOWNER,
                        List.of(),
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}),
                        Optional.empty())
                .get(0));
    }

    /** The keepers the vault allows, as its keepers() lists them, at the latest block. */
    public List<Address> keepers(Address vault) {
        return addresses(call(
                vault,
                UnwindVault.FUNC_KEEPERS,
                List.of(),
                List.of(new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}),
                Optional.empty()));
    }

    /** The routes (router and selector) the vault allows, as its routes() lists them, at the latest block. */
    @SuppressWarnings({"rawtypes", "unchecked"}) // web3j decodes a struct array into List<Type>, with Type raw
    public List<AllowedRoute> routes(Address vault) {
        List<Type> out = call(
                vault,
                UnwindVault.FUNC_ROUTES,
                List.of(),
                List.of(new TypeReference<DynamicArray<UnwindVault.Route>>() {}),
                Optional.empty());
        List<UnwindVault.Route> list = ((DynamicArray<UnwindVault.Route>) out.get(0)).getValue();
        return list.stream()
                .map(r -> new AllowedRoute(Address.of(r.router), r.selector.clone()))
                .toList();
    }

    /** A router and the one function of it keepers may call. */
    public record AllowedRoute(Address router, byte[] selector) {}

    /** The vault's guard, at the latest block. */
    @SuppressWarnings("rawtypes")
    public Guard guard(Address vault) {
        List<Type> g = call(
                vault,
                UnwindVault.FUNC_GUARD,
                List.of(),
                List.of(
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<Uint256>() {},
                        new TypeReference<Uint256>() {},
                        new TypeReference<Uint256>() {},
                        new TypeReference<Uint256>() {}),
                Optional.empty());
        return new Guard(
                address(g.get(0)),
                java.time.Duration.ofSeconds(uint(g.get(1)).longValueExact()),
                uint(g.get(2)).intValueExact(),
                java.time.Duration.ofSeconds(uint(g.get(3)).longValueExact()),
                uint(g.get(4)).intValueExact());
    }

    /** An ERC-20 token's balanceOf(holder), at the latest block. */
    public BigInteger balanceOf(Address token, Address holder) {
        return uint(call(
                        token,
                        TestToken.FUNC_BALANCEOF,
                        List.of(VaultCalls.addr(holder)),
                        List.of(new TypeReference<Uint256>() {}),
                        Optional.empty())
                .get(0));
    }

    /** An ERC-20 token's allowance(owner, spender), at the latest block. */
    public BigInteger allowance(Address token, Address owner, Address spender) {
        return uint(call(
                        token,
                        TestToken.FUNC_ALLOWANCE,
                        List.of(VaultCalls.addr(owner), VaultCalls.addr(spender)),
                        List.of(new TypeReference<Uint256>() {}),
                        Optional.empty())
                .get(0));
    }

    /**
     * Morpho's idToMarketParams(id) at the latest block; an unknown market has lltv 0 ({@link MarketParams#exists}).
     */
    @SuppressWarnings("rawtypes") // web3j decodes into List<Type>, with Type raw
    public MarketParams marketParams(Address morpho, String marketId) {
        Bytes32 id = new Bytes32(Numeric.hexStringToByteArray(marketId));
        List<Type> p = call(
                morpho,
                Morpho.FUNC_IDTOMARKETPARAMS,
                List.of(id),
                List.of(
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<Uint256>() {}),
                Optional.empty());
        return new MarketParams(
                address(p.get(0)), address(p.get(1)), address(p.get(2)), address(p.get(3)), uint(p.get(4)));
    }

    /** The vault's link to its owner's shared reserve; {@link Address#ZERO} when none. */
    public Address sharedReserve(Address vault) {
        return address(call(
                        vault,
                        io.unwind.contracts.VaultPortfolio.FUNC_SHAREDRESERVE,
                        List.of(),
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}),
                        Optional.empty())
                .get(0));
    }

    /** The most one move may take out of the vault, in basis points of its collateral (0: moves off). */
    public int maxMoveBps(Address vault) {
        return uint(call(
                                vault,
                                io.unwind.contracts.VaultPortfolio.FUNC_MAXMOVEBPS,
                                List.of(),
                                List.of(new TypeReference<org.web3j.abi.datatypes.generated.Uint16>() {}),
                                Optional.empty())
                        .get(0))
                .intValueExact();
    }

    /** The vaults this one may send collateral to and accept it from (both ends must list each other). */
    public List<Address> movePeers(Address vault) {
        return addresses(call(
                vault,
                io.unwind.contracts.VaultPortfolio.FUNC_MOVEPEERS,
                List.of(),
                List.of(new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() {}),
                Optional.empty()));
    }

    /** A shared reserve's owner. */
    public Address reserveOwner(Address reserve) {
        return address(call(
                        reserve,
                        io.unwind.contracts.SharedReserve.FUNC_OWNER,
                        List.of(),
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}),
                        Optional.empty())
                .get(0));
    }

    /** What {@code vault} may still draw of {@code token} from {@code reserve} under its current owner. */
    public BigInteger sharedLimit(Address reserve, Address vault, Address token) {
        return uint(call(
                        reserve,
                        io.unwind.contracts.SharedReserve.FUNC_LIMIT,
                        List.of(VaultCalls.addr(vault), VaultCalls.addr(token)),
                        List.of(new TypeReference<Uint256>() {}),
                        Optional.empty())
                .get(0));
    }

    /** What a top-up of the vault can spend now: its own reserve plus what its shared reserve would give it. */
    public BigInteger topUpAvailable(Address vault, Optional<BlockRef> at) {
        return uint(call(
                        vault,
                        io.unwind.contracts.VaultPortfolio.FUNC_TOPUPAVAILABLE,
                        List.of(),
                        List.of(new TypeReference<Uint256>() {}),
                        at)
                .get(0));
    }

    /** What {@code vault} could draw of {@code token} from the shared {@code reserve} now: min(limit, balance). */
    public BigInteger sharedAvailable(Address reserve, Address vault, Address token, Optional<BlockRef> at) {
        return uint(call(
                        reserve,
                        io.unwind.contracts.SharedReserve.FUNC_AVAILABLE,
                        List.of(VaultCalls.addr(vault), VaultCalls.addr(token)),
                        List.of(new TypeReference<Uint256>() {}),
                        at)
                .get(0));
    }

    @SuppressWarnings("rawtypes")
    private List<Type> call(
            Address to, String function, List<Type> in, List<TypeReference<?>> out, Optional<BlockRef> at) {
        Function f = new Function(function, in, out);
        byte[] data = Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
        CallResult r = at.isPresent() ? chain.call(null, to, data, at.get().hash()) : chain.callLatest(null, to, data);
        return switch (r) {
            case CallResult.Success s -> FunctionReturnDecoder.decode(s.hex(), f.getOutputParameters());
            case CallResult.Reverted rev -> throw new ContractReverted(function, to, rev.data(), rev.message());
        };
    }

    /**
     * The outputs of a call's answer: a revert is {@link ContractReverted}; an answer too short for {@code out} (no
     * contract there, or not this one) is an error naming the contract and function.
     */
    @SuppressWarnings("rawtypes")
    static List<Type> decode(CallResult r, String function, Address to, List<TypeReference<?>> out) {
        Function f = new Function(function, List.of(), out);
        return switch (r) {
            case CallResult.Success s -> {
                List<Type> d = s.data().length < 32 * out.size()
                        ? List.of()
                        : FunctionReturnDecoder.decode(s.hex(), f.getOutputParameters());
                if (d.size() != out.size())
                    throw new IllegalStateException(to + " answers " + function + "() with " + s.data().length
                            + " bytes, not the " + out.size() + " words it returns: is it the contract configured?");
                yield d;
            }
            case CallResult.Reverted rev -> throw new ContractReverted(function, to, rev.data(), rev.message());
        };
    }

    private static String bytes32(Type<?> t) {
        return Numeric.toHexString((byte[]) t.getValue()).toLowerCase(java.util.Locale.ROOT);
    }

    private static BigInteger uint(Type<?> t) {
        return (BigInteger) t.getValue();
    }

    private static boolean bool(Type<?> t) {
        return (Boolean) t.getValue();
    }

    private static Address address(Type<?> t) {
        return Address.of((String) t.getValue());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Address> addresses(List<Type> decoded) {
        if (decoded.isEmpty()) return List.of();
        List<org.web3j.abi.datatypes.Address> list = ((DynamicArray) decoded.get(0)).getValue();
        return list.stream().map(a -> Address.of(a.getValue())).toList();
    }
}
