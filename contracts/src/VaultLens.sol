// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {VaultHealth} from "./interfaces/IUnwindVault.sol";
import {LtvMath} from "./libraries/LtvMath.sol";

/// @title VaultLens
/// @notice Reads the health of many vaults in one eth_call, with interest accrued to the current block.
/// Market-wide data (accrued totals, oracle price, token decimals) is read once per run of consecutive
/// vaults on the same market, so a keeper that sorts its vaults by market pays it once per market.
/// A vault whose own read fails comes back with only `vault` set (owner == address(0)); a market whose
/// oracle reverts (a stale feed, say) gives price 0 and ltv 0: one broken vault or feed never hides
/// the others.
contract VaultLens {
    using SharesMathLib for uint256;
    using MorphoBalancesLib for IMorpho;

    IMorpho public immutable MORPHO;

    struct MarketData {
        uint256 totalBorrowAssets;
        uint256 totalBorrowShares;
        uint256 price;
        uint8 loanDecimals;
        uint8 collateralDecimals;
    }

    constructor(IMorpho morpho) {
        MORPHO = morpho;
    }

    /// @dev Words in one VaultHealth (all its fields are static) and in one VaultState.
    uint256 private constant HEALTH_WORDS = 25;
    uint256 private constant STATE_WORDS = 17;

    /// @dev The market of the last vault read, kept while consecutive vaults share it.
    struct Cache {
        bool set;
        bytes32 id;
        MarketData m;
    }

    /// @dev The hot path of every keeper tick, written to touch each vault as little as possible: one staticcall to
    /// the vault (its state() comes back as 17 flat words and is copied, not decoded), one to Morpho for the
    /// position, one balanceOf; the output is built in place in its ABI layout (a dynamic array of 25-word static
    /// tuples, exactly VaultHealth[]) and returned as it is. Per-market figures are read once per run of vaults on
    /// the same market. The result is the same as decoding everything in Solidity, at a fraction of the gas.
    function healthOf(address[] calldata vaults, address keeper) external view returns (VaultHealth[] memory) {
        uint256 n = vaults.length;
        uint256 size = 0x40 + n * HEALTH_WORDS * 32;
        uint256 out;
        uint256 scratch; // STATE_WORDS words for one vault's state(), also used for call data
        assembly ("memory-safe") {
            out := mload(0x40)
            scratch := add(out, size)
            mstore(0x40, add(scratch, mul(STATE_WORDS, 32)))
            calldatacopy(out, calldatasize(), size) // zero the output
            mstore(out, 0x20)
            mstore(add(out, 0x20), n)
        }
        Cache memory cache;
        for (uint256 i = 0; i < n; i++) {
            _fill(vaults[i], out + 0x40 + i * HEALTH_WORDS * 32, scratch, keeper, cache);
        }
        assembly ("memory-safe") {
            return(out, size)
        }
    }

    /// @dev Writes vault `v`'s VaultHealth at `e`; leaves it empty but for the address when the vault cannot be read.
    function _fill(address v, uint256 e, uint256 scratch, address keeper, Cache memory cache) private view {
        bool ok;
        assembly ("memory-safe") {
            mstore(e, v)
            mstore(scratch, shl(224, 0x31e658a5)) // state(address)
            mstore(add(scratch, 4), keeper)
            ok := staticcall(gas(), v, scratch, 0x24, scratch, mul(STATE_WORDS, 32))
            // An account without code "succeeds" with nothing: treat it as a vault that cannot be read.
            if lt(returndatasize(), mul(STATE_WORDS, 32)) { ok := 0 }
        }
        if (!ok) return;
        // scratch: owner, loan, collateral, oracle, irm, lltv, policy (8), lastActionAt, paused, keeperAllowed
        bytes32 id;
        assembly ("memory-safe") {
            id := keccak256(add(scratch, 0x20), 0xa0) // Morpho's id of the market params
        }
        if (!cache.set || id != cache.id) {
            MarketParams memory params;
            assembly ("memory-safe") {
                params := mload(0x40)
                mstore(0x40, add(params, 0xa0))
                mcopy(params, add(scratch, 0x20), 0xa0)
            }
            cache.m = this.marketData(params);
            cache.id = id;
            cache.set = true;
        }
        (uint256 collateral, uint256 borrowShares) = _copyState(v, e, scratch, id);
        MarketData memory m = cache.m;
        uint256 debt = borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
        uint256 ltv = m.price != 0 ? LtvMath.ltv(collateral, debt, m.price) : 0;
        uint256 loanDecimals = m.loanDecimals;
        uint256 collateralDecimals = m.collateralDecimals;
        uint256 price = m.price;
        assembly ("memory-safe") {
            mstore(add(e, 0xa0), loanDecimals)
            mstore(add(e, 0xc0), collateralDecimals)
            mstore(add(e, 0x120), debt)
            mstore(add(e, 0x140), price)
            mstore(add(e, 0x160), ltv)
        }
    }

    /// @dev Copies the vault's own fields from its state() at `scratch` into its VaultHealth at `e`, and reads its
    /// position in Morpho and its reserve.
    function _copyState(address v, uint256 e, uint256 scratch, bytes32 id) private view returns (uint256 collateral, uint256 borrowShares) {
        address morpho = address(MORPHO);
        assembly ("memory-safe") {
            let loan := mload(add(scratch, 0x20))
            let pos := mload(0x40) // free memory as a temporary: nothing is allocated until we return
            mstore(pos, shl(224, 0x93c52062)) // position(bytes32,address)
            mstore(add(pos, 4), id)
            mstore(add(pos, 0x24), v)
            if iszero(staticcall(gas(), morpho, pos, 0x44, pos, 0x60)) { revert(0, 0) }
            borrowShares := mload(add(pos, 0x20))
            collateral := mload(add(pos, 0x40))
            let reserve := 0
            mstore(pos, shl(224, 0x70a08231)) // balanceOf(address)
            mstore(add(pos, 4), v)
            if and(staticcall(gas(), loan, pos, 0x24, pos, 0x20), gt(returndatasize(), 0x1f)) { reserve := mload(pos) }
            mstore(add(e, 0x20), mload(scratch)) // owner
            mstore(add(e, 0x40), id)
            mstore(add(e, 0x60), loan)
            mstore(add(e, 0x80), mload(add(scratch, 0x40))) // collateral token
            mstore(add(e, 0xe0), collateral)
            mstore(add(e, 0x100), borrowShares)
            mstore(add(e, 0x180), mload(add(scratch, 0xa0))) // lltv
            mcopy(add(e, 0x1a0), add(scratch, 0xc0), 0x100) // policy: 8 words
            mstore(add(e, 0x2a0), reserve)
            mcopy(add(e, 0x2c0), add(scratch, 0x1c0), 0x60) // lastActionAt, paused, keeperAllowed
        }
    }

    /// @notice Accrued borrow totals, oracle price (0 if the oracle reverts) and token decimals of a market.
    function marketData(MarketParams memory params) external view returns (MarketData memory m) {
        (,, m.totalBorrowAssets, m.totalBorrowShares) = MORPHO.expectedMarketBalances(params);
        try IOracle(params.oracle).price() returns (uint256 p) {
            m.price = p;
        } catch {}
        m.loanDecimals = IERC20Metadata(params.loanToken).decimals();
        m.collateralDecimals = IERC20Metadata(params.collateralToken).decimals();
    }
}
