// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {HedgeFixture} from "../utils/HedgeFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindHedge} from "../../src/UnwindHedge.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice An allow-listed router that turns on the hedge, in both directions (selling the borrowed asset on an
/// open, buying it back on a close): it steals, short-pays, pays in another token, pulls more than approved, re-enters
/// the hedge, or, being a keeper too, reads the vault halfway through the vault's own sale. The hedge judges every
/// swap by its own balances at the vault's price, so each attack reverts and leaves no allowance behind.
contract UnwindHedgeHostileRouterTest is HedgeFixture {
    uint256 internal constant SHORT = 2e18;
    HostileRouter internal seller; // takes the asset (open)
    HostileRouter internal buyer; // takes the loan token (close)

    function setUp() public {
        setUpHedge();
        seller = new HostileRouter(address(collateralToken));
        buyer = new HostileRouter(address(loanToken));
        vm.startPrank(owner);
        vault.setRoute(address(seller), HostileRouter.swap.selector, true);
        vault.setRoute(address(buyer), HostileRouter.swap.selector, true);
        vm.stopPrank();
    }

    // ---- open ----

    function test_open_aRouterThatStealsReverts() public {
        _plan(seller, SHORT, address(loanToken), 0);
        _expectOpenReverts(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, 0, _openFloor(SHORT)));
    }

    function test_open_payingOneUnitUnderTheFloorReverts() public {
        uint256 floor = _openFloor(SHORT);
        _plan(seller, SHORT, address(loanToken), floor - 1);
        _expectOpenReverts(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, floor - 1, floor));
    }

    function test_open_payingInAnotherTokenReverts() public {
        TestToken junk = new TestToken("Junk", "JNK", 6);
        _plan(seller, SHORT, address(junk), _openFloor(SHORT) * 2);
        _expectOpenReverts(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, 0, _openFloor(SHORT)));
    }

    function test_open_payingExactlyTheFloorSucceedsAndTheOwnerLosesAtMostTheSlippage() public {
        uint256 floor = _openFloor(SHORT);
        _plan(seller, SHORT, address(loanToken), floor);
        int256 before = ownerEquity();
        vm.prank(keeper);
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
        uint256 value = LtvMath.collateralValue(SHORT, oraclePrice());
        assertGe(ownerEquity(), before - int256(value * 100 / 10_000) - 1);
        assertEq(collateralToken.allowance(address(hedge), address(seller)), 0);
    }

    function test_open_takingHalfRepaysTheRestAndIsJudgedOnWhatItTook() public {
        uint256 half = SHORT / 2;
        _plan(seller, half, address(loanToken), _openFloor(half));
        vm.prank(keeper);
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
        (, uint256 debt, uint256 held) = hedge.position();
        assertEq(debt, half);
        assertEq(held, 0);
        assertEq(collateralToken.allowance(address(hedge), address(seller)), 0);
    }

    function test_open_aRouterThatTakesNothingIsNoOpen() public {
        _plan(seller, 0, address(loanToken), 0);
        _expectOpenReverts(abi.encodeWithSelector(UnwindHedge.NothingSold.selector));
        assertEq(hedge.lastActionAt(), 0, "no cooldown started");
    }

    function test_open_pullingMoreThanApprovedFails() public {
        HostileRouter.Plan memory p = _base(SHORT, address(loanToken), _openFloor(SHORT));
        p.extraPullToken = address(collateralToken);
        p.extraPull = 1;
        p.bubble = true;
        seller.setPlan(p);
        vm.prank(keeper);
        vm.expectPartialRevert(bytes4(keccak256("ERC20InsufficientAllowance(address,uint256,uint256)")));
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
    }

    function test_open_pullingTheHedgesLoanTokenFails() public {
        HostileRouter.Plan memory p = _base(SHORT, address(loanToken), _openFloor(SHORT));
        p.extraPullToken = address(loanToken);
        p.extraPull = 1;
        p.bubble = true;
        seller.setPlan(p);
        vm.prank(keeper);
        vm.expectPartialRevert(bytes4(keccak256("ERC20InsufficientAllowance(address,uint256,uint256)")));
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
    }

    function test_open_reEnteringTheHedgeFails() public {
        vm.prank(owner);
        vault.setKeeper(address(seller), true); // the router is a keeper too
        HostileRouter.Plan memory p = _base(SHORT, address(loanToken), _openFloor(SHORT));
        p.reenterTarget = address(hedge);
        p.reenterData = abi.encodeCall(UnwindHedge.releaseProfit, (1, block.timestamp));
        seller.setPlan(p);
        vm.prank(keeper);
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
        assertFalse(seller.breached());
        assertEq(bytes4(seller.lastReentryError()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    }

    // ---- close ----

    function test_close_aRouterThatStealsReverts() public {
        _openHonestly();
        uint256 quote = 3000e6;
        _plan(buyer, quote, address(collateralToken), 0);
        uint256 floor = _closeFloor(quote);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, 0, floor));
        hedge.close(quote, address(buyer), _data(), block.timestamp, 0);
    }

    function test_close_payingOneUnitUnderTheFloorReverts() public {
        _openHonestly();
        uint256 quote = 3000e6;
        uint256 floor = _closeFloor(quote);
        _plan(buyer, quote, address(collateralToken), floor - 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, floor - 1, floor));
        hedge.close(quote, address(buyer), _data(), block.timestamp, 0);
    }

    function test_close_payingExactlyTheFloorRepaysAndLeavesNoAllowance() public {
        _openHonestly();
        uint256 quote = 3000e6;
        uint256 floor = _closeFloor(quote);
        _plan(buyer, quote, address(collateralToken), floor);
        (, uint256 debtBefore,) = hedge.position();
        vm.prank(keeper);
        hedge.close(quote, address(buyer), _data(), block.timestamp, 0);
        (, uint256 debtAfter,) = hedge.position();
        assertEq(debtBefore - debtAfter, floor);
        assertEq(loanToken.allowance(address(hedge), address(buyer)), 0);
    }

    // ---- the vault, read halfway through its own sale ----

    function test_aRouterSellingForTheVaultCannotMakeTheHedgeReadTheVaultMidSale() public {
        movePrice(CRASH_PRICE); // the vault is over its trigger
        HostileRouter vaultRouter = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        vault.setRoute(address(vaultRouter), HostileRouter.swap.selector, true);
        vault.setKeeper(address(vaultRouter), true);
        vm.stopPrank();
        uint256 sell = 1e18;
        uint256 floor = LtvMath.oracleFloor(sell, oraclePrice(), 100);
        HostileRouter.Plan memory p = _base(sell, address(loanToken), floor);
        p.reenterTarget = address(hedge);
        p.reenterData = abi.encodeCall(UnwindHedge.open, (1e18, address(seller), _data(), block.timestamp, 0));
        vaultRouter.setPlan(p);

        vm.prank(keeper);
        vault.deleverage(sell, address(vaultRouter), _data(), 0, block.timestamp, 0);

        assertFalse(vaultRouter.breached());
        assertEq(bytes4(vaultRouter.lastReentryError()), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        (, uint256 debt,) = hedge.position();
        assertEq(debt, 0);
    }

    // ---- helpers ----

    function _openHonestly() internal {
        _plan(seller, SHORT, address(loanToken), LtvMath.collateralValue(SHORT, oraclePrice()));
        vm.prank(keeper);
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
    }

    function _openFloor(uint256 assets) internal view returns (uint256) {
        return LtvMath.oracleFloor(assets, oraclePrice(), defaultHedgePolicy().maxSlippageBps);
    }

    /// @dev The asset worth `quote` at the price, less 1%, rounded up, as the hedge computes it.
    function _closeFloor(uint256 quote) internal view returns (uint256) {
        uint256 worth = (quote * 1e36 + oraclePrice() - 1) / oraclePrice();
        return (worth * 9900 + 9999) / 10_000;
    }

    function _data() internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (0, 0));
    }

    function _base(uint256 pull, address payToken, uint256 pay) internal pure returns (HostileRouter.Plan memory p) {
        p.pull = pull;
        p.payToken = payToken;
        p.pay = pay;
    }

    function _plan(HostileRouter r, uint256 pull, address payToken, uint256 pay) internal {
        r.setPlan(_base(pull, payToken, pay));
    }

    /// @dev `err` is built before the prank (building it reads the oracle, which would take the prank).
    function _expectOpenReverts(bytes memory err) internal {
        vm.prank(keeper);
        vm.expectRevert(err);
        hedge.open(SHORT, address(seller), _data(), block.timestamp, 0);
        (, uint256 debt,) = hedge.position();
        assertEq(debt, 0);
        assertEq(collateralToken.balanceOf(address(seller)), 0);
    }
}
