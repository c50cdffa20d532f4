// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "../utils/VaultFixture.sol";
import {IUnwindVault, Route} from "../../src/interfaces/IUnwindVault.sol";
import {ISwapRouter, IUniswapV2Router02} from "../utils/UniswapInterfaces.sol";

/// @notice Keepers and routes at an ownership transfer (issue 14, "keepers and routes survive an ownership
/// transfer, and the new owner cannot list them on chain"): both lists are readable, bounded, and the new owner
/// either keeps them or has them all removed, each removal with its event.
contract UnwindVaultAccessTest is VaultFixture {
    bytes4 internal constant V3 = ISwapRouter.exactInputSingle.selector;
    bytes4 internal constant V2 = IUniswapV2Router02.swapExactTokensForTokens.selector;
    address internal buyer = makeAddr("buyer");

    function setUp() public {
        setUpVault(); // keeper allowed; V3 and V2 routes allowed
        movePrice(CRASH_PRICE);
        vm.prank(owner);
        vault.transferOwnership(buyer);
    }

    function test_lists_readTheKeepersAndRoutes() public view {
        address[] memory ks = vault.keepers();
        assertEq(ks.length, 1);
        assertEq(ks[0], keeper);
        Route[] memory rs = vault.routes();
        assertEq(rs.length, 2);
        assertEq(rs[0].router, address(swapRouter));
        assertEq(rs[0].selector, V3);
        assertEq(rs[1].router, address(v2Router));
        assertEq(rs[1].selector, V2);
    }

    function test_acceptOwnership_withoutAccessClearsKeepersAndRoutesWithEvents() public {
        vm.expectEmit(address(vault));
        emit IUnwindVault.KeeperSet(keeper, false);
        vm.expectEmit(address(vault));
        emit IUnwindVault.RouteSet(address(v2Router), V2, false);
        vm.expectEmit(address(vault));
        emit IUnwindVault.RouteSet(address(swapRouter), V3, false);
        vm.expectEmit(address(vault));
        emit IUnwindVault.AccessHandedOver(buyer, false, 1, 2);
        vm.prank(buyer);
        vault.acceptOwnership(false);

        assertEq(vault.owner(), buyer);
        assertEq(vault.keepers().length, 0);
        assertEq(vault.routes().length, 0);
        assertFalse(vault.isKeeper(keeper));
        assertFalse(vault.isRouteAllowed(address(swapRouter), V3));
        // The previous owner's keeper can no longer touch the position, though LTV is over the trigger.
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
        vault.deleverage(1e18, address(swapRouter), v3SellCalldata(address(vault), 1e18, 0), 0, block.timestamp, 0);
        // And the new owner's own sale finds no route.
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(swapRouter), V3));
        vault.deleverage(1e18, address(swapRouter), v3SellCalldata(address(vault), 1e18, 0), 0, block.timestamp, 0);
    }

    function test_acceptOwnership_withAccessKeepsThem() public {
        vm.expectEmit(address(vault));
        emit IUnwindVault.AccessHandedOver(buyer, true, 1, 2);
        vm.prank(buyer);
        vault.acceptOwnership(true);
        assertEq(vault.keepers().length, 1);
        assertEq(vault.routes().length, 2);
        uint256 debt = debtOf(address(vault));
        vm.prank(keeper);
        vault.deleverage(1e18, address(swapRouter), v3SellCalldata(address(vault), 1e18, 0), 0, block.timestamp, 0);
        assertLt(debtOf(address(vault)), debt);
    }

    function test_setKeeper_boundedAndRemovedFromTheList() public {
        vm.startPrank(owner);
        for (uint256 i = 1; i < 16; i++) {
            vault.setKeeper(address(uint160(0x1000 + i)), true);
        }
        vault.setKeeper(keeper, true); // already listed: no new entry
        assertEq(vault.keepers().length, 16);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.TooManyEntries.selector, 16));
        vault.setKeeper(stranger, true);
        vault.setKeeper(keeper, false);
        assertEq(vault.keepers().length, 15);
        assertFalse(vault.isKeeper(keeper));
        vault.setKeeper(stranger, true); // room again
        vm.stopPrank();
        assertEq(vault.keepers().length, 16);
        for (uint256 i = 0; i < 16; i++) {
            assertTrue(vault.keepers()[i] != keeper);
        }
    }

    function test_setRoute_boundedAndRemovedFromTheList() public {
        vm.startPrank(owner);
        for (uint256 i = 0; i < 30; i++) {
            vault.setRoute(address(swapRouter), bytes4(uint32(i + 1)), true);
        }
        assertEq(vault.routes().length, 32);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.TooManyEntries.selector, 32));
        vault.setRoute(address(v2Router), bytes4(uint32(7)), true);
        vault.setRoute(address(swapRouter), V3, false);
        assertEq(vault.routes().length, 31);
        assertFalse(vault.isRouteAllowed(address(swapRouter), V3));
        Route[] memory rs = vault.routes();
        for (uint256 i = 0; i < rs.length; i++) {
            assertFalse(rs[i].router == address(swapRouter) && rs[i].selector == V3);
        }
        vm.stopPrank();
    }
}
