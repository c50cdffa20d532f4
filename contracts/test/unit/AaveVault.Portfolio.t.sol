// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Id} from "@morpho-blue/interfaces/IMorpho.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {IVaultPortfolio} from "../../src/interfaces/IVaultPortfolio.sol";

/// @notice The portfolio functions on the Aave vault: collateral moves between one owner's Aave and Morpho vaults on
/// the same collateral token, both ways (the hooks supply to and withdraw from the Aave pool), and a top-up that
/// draws its shortfall from the owner's shared reserve. The Morpho vault is on the local market beside the pool,
/// priced by the same feed.
contract AaveVaultPortfolioTest is AaveVaultFixture {
    uint256 internal constant MOVE = 2e18;
    uint256 internal constant LIMIT = 5_000e6;
    uint256 internal constant RESERVE_FUNDS = 20_000e6;
    uint256 internal constant AMOUNT = 2_000e6;
    uint256 internal constant FEE = 10e6; // the 0.5% cap of 2,000

    UnwindVault internal morphoVault;

    function pf(address v) internal pure returns (IVaultPortfolio) {
        return IVaultPortfolio(v);
    }

    function morphoCollateralOf(address v) internal view returns (uint256) {
        return morpho.position(Id.wrap(morphoVault.marketId()), v).collateral;
    }

    function morphoBorrowSharesOf(address v) internal view returns (uint256) {
        return morpho.position(Id.wrap(morphoVault.marketId()), v).borrowShares;
    }

    /// @dev The Aave vault at `aaveLtvBps`, the owner's Morpho vault at `morphoLtvBps`, both with 10 collateral,
    /// the default policy and the keeper, listing each other, half their collateral per move.
    function _setUpPair(uint256 aaveLtvBps, uint256 morphoLtvBps) internal {
        setUpAaveVault(defaultConfig(), defaultAaveConfig(), 10e18, aaveLtvBps, 0);
        morphoVault = openVault(owner, 10e18, morphoLtvBps);
        vm.startPrank(owner);
        morphoVault.setPolicy(defaultPolicy());
        morphoVault.setKeeper(keeper, true);
        pf(address(vault)).setMovePeer(address(morphoVault), true);
        pf(address(morphoVault)).setMovePeer(address(vault), true);
        pf(address(vault)).setMoveCap(5000);
        pf(address(morphoVault)).setMoveCap(5000);
        vm.stopPrank();
        movePrice(CRASH_PRICE);
    }

    function test_move_morphoToAave() public {
        _setUpPair(7500, 4000); // after the crash: Aave 80.9%, over its trigger; Morpho about 43%
        uint256 aaveLtvBefore = ltvOf(address(vault));
        assertGe(aaveLtvBefore, bps(8000));
        uint256 aaveDebt = debtOf(address(vault));
        uint256 morphoShares = morphoBorrowSharesOf(address(morphoVault));

        vm.expectEmit(false, false, false, false, address(vault));
        emit IUnwindVault.CollateralReceived(address(morphoVault), MOVE, 0, 0);
        vm.expectEmit(false, false, false, false, address(morphoVault));
        emit IUnwindVault.CollateralMoved(keeper, address(vault), MOVE, 0, 0);
        vm.prank(keeper);
        pf(address(morphoVault)).moveCollateral(address(vault), MOVE, block.timestamp);

        // The aToken's balance may round by a unit (rayDiv of the scaled amount).
        assertApproxEqAbs(collateralOf(address(vault)), 10e18 + MOVE, 1);
        assertEq(morphoCollateralOf(address(morphoVault)), 10e18 - MOVE);
        assertEq(debtOf(address(vault)), aaveDebt, "the Aave debt did not move");
        assertEq(morphoBorrowSharesOf(address(morphoVault)), morphoShares, "the Morpho debt did not move");
        assertLt(ltvOf(address(vault)), aaveLtvBefore);
        assertEq(collateralToken.balanceOf(address(vault)), 0, "nothing loose on the destination");
        assertEq(collateralToken.balanceOf(address(morphoVault)), 0, "nothing loose on the source");
        assertEq(collateralToken.allowance(address(morphoVault), address(vault)), 0);
    }

    function test_move_aaveToMorpho() public {
        _setUpPair(4000, 7500); // after the crash: Aave about 43%; Morpho 80.9%, over its trigger
        uint256 morphoCollBefore = morphoCollateralOf(address(morphoVault));
        uint256 aaveDebt = debtOf(address(vault));
        uint256 morphoShares = morphoBorrowSharesOf(address(morphoVault));
        uint256 aaveCollBefore = collateralOf(address(vault));

        vm.prank(keeper);
        pf(address(vault)).moveCollateral(address(morphoVault), MOVE, block.timestamp);

        assertEq(morphoCollateralOf(address(morphoVault)), morphoCollBefore + MOVE);
        assertApproxEqAbs(collateralOf(address(vault)), aaveCollBefore - MOVE, 1);
        assertEq(debtOf(address(vault)), aaveDebt, "the Aave debt did not move");
        assertEq(morphoBorrowSharesOf(address(morphoVault)), morphoShares, "the Morpho debt did not move");
        assertLt(ltvOf(address(vault)), bps(8000), "the source stays under its trigger");
        assertEq(collateralToken.balanceOf(address(vault)), 0, "nothing loose on the source");
        assertEq(collateralToken.allowance(address(vault), address(morphoVault)), 0);
    }

    function test_move_aaveSourceRevertsOverTheCap() public {
        _setUpPair(4000, 7500);
        uint256 max = collateralOf(address(vault)) * 5000 / 10_000;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.MoveTooLarge.selector, max + 1, max));
        pf(address(vault)).moveCollateral(address(morphoVault), max + 1, block.timestamp);
    }

    function test_move_toAnAaveVaultUnderItsTriggerIsRefused() public {
        _setUpPair(4000, 4000); // neither needs collateral
        vm.prank(keeper);
        vm.expectPartialRevert(IUnwindVault.BelowTrigger.selector);
        pf(address(morphoVault)).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_portfolioHooks_onlyTheVaultItself() public {
        setUpAaveVault();
        vm.prank(owner);
        vm.expectRevert(IUnwindVault.NotSelf.selector);
        vault.portfolioWithdrawCollateral(1);
        vm.prank(owner);
        vm.expectRevert(IUnwindVault.NotSelf.selector);
        vault.portfolioSupplyCollateral(1);
    }

    function test_topUp_drawsTheShortfallFromTheSharedReserve() public {
        setUpAaveVault();
        vm.startPrank(owner);
        SharedReserve reserve = new SharedReserve(owner);
        reserve.setLimit(address(vault), address(loanToken), LIMIT);
        pf(address(vault)).setSharedReserve(address(reserve));
        vm.stopPrank();
        loanToken.mint(address(reserve), RESERVE_FUNDS);
        loanToken.mint(address(vault), 500e6);
        movePrice(CRASH_PRICE); // 80.9%
        assertEq(pf(address(vault)).topUpAvailable(), 500e6 + LIMIT);
        uint256 debtBefore = debtOf(address(vault));
        uint256 shortfall = AMOUNT + FEE - 500e6;

        vm.expectEmit(address(reserve));
        emit SharedReserve.Drawn(address(vault), address(loanToken), shortfall, LIMIT - shortfall);
        vm.prank(keeper);
        uint256 repaid = vault.topUp(AMOUNT, block.timestamp, FEE);

        assertEq(repaid, AMOUNT);
        assertEq(vault.reserve(), 0, "the own reserve went first, all of it");
        assertEq(loanToken.balanceOf(address(reserve)), RESERVE_FUNDS - shortfall);
        assertEq(reserve.limit(address(vault), address(loanToken)), LIMIT - shortfall);
        assertEq(loanToken.balanceOf(keeper), FEE);
        assertApproxEqAbs(debtOf(address(vault)), debtBefore - AMOUNT, 1);
        assertLt(ltvOf(address(vault)), bps(8000));
    }

    function test_topUp_beyondOwnPlusSharedIsRefused() public {
        setUpAaveVault();
        vm.startPrank(owner);
        SharedReserve reserve = new SharedReserve(owner);
        reserve.setLimit(address(vault), address(loanToken), 1_000e6);
        pf(address(vault)).setSharedReserve(address(reserve));
        vm.stopPrank();
        loanToken.mint(address(reserve), RESERVE_FUNDS);
        movePrice(CRASH_PRICE);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientReserve.selector, 1_000e6, AMOUNT + FEE));
        vault.topUp(AMOUNT, block.timestamp, FEE);
    }
}
