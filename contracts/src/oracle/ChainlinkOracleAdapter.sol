// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {IPriceFeed} from "./IPriceFeed.sol";

/// @title ChainlinkOracleAdapter
/// @notice A Morpho Blue `IOracle` over one Chainlink-style feed quoting the collateral in the loan token
/// (for example WETH/USDC). Morpho wants loan-token base units per collateral base unit scaled by 1e36,
/// so the answer is rescaled by the feed's and both tokens' decimals, which are data, never assumed.
/// It refuses (reverts) a stale, zero, negative or incomplete answer rather than pass it on.
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
