// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";

import {AaveMarket} from "../utils/AaveMarket.sol";

/// @notice EIP-170: a contract's code may be at most 24,576 bytes, or its creation reverts. forge does not enforce
/// the limit, but a chain (and anvil) does: a factory whose `new` implementation is over it cannot be deployed at
/// all. Both implementations and both factories, deployed on their real fixtures, must stay `MARGIN` under it, so
/// that a change to the shared `VaultCore` that eats the headroom fails here and not on a chain.
contract CodeSizeTest is AaveMarket {
    uint256 internal constant EIP170_LIMIT = 24_576;
    uint256 internal constant MARGIN = 1_000;

    function setUp() public {
        deployAaveMarket(defaultConfig(), defaultAaveConfig());
    }

    function test_implementationsAndFactories_stayUnderEip170WithMargin() public view {
        _check("UnwindVault (Morpho Blue)", factory.IMPLEMENTATION());
        _check("AaveVault", aaveFactory.IMPLEMENTATION());
        _check("VaultFactory", address(factory));
        _check("AaveVaultFactory", address(aaveFactory));
    }

    function _check(string memory name, address c) internal view {
        uint256 size = c.code.length;
        console.log("%s: %s bytes, %s left under EIP-170", name, size, EIP170_LIMIT - size);
        assertGt(size, 0, string.concat(name, ": no code"));
        assertLe(size, EIP170_LIMIT - MARGIN, string.concat(name, ": within MARGIN of the EIP-170 limit"));
    }
}
