// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Fuzzed deleverage and top-up on a real market, for every pairing of 6, 8 and 18 decimals
/// (the nine contracts below, each a ninth of the profile's runs). Each run opens a vault of fuzzed size,
/// worth 10 to 10^7 loan tokens, at 75% LTV; a price drop of 7-12% takes it over the 80% trigger; the
/// keeper sells a fuzzed share of what reaches the target through Uniswap V3 or V2, or tops up a fuzzed
/// amount, with a fuzzed minimum and fee. The outcome is read back from the market: LTV down and inside
/// the band, allowance 0, the oracle floor repaid, collateral and fee exactly as asked. The pools hold
/// 10^9 loan tokens a side, so that the largest sale still fills above the floor.
abstract contract DeleverageFuzzBase is VaultFixture {
    uint16 internal constant SLIPPAGE_BPS = 200;
    HostileRouter internal router;
    int256 internal startAnswer;

    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;

    /// @param price the feed answer (8 decimals): loan tokens per whole collateral token
    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    function setUp() public {
        uint256 oneLoan = 10 ** loanDecimals;
        MarketConfig memory c =
            MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, 1e8 * oneLoan, 1e9 * oneLoan, 1e9 * oneLoan);
        vm.warp(START_TIME);
        deployMarket(c);
        router = new HostileRouter(address(collateralToken));
    }

    /// @dev A vault worth 10 to 10^7 loan tokens (uniform in the exponent) at 75% LTV, with the default
    /// policy at 2% slippage, the Uniswap routes and the test router allowed, and a reserve of its debt.
    function _open(uint256 sizeSeed) internal {
        uint256 valueTokens = 10 ** _bound(sizeSeed, 1, 6) * _bound(sizeSeed >> 8, 1, 10);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralToken.decimals(), uint256(startAnswer));
        vault = openVault(owner, collateral, 7500);
        allowUniswap(vault);
        Policy memory p = defaultPolicy();
        p.maxSlippageBps = SLIPPAGE_BPS;
        uint256 reserve = debtOf(address(vault));
        loanToken.mint(owner, reserve);
        vm.startPrank(owner);
        vault.setPolicy(p);
        vault.setKeeper(keeper, true);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        loanToken.approve(address(vault), reserve);
        vault.depositReserve(reserve);
        vm.stopPrank();
    }

    struct Before {
        uint256 collateral;
        uint256 debt;
        uint256 price;
        uint256 ltv;
        uint256 reserve;
    }

    function testFuzz_deleverage_throughUniswap(
        uint256 positionSeed,
        uint256 drop,
        uint256 sizeBps,
        bool v2,
        uint256 minSeed,
        uint256 feeSeed
    ) public {
        _open(positionSeed);
        _crash(drop);
        uint256 sell = _sale(sizeBps);
        uint256 quote = v2 ? _quoteV2(sell) : quoteV3(sell);
        Before memory b = _before();
        uint256 floor = LtvMath.oracleFloor(sell, b.price, SLIPPAGE_BPS);
        assertGe(quote, floor, "a deep pool at the oracle price pays the floor");
        uint256 minRepaid = minSeed % 2 == 0 ? 0 : _bound(minSeed, floor, quote);
        uint256 required = Math.max(minRepaid, floor);
        uint256 fee = _bound(feeSeed, 0, Math.min(required * 50 / 10_000, quote - required));
        address r = v2 ? address(v2Router) : address(swapRouter);
        bytes memory data = v2 ? v2SellCalldata(address(vault), sell, 0) : v3SellCalldata(address(vault), sell, 0);

        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(sell, r, data, minRepaid, block.timestamp, fee);

        assertEq(repaid, required, "repays max(minimum, floor)");
        assertEq(proceeds, quote);
        _assertOutcome(b, sell, repaid, proceeds, fee);
        assertEq(collateralToken.allowance(address(vault), r), 0);
    }

    function testFuzz_deleverage_floorHoldsWhateverTheRouterPays(
        uint256 positionSeed,
        uint256 drop,
        uint256 sizeBps,
        uint256 payBps,
        uint256 feeSeed
    ) public {
        _open(positionSeed);
        _crash(drop);
        uint256 sell = _sale(sizeBps);
        Before memory b = _before();
        uint256 floor = LtvMath.oracleFloor(sell, b.price, SLIPPAGE_BPS);
        uint256 pay = floor * _bound(payBps, 9000, 10_100) / 10_000;
        uint256 fee = _bound(feeSeed, 0, floor * 50 / 10_000);
        router.setPlan(HostileRouter.Plan(sell, address(loanToken), pay, address(0), "", address(0), 0, false));
        bytes memory data = abi.encodeCall(HostileRouter.swap, (sell, 0));

        if (pay < floor + fee) {
            vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, pay, floor + fee));
            vm.prank(keeper);
            vault.deleverage(sell, address(router), data, 0, block.timestamp, fee);
            assertEq(debtOf(address(vault)), b.debt);
            assertEq(collateralOf(address(vault)), b.collateral);
        } else {
            vm.prank(keeper);
            (uint256 repaid, uint256 proceeds) = vault.deleverage(sell, address(router), data, 0, block.timestamp, fee);
            assertEq(repaid, floor);
            assertEq(proceeds, pay);
            _assertOutcome(b, sell, repaid, proceeds, fee);
        }
        assertEq(collateralToken.allowance(address(vault), address(router)), 0);
    }

    function testFuzz_topUp(uint256 positionSeed, uint256 drop, uint256 sizeBps, uint256 feeSeed) public {
        _open(positionSeed);
        _crash(drop);
        Before memory b = _before();
        uint256 value = LtvMath.collateralValue(b.collateral, b.price);
        // What brings LTV to the target exactly; a fuzzed share of it, from a tenth to all of it.
        uint256 toTarget = b.debt - value * 7000 / 10_000;
        uint256 amount = Math.max(1, toTarget * _bound(sizeBps, 1000, 10_000) / 10_000);
        uint256 fee = _bound(feeSeed, 0, amount * 50 / 10_000);
        uint256 debtAfter = debtAfterRepay(address(vault), amount);

        vm.prank(keeper);
        uint256 repaid = vault.topUp(amount, block.timestamp, fee);

        assertEq(repaid, amount);
        assertEq(debtOf(address(vault)), debtAfter);
        assertEq(collateralOf(address(vault)), b.collateral);
        uint256 ltvAfter = ltvOf(address(vault));
        assertLt(ltvAfter, b.ltv);
        assertGe(ltvAfter, bps(6500));
        assertEq(vault.reserve(), b.reserve - amount - fee);
        assertEq(loanToken.balanceOf(keeper), fee);
    }

    // ---- helpers ----

    function _crash(uint256 drop) internal {
        movePrice(startAnswer * int256(10_000 - _bound(drop, 700, 1200)) / 10_000);
        assertGe(ltvOf(address(vault)), bps(8000));
    }

    /// @dev A fuzzed share (20-100%) of the collateral whose sale at the floor brings LTV to the target:
    /// with debt D, value V, target T and floor ratio f, sold value s solves (D - f*s) / (V - s) = T.
    function _sale(uint256 sizeBps) internal view returns (uint256) {
        uint256 price = oracle.price();
        uint256 debt = debtOf(address(vault));
        uint256 value = LtvMath.collateralValue(collateralOf(address(vault)), price);
        uint256 soldValue = (debt * 10_000 - value * 7000) / (10_000 - SLIPPAGE_BPS - 7000);
        uint256 ideal = Math.mulDiv(soldValue, 1e36, price);
        return Math.max(1, ideal * _bound(sizeBps, 2000, 10_000) / 10_000);
    }

    function _quoteV2(uint256 sell) internal view returns (uint256) {
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(collateralToken), address(loanToken));
        return v2Router.getAmountsOut(sell, path)[1];
    }

    function _before() internal view returns (Before memory b) {
        b.collateral = collateralOf(address(vault));
        b.debt = debtOf(address(vault));
        b.price = oracle.price();
        b.ltv = LtvMath.ltv(b.collateral, b.debt, b.price);
        b.reserve = vault.reserve();
    }

    function _assertOutcome(Before memory b, uint256 sell, uint256 repaid, uint256 proceeds, uint256 fee)
        internal
        view
    {
        uint256 ltvAfter = ltvOf(address(vault));
        assertLt(ltvAfter, b.ltv, "LTV down");
        assertGe(ltvAfter, bps(6500), "not oversold");
        assertLt(debtOf(address(vault)), b.debt, "debt down");
        assertApproxEqAbs(b.debt - debtOf(address(vault)), repaid, 1, "debt down by what was repaid");
        assertEq(collateralOf(address(vault)), b.collateral - sell, "exactly the amount sold left");
        assertGe(repaid, LtvMath.oracleFloor(sell, b.price, SLIPPAGE_BPS), "floor respected");
        assertEq(vault.reserve(), b.reserve + proceeds - repaid - fee, "surplus kept");
        assertEq(loanToken.balanceOf(keeper), fee);
        assertEq(collateralToken.balanceOf(address(vault)), 0);
    }
}

/// WETH-like collateral against a USDC-like loan token, at 3,000.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral18Loan6 is DeleverageFuzzBase(18, 6, 3000e8) {}

/// WETH-like collateral against a WBTC-like loan token, at 0.05.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral18Loan8 is DeleverageFuzzBase(18, 8, 0.05e8) {}

/// WETH-like collateral against a DAI-like loan token, at 3,000.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral18Loan18 is DeleverageFuzzBase(18, 18, 3000e8) {}

/// WBTC-like collateral against a USDC-like loan token, at 60,000.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral8Loan6 is DeleverageFuzzBase(8, 6, 60_000e8) {}

/// Two 8-decimal tokens at par (wrapped bitcoins).
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral8Loan8 is DeleverageFuzzBase(8, 8, 1e8) {}

/// WBTC-like collateral against a DAI-like loan token, at 60,000.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral8Loan18 is DeleverageFuzzBase(8, 18, 60_000e8) {}

/// Two 6-decimal stablecoins at par.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral6Loan6 is DeleverageFuzzBase(6, 6, 1e8) {}

/// A 6-decimal collateral against an 8-decimal loan token, at 20.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral6Loan8 is DeleverageFuzzBase(6, 8, 20e8) {}

/// A 6-decimal stablecoin against an 18-decimal one, at par.
/// forge-config: default.fuzz.runs = 86
/// forge-config: deep.fuzz.runs = 834
/// forge-config: random.fuzz.runs = 834
contract DeleverageFuzzCollateral6Loan18 is DeleverageFuzzBase(6, 18, 1e8) {}
