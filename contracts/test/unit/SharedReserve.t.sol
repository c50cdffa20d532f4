// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {SharedReserve} from "../../src/SharedReserve.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {FakePeer} from "../utils/FakePeer.sol";
import {ReenteringToken} from "../utils/ReenteringToken.sol";

/// @notice The shared reserve alone: ownership, limits, draws by the right and wrong callers, a hostile token
/// re-entering, withdrawals. Vaults are stood in for by `FakePeer`, which answers any `owner()` it is given (the
/// reserve asks a vault nothing else); draws through real vaults are in UnwindVault.SharedTopUp.t.sol.
contract SharedReserveTest is Test {
    address internal owner = makeAddr("owner");
    address internal stranger = makeAddr("stranger");
    SharedReserve internal reserve;
    TestToken internal usdc;
    FakePeer internal vaultA;
    FakePeer internal vaultB;

    function setUp() public {
        reserve = new SharedReserve(owner);
        usdc = new TestToken("USD Coin", "USDC", 6);
        usdc.mint(address(reserve), 10_000e6);
        vaultA = new FakePeer(owner, address(0));
        vaultB = new FakePeer(owner, address(0));
        vm.prank(owner);
        reserve.setLimit(address(vaultA), address(usdc), 3_000e6);
    }

    function test_constructor_needsAnOwner() public {
        vm.expectRevert(SharedReserve.ZeroAddress.selector);
        new SharedReserve(address(0));
        assertEq(reserve.owner(), owner);
    }

    function test_ownership_twoSteps() public {
        vm.prank(stranger);
        vm.expectRevert(SharedReserve.NotOwner.selector);
        reserve.transferOwnership(stranger);
        address next = makeAddr("next");
        vm.prank(owner);
        vm.expectEmit(address(reserve));
        emit SharedReserve.OwnershipTransferStarted(owner, next);
        reserve.transferOwnership(next);
        assertEq(reserve.owner(), owner, "nothing changes before the new owner accepts");
        vm.prank(stranger);
        vm.expectRevert(SharedReserve.NotOwner.selector);
        reserve.acceptOwnership();
        vm.prank(next);
        vm.expectEmit(address(reserve));
        emit SharedReserve.OwnershipTransferred(owner, next);
        reserve.acceptOwnership();
        assertEq(reserve.owner(), next);
        assertEq(reserve.pendingOwner(), address(0));
        assertEq(reserve.limit(address(vaultA), address(usdc)), 0, "the previous owner's limits do not follow");
    }

    function test_setLimit_ownerOnlyAndZeroRemoves() public {
        vm.prank(stranger);
        vm.expectRevert(SharedReserve.NotOwner.selector);
        reserve.setLimit(stranger, address(usdc), 1);
        vm.prank(owner);
        vm.expectEmit(address(reserve));
        emit SharedReserve.LimitSet(address(vaultB), address(usdc), 500e6);
        reserve.setLimit(address(vaultB), address(usdc), 500e6);
        assertEq(reserve.limit(address(vaultB), address(usdc)), 500e6);
        assertEq(reserve.available(address(vaultB), address(usdc)), 500e6);
        vm.prank(owner);
        reserve.setLimit(address(vaultB), address(usdc), 0);
        assertEq(reserve.limit(address(vaultB), address(usdc)), 0);
    }

    function test_available_isTheLimitOrTheBalance() public {
        assertEq(reserve.available(address(vaultA), address(usdc)), 3_000e6);
        vm.prank(owner);
        reserve.setLimit(address(vaultA), address(usdc), 50_000e6);
        assertEq(reserve.available(address(vaultA), address(usdc)), 10_000e6);
        assertEq(reserve.available(address(vaultB), address(usdc)), 0);
    }

    function test_draw_spendsTheLimitAndPaysTheVault() public {
        vm.expectEmit(address(reserve));
        emit SharedReserve.Drawn(address(vaultA), address(usdc), 1_000e6, 2_000e6);
        vm.prank(address(vaultA));
        reserve.draw(address(usdc), 1_000e6);
        assertEq(usdc.balanceOf(address(vaultA)), 1_000e6);
        assertEq(reserve.limit(address(vaultA), address(usdc)), 2_000e6);
        vm.prank(address(vaultA));
        reserve.draw(address(usdc), 2_000e6);
        assertEq(reserve.limit(address(vaultA), address(usdc)), 0);
        vm.prank(address(vaultA));
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.LimitExceeded.selector, 1, 0));
        reserve.draw(address(usdc), 1);
    }

    function test_draw_revertsOverTheLimit() public {
        vm.prank(address(vaultA));
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.LimitExceeded.selector, 3_000e6 + 1, 3_000e6));
        reserve.draw(address(usdc), 3_000e6 + 1);
    }

    function test_draw_revertsForAVaultWithoutALimitAndForStrangers() public {
        vm.prank(address(vaultB));
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.LimitExceeded.selector, 1, 0));
        reserve.draw(address(usdc), 1);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.LimitExceeded.selector, 1, 0));
        reserve.draw(address(usdc), 1);
        vm.prank(owner); // the owner draws with withdraw, not as a vault
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.LimitExceeded.selector, 1, 0));
        reserve.draw(address(usdc), 1);
    }

    function test_draw_revertsForAVaultOfAnotherOwnerWhateverItsLimit() public {
        // A vault the owner gave a limit, then sold: its owner() is now the buyer.
        FakePeer sold = new FakePeer(stranger, address(0));
        vm.prank(owner);
        reserve.setLimit(address(sold), address(usdc), 3_000e6);
        vm.prank(address(sold));
        vm.expectRevert(abi.encodeWithSelector(SharedReserve.NotOwnersVault.selector, address(sold), stranger));
        reserve.draw(address(usdc), 1);
    }

    function test_draw_revertsOnZeroAndOverTheBalance() public {
        vm.prank(address(vaultA));
        vm.expectRevert(SharedReserve.ZeroAmount.selector);
        reserve.draw(address(usdc), 0);
        vm.prank(owner);
        reserve.setLimit(address(vaultA), address(usdc), 50_000e6);
        vm.prank(address(vaultA));
        vm.expectRevert(); // the token's own insufficient-balance error
        reserve.draw(address(usdc), 10_000e6 + 1);
    }

    function test_draw_aHostileTokenCannotReenter() public {
        // The token passes for a vault of the owner's with a limit, and re-enters draw from inside the transfer.
        ReenteringToken bad = new ReenteringToken(owner);
        bad.mint(address(reserve), 1_000e6);
        vm.startPrank(owner);
        reserve.setLimit(address(vaultA), address(bad), 100e6);
        reserve.setLimit(address(bad), address(bad), 1_000e6);
        vm.stopPrank();
        bad.arm(address(reserve), abi.encodeCall(SharedReserve.draw, (address(bad), 500e6)));
        vm.prank(address(vaultA));
        reserve.draw(address(bad), 100e6);
        assertFalse(bad.reentered(), "the re-entry failed");
        assertEq(bytes4(bad.reentryError()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(bad.balanceOf(address(reserve)), 900e6, "only the vault's draw left");
        assertEq(reserve.limit(address(bad), address(bad)), 1_000e6);
    }

    function test_withdraw_aHostileTokenCannotReenter() public {
        ReenteringToken bad = new ReenteringToken(owner);
        bad.mint(address(reserve), 1_000e6);
        vm.prank(owner);
        reserve.setLimit(address(bad), address(bad), 1_000e6);
        bad.arm(address(reserve), abi.encodeCall(SharedReserve.draw, (address(bad), 500e6)));
        vm.prank(owner);
        reserve.withdraw(address(bad), 100e6, owner);
        assertFalse(bad.reentered());
        assertEq(bytes4(bad.reentryError()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(bad.balanceOf(address(reserve)), 900e6);
    }

    function test_withdraw_ownerOnly() public {
        vm.prank(stranger);
        vm.expectRevert(SharedReserve.NotOwner.selector);
        reserve.withdraw(address(usdc), 1, stranger);
        vm.prank(address(vaultA));
        vm.expectRevert(SharedReserve.NotOwner.selector);
        reserve.withdraw(address(usdc), 1, address(vaultA));
        vm.startPrank(owner);
        vm.expectRevert(SharedReserve.ZeroAmount.selector);
        reserve.withdraw(address(usdc), 0, owner);
        vm.expectRevert(SharedReserve.ZeroAddress.selector);
        reserve.withdraw(address(usdc), 1, address(0));
        vm.expectEmit(address(reserve));
        emit SharedReserve.Withdrawn(address(usdc), owner, 10_000e6);
        reserve.withdraw(address(usdc), 10_000e6, owner);
        vm.stopPrank();
        assertEq(usdc.balanceOf(owner), 10_000e6, "all of it, whatever the limits");
    }

    function test_deposit_byPlainTransfer() public {
        usdc.mint(stranger, 5e6);
        vm.prank(stranger);
        usdc.transfer(address(reserve), 5e6);
        assertEq(usdc.balanceOf(address(reserve)), 10_005e6);
    }
}
