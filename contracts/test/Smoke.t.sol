// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LocalMarket} from "./utils/LocalMarket.sol";
import {UnwindVault} from "../src/UnwindVault.sol";
import {VaultHealth} from "../src/interfaces/IUnwindVault.sol";

contract SmokeTest is LocalMarket {
    address owner = makeAddr("owner");
    address keeper = makeAddr("keeper");
    UnwindVault vault;

    function setUp() public {
        deployMarket(defaultConfig());
        vault = openVault(owner, 10e18, 7500);
        allowUniswap(vault);
        vm.startPrank(owner);
        vault.setPolicy(defaultPolicy());
        vault.setKeeper(keeper, true);
        vm.stopPrank();
    }

    function test_deleverageV3() public {
        movePrice(2700e8);
        address[] memory vs = new address[](1);
        vs[0] = address(vault);
        VaultHealth memory h = lens.healthOf(vs, keeper)[0];
        emit log_named_uint("ltv before", h.ltv);
        uint256 sell = 2e18;
        uint256 out = quoteV3(sell);
        emit log_named_uint("quote", out);
        vm.prank(keeper);
        uint256 g = gasleft();
        vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), out, block.timestamp, 0);
        emit log_named_uint("gas", g - gasleft());
        h = lens.healthOf(vs, keeper)[0];
        emit log_named_uint("ltv after", h.ltv);
    }
}
