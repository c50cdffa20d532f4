package io.unwind.chain.vault;

import io.unwind.chain.CallResult;
import io.unwind.chain.ChainClient;
import io.unwind.contracts.Morpho;
import io.unwind.contracts.UnwindHedge;
import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.BlockRef;
import io.unwind.domain.hedge.HedgePolicy;
import io.unwind.domain.hedge.HedgeState;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Reads an UnwindHedge at a block: its short (interest accrued), policy, principal and cooldown, and the reverse
 * market's borrow rate (its funding cost) from the market's own rate model. A hedge that does not answer, or answers
 * what no hedge would, is an error naming it: the keeper then leaves it alone, as it does an unreadable vault.
 */
@SuppressWarnings("rawtypes") // web3j decodes into List<Type>, with Type raw
public final class HedgeReads {
    private static final String BORROW_RATE_VIEW = Numeric.toHexString(Hash.sha3(
                    "borrowRateView((address,address,address,address,uint256),(uint128,uint128,uint128,uint128,uint128,uint128))"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            .substring(0, 10);

    private final ChainClient chain;
    /** What never changes of a hedge: its vault, Morpho, market id and params. */
    private final java.util.Map<Address, Fixed> fixed = new ConcurrentHashMap<>();

    private record Fixed(Address vault, Address morpho, String marketId, MarketParams params) {}

    public HedgeReads(ChainClient chain) {
        this.chain = chain;
    }

    /** The vault {@code hedge} protects. */
    public Address vaultOf(Address hedge, BlockRef at) {
        return fixed(hedge, at).vault();
    }

    public HedgeState read(Address hedge, BlockRef at) {
        Fixed f = fixed(hedge, at);
        List<Type> pos = call(
                hedge,
                UnwindHedge.FUNC_POSITION,
                List.of(
                        new TypeReference<Uint256>() {},
                        new TypeReference<Uint256>() {},
                        new TypeReference<Uint256>() {}),
                at);
        List<Type> pol = call(
                hedge,
                UnwindHedge.FUNC_POLICY,
                List.of(
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint16>() {},
                        new TypeReference<Uint32>() {}),
                at);
        BigInteger principal =
                uint(call(hedge, UnwindHedge.FUNC_PRINCIPAL, List.of(new TypeReference<Uint256>() {}), at)
                        .get(0));
        long last = uint(call(hedge, UnwindHedge.FUNC_LASTACTIONAT, List.of(new TypeReference<Uint64>() {}), at)
                        .get(0))
                .longValueExact();
        HedgePolicy policy;
        try {
            policy = new HedgePolicy(
                    uint(pol.get(0)).intValueExact(),
                    uint(pol.get(1)).intValueExact(),
                    uint(pol.get(2)).intValueExact(),
                    uint(pol.get(3)).intValueExact(),
                    uint(pol.get(4)).intValueExact(),
                    uint(pol.get(5)).intValueExact(),
                    Duration.ofSeconds(uint(pol.get(6)).longValueExact()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "hedge " + hedge + " answers a policy no hedge can hold: " + e.getMessage());
        }
        return new HedgeState(
                hedge,
                f.vault(),
                uint(pos.get(0)),
                uint(pos.get(1)),
                uint(pos.get(2)),
                principal,
                policy,
                Instant.ofEpochSecond(last),
                borrowRate(f, at),
                f.params().lltv());
    }

    /** The reverse market's borrow rate per second (WAD) from its rate model; 0 when it cannot be read. */
    private BigInteger borrowRate(Fixed f, BlockRef at) {
        try {
            List<Type> m = VaultReads.decode(
                    chain.call(
                            null,
                            f.morpho(),
                            encode(
                                    Morpho.FUNC_MARKET,
                                    List.of(new Bytes32(Numeric.hexStringToByteArray(f.marketId())))),
                            at.hash()),
                    Morpho.FUNC_MARKET,
                    f.morpho(),
                    sixUint128());
            StringBuilder data = new StringBuilder(BORROW_RATE_VIEW);
            MarketParams p = f.params();
            for (Address a : List.of(p.loanToken(), p.collateralToken(), p.oracle(), p.irm())) {
                data.append(Numeric.toHexStringNoPrefixZeroPadded(Numeric.toBigInt(a.hex()), 64));
            }
            data.append(Numeric.toHexStringNoPrefixZeroPadded(p.lltv(), 64));
            for (Type t : m) data.append(Numeric.toHexStringNoPrefixZeroPadded(uint(t), 64));
            CallResult r = chain.call(null, p.irm(), Numeric.hexStringToByteArray(data.toString()), at.hash());
            if (r instanceof CallResult.Success s && s.data().length >= 32) {
                return new BigInteger(1, java.util.Arrays.copyOf(s.data(), 32));
            }
        } catch (RuntimeException e) {
            // The rate is for people; the hedge is read without it.
        }
        return BigInteger.ZERO;
    }

    private Fixed fixed(Address hedge, BlockRef at) {
        Fixed f = fixed.get(hedge);
        if (f != null) return f;
        Address vault = address(call(
                        hedge,
                        UnwindHedge.FUNC_VAULT,
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}),
                        at)
                .get(0));
        Address morpho = address(call(
                        hedge,
                        UnwindHedge.FUNC_MORPHO,
                        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}),
                        at)
                .get(0));
        String id = Numeric.toHexString(
                        (byte[]) call(hedge, UnwindHedge.FUNC_MARKET_ID, List.of(new TypeReference<Bytes32>() {}), at)
                                .get(0)
                                .getValue())
                .toLowerCase(java.util.Locale.ROOT);
        List<Type> mp = call(
                hedge,
                UnwindHedge.FUNC_MARKETPARAMS,
                List.of(
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<org.web3j.abi.datatypes.Address>() {},
                        new TypeReference<Uint256>() {}),
                at);
        f = new Fixed(
                vault,
                morpho,
                id,
                new MarketParams(
                        address(mp.get(0)),
                        address(mp.get(1)),
                        address(mp.get(2)),
                        address(mp.get(3)),
                        uint(mp.get(4))));
        fixed.put(hedge, f);
        return f;
    }

    private static List<TypeReference<?>> sixUint128() {
        List<TypeReference<?>> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) out.add(new TypeReference<Uint128>() {});
        return out;
    }

    @SuppressWarnings("rawtypes")
    private List<Type> call(Address to, String function, List<TypeReference<?>> out, BlockRef at) {
        return VaultReads.decode(chain.call(null, to, encode(function, List.of()), at.hash()), function, to, out);
    }

    @SuppressWarnings("rawtypes")
    private static byte[] encode(String function, List<Type> in) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(new Function(function, in, List.of())));
    }

    private static BigInteger uint(Type<?> t) {
        return (BigInteger) t.getValue();
    }

    private static Address address(Type<?> t) {
        return Address.of((String) t.getValue());
    }
}
