// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {InverseOracle} from "../../src/oracle/InverseOracle.sol";

/// @notice The reverse market's oracle: 1e72 / the base's price, following it, and refusing when the base does.
contract InverseOracleTest is VaultFixture {
    InverseOracle internal inverse;

    function setUp() public {
        setUpVault();
        inverse = new InverseOracle(IOracle(address(oracle)));
    }

    function test_pricesTheLoanTokenInTheCollateralAsTheInverse() public {
        // 3000 USDC per WETH (6 and 18 decimals): 1e36 * 3000e6 / 1e18 per base unit; the inverse is 1e72 over it.
        assertEq(oracle.price(), 3000e6 * 1e36 / 1e18);
        assertEq(inverse.price(), 1e72 / oracle.price());
        movePrice(2500e8);
        assertEq(inverse.price(), 1e72 / oracle.price());
        // A unit of the loan token is worth 1 / 2500 WETH: 1e6 units of USDC buy 4e14 wei.
        assertEq(1e6 * inverse.price() / 1e36, 4e14);
    }

    function test_refusesWhenTheBaseRefusesOrSaysZero() public {
        vm.mockCallRevert(address(oracle), abi.encodeWithSelector(IOracle.price.selector), "stale");
        vm.expectRevert("stale");
        inverse.price();
        vm.clearMockedCalls();
        vm.mockCall(address(oracle), abi.encodeWithSelector(IOracle.price.selector), abi.encode(uint256(0)));
        vm.expectRevert(InverseOracle.ZeroPrice.selector);
        inverse.price();
    }
}
