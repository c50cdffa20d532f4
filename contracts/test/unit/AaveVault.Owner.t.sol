// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

/// @notice The Aave vault's owner functions on the real pool: supply, withdraw, borrow (variable only), repay
/// (partial, all, nothing to repay), the reserve and sweep; all of them while paused; nobody else can call them;
/// and the clone's arguments, market description and initialisation.
contract AaveVaultOwnerTest is AaveVaultFixture {
    function setUp() public {
        setUpAaveVault();
    }

    // ---- the clone ----

    function test_marketParams_describeTheAavePosition() public view {
        MarketParams memory p = vault.marketParams();
        assertEq(p.loanToken, address(loanToken));
        assertEq(p.collateralToken, address(collateralToken));
        assertEq(p.oracle, aaveFactory.adapterOf(address(collateralToken), address(loanToken)));
        assertEq(p.irm, address(aavePool), "irm = the pool marks an Aave vault");
        assertEq(p.lltv, 0.825e18, "the collateral's liquidation threshold");
        assertEq(
            vault.marketId(), keccak256(abi.encode(address(aavePool), address(loanToken), address(collateralToken), uint8(0)))
        );
        assertEq(address(vault.POOL()), address(aavePool));
        assertEq(vault.aToken(), address(aCollateral));
        assertEq(vault.variableDebtToken(), address(variableDebtLoan));
        assertEq(vault.eModeCategory(), 0);
    }

    function test_state_carriesTheLiveThreshold() public {
        assertEq(vault.state(address(0)).marketParams.lltv, 0.825e18);
        vm.prank(deployer);
        aaveConfigurator.configureReserveAsCollateral(address(collateralToken), 7800, 8100, 10_500);
        assertEq(vault.marketParams().lltv, 0.81e18, "Aave governance lowered it: the vault reads it live");
        assertEq(vault.state(address(0)).marketParams.lltv, 0.81e18);
    }

    function test_initialize_onlyOnce_andNeverOnTheImplementation() public {
        vm.expectRevert(IUnwindVault.AlreadyInitialized.selector);
        vault.initialize(stranger);
        AaveVault impl = AaveVault(aaveFactory.IMPLEMENTATION());
        vm.expectRevert(IUnwindVault.AlreadyInitialized.selector);
        impl.initialize(stranger);
    }

    function test_positionIsTheAaveTokensBalances() public view {
        assertEq(collateralOf(address(vault)), 10e18);
        assertEq(debtOf(address(vault)), 22_500e6);
        assertEq(aavePool.getUserEMode(address(vault)), 0);
    }

    // ---- supply, withdraw ----

    function test_supplyCollateral() public {
        collateralToken.mint(owner, 1e18);
        vm.startPrank(owner);
        collateralToken.approve(address(vault), 1e18);
        vm.expectEmit(address(vault));
        emit IUnwindVault.CollateralSupplied(owner, 1e18);
        vault.supplyCollateral(1e18);
        vm.stopPrank();
        assertEq(collateralOf(address(vault)), 11e18);
    }

    function test_withdrawCollateral_toTheReceiver_evenWhilePaused() public {
        vm.startPrank(owner);
        vault.setPaused(true);
        vm.expectEmit(address(vault));
        emit IUnwindVault.CollateralWithdrawn(stranger, 0.1e18);
        vault.withdrawCollateral(0.1e18, stranger);
        vm.stopPrank();
        assertEq(collateralToken.balanceOf(stranger), 0.1e18);
        assertEq(collateralOf(address(vault)), 9.9e18);
    }

    function test_withdrawCollateral_overTheTrigger_reverts() public {
        // 75% -> 1 token out leaves 83.3%: over the 80% trigger (and over Aave's threshold: Aave refuses first).
        vm.prank(owner);
        vm.expectRevert(bytes("35"));
        vault.withdrawCollateral(1e18, owner);
        // 0.5 token leaves 78.9% < 80%: allowed; 0.6 leaves 79.8%, 0.7 leaves 80.6% >= trigger.
        vm.prank(owner);
        vm.expectPartialRevert(IUnwindVault.WouldTrigger.selector);
        vault.withdrawCollateral(0.7e18, owner);
        vm.prank(owner);
        vault.withdrawCollateral(0.5e18, owner);
    }

    function test_withdrawCollateral_all_afterRepayingAll() public {
        loanToken.mint(owner, 22_500e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), type(uint256).max);
        vault.repay(type(uint256).max);
        vault.withdrawCollateral(type(uint256).max, owner);
        vm.stopPrank();
        assertEq(collateralOf(address(vault)), 0);
        assertEq(collateralToken.balanceOf(owner), 10e18);
    }

    // ---- borrow, repay ----

    function test_borrow_variableDebtToTheReceiver() public {
        vm.expectEmit(address(vault));
        emit IUnwindVault.Borrowed(stranger, 100e6);
        vm.prank(owner);
        vault.borrow(100e6, stranger);
        assertEq(loanToken.balanceOf(stranger), 100e6);
        assertEq(debtOf(address(vault)), 22_600e6);
        assertEq(vault.reserve(), 0, "nothing stays in the vault");
    }

    function test_borrow_overTheTrigger_reverts() public {
        Policy memory p = defaultPolicy();
        p.triggerLtvBps = 7800; // under Aave's 80% LTV, so the vault's own check is the one that refuses
        vm.prank(owner);
        vault.setPolicy(p);
        vm.prank(owner);
        vm.expectPartialRevert(IUnwindVault.WouldTrigger.selector);
        vault.borrow(1000e6, owner); // 23,500 / 30,000 = 78.3%
        vm.prank(owner);
        vault.borrow(800e6, owner); // 77.7%
    }

    function test_repay_partial_all_andNothing() public {
        loanToken.mint(owner, 30_000e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), type(uint256).max);
        vm.expectEmit(address(vault));
        emit IUnwindVault.Repaid(owner, 500e6, 0);
        (uint256 repaid, uint256 shares) = vault.repay(500e6);
        assertEq(repaid, 500e6);
        assertEq(shares, 0);
        assertEq(debtOf(address(vault)), 22_000e6);

        vm.warp(block.timestamp + 30 days); // interest accrues on Aave
        uint256 debt = debtOf(address(vault));
        assertGt(debt, 22_000e6);
        (repaid,) = vault.repay(type(uint256).max);
        assertEq(repaid, debt, "all of the debt at this block");
        assertEq(debtOf(address(vault)), 0);
        assertEq(loanToken.balanceOf(owner), 30_000e6 + 22_500e6 - 500e6 - debt);

        (repaid, shares) = vault.repay(1);
        assertEq(repaid, 0, "no debt: nothing to do");
        vm.stopPrank();
    }

    function test_repay_whilePaused() public {
        loanToken.mint(owner, 1e6);
        vm.startPrank(owner);
        vault.setPaused(true);
        loanToken.approve(address(vault), 1e6);
        vault.repay(1e6);
        vm.stopPrank();
        assertEq(debtOf(address(vault)), 22_500e6 - 1e6);
    }

    function test_zeroAmounts_revert() public {
        vm.startPrank(owner);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.supplyCollateral(0);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.withdrawCollateral(0, owner);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.borrow(0, owner);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.repay(0);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.depositReserve(0);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        vault.withdrawReserve(0, owner);
        vm.stopPrank();
    }

    // ---- reserve, sweep ----

    function test_reserve_depositWithdraw_andSweep() public {
        loanToken.mint(owner, 10e6);
        vm.startPrank(owner);
        loanToken.approve(address(vault), 10e6);
        vault.depositReserve(10e6);
        assertEq(vault.reserve(), 10e6);
        vault.withdrawReserve(4e6, stranger);
        assertEq(loanToken.balanceOf(stranger), 4e6);
        vault.sweep(address(loanToken), 6e6, owner);
        vm.stopPrank();
        assertEq(vault.reserve(), 0);
    }

    function test_sweepingTheAToken_isAWithdrawalWithTheTriggerCheck() public {
        vm.prank(owner);
        vm.expectPartialRevert(IUnwindVault.WouldTrigger.selector);
        vault.sweep(address(aCollateral), 0.7e18, owner); // 80.6%
        vm.prank(owner);
        vault.sweep(address(aCollateral), 0.5e18, owner); // 78.9%
        assertEq(aCollateral.balanceOf(owner), 0.5e18);
        assertEq(collateralOf(address(vault)), 9.5e18);
    }

    // ---- nobody else ----

    function test_everyOwnerFunction_refusesOthers() public {
        Policy memory p = defaultPolicy();
        vm.startPrank(stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.supplyCollateral(1);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.withdrawCollateral(1, stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.borrow(1, stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.repay(1);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.depositReserve(1);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.withdrawReserve(1, stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.sweep(address(aCollateral), 1, stranger);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setPolicy(p);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setKeeper(stranger, true);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setRoute(address(swapRouter), bytes4(0x12345678), true);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setPaused(true);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.setSoftTrigger(0, 0);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        vault.transferOwnership(stranger);
        vm.stopPrank();
    }

    function test_ownershipTransfer_clearsAccessWhenAsked() public {
        vm.prank(owner);
        vault.transferOwnership(stranger);
        vm.prank(stranger);
        vault.acceptOwnership(false);
        assertEq(vault.owner(), stranger);
        assertFalse(vault.isKeeper(keeper));
        assertEq(vault.routes().length, 0);
    }

    // ---- the policy against the live threshold ----

    function test_setPolicy_triggerMustStayUnderTheLiquidationThreshold() public {
        Policy memory p = defaultPolicy();
        p.triggerLtvBps = 8250;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, "trigger must be < LLTV"));
        vault.setPolicy(p);
        p.triggerLtvBps = 8249;
        vm.prank(owner);
        vault.setPolicy(p);
    }
}
