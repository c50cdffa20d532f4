// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A hostile loan token: on every transfer it makes the call it was given (back into a shared reserve,
/// for instance) and records how that call ended. It also answers `owner()`, so that it can pass for a vault.
contract ReenteringToken is ERC20 {
    address public owner;
    address public target;
    bytes public data;
    bool public reentered;
    bytes public reentryError;

    constructor(address owner_) ERC20("Reentering", "REE") {
        owner = owner_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(address target_, bytes calldata data_) external {
        target = target_;
        data = data_;
    }

    function _update(address from, address to, uint256 amount) internal override {
        super._update(from, to, amount);
        address t = target;
        if (t == address(0)) return;
        target = address(0); // once
        (bool ok, bytes memory err) = t.call(data);
        reentered = ok;
        reentryError = err;
    }
}
