// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Create2Probe
/// @notice Never deployed. `unwind deploy` places this runtime code at the deterministic CREATE2 deployer's address
/// inside one eth_call (a state override), with the target address's code and nonce cleared, and calls it with the
/// deployer's own input (32-byte salt, then the creation code). It creates the contract from the same address with the
/// same salt, so at the same address with the same immutables and the same nested CREATE addresses, and returns the
/// runtime code that creation produced: what a deployment of this build must hold, byte for byte.
contract Create2Probe {
    fallback(bytes calldata input) external returns (bytes memory) {
        require(input.length >= 32, "salt and creation code");
        bytes32 salt = bytes32(input[:32]);
        bytes memory init = input[32:];
        address created;
        assembly ("memory-safe") {
            created := create2(0, add(init, 0x20), mload(init), salt)
        }
        require(created != address(0), "creation failed");
        return created.code;
    }
}
