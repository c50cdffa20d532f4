// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "../utils/VaultFixture.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Minimum progress: a sale that does not end under the trigger must lower LTV by at least 0.1 point, so a
/// keeper cannot grind the collateral away in sales that each barely move LTV.
contract UnwindVaultProgressTest is VaultFixture {
    function setUp() public {
        setUpVault();
        movePrice(CRASH_PRICE); // 83.3%
    }

    function test_aSaleLoweringLtvByLessThanAPointOfATenth_isRefused() public {
        uint256 sell = 0.05e18;
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 ltvAfter = LtvMath.ltv(10e18 - sell, debtAfterRepay(address(vault), requiredOf(sell)), oracle.price());
        assertLt(ltvAfter, ltvBefore, "LTV goes down");
        assertLt(ltvBefore - ltvAfter, 1e15, "by less than 0.1 point");
        assertGe(ltvAfter, bps(8000), "and stays over the trigger");
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotDeleveraged.selector, ltvBefore, ltvAfter));
        vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);
        assertEq(collateralOf(address(vault)), 10e18);
    }

    function test_aSaleLoweringLtvByAPointOfATenth_goesThrough() public {
        uint256 sell = 0.1e18;
        uint256 ltvBefore = ltvOf(address(vault));
        vm.prank(keeper);
        vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);
        assertGe(ltvBefore - ltvOf(address(vault)), 1e15);
        assertGe(ltvOf(address(vault)), bps(8000));
        assertEq(collateralOf(address(vault)), 10e18 - sell);
    }

    function test_topUpsAreExemptFromTheMinimumDrop() public {
        loanToken.mint(address(vault), 10e6);
        uint256 ltvBefore = ltvOf(address(vault));
        vm.prank(keeper);
        vault.topUp(10e6, block.timestamp, 0);
        assertLt(ltvOf(address(vault)), ltvBefore);
        assertLt(ltvBefore - ltvOf(address(vault)), 1e15);
    }
}
