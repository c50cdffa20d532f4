// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {IPriceFeed} from "./IPriceFeed.sol";

/// @title ChainlinkOracleAdapter
/// @notice A Morpho Blue `IOracle` over one Chainlink-style feed quoting the collateral in the loan token
/// (for example WETH/USDC). Morpho wants loan-token base units per collateral base unit scaled by 1e36,
/// so the answer is rescaled by the feed's and both tokens' decimals, which are data, never assumed.
/// It refuses (reverts) a stale, zero, negative or incomplete answer rather than pass it on.
///
/// For local markets only. A Morpho market whose oracle reverts freezes every health check, so on a live market a
/// stale feed would also stop liquidations, borrows and withdrawals for every user of the market. Production Morpho
/// oracles therefore do not check age, and Unwind does not rely on this revert: the vault's own price guard
/// (`UnwindVault.setGuard`: the feed, its max age and the largest deviation from the market oracle) refuses keeper
/// actions on a stale or disagreeing price and leaves the market and the owner's own calls alone.
contract ChainlinkOracleAdapter is IOracle {
    IPriceFeed public immutable FEED;
    uint256 public immutable MAX_AGE;
    /// 10^(36 + loanDecimals - collateralDecimals - feedDecimals), split so that it never underflows.
    uint256 public immutable SCALE_MUL;
    uint256 public immutable SCALE_DIV;

    error StalePrice(uint256 updatedAt, uint256 maxAge);
    error InvalidAnswer(int256 answer);
    error IncompleteRound(uint80 roundId, uint80 answeredInRound);

    constructor(IPriceFeed feed, uint8 collateralDecimals, uint8 loanDecimals, uint256 maxAge) {
        FEED = feed;
        MAX_AGE = maxAge;
        int256 exp = 36 + int256(uint256(loanDecimals)) - int256(uint256(collateralDecimals))
            - int256(uint256(feed.decimals()));
        if (exp >= 0) {
            SCALE_MUL = 10 ** uint256(exp);
            SCALE_DIV = 1;
        } else {
            SCALE_MUL = 1;
            SCALE_DIV = 10 ** uint256(-exp);
        }
    }

    function price() external view override returns (uint256) {
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) = FEED.latestRoundData();
        if (answer <= 0) revert InvalidAnswer(answer);
        if (answeredInRound < roundId) revert IncompleteRound(roundId, answeredInRound);
        if (updatedAt > block.timestamp || block.timestamp - updatedAt > MAX_AGE) revert StalePrice(updatedAt, MAX_AGE);
        return uint256(answer) * SCALE_MUL / SCALE_DIV;
    }
}
