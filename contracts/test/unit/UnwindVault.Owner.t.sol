// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Market, MarketParams, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The owner's position and reserve functions: supply, withdraw, borrow, repay, reserve, sweep.
contract UnwindVaultOwnerTest is VaultFixture {
    using MarketParamsLib for MarketParams;
    using SharesMathLib for uint256;

    address internal receiver = makeAddr("receiver");

    function setUp() public {
        setUpVault();
    }

    // ---- supplyCollateral ----

    function test_supplyCollateral_pullsFromOwnerIntoTheMarket() public {
        collateralToken.mint(owner, 1e18);
        vm.startPrank(owner);
        collateralToken.approve(address(vault), 1e18);
        vm.expectEmit(address(vault));
        emit IUnwindVault.CollateralSupplied(owner, 1e18);
        vault.supplyCollateral(1e18);
        vm.stopPrank();

        assertEq(collateralOf(address(vault)), 11e18);
        assertEq(collateralToken.balanceOf(owner), 0);
        assertEq(collateralToken.balanceOf(address(vault)), 0);
    }

    function test_supplyCollateral_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.supplyCollateral(1e18);
    }

    function test_supplyCollateral_revertsOnZero() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.supplyCollateral(0);
    }

    // ---- withdrawCollateral ----

    function test_withdrawCollateral_sendsToReceiver() public {
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.CollateralWithdrawn(receiver, 0.5e18);
        vault.withdrawCollateral(0.5e18, receiver); // 75% -> 78.9%, under the 80% trigger

        assertEq(collateralOf(address(vault)), 9.5e18);
        assertEq(collateralToken.balanceOf(receiver), 0.5e18);
    }

    function test_withdrawCollateral_worksWhilePaused() public {
        vm.startPrank(owner);
        vault.setPaused(true);
        vault.withdrawCollateral(0.5e18, owner);
        vm.stopPrank();
        assertEq(collateralToken.balanceOf(owner), 0.5e18);
    }

    function test_withdrawCollateral_refusesEndingAtOrOverTheTrigger() public {
        // 22,500 of debt: 28,125 of collateral (9.375 tokens) is exactly 80%, the trigger.
        uint256 ltvAfter = LtvMath.ltv(9.375e18, debtOf(address(vault)), oracle.price());
        assertEq(ltvAfter, bps(8000));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WouldTrigger.selector, ltvAfter, bps(8000)));
        vault.withdrawCollateral(0.625e18, owner);
        assertEq(collateralOf(address(vault)), 10e18);
        vm.prank(owner);
        vault.withdrawCollateral(0.625e18 - 1e12, owner); // just under the trigger
        assertLt(ltvOf(address(vault)), bps(8000));
    }

    function test_withdrawCollateral_overTheTriggerAllowedWithoutDebtOrPolicy() public {
        // Without a policy only the market's LLTV applies.
        UnwindVault bare = openVault(makeAddr("bare"), 10e18, 7500);
        vm.prank(bare.owner());
        bare.withdrawCollateral(1e18, receiver); // 83.3%, under the 86% LLTV
        assertEq(collateralToken.balanceOf(receiver), 1e18);
        // Without debt the trigger does not apply.
        loanToken.mint(owner, 30_000e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), 30_000e6);
        vault.repay(type(uint256).max);
        vault.withdrawCollateral(10e18, receiver);
        vm.stopPrank();
        assertEq(collateralToken.balanceOf(receiver), 11e18);
    }

    function test_withdrawCollateral_marketRefusesAnUnhealthyResult() public {
        vm.prank(owner);
        vm.expectRevert(bytes("insufficient collateral"));
        vault.withdrawCollateral(2e18, owner); // 22.5k debt against 8 * 3000 * 86% = 20.6k
    }

    function test_withdrawCollateral_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.withdrawCollateral(1, keeper);
    }

    function test_withdrawCollateral_revertsOnZero() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.withdrawCollateral(0, owner);
    }

    // ---- borrow ----

    function test_borrow_sendsToReceiverBelowTheTrigger() public {
        uint256 debtBefore = debtOf(address(vault));
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.Borrowed(receiver, 1000e6);
        vault.borrow(1000e6, receiver);

        assertEq(loanToken.balanceOf(receiver), 1000e6);
        assertApproxEqAbs(debtOf(address(vault)), debtBefore + 1000e6, 1);
        assertLt(ltvOf(address(vault)), bps(8000));
    }

    function test_borrow_refusesToReachTheTrigger() public {
        // 75% -> 80% exactly needs 1500 more on 30000 of collateral value.
        uint256 amount = 1500e6;
        uint256 expectedLtv = LtvMath.ltv(10e18, debtAfterBorrow(amount), oracle.price());
        assertGe(expectedLtv, bps(8000));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WouldTrigger.selector, expectedLtv, bps(8000)));
        vault.borrow(amount, owner);
    }

    function test_borrow_withoutPolicyIsLimitedByTheMarketOnly() public {
        UnwindVault fresh = openVault(receiver, 10e18, 0);
        vm.startPrank(receiver);
        fresh.borrow(25_000e6, receiver); // 83%: over any trigger, under the 86% LLTV
        vm.expectRevert(bytes("insufficient collateral"));
        fresh.borrow(1000e6, receiver);
        vm.stopPrank();
        assertApproxEqAbs(debtOf(address(fresh)), 25_000e6, 1);
    }

    function test_borrow_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.borrow(1, keeper);
    }

    function test_borrow_revertsOnZero() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.borrow(0, owner);
    }

    // ---- repay ----

    function test_repay_partialByAssets() public {
        uint256 debtBefore = debtOf(address(vault));
        uint256 expectedDebt = debtAfterRepay(address(vault), 1000e6);
        uint256 shares = uint256(1000e6).toSharesDown(_market().totalBorrowAssets, _market().totalBorrowShares);
        uint256 ownerBefore = loanToken.balanceOf(owner);
        vm.startPrank(owner);
        loanToken.approve(address(vault), 1000e6);
        vm.expectEmit(address(vault));
        emit IUnwindVault.Repaid(owner, 1000e6, shares);
        (uint256 assets, uint256 repaidShares) = vault.repay(1000e6);
        vm.stopPrank();

        assertEq(assets, 1000e6);
        assertEq(repaidShares, shares);
        assertEq(debtOf(address(vault)), expectedDebt);
        assertLt(debtOf(address(vault)), debtBefore);
        assertEq(loanToken.balanceOf(owner), ownerBefore - 1000e6);
        assertEq(vault.reserve(), 0);
    }

    function test_repay_maxRepaysAccruedDebtBySharesWhilePaused() public {
        vm.warp(block.timestamp + 90 days); // interest accrues (IrmMock: APR = utilization)
        morpho.accrueInterest(marketParams);
        uint256 debt = debtOf(address(vault));
        assertGt(debt, 22_500e6);
        uint256 shares = morpho.position(marketParams.id(), address(vault)).borrowShares;
        loanToken.mint(owner, debt);
        uint256 ownerBefore = loanToken.balanceOf(owner);
        vm.startPrank(owner);
        vault.setPaused(true);
        loanToken.approve(address(vault), type(uint256).max);
        vm.expectEmit(address(vault));
        emit IUnwindVault.Repaid(owner, debt, shares);
        vault.repay(type(uint256).max);
        vault.withdrawCollateral(10e18, owner);
        vm.stopPrank();

        assertEq(morpho.position(marketParams.id(), address(vault)).borrowShares, 0);
        assertEq(loanToken.balanceOf(owner), ownerBefore - debt, "pulls exactly the debt");
        assertEq(vault.reserve(), 0);
        assertEq(collateralToken.balanceOf(owner), 10e18);
        assertEq(collateralOf(address(vault)), 0);
    }

    function test_repay_moreThanDebtRepaysAll() public {
        uint256 debt = debtOf(address(vault));
        loanToken.mint(owner, debt);
        uint256 ownerBefore = loanToken.balanceOf(owner);
        vm.startPrank(owner);
        loanToken.approve(address(vault), type(uint256).max);
        (uint256 assets,) = vault.repay(debt + 1);
        vm.stopPrank();
        assertEq(assets, debt);
        assertEq(debtOf(address(vault)), 0);
        assertEq(loanToken.balanceOf(owner), ownerBefore - debt);
    }

    function test_repay_maxWithoutDebtIsANoOp() public {
        loanToken.mint(owner, 30_000e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), type(uint256).max);
        vault.repay(type(uint256).max);
        assertEq(debtOf(address(vault)), 0);
        uint256 balance = loanToken.balanceOf(owner);
        vm.recordLogs();
        (uint256 assets, uint256 shares) = vault.repay(type(uint256).max);
        vm.stopPrank();
        assertEq(assets, 0);
        assertEq(shares, 0);
        assertEq(loanToken.balanceOf(owner), balance, "nothing pulled");
        assertEq(vm.getRecordedLogs().length, 0, "no transfer, no Repaid");
    }

    function test_repay_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.repay(1);
    }

    function test_repay_revertsOnZero() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.repay(0);
    }

    // ---- reserve ----

    function test_depositReserve_pullsLoanTokens() public {
        loanToken.mint(owner, 500e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), 500e6);
        vm.expectEmit(address(vault));
        emit IUnwindVault.ReserveDeposited(owner, 500e6);
        vault.depositReserve(500e6);
        vm.stopPrank();
        assertEq(vault.reserve(), 500e6);
        assertEq(loanToken.balanceOf(address(vault)), 500e6);
    }

    function test_withdrawReserve_sendsToReceiver() public {
        loanToken.mint(address(vault), 500e6);
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.ReserveWithdrawn(receiver, 200e6);
        vault.withdrawReserve(200e6, receiver);
        assertEq(vault.reserve(), 300e6);
        assertEq(loanToken.balanceOf(receiver), 200e6);
    }

    function test_withdrawReserve_cannotExceedTheReserve() public {
        loanToken.mint(address(vault), 500e6);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(vault), 500e6, 501e6)
        );
        vault.withdrawReserve(501e6, owner);
    }

    function test_reserveFunctions_revertForNonOwner() public {
        vm.startPrank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.depositReserve(1);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.withdrawReserve(1, keeper);
        vm.stopPrank();
    }

    function test_reserveFunctions_revertOnZero() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.depositReserve(0);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.withdrawReserve(0, owner);
        vm.stopPrank();
    }

    // ---- sweep ----

    function test_sweep_sendsAnyHeldToken() public {
        TestToken stray = new TestToken("Stray", "STR", 18);
        stray.mint(address(vault), 7e18);
        collateralToken.mint(address(vault), 1e18); // sent by mistake, not part of the position
        vm.startPrank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.Swept(address(stray), receiver, 7e18);
        vault.sweep(address(stray), 7e18, receiver);
        vault.sweep(address(collateralToken), 1e18, receiver);
        vm.stopPrank();
        assertEq(stray.balanceOf(receiver), 7e18);
        assertEq(collateralToken.balanceOf(receiver), 1e18);
        assertEq(collateralOf(address(vault)), 10e18, "the market position is not the vault's balance");
    }

    function test_sweep_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.sweep(address(loanToken), 1, keeper);
    }

    // ---- helpers ----

    function _market() internal view returns (Market memory) {
        return morpho.market(marketParams.id());
    }

    function debtAfterBorrow(uint256 assets) internal view returns (uint256) {
        Market memory m = _market();
        Position memory p = morpho.position(marketParams.id(), address(vault));
        uint256 shares = assets.toSharesUp(m.totalBorrowAssets, m.totalBorrowShares);
        return (uint256(p.borrowShares) + shares).toAssetsUp(m.totalBorrowAssets + assets, m.totalBorrowShares + shares);
    }
}
