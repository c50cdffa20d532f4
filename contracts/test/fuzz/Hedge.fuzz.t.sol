// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {HedgeFixture} from "../utils/HedgeFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindHedge} from "../../src/UnwindHedge.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The hedge fuzzed on markets of every 6/8/18 decimals pairing, positions worth 10 to 10^6 loan tokens, a
/// deposit of 20% to 100% of the position's value, any short size, fee and price move, through the real pools and
/// through a router that pays whatever the fuzzer says. Checked against the owner's total equity at the oracle price
/// (vault + hedge + wallet): an open lowers it by at most its slippage allowance, a buy-back by at most its fee and
/// slippage allowance, a profit release by nothing; whatever does not go through fails with one of the rules'
/// errors; the short never passes the ratio and an open never leaves the hedge over its target. Each pairing takes a
/// ninth of the runs.
abstract contract HedgeFuzzBase is HedgeFixture {
    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;
    int256 internal immutable startAnswer;
    HostileRouter internal payer;

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    function _setUp(uint256 sizeSeed, uint256 depositSeed) internal {
        uint256 oneLoan = 10 ** loanDecimals;
        uint256 valueTokens = 10 ** _bound(sizeSeed, 1, 6) * _bound(sizeSeed >> 8, 1, 9);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralDecimals, uint256(startAnswer));
        uint256 deposit = valueTokens * oneLoan * _bound(depositSeed, 2000, 10_000) / 10_000;
        setUpHedge(
            MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, 1e8 * oneLoan, 1e7 * oneLoan, 1e6 * oneLoan),
            collateral,
            7500,
            deposit
        );
        payer = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        vault.setRoute(address(payer), HostileRouter.swap.selector, true);
    }

    function _maxShort() internal view returns (uint256) {
        return collateralOf(address(vault)) * defaultHedgePolicy().maxRatioBps / 10_000;
    }

    function testFuzz_open_costsAtMostItsSlippageAndKeepsTheRules(
        uint256 sizeSeed,
        uint256 depositSeed,
        uint256 shortSeed,
        uint256 feeSeed
    ) public {
        _setUp(sizeSeed, depositSeed);
        uint256 assets = _bound(shortSeed, 1, _maxShort() * 12 / 10 + 1);
        uint256 value = LtvMath.collateralValue(assets, oraclePrice());
        uint256 fee = _bound(feeSeed, 0, value * 60 / 10_000);
        int256 before = ownerEquity();

        vm.prank(keeper);
        try hedge.open(assets, address(swapRouter), v3Swap(address(collateralToken), assets, 0), block.timestamp, fee) {
            // Owed debt rounds up by at most a unit, valued up: two loan units of rounding.
            assertGe(ownerEquity(), before - int256(value * 100 / 10_000) - 2, "an open costs at most its slippage");
            (, uint256 debt,) = hedge.position();
            assertLe(debt, _maxShort(), "within the ratio");
            assertLe(hedgeLtv(), LtvMath.bpsToWad(defaultHedgePolicy().targetLtvBps), "at or under the target");
            assertEq(collateralToken.allowance(address(hedge), address(swapRouter)), 0);
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(
                s == UnwindHedge.InsufficientProceeds.selector || s == UnwindHedge.RatioExceeded.selector
                    || s == UnwindHedge.AboveTarget.selector || s == UnwindHedge.FeeTooHigh.selector
                    || _isMorphoRefusal(err) || _isUniswapRefusal(err),
                "refused by a rule"
            );
            if (s == UnwindHedge.FeeTooHigh.selector) assertGt(fee, value * 50 / 10_000);
        }
    }

    function testFuzz_hostileOpen_goesThroughOnlyIfItPaysTheFloorAndTheFee(
        uint256 sizeSeed,
        uint256 shortSeed,
        uint256 paySeed,
        uint256 feeSeed
    ) public {
        _setUp(sizeSeed, 10_000);
        uint256 assets = _bound(shortSeed, 1, _maxShort());
        uint256 value = LtvMath.collateralValue(assets, oraclePrice());
        uint256 floor = LtvMath.oracleFloor(assets, oraclePrice(), 100);
        uint256 fee = _bound(feeSeed, 0, value * 50 / 10_000);
        uint256 pay = _bound(paySeed, 0, floor + fee + 10);
        HostileRouter.Plan memory p;
        (p.pull, p.payToken, p.pay) = (assets, address(loanToken), pay);
        payer.setPlan(p);
        int256 before = ownerEquity();

        vm.prank(keeper);
        try hedge.open(assets, address(payer), abi.encodeCall(HostileRouter.swap, (0, 0)), block.timestamp, fee) {
            assertGe(pay, floor + fee, "paid at least the floor and the fee");
            assertGe(ownerEquity(), before - int256(value * 100 / 10_000) - 2);
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(s == UnwindHedge.InsufficientProceeds.selector || s == UnwindHedge.AboveTarget.selector);
            if (s == UnwindHedge.InsufficientProceeds.selector) assertLt(pay, floor + fee);
        }
    }

    function testFuzz_close_afterAMoveCostsAtMostItsFeeAndSlippageAndNeverRaisesTheLtv(
        uint256 sizeSeed,
        uint256 moveSeed,
        uint256 quoteSeed,
        uint256 feeSeed
    ) public {
        _setUp(sizeSeed, 10_000);
        uint256 assets = _maxShort() / 2 + 1;
        _openAtOracle(assets);
        // -20% .. +10%: the pools follow the feed.
        movePrice(startAnswer * int256(_bound(moveSeed, 8000, 11_000)) / 10_000);

        (uint256 coll,,) = hedge.position();
        uint256 quote = _bound(quoteSeed, 1, coll / 2);
        uint256 fee = _bound(feeSeed, 0, quote * 60 / 10_000);
        uint256 ltvBefore = hedgeLtv();
        int256 before = ownerEquity();
        vm.prank(keeper);
        try hedge.close(quote, address(swapRouter), v3Swap(address(loanToken), quote - Math.min(fee, quote), 0), block.timestamp, fee) {
            (, uint256 debt,) = hedge.position();
            if (debt > 0) assertLe(hedgeLtv(), ltvBefore, "a buy-back never raises the hedge's LTV");
            // The C bought is valued down, the debt up: a few units of rounding.
            assertGe(ownerEquity(), before - int256(fee + quote * 100 / 10_000) - 3, "at most the fee and slippage");
            assertEq(loanToken.allowance(address(hedge), address(swapRouter)), 0);
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(
                s == UnwindHedge.InsufficientProceeds.selector || s == UnwindHedge.FeeTooHigh.selector
                    || s == UnwindHedge.LtvRose.selector || _isMorphoRefusal(err) || _isUniswapRefusal(err),
                "refused by a rule"
            );
            if (s == UnwindHedge.FeeTooHigh.selector) assertGt(fee, quote * 50 / 10_000);
        }
    }

    function testFuzz_releaseProfit_movesOnlyProfitAndNeverChangesTheOwnersEquity(
        uint256 sizeSeed,
        uint256 fallSeed,
        uint256 amountSeed
    ) public {
        _setUp(sizeSeed, 10_000);
        uint256 assets = _maxShort() / 2 + 1;
        _openAtOracle(assets);
        movePrice(startAnswer * int256(_bound(fallSeed, 7000, 9800)) / 10_000);
        uint256 amount = _bound(amountSeed, 1, LtvMath.collateralValue(assets, oraclePrice()));
        int256 before = ownerEquity();
        uint256 reserveBefore = loanToken.balanceOf(address(vault));

        vm.prank(keeper);
        try hedge.releaseProfit(amount, block.timestamp) {
            assertEq(ownerEquity(), before, "one pocket to another");
            assertEq(loanToken.balanceOf(address(vault)), reserveBefore + amount);
            assertLe(hedgeLtv(), LtvMath.bpsToWad(defaultHedgePolicy().targetLtvBps));
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(s == UnwindHedge.ProfitExceeded.selector || s == UnwindHedge.AboveTarget.selector);
        }
    }

    /// @dev A short filled at the oracle price (a pool of any depth would move): the tests after it start from it.
    function _openAtOracle(uint256 assets) internal {
        HostileRouter.Plan memory p;
        (p.pull, p.payToken, p.pay) = (assets, address(loanToken), LtvMath.collateralValue(assets, oraclePrice()));
        payer.setPlan(p);
        vm.prank(keeper);
        hedge.open(assets, address(payer), abi.encodeCall(HostileRouter.swap, (0, 0)), block.timestamp, 0);
    }

    function _isMorphoRefusal(bytes memory err) internal pure returns (bool) {
        if (err.length < 4 + 32) return false;
        bytes4 s = bytes4(err);
        if (s != bytes4(keccak256("Error(string)"))) return false;
        bytes32 msgHash = keccak256(_reason(err));
        return msgHash == keccak256("insufficient liquidity") || msgHash == keccak256("insufficient collateral")
            || msgHash == keccak256("zero assets");
    }

    /// @dev Uniswap V3's own refusals on a tiny or a too-large swap ("SPL": price limit; "AS": zero amount).
    function _isUniswapRefusal(bytes memory err) internal pure returns (bool) {
        if (err.length == 0) return true; // the pool's bare revert on an amount it cannot fill
        bytes4 s = bytes4(err);
        if (s != bytes4(keccak256("Error(string)"))) return false;
        bytes32 h = keccak256(_reason(err));
        return h == keccak256("SPL") || h == keccak256("AS") || h == keccak256("Too little received");
    }

    function _reason(bytes memory err) internal pure returns (bytes memory r) {
        bytes memory tail = new bytes(err.length - 4);
        for (uint256 i = 0; i < tail.length; i++) {
            tail[i] = err[i + 4];
        }
        r = bytes(abi.decode(tail, (string)));
    }
}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz18x6 is HedgeFuzzBase(18, 6, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz18x8 is HedgeFuzzBase(18, 8, 0.05e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz18x18 is HedgeFuzzBase(18, 18, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz8x6 is HedgeFuzzBase(8, 6, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz8x8 is HedgeFuzzBase(8, 8, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz8x18 is HedgeFuzzBase(8, 18, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz6x6 is HedgeFuzzBase(6, 6, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz6x8 is HedgeFuzzBase(6, 8, 20e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract HedgeFuzz6x18 is HedgeFuzzBase(6, 18, 1e8) {}
