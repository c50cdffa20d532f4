// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {IAavePool} from "../../src/interfaces/IAaveV3.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";

/// @notice An Aave vault in e-mode: it enters the category at creation, its liquidation LTV is the category's
/// threshold (93%) while the collateral belongs to the category and the collateral's own (82.5%) once it leaves,
/// the owner's trigger may use the room e-mode gives, and both sale paths work at e-mode leverage.
contract AaveVaultEModeTest is AaveVaultFixture {
    uint8 internal constant CATEGORY = 1;

    function setUp() public {
        // 86% LTV: only possible in e-mode (LTV 90%, threshold 93%).
        setUpAaveVault(defaultConfig(), defaultAaveConfig(), 10e18, 8600, CATEGORY);
    }

    function _eModePolicy() internal pure returns (Policy memory p) {
        p = Policy({
            triggerLtvBps: 9000,
            targetLtvBps: 8500,
            bandBps: 500,
            maxSlippageBps: 100,
            maxFeeBps: 50,
            maxSellBps: 10_000,
            cooldown: 0,
            maxGasPrice: 1000 gwei
        });
    }

    function test_theVaultIsInTheCategory_andItsLltvIsTheCategorys() public view {
        assertEq(vault.eModeCategory(), CATEGORY);
        assertEq(aavePool.getUserEMode(address(vault)), CATEGORY);
        assertEq(vault.marketParams().lltv, 0.93e18);
        assertEq(vault.marketId(), keccak256(abi.encode(address(aavePool), address(loanToken), address(collateralToken), CATEGORY)));
        assertEq(aaveFactory.marketOf(address(vault)), vault.marketId());
    }

    function test_theTriggerMayUseTheRoomEModeGives() public {
        setPolicy(_eModePolicy());
        Policy memory p = _eModePolicy();
        p.triggerLtvBps = 9300;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, "trigger must be < LLTV"));
        vault.setPolicy(p);
    }

    function test_collateralLeavingTheCategory_fallsBackToItsOwnThreshold() public {
        vm.prank(deployer);
        aaveConfigurator.setAssetEModeCategory(address(collateralToken), 0);
        assertEq(vault.marketParams().lltv, 0.825e18);
    }

    function _crash() internal {
        setPolicy(_eModePolicy());
        movePrice(2840e8); // 86% -> 90.8%: over the trigger, HF 1.024
        assertGe(ltvOf(address(vault)), 0.9e18);
        assertGe(healthFactorOf(address(vault)), 1e18);
    }

    function test_deleverage_atEModeLeverage_direct() public {
        _crash();
        // 1.5% of the collateral: lowers LTV by over 0.1 point, and HF stays >= 1 at 93% after the withdrawal.
        uint256 small = 0.15e18;
        vm.expectCall(address(aavePool), abi.encodeWithSelector(IAavePool.flashLoanSimple.selector), 0);
        vm.prank(keeper);
        (uint256 repaid,) =
            vault.deleverage(small, address(swapRouter), v3SellCalldata(address(vault), small, 0), 0, block.timestamp, 0);
        assertGt(repaid, 0);
        assertEq(collateralOf(address(vault)), 10e18 - small);
    }

    function test_deleverage_atEModeLeverage_flash() public {
        _crash();
        vm.expectCall(address(aavePool), abi.encodeWithSelector(IAavePool.flashLoanSimple.selector), 1);
        vm.prank(keeper);
        vault.deleverage(2e18, address(swapRouter), v3SellCalldata(address(vault), 2e18, 0), 0, block.timestamp, 0);
        assertLt(ltvOf(address(vault)), 0.9e18);
        assertGe(healthFactorOf(address(vault)), 1e18);
    }
}
