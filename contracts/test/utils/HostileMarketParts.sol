// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";

/// @notice A Morpho oracle the way production markets build them (MorphoChainlinkOracleV2): the feed's answer
/// scaled to a Morpho price, with no check of its age. A feed stuck at an old answer is served as it is.
contract UncheckedFeedOracle is IOracle {
    IPriceFeed public immutable FEED;
    uint256 public immutable SCALE;

    constructor(IPriceFeed feed, uint8 collateralDecimals, uint8 loanDecimals) {
        FEED = feed;
        SCALE = 10 ** (36 + uint256(loanDecimals) - collateralDecimals - feed.decimals());
    }

    function price() external view returns (uint256) {
        (, int256 answer,,,) = FEED.latestRoundData();
        return uint256(answer) * SCALE;
    }
}

/// @notice Burns every unit of gas it is given on any call: an oracle, token or feed written to exhaust its caller.
contract GasBurner {
    fallback() external payable {
        assembly ("memory-safe") {
            for {} 1 {} {}
        }
    }
}

/// @notice A feed that answers decimals() (so that a vault accepts it) and then burns all gas in latestRoundData.
contract GasBurningFeed {
    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        assembly ("memory-safe") {
            for {} 1 {} {}
        }
        return (0, 0, 0, 0, 0);
    }
}

/// @notice A feed that answers decimals() and reverts in latestRoundData.
contract RevertingFeed {
    function decimals() external pure returns (uint8) {
        return 8;
    }

    function latestRoundData() external pure returns (uint80, int256, uint256, uint256, uint80) {
        revert("feed down");
    }
}

/// @notice An ERC20 without decimals(): a market can be created on it, and reading it as IERC20Metadata reverts.
contract NoDecimalsToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        return true;
    }
}

/// @notice An ERC20 whose balanceOf either burns all gas (`burn`) or reverts, once `armed`; before that it is an
/// ordinary token, so that a market and a vault can be set up on it.
contract BadBalanceToken is ERC20 {
    bool public armed;
    bool public burn;

    constructor(bool burn_) ERC20("Bad", "BAD") {
        burn = burn_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm() external {
        armed = true;
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (armed) {
            if (burn) {
                assembly ("memory-safe") {
                    for {} 1 {} {}
                }
            }
            revert("no balance");
        }
        return super.balanceOf(account);
    }
}

/// @notice A token whose `balanceOf` reverts while `broken` (from the start); decimals and approve work, so a market
/// and a vault can be made on it and the attacker can switch the failure on and off between reads.
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
