// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceFeed} from "../oracle/IPriceFeed.sol";

/// @title LatestAnswerFeed
/// @notice Chainlink's legacy `latestAnswer()` / `latestTimestamp()` / `decimals()` over a Chainlink-style feed
/// (`latestRoundData`), such as the local `SettablePriceFeed`: Aave V3's `AaveOracle` reads its sources through
/// `latestAnswer()`, which the settable feed does not have. Local markets only: it adds nothing, checks nothing.
contract LatestAnswerFeed {
    IPriceFeed public immutable FEED;

    constructor(IPriceFeed feed) {
        FEED = feed;
    }

    function decimals() external view returns (uint8) {
        return FEED.decimals();
    }

    function latestAnswer() external view returns (int256 answer) {
        (, answer,,,) = FEED.latestRoundData();
    }

    function latestTimestamp() external view returns (uint256 updatedAt) {
        (,,, updatedAt,) = FEED.latestRoundData();
    }
}
