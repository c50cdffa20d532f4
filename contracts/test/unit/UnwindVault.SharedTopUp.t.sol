// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PortfolioFixture} from "../utils/PortfolioFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Top-ups that draw what the vault's own reserve lacks from the owner's shared reserve: the own reserve
/// first, only the shortfall drawn, every rule of a top-up still binding, and no draw for a vault or a reserve
/// that changed hands.
contract UnwindVaultSharedTopUpTest is PortfolioFixture {
    uint256 internal constant AMOUNT = 3_000e6;
    uint256 internal constant FEE = 15e6; // the 0.5% cap of 3,000

    HostileRouter internal hostile;

    function setUp() public {
        setUpPortfolio();
        hostile = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        vault.setKeeper(address(hostile), true);
        movePrice(CRASH_PRICE); // vault 83.3%
    }

    function test_topUp_drawsOnlyTheShortfall() public {
        loanToken.mint(address(vault), 1_000e6);
        int256 equityBefore = ownerEquity(ownersVaults());
        vm.expectEmit(address(reserve));
        emit SharedReserve.Drawn(address(vault), address(loanToken), AMOUNT + FEE - 1_000e6, LIMIT - (AMOUNT + FEE - 1_000e6));
        vm.prank(keeper);
        uint256 repaid = vault.topUp(AMOUNT, block.timestamp, FEE);
        assertEq(repaid, AMOUNT);
        assertEq(vault.reserve(), 0, "the own reserve went first, all of it");
        assertEq(loanToken.balanceOf(address(reserve)), RESERVE_FUNDS - (AMOUNT + FEE - 1_000e6));
        assertEq(reserve.limit(address(vault), address(loanToken)), LIMIT - (AMOUNT + FEE - 1_000e6));
        assertEq(loanToken.balanceOf(keeper), FEE);
        assertLt(ltvOf(address(vault)), bps(8000));
        int256 loss = equityBefore - ownerEquity(ownersVaults());
        assertLe(loss, int256(FEE) + 1, "the owner loses the fee (and Morpho's rounding unit), nothing else");
    }

    function test_topUp_fromTheOwnReserveAloneDrawsNothing() public {
        loanToken.mint(address(vault), AMOUNT + FEE);
        vm.prank(keeper);
        vault.topUp(AMOUNT, block.timestamp, FEE);
        assertEq(loanToken.balanceOf(address(reserve)), RESERVE_FUNDS);
        assertEq(reserve.limit(address(vault), address(loanToken)), LIMIT);
    }

    function test_topUpAvailable_isTheOwnReservePlusWhatTheSharedOneGives() public {
        loanToken.mint(address(vault), 1_000e6);
        assertEq(pf(vault).topUpAvailable(), 1_000e6 + LIMIT);
        assertEq(pf(vault).sharedReserve(), address(reserve));
        vm.prank(owner);
        reserve.setLimit(address(vault), address(loanToken), 50_000e6);
        assertEq(pf(vault).topUpAvailable(), 1_000e6 + RESERVE_FUNDS, "the reserve's balance bounds it");
        assertEq(pf(strangers).topUpAvailable(), 0);
    }

    function test_topUp_revertsBeyondOwnPlusShared() public {
        loanToken.mint(address(vault), 1_000e6);
        uint256 need = 1_000e6 + LIMIT + 1;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 1_000e6 + LIMIT, need));
        vault.topUp(need - FEE, block.timestamp, FEE);
    }

    function test_topUp_revertsBeyondTheReservesBalance() public {
        vm.prank(owner);
        reserve.withdraw(address(loanToken), RESERVE_FUNDS - 100e6, owner);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 100e6, AMOUNT + FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE);
    }

    function test_topUp_withoutALinkIsRefusedAsBefore() public {
        vm.prank(owner);
        pf(vault).setSharedReserve(address(0));
        assertEq(pf(vault).topUpAvailable(), 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 0, AMOUNT + FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE);
    }

    function test_topUp_everyRuleStillBinds() public {
        // Fee over the cap (the hostile router holding the keeper role asks for it).
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, FEE + 1, FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE + 1);
        // Oversold: 5,000 of 22,500 against 27,000 is 64.8%, under 70% - 5%.
        vm.prank(address(hostile));
        vm.expectPartialRevert(IUnwindVault.Oversold.selector);
        vault.topUp(5_000e6, block.timestamp, 0);
        // Paused, expired, a stranger.
        vm.prank(stranger);
        vm.expectRevert(IUnwindVault.NotKeeper.selector);
        vault.topUp(AMOUNT, block.timestamp, 0);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.Expired.selector);
        vault.topUp(AMOUNT, block.timestamp - 1, 0);
        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.IsPaused.selector);
        vault.topUp(AMOUNT, block.timestamp, 0);
        vm.prank(owner);
        vault.setPaused(false);
        // Under the trigger.
        movePrice(3000e8);
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.BelowTrigger.selector);
        vault.topUp(AMOUNT, block.timestamp, 0);
        assertEq(loanToken.balanceOf(address(reserve)), RESERVE_FUNDS, "nothing was drawn");
    }

    function test_topUp_refusedAfterTheVaultChangedHands() public {
        vm.prank(owner);
        vault.transferOwnership(stranger);
        vm.prank(stranger);
        vault.acceptOwnership(true);
        assertEq(pf(vault).sharedReserve(), address(0), "the link went with the transfer");
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 0, AMOUNT + FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE);
        // The buyer cannot link the previous owner's reserve.
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SharedReserveNotOwned.selector, address(reserve)));
        pf(vault).setSharedReserve(address(reserve));
    }

    function test_topUp_refusedAfterTheReserveChangedHands() public {
        vm.prank(owner);
        reserve.transferOwnership(stranger);
        vm.prank(stranger);
        reserve.acceptOwnership();
        assertEq(pf(vault).topUpAvailable(), 0, "nothing from a reserve that is not the owner's");
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 0, AMOUNT + FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE);
        // Even with a limit from its new owner, the vault's owner is not the reserve's.
        vm.prank(stranger);
        reserve.setLimit(address(vault), address(loanToken), LIMIT);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.NotOwnersVault.selector, address(vault), owner));
        vault.topUp(AMOUNT, block.timestamp, FEE);
    }

    function test_setSharedReserve_ownerOnlyAndOwnersReserveOnly() public {
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        pf(vault).setSharedReserve(address(0));
        SharedReserve strangersReserve = new SharedReserve(stranger);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SharedReserveNotOwned.selector, address(strangersReserve)));
        pf(vault).setSharedReserve(address(strangersReserve));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SharedReserveNotOwned.selector, address(vault)));
        pf(vault).setSharedReserve(address(vault));
        vm.expectEmit(address(vault));
        emit IUnwindVault.SharedReserveSet(address(0));
        pf(vault).setSharedReserve(address(0));
        vm.stopPrank();
        assertEq(pf(vault).sharedReserve(), address(0));
    }
}
