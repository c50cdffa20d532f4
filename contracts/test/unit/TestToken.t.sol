// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {TestToken} from "../../src/local/TestToken.sol";

contract TestTokenTest is Test {
    function test_decimalsAreWhatTheDeployerAsked() public {
        assertEq(new TestToken("A", "A", 6).decimals(), 6);
        assertEq(new TestToken("B", "B", 8).decimals(), 8);
        TestToken c = new TestToken("Coin", "C", 18);
        assertEq(c.decimals(), 18);
        assertEq(c.name(), "Coin");
        assertEq(c.symbol(), "C");
    }

    function test_mintIsOpen() public {
        TestToken t = new TestToken("A", "A", 6);
        address anyone = makeAddr("anyone");
        vm.prank(anyone);
        t.mint(anyone, 5e6);
        assertEq(t.balanceOf(anyone), 5e6);
        assertEq(t.totalSupply(), 5e6);
    }
}
