// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UncheckedFeedOracle, RevertingFeed, GasBurningFeed} from "../utils/HostileMarketParts.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {
    IUnwindVault,
    Guard,
    Policy,
    PRICE_OK,
    PRICE_STALE,
    PRICE_DEVIATION,
    PRICE_FEED_FAILED
} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

/// @notice The fresh-price guard (issue 14, "stale price accepted"). The market's oracle here is built like
/// production Morpho oracles: it serves its feed's answer whatever its age. The feed stuck at 2,700 while the
/// market trades at 3,300: a hostile keeper with its own allow-listed router buys collateral at the stuck
/// price's floor. Without a guard the sale goes through; with one it is refused, and the owner never is.
contract UnwindVaultGuardTest is VaultFixture {
    uint256 internal constant SELL = 2e18;
    uint32 internal constant MAX_AGE = 1 hours;

    SettablePriceFeed internal stuckFeed;
    UncheckedFeedOracle internal stuckOracle;
    MarketParams internal stuckMarket;
    UnwindVault internal v;
    HostileRouter internal router;
    uint256 internal stuckAt;

    function setUp() public {
        setUpVault();
        vm.startPrank(deployer);
        stuckFeed = new SettablePriceFeed(8, "ETH / USD", 3000e8);
        stuckOracle = new UncheckedFeedOracle(IPriceFeed(address(stuckFeed)), 18, 6);
        vm.stopPrank();
        stuckMarket = MarketParams(address(loanToken), address(collateralToken), address(stuckOracle), irm, 0.86e18);
        morpho.createMarket(stuckMarket);
        loanToken.mint(lender, 1_000_000e6);
        vm.prank(lender);
        morpho.supply(stuckMarket, 1_000_000e6, 0, lender, "");

        // 10 ETH borrowed to 75% at 3,000; the keeper holds a router the owner allowed.
        vm.prank(owner);
        v = factory.createVault(stuckMarket);
        collateralToken.mint(owner, 10e18);
        router = new HostileRouter(address(collateralToken));
        vm.startPrank(owner);
        collateralToken.approve(address(v), 10e18);
        v.supplyCollateral(10e18);
        v.borrow(22_500e6, owner);
        v.setPolicy(defaultPolicy());
        v.setKeeper(keeper, true);
        v.setRoute(address(router), HostileRouter.swap.selector, true);
        vm.stopPrank();
        loanToken.mint(address(v), 1000e6); // a reserve, so that top-ups are possible

        // The feed's last answer is 2,700; two hours later the market trades at 3,300 and the feed has not moved.
        vm.prank(deployer);
        stuckFeed.setAnswer(2700e8);
        stuckAt = block.timestamp;
        vm.warp(block.timestamp + 2 hours);
        movePrice(3300e8);
    }

    // ---- the finding ----

    function test_staleFeed_withoutAGuardAHostileKeeperBuysAtTheStalePrice() public {
        // What the guard is for: the same call with no guard sells 2 ETH worth 6,600 for 5,346.
        uint256 floor = LtvMath.oracleFloor(SELL, stuckOracle.price(), 100);
        assertEq(floor, 5346e6);
        _planSale(floor);
        vm.prank(keeper);
        (uint256 repaid,) = v.deleverage(SELL, address(router), _swap(), 0, block.timestamp, 0);
        assertEq(repaid, floor);
        assertEq(collateralOf(address(v), stuckMarket), 8e18);
        // The owner lost 1,254 of the 6,600 the collateral was worth at the market: 19%.
        assertEq(valueOf(SELL, 3300e8) - repaid, 1254e6);
    }

    function test_staleFeed_refusesTheHostileSaleAndTopUp() public {
        _setGuard(Guard(address(stuckFeed), MAX_AGE, 0, 0, 0));
        _planSale(LtvMath.oracleFloor(SELL, stuckOracle.price(), 100));
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceStale.selector, stuckAt, MAX_AGE));
        _assertCheckPrice(PRICE_STALE, stuckAt);
    }

    function test_staleFeed_freshAgainAtExactlyTheMaxAge() public {
        _setGuard(Guard(address(stuckFeed), MAX_AGE, 0, 0, 0));
        vm.warp(stuckAt + MAX_AGE); // age == max age is still fresh
        _assertCheckPrice(PRICE_OK, stuckAt);
        vm.prank(keeper);
        uint256 repaid = v.topUp(100e6, block.timestamp, 0);
        assertEq(repaid, 100e6);
        vm.warp(stuckAt + MAX_AGE + 1);
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceStale.selector, stuckAt, MAX_AGE));
    }

    function test_deviation_refusesWhenTheOracleAndALiveFeedDisagree() public {
        // A second, live feed at the market price: fresh, but 18% over the market's oracle.
        vm.prank(deployer);
        SettablePriceFeed live = new SettablePriceFeed(8, "ETH / USD live", 3300e8);
        _setGuard(Guard(address(live), MAX_AGE, 200, 0, 0));
        _planSale(LtvMath.oracleFloor(SELL, stuckOracle.price(), 100));
        _expectKeeperRefused(
            abi.encodeWithSelector(IUnwindVault.PriceDeviation.selector, 2700e24, 3300e24, uint256(200))
        );
        _assertCheckPrice(PRICE_DEVIATION, block.timestamp);
        // With the deviation check off the same feed passes: only its age is checked.
        _setGuard(Guard(address(live), MAX_AGE, 0, 0, 0));
        _assertCheckPrice(PRICE_OK, block.timestamp);
    }

    function test_feedThatReverts_isAFailedFeed() public {
        RevertingFeed bad = new RevertingFeed();
        _setGuard(Guard(address(bad), MAX_AGE, 0, 0, 0));
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(bad)));
        _assertCheckPrice(PRICE_FEED_FAILED, 0);
    }

    function test_feedAnsweringZeroOrLess_isAFailedFeed() public {
        // A guard feed of its own: the market's oracle keeps a price (over the same feed, 0 would be BadPrice).
        vm.prank(deployer);
        SettablePriceFeed other = new SettablePriceFeed(8, "ETH / USD other", 2700e8);
        _setGuard(Guard(address(other), MAX_AGE, 0, 0, 0));
        vm.prank(deployer);
        other.setRoundData(7, 0, block.timestamp, 7);
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(other)));
        _assertCheckPrice(PRICE_FEED_FAILED, block.timestamp);
        vm.prank(deployer);
        other.setRoundData(8, -1, block.timestamp, 8);
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(other)));
        _assertCheckPrice(PRICE_FEED_FAILED, block.timestamp);
    }

    function test_feedUpdatedInTheFutureOrNever_isAFailedFeed() public {
        _setGuard(Guard(address(stuckFeed), MAX_AGE, 0, 0, 0));
        vm.prank(deployer);
        stuckFeed.setRoundData(7, 2700e8, block.timestamp + 1, 7);
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(stuckFeed)));
        _assertCheckPrice(PRICE_FEED_FAILED, block.timestamp + 1);
        vm.prank(deployer);
        stuckFeed.setRoundData(8, 2700e8, 0, 8);
        _expectKeeperRefused(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(stuckFeed)));
    }

    function test_feedThatBurnsGas_isAFailedFeed() public {
        GasBurningFeed bad = new GasBurningFeed();
        _setGuard(Guard(address(bad), MAX_AGE, 0, 0, 0));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PriceFeedFailed.selector, address(bad)));
        v.topUp{gas: 2_000_000}(100e6, block.timestamp, 0);
        (uint8 status,) = v.checkPrice{gas: 2_000_000}(stuckOracle.price());
        assertEq(status, PRICE_FEED_FAILED);
    }

    function test_staleFeed_neverBlocksTheOwner() public {
        _setGuard(Guard(address(stuckFeed), MAX_AGE, 100, 0, 0));
        (uint8 status,) = v.checkPrice(stuckOracle.price());
        assertEq(status, PRICE_STALE);
        loanToken.mint(owner, 10_000e6);
        collateralToken.mint(owner, 1e18);
        vm.startPrank(owner);
        loanToken.approve(address(v), type(uint256).max);
        collateralToken.approve(address(v), 1e18);
        v.supplyCollateral(1e18);
        v.repay(5000e6);
        v.withdrawCollateral(1e18, owner);
        v.borrow(1000e6, owner);
        v.repay(type(uint256).max);
        v.withdrawCollateral(10e18, owner);
        vm.stopPrank();
        assertEq(debtOf(address(v), stuckMarket), 0);
        assertEq(collateralOf(address(v), stuckMarket), 0);
        assertEq(collateralToken.balanceOf(owner), 11e18, "the 10 supplied at the start and the 1 just now");
    }

    function test_ownerActingAsKeeper_isBoundByTheGuard() public {
        _setGuard(Guard(address(stuckFeed), MAX_AGE, 0, 0, 0));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PriceStale.selector, stuckAt, MAX_AGE));
        v.topUp(100e6, block.timestamp, 0);
    }

    // ---- setGuard ----

    function test_setGuard_storesEmitsAndReadsBack() public {
        Guard memory g = Guard(address(stuckFeed), 7 days, 10_000, 30 days, 10_000);
        vm.expectEmit(address(v));
        emit IUnwindVault.GuardSet(g);
        _setGuard(g);
        assertEq(keccak256(abi.encode(v.guard())), keccak256(abi.encode(g)));
        _setGuard(Guard(address(0), 0, 0, 0, 0));
        assertEq(keccak256(abi.encode(v.guard())), keccak256(abi.encode(Guard(address(0), 0, 0, 0, 0))));
        _assertCheckPrice(PRICE_OK, 0);
    }

    function test_setGuard_refusesEachInvalidGuard() public {
        address f = address(stuckFeed);
        _expectInvalid(Guard(f, 0, 0, 0, 0), "max price age must be in (0, 7 days]");
        _expectInvalid(Guard(f, 7 days + 1, 0, 0, 0), "max price age must be in (0, 7 days]");
        _expectInvalid(Guard(f, MAX_AGE, 10_001, 0, 0), "max price deviation must be <= 100%");
        _expectInvalid(Guard(address(0), MAX_AGE, 0, 0, 0), "price limits need a feed");
        _expectInvalid(Guard(address(0), 0, 100, 0, 0), "price limits need a feed");
        _expectInvalid(Guard(address(0), 0, 0, 30 days + 1, 100), "sell window must be <= 30 days");
        _expectInvalid(Guard(address(0), 0, 0, 1 days, 0), "sell window and its share go together");
        _expectInvalid(Guard(address(0), 0, 0, 0, 100), "sell window and its share go together");
        _expectInvalid(Guard(address(0), 0, 0, 1 days, 10_001), "window share must be <= 100%");
        // A feed must not be one of the vault's own targets, and must answer decimals().
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, address(stuckOracle)));
        v.setGuard(Guard(address(stuckOracle), MAX_AGE, 0, 0, 0));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, address(loanToken)));
        v.setGuard(Guard(address(loanToken), MAX_AGE, 0, 0, 0));
        vm.expectRevert();
        v.setGuard(Guard(address(router), MAX_AGE, 0, 0, 0));
        vm.stopPrank();
        vm.prank(deployer);
        SettablePriceFeed fine = new SettablePriceFeed(37, "too fine", 1);
        _expectInvalid(Guard(address(fine), MAX_AGE, 0, 0, 0), "decimals over 36");
    }

    function test_setGuard_onlyTheOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        v.setGuard(Guard(address(0), 0, 0, 1 days, 100));
    }

    // ---- helpers ----

    function _setGuard(Guard memory g) internal {
        vm.prank(owner);
        v.setGuard(g);
    }

    function _expectInvalid(Guard memory g, string memory reason) internal {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidGuard.selector, reason));
        v.setGuard(g);
    }

    function _planSale(uint256 pay) internal {
        router.setPlan(HostileRouter.Plan(SELL, address(loanToken), pay, address(0), "", address(0), 0, false));
    }

    function _swap() internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (SELL, 0));
    }

    /// @dev Both keeper actions fail with `err` and nothing moves.
    function _expectKeeperRefused(bytes memory err) internal {
        uint256 debt = debtOf(address(v), stuckMarket);
        uint256 reserve = v.reserve();
        vm.startPrank(keeper);
        vm.expectRevert(err);
        v.deleverage(SELL, address(router), _swap(), 0, block.timestamp, 0);
        vm.expectRevert(err);
        v.topUp(100e6, block.timestamp, 0);
        vm.stopPrank();
        assertEq(debtOf(address(v), stuckMarket), debt);
        assertEq(collateralOf(address(v), stuckMarket), 10e18);
        assertEq(v.reserve(), reserve);
    }

    /// @dev The view keepers and the lens read gives the same verdict as the action.
    function _assertCheckPrice(uint8 status, uint256 updatedAt) internal view {
        (uint8 s, uint256 at) = v.checkPrice(stuckOracle.price());
        assertEq(s, status, "checkPrice status");
        assertEq(at, updatedAt, "checkPrice updatedAt");
    }
}
