// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPriceFeed} from "../oracle/IPriceFeed.sol";

/// @title SettablePriceFeed
/// @notice A Chainlink-style feed whose rounds are written by its owner. For local chains, tests, the
/// simulator and the demo only: on a real network the adapter reads a real Chainlink feed.
contract SettablePriceFeed is IPriceFeed {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
        uint80 answeredInRound;
    }

    uint8 public immutable override decimals;
    string public override description;
    address public owner;
    uint80 public latestRound;
    mapping(uint80 => Round) public rounds;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    error NotOwner();

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
        decimals = decimals_;
        description = description_;
        owner = msg.sender;
        _push(initialAnswer, block.timestamp);
    }

    /// @notice Publishes a new round with `answer`, updated now.
    function setAnswer(int256 answer) external {
        if (msg.sender != owner) revert NotOwner();
        _push(answer, block.timestamp);
    }

    /// @notice Publishes any round as given, to play stale, incomplete or nonsense feeds.
    function setRoundData(uint80 roundId, int256 answer, uint256 updatedAt, uint80 answeredInRound) external {
        if (msg.sender != owner) revert NotOwner();
        latestRound = roundId;
        rounds[roundId] = Round(answer, updatedAt, updatedAt, answeredInRound);
        emit AnswerUpdated(answer, roundId, updatedAt);
    }

    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert NotOwner();
        owner = newOwner;
    }

    function latestRoundData()
        external
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        roundId = latestRound;
        Round memory r = rounds[roundId];
        return (roundId, r.answer, r.startedAt, r.updatedAt, r.answeredInRound);
    }

    function _push(int256 answer, uint256 timestamp) internal {
        uint80 id = latestRound + 1;
        latestRound = id;
        rounds[id] = Round(answer, timestamp, timestamp, id);
        emit AnswerUpdated(answer, id, timestamp);
    }
}
