package io.unwind.chain.preset;

import io.unwind.domain.chain.Address;
import io.unwind.domain.chain.ChainId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A public network's well-known contracts, as {@code tools/presets/generate.mjs} read them from the protocols' npm
 * packages: each address with the package, version and export it came from, so that a reader can check it and a
 * mismatch can say where the address was taken from.
 *
 * @param name the preset's name ("ethereum")
 * @param chainId the chain the addresses are for
 * @param kind how the chain charges for gas (an L2's L1 data fee)
 * @param addresses by name ("morpho", "aavePoolAddressesProvider", ...), in the file's order
 * @param notListed contracts no maintained package lists, by name, with the reason; the preset has no address for them
 */
public record NetworkPreset(
        String name, ChainId chainId, Kind kind, Map<String, Entry> addresses, Map<String, String> notListed) {

    public static final String MORPHO = "morpho";
    public static final String AAVE_POOL = "aavePool";
    public static final String AAVE_POOL_ADDRESSES_PROVIDER = "aavePoolAddressesProvider";
    public static final String AAVE_ORACLE = "aaveOracle";
    public static final String UNISWAP_V3_FACTORY = "uniswapV3Factory";
    public static final String UNISWAP_V3_SWAP_ROUTER_02 = "uniswapV3SwapRouter02";
    public static final String UNISWAP_V3_QUOTER_V2 = "uniswapV3QuoterV2";
    public static final String UNISWAP_V2_ROUTER_02 = "uniswapV2Router02";
    public static final String ONE_INCH_ROUTER = "oneInchRouter";
    public static final String WRAPPED_NATIVE = "wrappedNative";

    public NetworkPreset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(kind, "kind");
        addresses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
        notListed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(notListed));
    }

    /** One named address and where it was read from. */
    public record Entry(String name, Address address, String source, Optional<String> note) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(note, "note");
            if (source == null || source.isBlank()) throw new IllegalArgumentException(name + " has no source");
        }
    }

    /** How a chain charges for gas: an OP-stack chain adds an L1 data fee, an Arbitrum chain an L1 component. */
    public enum Kind {
        L1("l1"),
        OP_STACK("op-stack"),
        ARBITRUM("arbitrum");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name the preset files use. */
        public String label() {
            return label;
        }

        public static Kind of(String label) {
            return Arrays.stream(values())
                    .filter(k -> k.label.equals(label))
                    .findFirst()
                    .orElseThrow(() ->
                            new IllegalArgumentException("kind '" + label + "' is none of l1, op-stack, arbitrum"));
        }
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(addresses.get(key));
    }

    public Optional<Address> address(String key) {
        return entry(key).map(Entry::address);
    }

    /** The network's name for people: "Ethereum", "Base". */
    public String title() {
        return name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    }
}
