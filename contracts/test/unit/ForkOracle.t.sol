// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {ForkOracle} from "../../src/local/ForkOracle.sol";
import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

/// What `unwind devnet --fork` does to a market's oracle: its code replaced at the same address, the price it
/// answered kept in slot 0, and moved only by writing that slot.
contract ForkOracleTest is Test {
    function test_replacingAnOraclesCodeKeepsItsAddressAndTheSlotIsThePrice() public {
        vm.warp(1_700_000_000);
        SettablePriceFeed feed = new SettablePriceFeed(8, "WETH / USDC", 3000e8);
        ChainlinkOracleAdapter real = new ChainlinkOracleAdapter(feed, 18, 6, 1 days);
        uint256 before = real.price();
        assertEq(before, 3000e6 * 1e36 / 1e18);

        vm.etch(address(real), type(ForkOracle).runtimeCode);
        vm.store(address(real), bytes32(0), bytes32(before));
        assertEq(ForkOracle(address(real)).price(), before, "the market sees the same price after the swap");

        vm.store(address(real), bytes32(0), bytes32(uint256(2650e6 * 1e36 / 1e18)));
        assertEq(ForkOracle(address(real)).price(), 2650e6 * 1e36 / 1e18);
    }

    function testFuzz_theSlotIsThePrice(uint256 p) public {
        ForkOracle o = new ForkOracle();
        assertEq(o.price(), 0);
        vm.store(address(o), bytes32(0), bytes32(p));
        assertEq(o.price(), p);
    }

    function test_itHasNoSetter() public {
        ForkOracle o = new ForkOracle();
        (bool ok,) = address(o).call(abi.encodeWithSignature("setPrice(uint256)", 1));
        assertFalse(ok, "nothing but the node writes the price");
        assertEq(o.price(), 0);
    }
}
