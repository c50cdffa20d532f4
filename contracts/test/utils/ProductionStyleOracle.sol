// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";

/// @notice A Morpho oracle over a Chainlink-style feed that behaves like the ones live markets use
/// (MorphoChainlinkOracleV2): it scales the latest answer and checks nothing else, so a feed that stopped
/// updating keeps being served as the price, and an incomplete or future round goes through. Only a negative
/// answer reverts. Its owner can skew it by some basis points off the feed, to play an oracle composed of other
/// sources than the feed a vault's guard names (a deviation between the two).
contract ProductionStyleOracle is IOracle {
    IPriceFeed public immutable FEED;
    uint256 public immutable SCALE_MUL;
    uint256 public immutable SCALE_DIV;
    address public immutable controller;
    int256 public skewBps;

    error NegativeAnswer(int256 answer);

    constructor(IPriceFeed feed, uint8 collateralDecimals, uint8 loanDecimals) {
        FEED = feed;
        controller = msg.sender;
        int256 exp = 36 + int256(uint256(loanDecimals)) - int256(uint256(collateralDecimals))
            - int256(uint256(feed.decimals()));
        (SCALE_MUL, SCALE_DIV) = exp >= 0 ? (10 ** uint256(exp), uint256(1)) : (uint256(1), 10 ** uint256(-exp));
    }

    function setSkewBps(int256 bps) external {
        require(msg.sender == controller && bps > -10_000, "skew");
        skewBps = bps;
    }

    function price() external view override returns (uint256) {
        (, int256 answer,,,) = FEED.latestRoundData();
        if (answer < 0) revert NegativeAnswer(answer);
        return uint256(answer) * SCALE_MUL / SCALE_DIV * uint256(10_000 + skewBps) / 10_000;
    }
}
