// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {TestToken} from "./TestToken.sol";

interface IV3PoolMinimal {
    function slot0() external view returns (uint160 sqrtPriceX96, int24 tick, uint16, uint16, uint16, uint8, bool);
    function liquidity() external view returns (uint128);
    function token0() external view returns (address);
    function token1() external view returns (address);
    function swap(address recipient, bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, bytes calldata data)
        external
        returns (int256 amount0, int256 amount1);
}

interface IV2PairMinimal {
    function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
    function token0() external view returns (address);
    function token1() external view returns (address);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

/// @title PoolArbitrageur
/// @notice Moves local Uniswap pools to a target price the way arbitrage would, deciding the direction and size
/// from the pool's state when the transaction executes (not when it was sent), so that moves stay right whatever
/// else the block holds. It pays with tokens it mints: local chains only (TestToken mints openly).
contract PoolArbitrageur {
    address private transient _expectedPool;

    error NotExpectedPool();

    /// @notice Swaps in `pool` until its price reaches `targetSqrtPriceX96` (token1 per token0, Q64.96). Through a
    /// range without liquidity the price simply moves, at no cost.
    function moveV3(IV3PoolMinimal pool, uint160 targetSqrtPriceX96) external {
        (uint160 current,,,,,,) = pool.slot0();
        if (current == targetSqrtPriceX96) return;
        bool zeroForOne = targetSqrtPriceX96 < current; // selling token0 lowers the price
        _expectedPool = address(pool);
        pool.swap(address(this), zeroForOne, type(int128).max, targetSqrtPriceX96, "");
        _expectedPool = address(0);
    }

    function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
        if (msg.sender != _expectedPool) revert NotExpectedPool();
        IV3PoolMinimal pool = IV3PoolMinimal(msg.sender);
        if (amount0Delta > 0) TestToken(pool.token0()).mint(msg.sender, uint256(amount0Delta));
        if (amount1Delta > 0) TestToken(pool.token1()).mint(msg.sender, uint256(amount1Delta));
    }

    /// @notice Trades `pair` so that reserve1 / reserve0 = priceNum / priceDen (base units). With x * y = k the
    /// token0 reserve must become sqrt(k * den / num); the input is grossed up for the 0.3% fee.
    function moveV2(IV2PairMinimal pair, uint256 priceNum, uint256 priceDen) external {
        (uint112 r0, uint112 r1,) = pair.getReserves();
        if (r0 == 0 || r1 == 0) return;
        uint256 k = uint256(r0) * uint256(r1);
        uint256 target0 = Math.sqrt(Math.mulDiv(k, priceDen, priceNum));
        if (target0 > r0) {
            uint256 amountIn = (target0 - r0) * 1000 / 997;
            uint256 out = _amountOut(amountIn, r0, r1);
            if (out == 0) return;
            TestToken(pair.token0()).mint(address(pair), amountIn);
            pair.swap(0, out, address(this), "");
        } else {
            uint256 target1 = k / target0;
            if (target1 <= r1) return;
            uint256 amountIn = (target1 - r1) * 1000 / 997;
            uint256 out = _amountOut(amountIn, r1, r0);
            if (out == 0) return;
            TestToken(pair.token1()).mint(address(pair), amountIn);
            pair.swap(out, 0, address(this), "");
        }
    }

    /// @dev UniswapV2Library.getAmountOut.
    function _amountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) private pure returns (uint256) {
        uint256 inWithFee = amountIn * 997;
        return inWithFee * reserveOut / (reserveIn * 1000 + inWithFee);
    }
}
