// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveMarket} from "../utils/AaveMarket.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {AaveVaultFactory} from "../../src/AaveVaultFactory.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice The Aave vault factory: creation and listing as `VaultFactory` lists Morpho vaults, one adapter per
/// (oracle, pair) reused, one market id per (pool, pair, e-mode), and every reserve it refuses (inactive, paused,
/// frozen, not collateral, isolation mode, not borrowable, no flash loans, siloed, the same asset twice) and every
/// e-mode category (none, own price source, loan asset outside it).
contract AaveVaultFactoryTest is AaveMarket {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        deployAaveMarket(defaultConfig(), defaultAaveConfig());
    }

    function _create(address who, uint8 category) internal returns (AaveVault v) {
        vm.prank(who);
        v = aaveFactory.createVault(address(collateralToken), address(loanToken), category);
    }

    function test_createVault_listsItAndInitialisesIt() public {
        bytes32 id = keccak256(abi.encode(address(aavePool), address(loanToken), address(collateralToken), uint8(0)));
        vm.expectEmit(false, true, true, false, address(aaveFactory));
        emit AaveVaultFactory.VaultCreated(address(0), alice, id);
        AaveVault a = _create(alice, 0);
        AaveVault b = _create(bob, 0);
        AaveVault a2 = _create(alice, 0);
        assertEq(a.owner(), alice);
        assertEq(aaveFactory.vaultCount(), 3);
        address[] memory all = aaveFactory.vaults(0, 10);
        assertEq(all.length, 3);
        assertEq(all[1], address(b));
        assertEq(aaveFactory.vaults(2, type(uint256).max)[0], address(a2), "start + count does not overflow");
        assertEq(aaveFactory.vaults(3, 1).length, 0);
        assertEq(aaveFactory.vaultsOf(alice).length, 2);
        assertTrue(aaveFactory.isVault(address(a)));
        assertFalse(aaveFactory.isVault(alice));
        assertEq(aaveFactory.marketOf(address(a)), id);
        assertEq(aaveFactory.marketOf(address(b)), id, "one id per (pool, pair, e-mode)");
        assertEq(a.marketParams().oracle, b.marketParams().oracle, "one adapter, reused");
        assertEq(aaveFactory.adapterOf(address(collateralToken), address(loanToken)), a.marketParams().oracle);
        assertEq(aaveFactory.pool(), address(aavePool));
        assertEq(loanToken.allowance(address(a), address(aavePool)), type(uint256).max);
        assertEq(collateralToken.allowance(address(a), address(aavePool)), type(uint256).max);
    }

    function test_createVault_inEMode_entersIt_andHasItsOwnId() public {
        _addCategory(1, address(0));
        AaveVault v = _create(alice, 1);
        assertEq(aavePool.getUserEMode(address(v)), 1);
        assertTrue(aaveFactory.marketOf(address(v)) != aaveFactory.marketOf(address(_create(bob, 0))));
    }

    function test_refusesReservesItCannotServe() public {
        TestToken other = new TestToken("Other", "OTH", 18);
        _expectRefused(address(other), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(other), "not an active reserve"));
        _expectRefused(address(loanToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(loanToken), "collateral and loan are the same asset"));
        _expectRefused(address(loanToken), address(collateralToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(loanToken), "not collateral"));

        vm.startPrank(deployer);
        aaveConfigurator.configureReserveAsCollateral(address(loanToken), 8000, 8500, 10_500);
        vm.stopPrank();
        _expectRefused(address(loanToken), address(collateralToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(collateralToken), "borrowing disabled"));

        vm.prank(deployer);
        aaveConfigurator.setReserveFlashLoaning(address(loanToken), false);
        _expectRefused(address(collateralToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(loanToken), "flash loans disabled"));
        vm.prank(deployer);
        aaveConfigurator.setReserveFlashLoaning(address(loanToken), true);

        vm.prank(deployer);
        aaveConfigurator.setSiloedBorrowing(address(loanToken), true);
        _expectRefused(address(collateralToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(loanToken), "siloed borrowing"));
        vm.prank(deployer);
        aaveConfigurator.setSiloedBorrowing(address(loanToken), false);

        vm.prank(deployer);
        aaveConfigurator.setDebtCeiling(address(collateralToken), 1_000_000_00);
        _expectRefused(address(collateralToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(collateralToken), "isolation mode"));
        vm.prank(deployer);
        aaveConfigurator.setDebtCeiling(address(collateralToken), 0);

        vm.prank(deployer);
        aaveConfigurator.setReserveFreeze(address(collateralToken), true);
        _expectRefused(address(collateralToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(collateralToken), "frozen"));
        vm.prank(deployer);
        aaveConfigurator.setReserveFreeze(address(collateralToken), false);

        vm.prank(deployer);
        aaveConfigurator.setReservePause(address(loanToken), true);
        _expectRefused(address(collateralToken), address(loanToken), abi.encodeWithSelector(AaveVaultFactory.UnsupportedReserve.selector, address(loanToken), "paused"));
        vm.prank(deployer);
        aaveConfigurator.setReservePause(address(loanToken), false);

        _create(alice, 0); // and with everything back, it works
    }

    function test_refusesEModeCategoriesItCannotServe() public {
        _expectRefusedEMode(7, abi.encodeWithSelector(AaveVaultFactory.UnsupportedEMode.selector, uint8(7), "no such category"));
        _addCategory(2, address(feed));
        _expectRefusedEMode(2, abi.encodeWithSelector(AaveVaultFactory.UnsupportedEMode.selector, uint8(2), "category has its own price source"));
        vm.startPrank(deployer);
        aaveConfigurator.setEModeCategory(3, 9000, 9300, 10_200, address(0), "collateral only");
        aaveConfigurator.setAssetEModeCategory(address(collateralToken), 3);
        vm.stopPrank();
        _expectRefusedEMode(3, abi.encodeWithSelector(AaveVaultFactory.UnsupportedEMode.selector, uint8(3), "loan asset not in category"));
    }

    function _addCategory(uint8 id, address priceSource) internal {
        vm.startPrank(deployer);
        aaveConfigurator.setEModeCategory(id, 9000, 9300, 10_200, priceSource, "cat");
        aaveConfigurator.setAssetEModeCategory(address(collateralToken), id);
        aaveConfigurator.setAssetEModeCategory(address(loanToken), id);
        vm.stopPrank();
    }

    function _expectRefused(address collateral, address loan, bytes memory err) internal {
        vm.prank(alice);
        vm.expectRevert(err);
        aaveFactory.createVault(collateral, loan, 0);
    }

    function _expectRefusedEMode(uint8 category, bytes memory err) internal {
        vm.prank(alice);
        vm.expectRevert(err);
        aaveFactory.createVault(address(collateralToken), address(loanToken), category);
    }
}
