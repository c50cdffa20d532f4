// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";

/// @notice The soft trigger on the Aave vault: from it up to the trigger, a keeper may act early only with a
/// complete deleverage (ending at or under the target), on either path; under it, `BelowTrigger`.
contract AaveVaultSoftTriggerTest is AaveVaultFixture {
    function setUp() public {
        setUpAaveVault();
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);
        movePrice(2885e8); // 75% -> 78%: under the 80% trigger, over the 76% soft trigger
    }

    function test_softZone_completeSale_goesThrough() public {
        assertLt(ltvOf(address(vault)), bps(8000));
        assertGe(ltvOf(address(vault)), bps(7600));
        uint256 sell = 3e18;
        uint256 quote = quoteV3(sell);
        uint256 minRepaid = quote - premiumOf(quote) - 1; // all the sale fetches but the premium: to the target
        bytes memory data = v3SellCalldata(address(vault), sell, 0);
        vm.prank(keeper);
        vault.deleverage(sell, address(swapRouter), data, minRepaid, block.timestamp, 0);
        assertLe(ltvOf(address(vault)), bps(7000));
    }

    function test_softZone_incompleteSale_refused() public {
        uint256 sell = 0.5e18;
        bytes memory data = v3SellCalldata(address(vault), sell, 0);
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.SoftActionIncomplete.selector);
        vault.deleverage(sell, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_underTheSoftTrigger_refused() public {
        movePrice(3000e8);
        uint256 ltv = ltvOf(address(vault));
        bytes memory data = v3SellCalldata(address(vault), 1e18, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.deleverage(1e18, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_softZone_topUpToTheTarget() public {
        loanToken.mint(address(vault), 2500e6);
        vm.prank(keeper);
        vault.topUp(2500e6, block.timestamp, 0); // 78% -> 69.3%
        assertLe(ltvOf(address(vault)), bps(7000));
    }
}
