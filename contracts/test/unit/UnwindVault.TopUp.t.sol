// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "../utils/VaultFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Top-up: a keeper repays debt from the loan tokens the owner parked in the vault.
contract UnwindVaultTopUpTest is VaultFixture {
    uint256 internal constant RESERVE = 10_000e6;

    function setUp() public {
        setUpVault();
        loanToken.mint(owner, RESERVE);
        vm.startPrank(owner);
        loanToken.approve(address(vault), RESERVE);
        vault.depositReserve(RESERVE);
        vm.stopPrank();
        movePrice(CRASH_PRICE); // 75% -> 83.3%
    }

    function test_topUp_repaysFromTheReserveAndPaysTheFee() public {
        uint256 amount = 3000e6;
        uint256 fee = amount * 50 / 10_000;
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 debtAfter = debtAfterRepay(address(vault), amount);
        uint256 ltvAfter = LtvMath.ltv(10e18, debtAfter, oracle.price());

        vm.expectEmit(address(vault));
        emit IUnwindVault.ToppedUp(keeper, amount, fee, ltvBefore, ltvAfter);
        vm.prank(keeper);
        uint256 repaid = vault.topUp(amount, block.timestamp, fee);

        assertEq(repaid, amount);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(ltvOf(address(vault)), ltvAfter);
        assertLt(ltvAfter, bps(8000));
        assertEq(collateralOf(address(vault)), 10e18, "no collateral is sold");
        assertEq(vault.reserve(), RESERVE - amount - fee);
        assertEq(loanToken.balanceOf(keeper), fee);
        assertEq(vault.lastActionAt(), block.timestamp);
    }

    function test_topUp_aboveTheDebtRepaysItAllByShares() public {
        Policy memory p = defaultPolicy();
        p.bandBps = p.targetLtvBps;
        setPolicy(p);
        loanToken.mint(address(vault), 20_000e6);
        uint256 debt = debtOf(address(vault));
        vm.prank(keeper);
        uint256 repaid = vault.topUp(debt + 1000e6, block.timestamp, 0);
        assertEq(repaid, debt);
        assertEq(debtOf(address(vault)), 0);
        assertEq(vault.reserve(), RESERVE + 20_000e6 - debt, "only the debt left the vault");
    }

    function test_topUp_ownerMayActAsKeeper() public {
        vm.prank(owner);
        vault.topUp(3000e6, block.timestamp, 0);
        assertEq(vault.reserve(), RESERVE - 3000e6);
    }

    function test_topUp_feeAboveTheGasPriceCapMustBeZero() public {
        vm.txGasPrice(uint256(defaultPolicy().maxGasPrice) + 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, 1, 0));
        vault.topUp(3000e6, block.timestamp, 1);
        vm.prank(keeper);
        vault.topUp(3000e6, block.timestamp, 0);
        assertEq(vault.reserve(), RESERVE - 3000e6);
    }

    function test_topUp_revertsForAStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
        vault.topUp(1000e6, block.timestamp, 0);
    }

    function test_topUp_revertsWhilePaused() public {
        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.IsPaused.selector));
        vault.topUp(1000e6, block.timestamp, 0);
    }

    function test_topUp_revertsAfterTheDeadline() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.Expired.selector));
        vault.topUp(1000e6, block.timestamp - 1, 0);
    }

    function test_topUp_revertsWithoutAPolicy() public {
        UnwindVault bare = openVault(makeAddr("other"), 10e18, 7500);
        vm.prank(bare.owner());
        bare.setKeeper(keeper, true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PolicyNotSet.selector));
        bare.topUp(1, block.timestamp, 0);
    }

    function test_topUp_revertsDuringTheCooldown() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 days;
        setPolicy(p);
        vm.prank(keeper);
        vault.topUp(3000e6, block.timestamp, 0);
        uint256 until = block.timestamp + 1 days;
        movePrice(2400e8);
        assertGe(ltvOf(address(vault)), bps(8000));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.CoolingDown.selector, until));
        vault.topUp(1000e6, block.timestamp, 0);
    }

    function test_topUp_revertsOnZeroAmount() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.topUp(0, block.timestamp, 0);
    }

    function test_topUp_revertsBeyondTheReserve() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, RESERVE, RESERVE + 1));
        vault.topUp(RESERVE, block.timestamp, 1);
    }

    function test_topUp_revertsBelowTheTrigger() public {
        movePrice(3000e8);
        uint256 ltv = ltvOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.topUp(1000e6, block.timestamp, 0);
    }

    function test_topUp_revertsWhenTheFeeExceedsTheCap() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, 5e6 + 1, 5e6));
        vault.topUp(1000e6, block.timestamp, 5e6 + 1);
    }

    function test_topUp_revertsWhenItWouldOversell() public {
        uint256 amount = 5000e6; // 22.5k -> 17.5k against 27k: 64.8%, under 70% - 5%
        uint256 ltvAfter = LtvMath.ltv(10e18, debtAfterRepay(address(vault), amount), oracle.price());
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.Oversold.selector, ltvAfter, bps(6500)));
        vault.topUp(amount, block.timestamp, 0);
    }
}
