// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IMorpho, Id, MarketParams, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {IUnwindVault, VaultHealth, VaultState} from "./interfaces/IUnwindVault.sol";
import {LtvMath} from "./libraries/LtvMath.sol";

/// @title VaultLens
/// @notice Reads the health of many vaults in one eth_call, with interest accrued to the current block.
/// Market-wide data (accrued totals, oracle price, token decimals) is read once per run of consecutive
/// vaults on the same market, so a keeper that sorts its vaults by market pays it once per market.
/// A vault whose own read fails comes back with only `vault` set (owner == address(0)); a market whose
/// oracle reverts (a stale feed, say) gives price 0 and ltv 0: one broken vault or feed never hides
/// the others.
contract VaultLens {
    using MarketParamsLib for MarketParams;
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

    function healthOf(address[] calldata vaults, address keeper) external view returns (VaultHealth[] memory out) {
        out = new VaultHealth[](vaults.length);
        bytes32 cachedId;
        MarketData memory m;
        for (uint256 i = 0; i < vaults.length; i++) {
            VaultHealth memory h = out[i];
            h.vault = vaults[i];
            // try/catch cannot catch the decoding of an empty return: an account without code would
            // revert the whole batch instead of coming back empty.
            if (vaults[i].code.length == 0) continue;
            VaultState memory st;
            try IUnwindVault(vaults[i]).state(keeper) returns (VaultState memory s) {
                st = s;
            } catch {
                continue;
            }
            bytes32 id = Id.unwrap(st.marketParams.id());
            if (id != cachedId || i == 0) {
                cachedId = id;
                m = this.marketData(st.marketParams);
            }
            Position memory pos = MORPHO.position(Id.wrap(id), vaults[i]);
            h.owner = st.owner;
            h.marketId = id;
            h.loanToken = st.marketParams.loanToken;
            h.collateralToken = st.marketParams.collateralToken;
            h.loanDecimals = m.loanDecimals;
            h.collateralDecimals = m.collateralDecimals;
            h.collateral = pos.collateral;
            h.borrowShares = pos.borrowShares;
            h.debt = uint256(pos.borrowShares).toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
            h.price = m.price;
            if (m.price != 0) h.ltv = LtvMath.ltv(h.collateral, h.debt, m.price);
            h.lltv = st.marketParams.lltv;
            h.policy = st.policy;
            h.reserve = IERC20Metadata(st.marketParams.loanToken).balanceOf(vaults[i]);
            h.lastActionAt = st.lastActionAt;
            h.paused = st.paused;
            h.keeperAllowed = st.keeperAllowed;
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
