// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice An allow-listed router that turns on the Aave vault, on both sale paths (a small sale goes direct, a
/// large one through the flash loan), sent by an honest keeper or by the router itself holding the keeper role:
/// it steals, short-pays (by one unit; on the flash path, the premium), pays in the wrong token or in collateral,
/// pulls more than approved, pulls twice, pulls the reserve. Each attack reverts and leaves the position as it was.
contract AaveVaultHostileRouterTest is AaveVaultFixture {
    HostileRouter internal router;

    function setUp() public {
        setUpAaveVault();
        router = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        vault.setKeeper(address(router), true); // the worst case: the attacker holds a keeper key too
        vm.stopPrank();
        movePrice(CRASH_PRICE);
        loanToken.mint(address(vault), 1000e6); // a reserve to steal
    }

    /// @dev What the vault requires the swap to bring for a sale of `sell` with fee 0, on the path it takes.
    function _needed(uint256 sell) internal view returns (uint256) {
        uint256 required = requiredOf(sell);
        return directPathFor(sell) ? required : required + premiumOf(required);
    }

    function _paths() internal pure returns (uint256[2] memory) {
        return [DIRECT_SELL, FLASH_SELL];
    }

    function _attack(uint256 sell, HostileRouter.Plan memory p, bytes memory err) internal {
        router.setPlan(p);
        uint256 debtBefore = debtOf(address(vault));
        uint256 reserveBefore = vault.reserve();
        // Once from the honest keeper, once from the attacker with its own keeper role.
        for (uint256 k = 0; k < 2; k++) {
            address caller = k == 0 ? keeper : address(router);
            vm.prank(caller);
            vm.expectRevert(err);
            vault.deleverage(sell, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0);
        }
        assertEq(debtOf(address(vault)), debtBefore);
        assertEq(collateralOf(address(vault)), 10e18);
        assertEq(vault.reserve(), reserveBefore);
        assertEq(collateralToken.allowance(address(vault), address(router)), 0);
    }

    function _plan(uint256 pull, address token, uint256 pay) internal pure returns (HostileRouter.Plan memory p) {
        (p.pull, p.payToken, p.pay) = (pull, token, pay);
    }

    function test_steal_reverts_onBothPaths() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            _attack(sell, _plan(sell, address(loanToken), 0),
                abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, _needed(sell)));
        }
    }

    function test_shortPayByOneUnit_reverts_onBothPaths() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            uint256 needed = _needed(sell);
            _attack(sell, _plan(sell, address(loanToken), needed - 1),
                abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, needed - 1, needed));
        }
    }

    function test_payingTheRepaymentButNotThePremium_reverts() public {
        uint256 required = requiredOf(FLASH_SELL);
        _attack(FLASH_SELL, _plan(FLASH_SELL, address(loanToken), required),
            abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, required, _needed(FLASH_SELL)));
    }

    function test_wrongTokenOrCollateral_reverts_onBothPaths() public {
        TestToken junk = new TestToken("Junk", "JNK", 6);
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            _attack(sell, _plan(sell, address(junk), _needed(sell) * 2),
                abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, _needed(sell)));
            _attack(sell, _plan(sell, address(collateralToken), sell),
                abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, _needed(sell)));
        }
    }

    function test_pullingMoreThanApproved_reverts_onBothPaths() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            _attack(sell, _plan(sell + 1, address(loanToken), _needed(sell) * 2),
                abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), sell, sell + 1));
        }
    }

    function test_pullingTwiceOrTheReserve_reverts_onBothPaths() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            HostileRouter.Plan memory p = _plan(sell, address(loanToken), _needed(sell) * 2);
            (p.extraPullToken, p.extraPull, p.bubble) = (address(collateralToken), 1, true);
            _attack(sell, p, abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1));
            (p.extraPullToken, p.extraPull) = (address(loanToken), 1000e6);
            _attack(sell, p, abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1000e6));
        }
    }

    function test_pullingAnAaveToken_reverts() public {
        HostileRouter.Plan memory p = _plan(FLASH_SELL, address(loanToken), _needed(FLASH_SELL) * 2);
        (p.extraPullToken, p.extraPull, p.bubble) = (address(aCollateral), 1e18, true);
        router.setPlan(p);
        vm.prank(keeper);
        vm.expectRevert(); // the aToken's own allowance check: the vault never approves its aTokens
        vault.deleverage(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0);
    }

    function test_anHonestButOddFill_leavesNoAllowance_onBothPaths() public {
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = _paths()[i];
            uint256 snap = vm.snapshotState();
            router.setPlan(_plan(sell / 2, address(loanToken), _needed(sell)));
            vm.prank(address(router));
            vault.deleverage(sell, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0);
            assertEq(collateralToken.allowance(address(vault), address(router)), 0);
            assertEq(collateralOf(address(vault)), 10e18 - sell / 2, "what the router left went back to Aave");
            assertEq(collateralToken.balanceOf(address(vault)), 0);
            assertEq(loanToken.balanceOf(address(router)), 0, "the attacker kept nothing");
            vm.revertToState(snap);
        }
    }

    function test_keeperRoleRouter_feeAboveTheCap_reverts() public {
        uint256 required = requiredOf(FLASH_SELL);
        uint256 maxFee = required * 50 / 10_000;
        router.setPlan(_plan(FLASH_SELL, address(loanToken), _needed(FLASH_SELL) * 2));
        vm.prank(address(router));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, maxFee + 1, maxFee));
        vault.deleverage(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, maxFee + 1);
    }
}
