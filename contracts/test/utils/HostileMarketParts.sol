// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Pieces of a market anyone can make on Morpho to attack readers of every vault (the lens, keepers):
/// tokens and oracles that fail in the ways an honest one never does. Each can be listed under a real factory
/// vault, since Morpho's createMarket and the factory accept any addresses.

/// A token with no `decimals()` at all; enough of ERC-20 for a vault to approve it.
contract NoDecimalsToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }
}

/// A token whose `balanceOf` reverts (once its attacker says so); decimals and approve work.
contract RevertingBalanceToken {
    bool public broken = true;
    mapping(address => mapping(address => uint256)) public allowance;

    function setBroken(bool b) external {
        broken = b;
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function balanceOf(address) external view returns (uint256) {
        require(!broken, "no balance for you");
        return 0;
    }
}

/// An oracle that burns every unit of gas it is given.
contract GasBurningOracle {
    uint256 internal sink;

    function price() external view returns (uint256 p) {
        for (uint256 i = sink; ; i++) {
            p += i;
        }
    }
}

/// A Chainlink-style feed whose decimals are fine (so a vault's guard accepts it) and whose latestRoundData burns
/// all the gas it is given: a lure for anyone reading the guard's verdict.
contract GasBurningFeed {
    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestRoundData() external view returns (uint80, int256 answer, uint256, uint256, uint80) {
        for (uint256 i = block.timestamp; ; i++) {
            answer += int256(i);
        }
    }
}
