// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {
    VaultHealth,
    PRICE_FEED_FAILED,
    READ_VAULT_FAILED,
    READ_MARKET_FAILED,
    READ_ORACLE_FAILED,
    READ_PRICE_CHECK_FAILED,
    PROTOCOL_AAVE_V3
} from "./interfaces/IUnwindVault.sol";
import {LtvMath} from "./libraries/LtvMath.sol";
import {IAavePool} from "./interfaces/IAaveV3.sol";

/// @title VaultLens
/// @notice Reads the health of many vaults in one eth_call, with interest accrued to the current block.
/// Market-wide data (accrued totals, oracle price, token decimals) is read once per run of consecutive
/// vaults on the same market, so a keeper that sorts its vaults by market pays it once per market.
///
/// Anyone can open a Morpho market with tokens and an oracle of their own and a vault on it, so every call
/// to a market's tokens, its oracle, a vault or its price feed runs with a gas cap and may fail without
/// reverting the batch: each vault reports what could not be read in `readFlags`. A vault whose own read
/// fails comes back with only `vault` set (owner == address(0), READ_VAULT_FAILED); a market whose oracle
/// reverts (a stale feed, say) or burns gas gives price 0 and ltv 0 (READ_ORACLE_FAILED); a token without
/// decimals gives decimals 0 (READ_MARKET_FAILED). One hostile vault, token or oracle costs the batch at most
/// its caps and never hides the others.
///
/// Aave V3 vaults (`AaveVault`) answer the same `state()`, with the Aave pool in the market params' `irm` word and
/// the collateral's live liquidation threshold in `lltv`. A vault whose `irm` is this lens's `AAVE_POOL` is read the
/// Aave way: its market id from the vault (`marketId()`), the aToken and variable debt token of the two reserves
/// from the pool once per run of one market, collateral and debt as those tokens' balances (interest accrued to the
/// block), the price from the market's oracle (the vault's `AaveOracleAdapter`, Morpho's scale). Each entry's last
/// fields, `protocol` and `flashPremiumBps`, say which protocol it was read as (PROTOCOL_MORPHO_BLUE, PROTOCOL_AAVE_V3)
/// and what a sale that flash-borrows its repayment pays the pool (Aave's FLASHLOAN_PREMIUM_TOTAL; 0 on Morpho).
contract VaultLens {
    using SharesMathLib for uint256;
    using MorphoBalancesLib for IMorpho;

    IMorpho public immutable MORPHO;
    /// The Aave V3 pool whose vaults this lens reads; address(0) on a chain without one.
    address public immutable AAVE_POOL;


    struct MarketData {
        uint256 totalBorrowAssets;
        uint256 totalBorrowShares;
        uint256 price;
        uint8 loanDecimals;
        uint8 collateralDecimals;
        /// READ_ORACLE_FAILED and READ_MARKET_FAILED bits, as in VaultHealth.readFlags.
        uint8 flags;
    }

    constructor(IMorpho morpho, address aavePool) {
        MORPHO = morpho;
        AAVE_POOL = aavePool;
    }

    /// @dev Words in one VaultHealth (all its fields are static) and in one VaultState.
    uint256 private constant HEALTH_WORDS = 38;
    uint256 private constant STATE_WORDS = 25;

    /// @dev Gas caps: a vault's state() (~25k), a market oracle's price (Morpho's Chainlink oracles ~30-60k), a
    /// token's decimals or balanceOf (~3-10k, proxies included), a vault's price check (its feed, ~15k).
    uint256 public constant VAULT_GAS = 100_000;
    uint256 public constant ORACLE_GAS = 150_000;
    uint256 public constant TOKEN_GAS = 50_000;
    uint256 public constant PRICE_CHECK_GAS = 100_000;

    /// @dev The market of the last vault read, kept while consecutive vaults share it.
    struct Cache {
        bool set;
        bytes32 id;
        MarketData m;
        /// Aave markets only: the collateral reserve's aToken and the loan reserve's variable debt token.
        address aToken;
        address debtToken;
        /// The Aave pool's flash-loan premium (bps), read once per call with the first Aave vault.
        bool premiumRead;
        bool flashPremiumOk;
        uint256 flashPremiumBps;
    }

    /// @dev The hot path of every keeper tick, written to touch each vault as little as possible: one staticcall to
    /// the vault (its state() comes back as 25 flat words and is copied, not decoded), one to Morpho for the
    /// position, one balanceOf; the output is built in place in its ABI layout (a dynamic array of 38-word static
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
            ok := staticcall(VAULT_GAS, v, scratch, 0x24, scratch, mul(STATE_WORDS, 32))
            // An account without code "succeeds" with nothing: treat it as a vault that cannot be read.
            if lt(returndatasize(), mul(STATE_WORDS, 32)) { ok := 0 }
        }
        if (!ok) {
            assembly ("memory-safe") {
                mstore(add(e, 0x420), READ_VAULT_FAILED) // readFlags
            }
            return;
        }
        // scratch: owner, loan, collateral, oracle, irm, lltv, policy (8), lastActionAt, paused, keeperAllowed
        address aavePool = AAVE_POOL;
        bool aave;
        assembly ("memory-safe") {
            aave := and(iszero(iszero(aavePool)), eq(mload(add(scratch, 0x80)), aavePool))
        }
        if (aave) {
            _fillAave(v, e, scratch, cache);
            return;
        }
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
            cache.m = marketData(params);
            cache.id = id;
            cache.set = true;
        }
        (uint256 collateral, uint256 borrowShares) = _copyState(v, e, scratch, id);
        _writeMarket(v, e, collateral, borrowShares, cache.m);
    }

    /// @dev An Aave V3 vault's entry: as `_fill`, with the market id from the vault, the position from the reserves'
    /// aToken and variable debt token, the pool's flash-loan premium, and the protocol word set.
    function _fillAave(address v, uint256 e, uint256 scratch, Cache memory cache) private view {
        (bool ok, uint256 word) = _capped(v, 0x6ed71ede, VAULT_GAS); // marketId()
        if (!ok) {
            assembly ("memory-safe") {
                mstore(add(e, 0x420), READ_VAULT_FAILED) // readFlags
            }
            return;
        }
        bytes32 id = bytes32(word);
        if (!cache.set || id != cache.id) {
            MarketParams memory params;
            assembly ("memory-safe") {
                params := mload(0x40)
                mstore(0x40, add(params, 0xa0))
                mcopy(params, add(scratch, 0x20), 0xa0)
            }
            cache.m = _aaveMarketData(params);
            cache.aToken = _reserveToken(params.collateralToken, 8); // aTokenAddress
            cache.debtToken = _reserveToken(params.loanToken, 10); // variableDebtTokenAddress
            if (cache.aToken == address(0) || cache.debtToken == address(0)) cache.m.flags |= READ_MARKET_FAILED;
            cache.id = id;
            cache.set = true;
        }
        uint8 flags;
        (ok, word) = _cappedOf(cache.aToken, v);
        uint256 collateral = ok ? word : 0;
        if (!ok) flags = READ_MARKET_FAILED;
        (ok, word) = _cappedOf(cache.debtToken, v);
        uint256 debt = ok ? word : 0;
        if (!ok) flags = READ_MARKET_FAILED;
        if (!cache.premiumRead) {
            // A pool that does not answer, or answers over 100%, leaves the premium unknown: the vault's market reads
            // as failed (as when its reserves cannot be read), never as a sale without a premium.
            (ok, word) = _capped(AAVE_POOL, IAavePool.FLASHLOAN_PREMIUM_TOTAL.selector, TOKEN_GAS);
            cache.flashPremiumOk = ok && word <= LtvMath.BPS;
            cache.flashPremiumBps = cache.flashPremiumOk ? word : 0;
            cache.premiumRead = true;
        }
        if (!cache.flashPremiumOk) flags = READ_MARKET_FAILED;
        uint256 premium = cache.flashPremiumBps;
        _copyOwnFields(v, e, scratch, id, collateral, 0);
        _writeDebt(v, e, collateral, debt, cache.m, flags);
        assembly ("memory-safe") {
            mstore(add(e, 0x480), PROTOCOL_AAVE_V3)
            mstore(add(e, 0x4a0), premium)
        }
    }

    /// @dev An Aave market's price and decimals (no Morpho totals): the oracle word is the vault's AaveOracleAdapter.
    function _aaveMarketData(MarketParams memory params) private view returns (MarketData memory m) {
        (bool ok, uint256 word) = _capped(params.oracle, IOracle.price.selector, ORACLE_GAS);
        if (ok) m.price = word;
        else m.flags |= READ_ORACLE_FAILED;
        _decimals(params, m);
    }

    /// @dev Word `index` of the pool's getReserveData(asset) as an address (8: aToken, 10: variable debt token, in
    /// v3.0's ReserveData and the legacy layout later versions keep for this call); 0 if the call fails.
    function _reserveToken(address asset, uint256 index) private view returns (address token) {
        address pool = AAVE_POOL;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(224, 0x35ea6a75)) // getReserveData(address)
            mstore(add(ptr, 4), asset)
            let ok := staticcall(ORACLE_GAS, pool, ptr, 0x24, ptr, 0x1e0)
            if and(ok, gt(returndatasize(), add(mul(index, 0x20), 0x1f))) {
                token := and(mload(add(ptr, mul(index, 0x20))), 0xffffffffffffffffffffffffffffffffffffffff)
            }
        }
    }

    /// @dev token.balanceOf(holder) with the token gas cap.
    function _cappedOf(address token, address holder) private view returns (bool ok, uint256 word) {
        if (token == address(0)) return (false, 0);
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, shl(224, 0x70a08231)) // balanceOf(address)
            mstore(add(ptr, 4), holder)
            ok := staticcall(TOKEN_GAS, token, ptr, 0x24, ptr, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f))
            if ok { word := mload(ptr) }
        }
    }

    /// @dev The market-derived fields of vault `v`'s VaultHealth at `e`: decimals, debt, price, LTV, the price
    /// guard's verdict and what could not be read.
    function _writeMarket(address v, uint256 e, uint256 collateral, uint256 borrowShares, MarketData memory m)
        private
        view
    {
        _writeDebt(v, e, collateral, borrowShares.toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares), m, 0);
    }

    /// @dev As `_writeMarket`, with the debt known and `extraFlags` added to what could not be read.
    function _writeDebt(address v, uint256 e, uint256 collateral, uint256 debt, MarketData memory m, uint8 extraFlags)
        private
        view
    {
        uint256 ltv = m.price != 0 ? LtvMath.ltv(collateral, debt, m.price) : 0;
        uint256 loanDecimals = m.loanDecimals;
        uint256 collateralDecimals = m.collateralDecimals;
        uint256 price = m.price;
        (uint256 priceStatus, uint256 feedUpdatedAt, uint256 flags) = _checkPrice(v, e, price);
        flags |= m.flags | extraFlags;
        assembly ("memory-safe") {
            mstore(add(e, 0xa0), loanDecimals)
            mstore(add(e, 0xc0), collateralDecimals)
            mstore(add(e, 0x120), debt)
            mstore(add(e, 0x140), price)
            mstore(add(e, 0x160), ltv)
            mstore(add(e, 0x3e0), priceStatus)
            mstore(add(e, 0x400), feedUpdatedAt)
            mstore(add(e, 0x420), flags)
        }
    }

    /// @dev The vault's price guard on `price`, only when the vault names a feed (guard.priceFeed, already copied
    /// to word 25 of `e`): checkPrice(uint256) with a gas cap. A failed check reads as a failed feed.
    function _checkPrice(address v, uint256 e, uint256 price)
        private
        view
        returns (uint256 status, uint256 updatedAt, uint256 flags)
    {
        assembly ("memory-safe") {
            if mload(add(e, 0x320)) {
                let ptr := mload(0x40)
                mstore(ptr, shl(224, 0x1de7463a)) // checkPrice(uint256)
                mstore(add(ptr, 4), price)
                let ok := staticcall(PRICE_CHECK_GAS, v, ptr, 0x24, ptr, 0x40)
                switch and(ok, gt(returndatasize(), 0x3f))
                case 0 {
                    status := PRICE_FEED_FAILED
                    flags := READ_PRICE_CHECK_FAILED
                }
                default {
                    status := mload(ptr)
                    updatedAt := mload(add(ptr, 0x20))
                }
            }
        }
    }

    /// @dev Copies the vault's own fields from its state() at `scratch` into its VaultHealth at `e`, and reads its
    /// position in Morpho and its reserve.
    function _copyState(address v, uint256 e, uint256 scratch, bytes32 id) private view returns (uint256 collateral, uint256 borrowShares) {
        address morpho = address(MORPHO);
        assembly ("memory-safe") {
            let pos := mload(0x40) // free memory as a temporary: nothing is allocated until we return
            mstore(pos, shl(224, 0x93c52062)) // position(bytes32,address)
            mstore(add(pos, 4), id)
            mstore(add(pos, 0x24), v)
            if iszero(staticcall(gas(), morpho, pos, 0x44, pos, 0x60)) { revert(0, 0) }
            borrowShares := mload(add(pos, 0x20))
            collateral := mload(add(pos, 0x40))
        }
        _copyOwnFields(v, e, scratch, id, collateral, borrowShares);
    }

    /// @dev The fields every protocol fills alike from the vault's state() at `scratch`, the position given, and the
    /// vault's reserve (its loan-token balance).
    function _copyOwnFields(address v, uint256 e, uint256 scratch, bytes32 id, uint256 collateral, uint256 borrowShares)
        private
        view
    {
        assembly ("memory-safe") {
            let loan := mload(add(scratch, 0x20))
            let pos := mload(0x40)
            let reserve := 0
            mstore(pos, shl(224, 0x70a08231)) // balanceOf(address)
            mstore(add(pos, 4), v)
            // Two statements: Yul evaluates arguments right to left, so returndatasize() written as the call's
            // sibling would read the previous call's return data.
            let okBalance := staticcall(TOKEN_GAS, loan, pos, 0x24, pos, 0x20)
            if and(okBalance, gt(returndatasize(), 0x1f)) { reserve := mload(pos) }
            mstore(add(e, 0x20), mload(scratch)) // owner
            mstore(add(e, 0x40), id)
            mstore(add(e, 0x60), loan)
            mstore(add(e, 0x80), mload(add(scratch, 0x40))) // collateral token
            mstore(add(e, 0xe0), collateral)
            mstore(add(e, 0x100), borrowShares)
            mstore(add(e, 0x180), mload(add(scratch, 0xa0))) // lltv
            mcopy(add(e, 0x1a0), add(scratch, 0xc0), 0x100) // policy: 8 words
            mstore(add(e, 0x2a0), reserve)
            // lastActionAt, paused, keeperAllowed, guard (5 words), windowSellLeftBps
            mcopy(add(e, 0x2c0), add(scratch, 0x1c0), 0x120)
            // softTriggerLtvBps, maxLiquidationProbabilityBps: after readFlags
            mcopy(add(e, 0x440), add(scratch, 0x2e0), 0x40)
        }
    }

    /// @notice Accrued borrow totals, oracle price (0 and READ_ORACLE_FAILED if the oracle reverts, answers
    /// nothing or runs out of its gas) and token decimals (0 and READ_MARKET_FAILED likewise) of a market.
    function marketData(MarketParams memory params) public view returns (MarketData memory m) {
        (,, m.totalBorrowAssets, m.totalBorrowShares) = MORPHO.expectedMarketBalances(params);
        (bool ok, uint256 word) = _capped(params.oracle, IOracle.price.selector, ORACLE_GAS);
        if (ok) m.price = word;
        else m.flags |= READ_ORACLE_FAILED;
        _decimals(params, m);
    }

    /// @dev The market's token decimals into `m` (0 and READ_MARKET_FAILED for a token that gives none).
    function _decimals(MarketParams memory params, MarketData memory m) private view {
        (bool ok, uint256 word) = _capped(params.loanToken, 0x313ce567, TOKEN_GAS); // decimals()
        if (ok && word <= type(uint8).max) m.loanDecimals = uint8(word);
        else m.flags |= READ_MARKET_FAILED;
        (ok, word) = _capped(params.collateralToken, 0x313ce567, TOKEN_GAS);
        if (ok && word <= type(uint8).max) m.collateralDecimals = uint8(word);
        else m.flags |= READ_MARKET_FAILED;
    }

    /// @dev A no-argument view returning one word, with at most `gasCap` gas; false if it fails or answers short.
    function _capped(address target, bytes4 selector, uint256 gasCap) private view returns (bool ok, uint256 word) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            // The call first: Yul evaluates arguments right to left, so `and(staticcall(..), gt(returndatasize(), ..))`
            // would judge this call by the previous call's return data (an honest token after a failed one read as
            // failed, an oracle without code after a good call read as a price).
            ok := staticcall(gasCap, target, ptr, 4, ptr, 0x20)
            ok := and(ok, gt(returndatasize(), 0x1f))
            if ok { word := mload(ptr) }
        }
    }
}
