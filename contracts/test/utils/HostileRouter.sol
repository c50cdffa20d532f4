// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {TestToken} from "../../src/local/TestToken.sol";

/// @notice An attacker's "router" for the vault to call during a deleverage. Its controller scripts what
/// the next swap does: how much of the input it pulls, what it pays back and in which token, whether it
/// re-enters something mid-swap, and whether it tries to pull more than it was approved. It can also
/// act as a smart wallet (`exec`), so it can own a vault and re-enter the owner's functions.
contract HostileRouter {
    struct Plan {
        /// Input token amount pulled from the caller with transferFrom.
        uint256 pull;
        /// Token paid back to the caller (minted: the attacker is never short of funds).
        address payToken;
        uint256 pay;
        /// Optional call made after pulling and before paying, e.g. back into the vault.
        address reenterTarget;
        bytes reenterData;
        /// Optional extra transferFrom(caller -> this) attempted after the pull: more than approved,
        /// a second pull, or a token the caller never approved.
        address extraPullToken;
        uint256 extraPull;
        /// Revert with the failed re-entry's (or extra pull's) revert data instead of carrying on.
        bool bubble;
    }

    address public immutable controller;
    address public immutable tokenIn;
    Plan internal _plan;

    /// Set when a re-entry or an extra pull that should have failed went through.
    bool public breached;
    bytes public lastReentryError;
    uint256 public swaps;

    error NotController();

    constructor(address tokenIn_) {
        controller = msg.sender;
        tokenIn = tokenIn_;
    }

    function setPlan(Plan calldata p) external {
        if (msg.sender != controller) revert NotController();
        _plan = p;
    }

    function plan() external view returns (Plan memory) {
        return _plan;
    }

    /// @notice Looks like an exact-input swap; does whatever the plan says.
    function swap(uint256, uint256) external returns (uint256) {
        Plan memory p = _plan;
        if (p.pull > 0) IERC20(tokenIn).transferFrom(msg.sender, address(this), p.pull);
        if (p.reenterTarget != address(0)) {
            (bool ok, bytes memory ret) = p.reenterTarget.call(p.reenterData);
            if (ok) breached = true;
            else _fail(p.bubble, ret);
            lastReentryError = ret;
        }
        if (p.extraPullToken != address(0)) {
            (bool ok, bytes memory ret) =
                p.extraPullToken.call(abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), p.extraPull)));
            if (ok) breached = true;
            else _fail(p.bubble, ret);
        }
        if (p.pay > 0) {
            TestToken(p.payToken).mint(address(this), p.pay);
            IERC20(p.payToken).transfer(msg.sender, p.pay);
        }
        swaps++;
        return p.pay;
    }

    /// @notice Smart-wallet entry: the controller makes this contract call anything.
    function exec(address target, bytes calldata data) external returns (bytes memory ret) {
        if (msg.sender != controller) revert NotController();
        bool ok;
        (ok, ret) = target.call(data);
        if (!ok) _fail(true, ret);
    }

    function _fail(bool bubble, bytes memory ret) private pure {
        if (!bubble) return;
        assembly ("memory-safe") {
            revert(add(ret, 32), mload(ret))
        }
    }
}
