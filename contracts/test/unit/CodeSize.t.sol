// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/console.sol";

import {AaveMarket} from "../utils/AaveMarket.sol";

/// @notice EIP-170: a contract's code may be at most 24,576 bytes, or its creation reverts. forge does not enforce
/// the limit, but a chain (and anvil) does: a factory whose `new` implementation is over it cannot be deployed at
/// all. Both implementations and both factories, deployed on their real fixtures, the portfolio code and the hedge,
/// must stay `MARGIN` under it, so
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
        _checkCode("VaultPortfolio", vm.getDeployedCode("VaultPortfolio.sol:VaultPortfolio"));
        _checkCode("UnwindHedge", vm.getDeployedCode("UnwindHedge.sol:UnwindHedge"));
    }

    /// @dev A contract checked from its build (the hedge needs a vault and a reverse market to be deployed).
    function _checkCode(string memory name, bytes memory code) internal pure {
        assertGt(code.length, 0, string.concat(name, ": no code"));
        assertLe(code.length, EIP170_LIMIT - MARGIN, string.concat(name, ": within MARGIN of the EIP-170 limit"));
    }

    function _check(string memory name, address c) internal view {
        uint256 size = c.code.length;
        console.log("%s: %s bytes, %s left under EIP-170", name, size, EIP170_LIMIT - size);
        assertGt(size, 0, string.concat(name, ": no code"));
        assertLe(size, EIP170_LIMIT - MARGIN, string.concat(name, ": within MARGIN of the EIP-170 limit"));
    }
}
