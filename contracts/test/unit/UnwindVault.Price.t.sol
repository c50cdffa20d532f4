// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

/// @notice Keeper actions judged at the market's own oracle: a stale, zero, negative, incomplete or
/// future answer stops them (the owner is never stopped), a price that scales to zero is refused, and
/// a sale that would raise LTV is refused even when it pays the floor.
contract UnwindVaultPriceTest is VaultFixture {
    uint256 internal constant SELL = 2e18;

    function setUp() public {
        setUpVault();
        loanToken.mint(address(vault), 5000e6);
        movePrice(CRASH_PRICE);
    }

    function test_staleFeed_stopsKeepers() public {
        (,,, uint256 updatedAt,) = feed.latestRoundData();
        vm.warp(updatedAt + PRICE_MAX_AGE + 1);
        _expectKeeperCallsRevert(
            abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, updatedAt, PRICE_MAX_AGE)
        );
    }

    function test_zeroAnswer_stopsKeepers() public {
        vm.prank(deployer);
        feed.setAnswer(0);
        _expectKeeperCallsRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, int256(0)));
    }

    function test_negativeAnswer_stopsKeepers() public {
        vm.prank(deployer);
        feed.setAnswer(-1);
        _expectKeeperCallsRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, int256(-1)));
    }

    function test_incompleteRound_stopsKeepers() public {
        vm.prank(deployer);
        feed.setRoundData(9, CRASH_PRICE, block.timestamp, 8);
        _expectKeeperCallsRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.IncompleteRound.selector, 9, 8));
    }

    function test_futureTimestamp_stopsKeepers() public {
        vm.prank(deployer);
        feed.setRoundData(9, CRASH_PRICE, block.timestamp + 1, 9);
        _expectKeeperCallsRevert(
            abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, block.timestamp + 1, PRICE_MAX_AGE)
        );
    }

    function test_staleFeed_ownerStillRepaysAndWithdrawsEverything() public {
        vm.warp(block.timestamp + 30 days);
        vm.prank(deployer);
        feed.setAnswer(-1);
        vm.expectRevert();
        oracle.price();

        morpho.accrueInterest(marketParams);
        uint256 debt = debtOf(address(vault));
        loanToken.mint(owner, debt);
        vm.startPrank(owner);
        vault.setPaused(true);
        loanToken.approve(address(vault), debt);
        vault.repay(type(uint256).max);
        vault.withdrawCollateral(collateralOf(address(vault)), owner);
        vault.withdrawReserve(vault.reserve(), owner);
        vm.stopPrank();

        assertEq(debtOf(address(vault)), 0);
        assertEq(collateralOf(address(vault)), 0);
        assertEq(collateralToken.balanceOf(owner), 10e18);
        assertEq(vault.reserve(), 0);
    }

    function test_priceThatScalesToZero_isRefused() public {
        // A feed with 30 decimals over 18/6 tokens: the adapter divides by 1e6, so an answer under 1e6
        // is a Morpho price of 0. The vault must not value collateral at nothing.
        vm.startPrank(deployer);
        SettablePriceFeed fineFeed = new SettablePriceFeed(30, "fine", 3000e30);
        ChainlinkOracleAdapter fineOracle =
            new ChainlinkOracleAdapter(IPriceFeed(address(fineFeed)), 18, 6, PRICE_MAX_AGE);
        vm.stopPrank();
        assertEq(fineOracle.SCALE_DIV(), 1e6);
        UnwindVault v = _vaultOn(_marketWith(address(fineOracle), marketParams.lltv), 7500);
        loanToken.mint(address(v), 5000e6);
        vm.prank(deployer);
        fineFeed.setAnswer(999_999);
        assertEq(fineOracle.price(), 0);

        vm.startPrank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BadPrice.selector));
        v.deleverage(SELL, address(swapRouter), v3SellCalldata(address(v), SELL, 0), 0, block.timestamp, 0);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BadPrice.selector));
        v.topUp(1000e6, block.timestamp, 0);
        vm.stopPrank();
    }

    function test_saleThatRaisesLtv_isRefusedEvenAtTheFloor() public {
        // On a 98% LLTV market a position at 96% LTV is still healthy; selling at 90% of its value
        // (the 10% slippage the policy allows) repays less than the LTV share of what it sells.
        vm.prank(deployer);
        morpho.enableLltv(0.98e18);
        MarketParams memory params = _marketWith(address(oracle), 0.98e18);
        UnwindVault v = _vaultOn(params, 0);
        uint256 borrowed = valueOf(10e18, CRASH_PRICE) * 96 / 100;
        vm.prank(owner);
        v.borrow(borrowed, owner);
        Policy memory p = defaultPolicy();
        (p.triggerLtvBps, p.targetLtvBps, p.maxSlippageBps) = (9500, 9000, 1000);
        vm.prank(owner);
        v.setPolicy(p);

        HostileRouter router = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        v.setRoute(address(router), HostileRouter.swap.selector, true);
        uint256 price = oracle.price();
        uint256 sell = 1e18;
        // The equity floor asks more than the oracle floor here (a sale at 90% of its value would refuse as
        // InsufficientProceeds); even a router paying exactly what it asks leaves LTV higher.
        uint256 floor = requiredOf(v, params, sell);
        assertGt(floor, LtvMath.oracleFloor(sell, price, 1000));
        router.setPlan(HostileRouter.Plan(sell, address(loanToken), floor, address(0), "", address(0), 0, false));

        uint256 debt = debtOf(address(v), params);
        uint256 ltvBefore = LtvMath.ltv(10e18, debt, price);
        assertGe(ltvBefore, bps(9500));
        uint256 ltvAfter = _ltvAfterSale(v, params, sell, floor, price);
        assertGt(ltvAfter, ltvBefore);

        vm.prank(owner); // the owner acting as keeper is bound by the same post-conditions
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotDeleveraged.selector, ltvBefore, ltvAfter));
        v.deleverage(sell, address(router), abi.encodeCall(HostileRouter.swap, (sell, 0)), 0, block.timestamp, 0);
    }

    // ---- helpers ----

    function _expectKeeperCallsRevert(bytes memory err) internal {
        uint256 debtBefore = debtOf(address(vault));
        vm.startPrank(keeper);
        vm.expectRevert(err);
        vault.deleverage(SELL, address(swapRouter), v3SellCalldata(address(vault), SELL, 0), 0, block.timestamp, 0);
        vm.expectRevert(err);
        vault.topUp(1000e6, block.timestamp, 0);
        vm.stopPrank();
        assertEq(debtOf(address(vault)), debtBefore);
        assertEq(collateralOf(address(vault)), 10e18);
    }

    function _marketWith(address oracle_, uint256 lltv) internal returns (MarketParams memory params) {
        params = MarketParams(address(loanToken), address(collateralToken), oracle_, irm, lltv);
        morpho.createMarket(params);
        loanToken.mint(lender, 1_000_000e6);
        vm.prank(lender);
        morpho.supply(params, 1_000_000e6, 0, lender, "");
    }

    /// @dev A vault of `owner` on `params` with 10 collateral tokens, borrowed to `ltvBps` at the crash price.
    function _vaultOn(MarketParams memory params, uint256 ltvBps) internal returns (UnwindVault v) {
        vm.prank(owner);
        v = factory.createVault(params);
        collateralToken.mint(owner, 10e18);
        vm.startPrank(owner);
        collateralToken.approve(address(v), 10e18);
        v.supplyCollateral(10e18);
        if (ltvBps > 0) v.borrow(valueOf(10e18, CRASH_PRICE) * ltvBps / 10_000, owner);
        v.setKeeper(keeper, true);
        vm.stopPrank();
        allowUniswap(v);
        if (ltvBps > 0) {
            vm.prank(owner);
            v.setPolicy(defaultPolicy());
        }
    }

    function _ltvAfterSale(UnwindVault v, MarketParams memory params, uint256 sell, uint256 repaid, uint256 price)
        internal
        returns (uint256 ltvAfter)
    {
        // Replay the sale's effect on the market without the vault's post-check: repay `repaid` on its
        // behalf and read the resulting debt, then roll the state back.
        uint256 snap = vm.snapshotState();
        loanToken.mint(address(this), repaid);
        loanToken.approve(address(morpho), repaid);
        morpho.repay(params, repaid, 0, address(v), "");
        ltvAfter = LtvMath.ltv(10e18 - sell, debtOf(address(v), params), price);
        vm.revertToState(snap);
    }
}
