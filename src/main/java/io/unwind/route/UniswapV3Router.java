package io.unwind.route;

import io.unwind.domain.chain.Address;

/**
 * A Uniswap V3 router the keeper swaps through, and which of the two routers it is: they take different
 * {@code exactInputSingle} structs (so different selectors, which a vault allows one by one), and the venues they serve
 * are named apart so that a decision says which router a sale went through.
 */
public record UniswapV3Router(Kind kind, Address address) {

    public enum Kind {
        /**
         * The original SwapRouter (@uniswap/v3-periphery): exactInputSingle with a deadline in its struct. Venues
         * {@code uniswap-v3-FEE}.
         */
        SWAP_ROUTER("uniswap-v3", UniswapCalldata.V3_EXACT_INPUT_SINGLE),
        /**
         * SwapRouter02 (@uniswap/swap-router-contracts), the only V3 router on Base and most L2s: no deadline in the
         * struct (the vault's deleverage has its own). Venues {@code uniswap-v3-02-FEE}.
         */
        SWAP_ROUTER_02("uniswap-v3-02", UniswapCalldata.V3_ROUTER02_EXACT_INPUT_SINGLE);

        private final String venue;
        private final String selector;

        Kind(String venue, String selector) {
            this.venue = venue;
            this.selector = selector;
        }

        /** The venue name's prefix (the fee tier follows), also the router's name in the CLI. */
        public String venue() {
            return venue;
        }

        /** The selector of its exactInputSingle, 0x-hex. */
        public String selector() {
            return selector;
        }
    }

    public static UniswapV3Router swapRouter(Address a) {
        return new UniswapV3Router(Kind.SWAP_ROUTER, a);
    }

    public static UniswapV3Router swapRouter02(Address a) {
        return new UniswapV3Router(Kind.SWAP_ROUTER_02, a);
    }
}
