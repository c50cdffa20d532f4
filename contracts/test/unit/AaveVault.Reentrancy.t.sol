// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {VaultCore} from "../../src/VaultCore.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {IAavePool} from "../../src/interfaces/IAaveV3.sol";

/// @notice `executeOperation` only from the pool, only for a flash loan this vault started, only inside its own
/// deleverage, and only once; fake callers and fake initiators (a stranger's `flashLoanSimple` naming the vault as
/// receiver, before or during a sale) are refused; every entry point refuses re-entry from a router, even from the
/// owner's own wallet acting as router.
contract AaveVaultReentrancyTest is AaveVaultFixture {
    bytes internal GUARD = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    HostileRouter internal router;

    function setUp() public {
        setUpAaveVault();
        router = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        vault.setKeeper(address(router), true);
        vm.stopPrank();
        movePrice(CRASH_PRICE);
    }

    function _flashParams() internal view returns (bytes memory) {
        return abi.encode(
            AaveVault.FlashSale(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, 0, false)
        );
    }

    // ---- executeOperation ----

    function test_executeOperation_refusesAnyoneButThePool() public {
        vm.prank(stranger);
        vm.expectRevert(AaveVault.NotPool.selector);
        vault.executeOperation(address(loanToken), 1000e6, 1e6, address(vault), _flashParams());
    }

    function test_executeOperation_refusesThePoolOutsideADeleverage() public {
        vm.prank(address(aavePool));
        vm.expectRevert(IUnwindVault.UnexpectedCallback.selector);
        vault.executeOperation(address(loanToken), 1000e6, 1e6, address(vault), _flashParams());
        assertEq(collateralOf(address(vault)), 10e18);
    }

    function test_aStrangersFlashLoanToTheVault_isRefused() public {
        // The pool calls the vault with initiator = the stranger: refused, so the stranger's loan reverts.
        loanToken.mint(stranger, 10e6);
        vm.startPrank(stranger);
        loanToken.approve(address(aavePool), 10e6);
        vm.expectRevert(IUnwindVault.UnexpectedCallback.selector);
        aavePool.flashLoanSimple(address(vault), address(loanToken), 1000e6, _flashParams(), 0);
        vm.stopPrank();
        assertEq(collateralOf(address(vault)), 10e18);
        assertEq(debtOf(address(vault)), 22_500e6);
    }

    function test_routerCannotStartAFlashLoanToTheVaultMidSale_onEitherPath() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = i == 0 ? DIRECT_SELL : FLASH_SELL;
            bytes memory data = abi.encodeCall(IAavePool.flashLoanSimple, (address(vault), address(loanToken), 1000e6, _flashParams(), 0));
            _reenterAndExpect(sell, address(aavePool), data, abi.encodeWithSelector(IUnwindVault.UnexpectedCallback.selector));
        }
    }

    function test_routerCannotCallTheCallbackMidSale() public {
        bytes memory data = abi.encodeCall(AaveVault.executeOperation, (address(loanToken), 1000e6, 0, address(vault), _flashParams()));
        _reenterAndExpect(FLASH_SELL, address(vault), data, abi.encodeWithSelector(AaveVault.NotPool.selector));
        _reenterAndExpect(DIRECT_SELL, address(vault), data, abi.encodeWithSelector(AaveVault.NotPool.selector));
    }

    function test_routerCannotLiquidateTheVaultMidDirectSale() public {
        // On the direct path the withdrawal left HF >= 1 (with margin): Aave refuses the liquidation.
        loanToken.mint(address(router), 10_000e6);
        vm.prank(address(router));
        loanToken.approve(address(aavePool), type(uint256).max);
        bytes memory data = abi.encodeCall(
            IAavePool.liquidationCall, (address(collateralToken), address(loanToken), address(vault), 1000e6, false)
        );
        _reenterAndExpect(DIRECT_SELL, address(aavePool), data, bytes("45"));
    }

    // ---- keeper and owner entry points, re-entered ----

    function test_routerCannotReenterDeleverageOrTopUp() public {
        loanToken.mint(address(vault), 5000e6);
        bytes memory again = abi.encodeCall(
            IUnwindVault.deleverage, (FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0)
        );
        _reenterAndExpect(FLASH_SELL, address(vault), again, GUARD);
        _reenterAndExpect(DIRECT_SELL, address(vault), again, GUARD);
        _reenterAndExpect(FLASH_SELL, address(vault), abi.encodeCall(IUnwindVault.topUp, (1000e6, block.timestamp, 0)), GUARD);
    }

    function test_ownerWalletCannotReenterAnyEntryPoint() public {
        HostileRouter wallet = _walletOwnedVault();
        bytes[] memory calls = _ownerCalls(address(wallet));
        for (uint256 i = 0; i < calls.length; i++) {
            _reenterAndExpect(FLASH_SELL, address(vault), calls[i], GUARD);
        }
    }

    // ---- helpers ----

    function _needed(uint256 sell) internal view returns (uint256) {
        uint256 required = requiredOf(sell);
        return directPathFor(sell) ? required : required + premiumOf(required);
    }

    /// @dev The vault's router (or the owner's wallet, when it owns the vault) calls `target` with `data` mid-swap
    /// and bubbles the failure: the whole deleverage must revert with exactly `err`, the position untouched.
    function _reenterAndExpect(uint256 sell, address target, bytes memory data, bytes memory err) internal {
        HostileRouter r = vault.owner() == owner ? router : HostileRouter(vault.owner());
        HostileRouter.Plan memory p;
        (p.pull, p.payToken, p.pay) = (sell, address(loanToken), _needed(sell) * 2);
        (p.reenterTarget, p.reenterData, p.bubble) = (target, data, true);
        vm.prank(r.controller());
        r.setPlan(p);
        uint256 debtBefore = debtOf(address(vault));
        uint256 collBefore = collateralOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(err);
        vault.deleverage(sell, address(r), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0);
        assertEq(debtOf(address(vault)), debtBefore);
        assertEq(collateralOf(address(vault)), collBefore);
    }

    /// @dev Hands the fixture's vault to a contract wallet that is also an allow-listed router.
    function _walletOwnedVault() internal returns (HostileRouter wallet) {
        wallet = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        vault.setRoute(address(wallet), HostileRouter.swap.selector, true);
        vault.transferOwnership(address(wallet));
        vm.stopPrank();
        wallet.exec(address(vault), abi.encodeCall(VaultCore.acceptOwnership, (true)));
        collateralToken.mint(address(wallet), 1e18);
        loanToken.mint(address(wallet), 1000e6);
        wallet.exec(address(collateralToken), abi.encodeCall(IERC20.approve, (address(vault), type(uint256).max)));
        wallet.exec(address(loanToken), abi.encodeCall(IERC20.approve, (address(vault), type(uint256).max)));
        loanToken.mint(address(vault), 1000e6);
    }

    function _ownerCalls(address w) internal view returns (bytes[] memory c) {
        Policy memory p = defaultPolicy();
        p.maxSlippageBps = 1000;
        c = new bytes[](15);
        c[0] = abi.encodeCall(AaveVault.supplyCollateral, (1));
        c[1] = abi.encodeCall(AaveVault.withdrawCollateral, (1, w));
        c[2] = abi.encodeCall(AaveVault.borrow, (1, w));
        c[3] = abi.encodeCall(AaveVault.repay, (1));
        c[4] = abi.encodeCall(VaultCore.depositReserve, (1));
        c[5] = abi.encodeCall(VaultCore.withdrawReserve, (1, w));
        c[6] = abi.encodeCall(VaultCore.sweep, (address(loanToken), 1, w));
        c[7] = abi.encodeCall(VaultCore.setPolicy, (p));
        c[8] = abi.encodeCall(VaultCore.setKeeper, (stranger, true));
        c[9] = abi.encodeCall(VaultCore.setRoute, (address(swapRouter), ISwapRouter.exactInputSingle.selector, true));
        c[10] = abi.encodeCall(VaultCore.setPaused, (true));
        c[11] = abi.encodeCall(VaultCore.transferOwnership, (stranger));
        c[12] = abi.encodeCall(VaultCore.acceptOwnership, (true));
        c[13] = abi.encodeCall(VaultCore.topUp, (1, block.timestamp, 0));
        c[14] = abi.encodeCall(
            VaultCore.deleverage, (1, w, abi.encodeCall(HostileRouter.swap, (1, 0)), 0, block.timestamp, 0)
        );
    }
}
