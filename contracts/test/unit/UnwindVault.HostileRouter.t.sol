// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice An allow-listed router that turns on the vault: it steals, short-pays, pays in the wrong token,
/// pulls more than approved, or takes only part of what it was approved. The vault judges the swap by
/// its own balances, so each attack reverts, and an honest-but-odd fill leaves no allowance behind.
contract UnwindVaultHostileRouterTest is VaultFixture {
    uint256 internal constant SELL = 2e18;
    HostileRouter internal router;

    function setUp() public {
        setUpVault();
        router = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        movePrice(CRASH_PRICE);
    }

    function test_steal_reverts() public {
        _plan(SELL, address(loanToken), 0);
        _expectRevertDeleverage(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, floorOf(SELL)));
    }

    function test_shortPayByOneUnit_reverts() public {
        uint256 floor = floorOf(SELL);
        _plan(SELL, address(loanToken), floor - 1);
        _expectRevertDeleverage(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, floor - 1, floor));
    }

    function test_shortPayAgainstTheKeepersMinimum_reverts() public {
        uint256 floor = floorOf(SELL);
        _plan(SELL, address(loanToken), floor + 10);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, floor + 10, floor + 11));
        vault.deleverage(SELL, address(router), _swapData(), floor + 11, block.timestamp, 0);
    }

    function test_payingTheFloorButNotTheFee_reverts() public {
        uint256 floor = floorOf(SELL);
        _plan(SELL, address(loanToken), floor);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, floor, floor + 1));
        vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 1);
    }

    function test_payingInAnotherToken_reverts() public {
        TestToken junk = new TestToken("Junk", "JNK", 6);
        _plan(SELL, address(junk), floorOf(SELL) * 2);
        _expectRevertDeleverage(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, floorOf(SELL)));
    }

    function test_payingBackInCollateral_reverts() public {
        _plan(SELL, address(collateralToken), SELL);
        _expectRevertDeleverage(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, 0, floorOf(SELL)));
    }

    function test_pullingMoreThanApproved_reverts() public {
        _plan(SELL + 1, address(loanToken), floorOf(SELL) * 2);
        _expectRevertDeleverage(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), SELL, SELL + 1)
        );
    }

    function test_pullingTwice_reverts() public {
        HostileRouter.Plan memory p = _basePlan(SELL, address(loanToken), floorOf(SELL) * 2);
        (p.extraPullToken, p.extraPull, p.bubble) = (address(collateralToken), 1, true);
        router.setPlan(p);
        _expectRevertDeleverage(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1)
        );
    }

    function test_pullingTheReserve_reverts() public {
        loanToken.mint(address(vault), 1000e6);
        HostileRouter.Plan memory p = _basePlan(SELL, address(loanToken), floorOf(SELL));
        (p.extraPullToken, p.extraPull, p.bubble) = (address(loanToken), 1000e6, true);
        router.setPlan(p);
        _expectRevertDeleverage(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(router), 0, 1000e6)
        );
        assertEq(vault.reserve(), 1000e6);
    }

    function test_payingExactlyTheFloor_succeedsAndLeavesNoSurplus() public {
        uint256 floor = floorOf(SELL);
        uint256 debtAfter = debtAfterRepay(address(vault), floor);
        _plan(SELL, address(loanToken), floor);
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 0);
        assertEq(repaid, floor);
        assertEq(proceeds, floor);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(collateralToken.balanceOf(address(router)), SELL);
        assertEq(vault.reserve(), 0);
        assertEq(collateralToken.allowance(address(vault), address(router)), 0);
    }

    function test_takingHalf_resuppliesTheRestAndResetsTheAllowance() public {
        uint256 floor = floorOf(SELL);
        _plan(SELL / 2, address(loanToken), floor);
        vm.prank(keeper);
        vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 0);
        assertEq(collateralToken.balanceOf(address(router)), SELL / 2);
        assertEq(collateralOf(address(vault)), 10e18 - SELL / 2, "unsold collateral goes back to the market");
        assertEq(collateralToken.balanceOf(address(vault)), 0);
        assertEq(collateralToken.allowance(address(vault), address(router)), 0, "unused allowance is revoked");
    }

    function test_takingNothing_resuppliesEverything() public {
        uint256 sell = 1e18;
        _plan(0, address(loanToken), floorOf(sell));
        vm.prank(keeper);
        vault.deleverage(sell, address(router), _swapData(), 0, block.timestamp, 0);
        assertEq(collateralOf(address(vault)), 10e18);
        assertEq(collateralToken.allowance(address(vault), address(router)), 0);
    }

    function test_strayCollateralInTheVaultIsNotSupplied() public {
        collateralToken.mint(address(vault), 3e18); // someone's mistaken transfer: the owner sweeps it, not the keeper
        _plan(SELL, address(loanToken), floorOf(SELL));
        vm.prank(keeper);
        vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 0);
        assertEq(collateralOf(address(vault)), 10e18 - SELL);
        assertEq(collateralToken.balanceOf(address(vault)), 3e18);
    }

    function test_aRouterRevertBubblesUp() public {
        router.setPlan(_basePlan(SELL, address(loanToken), 0));
        vm.prank(owner);
        vault.setRoute(address(router), HostileRouter.exec.selector, true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(HostileRouter.NotController.selector));
        vault.deleverage(
            SELL, address(router), abi.encodeCall(HostileRouter.exec, (address(0), "")), 0, block.timestamp, 0
        );
    }

    // ---- helpers ----

    function _basePlan(uint256 pull, address payToken, uint256 pay)
        internal
        pure
        returns (HostileRouter.Plan memory p)
    {
        p.pull = pull;
        p.payToken = payToken;
        p.pay = pay;
    }

    function _plan(uint256 pull, address payToken, uint256 pay) internal {
        router.setPlan(_basePlan(pull, payToken, pay));
    }

    function _swapData() internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (SELL, 0));
    }

    function _expectRevertDeleverage(bytes memory err) internal {
        uint256 debtBefore = debtOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(err);
        vault.deleverage(SELL, address(router), _swapData(), 0, block.timestamp, 0);
        assertEq(debtOf(address(vault)), debtBefore);
        assertEq(collateralOf(address(vault)), 10e18);
        assertEq(collateralToken.balanceOf(address(router)), 0);
    }
}
