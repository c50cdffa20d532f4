// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {ISwapRouter, IUniswapV2Router02} from "../utils/UniswapInterfaces.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Deleverage through the real Uniswap V3 and V2 routers: what it repays, what it keeps, what it
/// pays the keeper, and every policy check that can refuse it.
contract UnwindVaultDeleverageTest is VaultFixture {
    uint256 internal constant SELL = 2e18;

    function setUp() public {
        setUpVault();
        movePrice(CRASH_PRICE); // 75% -> 83.3%
    }

    // ---- success ----

    function test_deleverage_v3_repaysTheFloorAndKeepsTheSurplus() public {
        uint256 quote = quoteV3(SELL);
        _assertDeleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), quote);
    }

    function test_deleverage_v2_repaysTheFloorAndKeepsTheSurplus() public {
        // The V2 pool is shallower: one token is what it takes inside the 1% floor.
        uint256 sell = 1e18;
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(collateralToken), address(loanToken));
        uint256 quote = v2Router.getAmountsOut(sell, path)[1];
        _assertDeleverage(sell, address(v2Router), v2SellCalldata(address(vault), sell, 0), quote);
    }

    function _assertDeleverage(uint256 sell, address router, bytes memory data, uint256 quote) internal {
        uint256 price = oracle.price();
        uint256 floor = floorOf(sell);
        assertGt(quote, floor, "the pool pays more than the floor");
        uint256 fee = quote - floor < floor * 50 / 10_000 ? quote - floor : floor * 50 / 10_000;
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 debtAfter = debtAfterRepay(address(vault), floor);
        uint256 ltvAfter = LtvMath.ltv(10e18 - sell, debtAfter, price);

        vm.expectEmit(address(vault));
        emit IUnwindVault.Deleveraged(keeper, router, sell, floor, quote, fee, ltvBefore, ltvAfter);
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(sell, router, data, 0, block.timestamp, fee);

        assertEq(repaid, floor);
        assertEq(proceeds, quote);
        assertEq(collateralOf(address(vault)), 10e18 - sell);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(ltvOf(address(vault)), ltvAfter);
        assertLt(ltvAfter, ltvBefore);
        assertGe(ltvAfter, bps(6500));
        assertEq(vault.reserve(), quote - floor - fee, "surplus stays as reserve");
        assertEq(loanToken.balanceOf(keeper), fee);
        assertEq(collateralToken.balanceOf(address(vault)), 0);
        assertEq(collateralToken.allowance(address(vault), router), 0);
        // Only an action that ends under the trigger starts the cooldown.
        assertEq(vault.lastActionAt(), ltvAfter < bps(8000) ? block.timestamp : 0);
    }

    function test_deleverage_minRepaidAboveTheFloorRepaysMore() public {
        uint256 quote = quoteV3(SELL);
        uint256 minRepaid = quote - 1;
        assertGt(minRepaid, floorOf(SELL));
        uint256 debtAfter = debtAfterRepay(address(vault), minRepaid);
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(
            SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), minRepaid, block.timestamp, 0
        );
        assertEq(repaid, minRepaid);
        assertEq(proceeds, quote);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(vault.reserve(), 1);
    }

    function test_deleverage_ownerMayActAsKeeper() public {
        uint256 debtBefore = debtOf(address(vault));
        vm.prank(owner);
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
        assertLt(debtOf(address(vault)), debtBefore);
    }

    function test_deleverage_repaysTheWholeDebtBySharesWhenTheFloorCoversIt() public {
        Policy memory p = _widestPolicy();
        p.bandBps = p.targetLtvBps; // the owner allows closing the position outright
        setPolicy(p);
        uint256 debt = debtOf(address(vault));
        uint256 sell = 9e18;
        // Here it is the equity floor (value sold less 15% of the equity) that covers the debt.
        assertGe(requiredOf(sell), debt);
        uint256 quote = quoteV3(sell);

        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) =
            vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);

        assertEq(repaid, debt);
        assertEq(proceeds, quote);
        assertEq(debtOf(address(vault)), 0);
        assertEq(collateralOf(address(vault)), 1e18);
        assertEq(ltvOf(address(vault)), 0);
        assertEq(vault.reserve(), quote - debt);
    }

    function test_deleverage_aChunkAboveTheTriggerDoesNotStartTheCooldown() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 hours;
        setPolicy(p);
        uint256 chunk = 0.25e18;
        vm.startPrank(keeper);
        vault.deleverage(chunk, address(swapRouter), v3SellCalldata(address(vault), chunk, 0), 0, block.timestamp, 0);
        assertGe(ltvOf(address(vault)), bps(8000));
        assertEq(vault.lastActionAt(), 0);
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
        vm.stopPrank();
        assertLt(ltvOf(address(vault)), bps(8000));
        assertEq(vault.lastActionAt(), block.timestamp);
    }

    function test_deleverage_afterTheCooldownWorksAgain() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 hours;
        setPolicy(p);
        _deleverageV3(SELL, 0);
        vm.warp(block.timestamp + 1 hours);
        movePrice(2550e8);
        assertGe(ltvOf(address(vault)), bps(8000));
        uint256 debtBefore = debtOf(address(vault));
        _deleverageV3(SELL, 0);
        assertLt(debtOf(address(vault)), debtBefore);
        assertLt(ltvOf(address(vault)), bps(8000));
        assertEq(vault.lastActionAt(), block.timestamp, "a new cooldown starts");
    }

    function test_deleverage_feeIsFreeAboveTheGasPriceCapOnlyWhenZero() public {
        vm.txGasPrice(uint256(defaultPolicy().maxGasPrice) + 1);
        uint256 debtBefore = debtOf(address(vault));
        _deleverageV3(SELL, 0);
        assertLt(debtOf(address(vault)), debtBefore);
        assertEq(loanToken.balanceOf(keeper), 0);
    }

    // ---- refusals, in the order the vault checks them ----

    function test_deleverage_revertsForAStranger() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsForARevokedKeeper() public {
        vm.prank(owner);
        vault.setKeeper(keeper, false);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotKeeper.selector));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsWhilePaused() public {
        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.IsPaused.selector));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsAfterTheDeadline() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.Expired.selector));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp - 1, 0);
    }

    function test_deleverage_revertsWithoutAPolicy() public {
        UnwindVault bare = openVault(makeAddr("other"), 10e18, 7500);
        allowUniswap(bare);
        vm.prank(bare.owner());
        bare.setKeeper(keeper, true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PolicyNotSet.selector));
        bare.deleverage(SELL, address(swapRouter), v3SellCalldata(address(bare), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsDuringTheCooldown() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 hours;
        setPolicy(p);
        _deleverageV3(SELL, 0);
        uint256 until = block.timestamp + 1 hours;
        assertEq(vault.lastActionAt(), block.timestamp);
        vm.warp(until - 1);
        movePrice(2550e8);
        assertGe(ltvOf(address(vault)), bps(8000));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.CoolingDown.selector, until));
        vault.deleverage(1e18, address(swapRouter), v3SellCalldata(address(vault), 1e18, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsOnZeroAmount() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ZeroAmount.selector));
        vault.deleverage(0, address(swapRouter), v3SellCalldata(address(vault), 0, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsOnAnUnlistedSelector() public {
        bytes memory data = abi.encodeWithSignature("exactInput((bytes,address,uint256,uint256,uint256))", "");
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(swapRouter), bytes4(data))
        );
        vault.deleverage(SELL, address(swapRouter), data, 0, block.timestamp, 0);
    }

    function test_deleverage_revertsOnAnUnlistedRouter() public {
        bytes memory data = v3SellCalldata(address(vault), SELL, 0);
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IUnwindVault.RouteNotAllowed.selector, address(quoter), ISwapRouter.exactInputSingle.selector
            )
        );
        vault.deleverage(SELL, address(quoter), data, 0, block.timestamp, 0);
    }

    function test_deleverage_revertsOnATokenTarget() public {
        bytes memory data = abi.encodeCall(IERC20.transfer, (stranger, SELL));
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(
                IUnwindVault.RouteNotAllowed.selector, address(collateralToken), IERC20.transfer.selector
            )
        );
        vault.deleverage(SELL, address(collateralToken), data, 0, block.timestamp, 0);
    }

    function test_deleverage_revertsOnCalldataShorterThanASelector() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.RouteNotAllowed.selector, address(swapRouter), bytes4(0)));
        vault.deleverage(SELL, address(swapRouter), hex"414243", 0, block.timestamp, 0);
    }

    function test_deleverage_revertsBelowTheTrigger() public {
        movePrice(3000e8);
        uint256 ltv = ltvOf(address(vault));
        assertLt(ltv, bps(8000));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsAboveTheSizeCap() public {
        Policy memory p = defaultPolicy();
        p.maxSellBps = 1000; // 10% of 10 tokens
        setPolicy(p);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.SellTooLarge.selector, 1e18 + 1, 1e18));
        vault.deleverage(
            1e18 + 1, address(swapRouter), v3SellCalldata(address(vault), 1e18 + 1, 0), 0, block.timestamp, 0
        );
        _deleverageV3(1e18, 0); // exactly the cap is allowed
        assertEq(collateralOf(address(vault)), 9e18);
    }

    function test_deleverage_revertsWhenTheRouteBringsLessThanTheKeepersMinimum() public {
        uint256 quote = quoteV3(SELL);
        uint256 fee = 1e6;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, quote, quote + 1 + fee));
        vault.deleverage(
            SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), quote + 1, block.timestamp, fee
        );
    }

    function test_deleverage_revertsWhenTheRouteBringsLessThanTheOracleFloor() public {
        // The pool sits 3% under the feed: selling at it loses more than the 1% slippage the policy allows.
        vm.prank(deployer);
        feed.setAnswer(2790e8);
        uint256 quote = quoteV3(SELL);
        uint256 floor = floorOf(SELL);
        assertLt(quote, floor);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, quote, floor));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
    }

    function test_deleverage_revertsWhenTheFeeExceedsTheCap() public {
        setPolicy(_loosePolicy());
        uint256 required = requiredOf(SELL); // what the sale repays: the cap is a share of it
        uint256 maxFee = required * 50 / 10_000;
        assertLe(maxFee + 1, equityAllowanceOf(vault, marketParams, oracle.price()), "the fee cap binds first");
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, maxFee + 1, maxFee));
        vault.deleverage(
            SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, maxFee + 1
        );
    }

    function test_deleverage_revertsOnAnyFeeAboveTheGasPriceCap() public {
        vm.txGasPrice(uint256(defaultPolicy().maxGasPrice) + 1);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.FeeTooHigh.selector, 1, 0));
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 1);
    }

    function test_deleverage_revertsWhenItWouldOversell() public {
        // With 3% slippage the equity floor would refuse this sale first (InsufficientProceeds): 15% of the
        // equity is room enough for the pool's price impact, so the band is what stops it.
        setPolicy(_widestPolicy());
        uint256 sell = 6e18;
        uint256 required = requiredOf(sell);
        assertLe(required, quoteV3(sell));
        uint256 ltvAfter = LtvMath.ltv(10e18 - sell, debtAfterRepay(address(vault), required), oracle.price());
        assertLt(ltvAfter, bps(6500));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.Oversold.selector, ltvAfter, bps(6500)));
        vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);
    }

    // ---- helpers ----

    function _deleverageV3(uint256 sell, uint256 fee) internal {
        vm.prank(keeper);
        vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, fee);
    }

    /// @dev 3% slippage: room under the pool's price for fee and oversell cases that a 1% floor would stop first.
    function _loosePolicy() internal pure returns (Policy memory p) {
        p = defaultPolicy();
        p.maxSlippageBps = 300;
    }

    /// @dev The most the policy allows (10% slippage, 5% fee): an equity allowance of 15% of the equity.
    function _widestPolicy() internal pure returns (Policy memory p) {
        p = defaultPolicy();
        (p.maxSlippageBps, p.maxFeeBps) = (1000, 500);
    }
}
