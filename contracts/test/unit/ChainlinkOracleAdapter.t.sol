// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

contract ChainlinkOracleAdapterTest is Test {
    uint256 internal constant MAX_AGE = 1 hours;

    function setUp() public {
        vm.warp(1_700_000_000);
    }

    function _adapter(uint8 feedDecimals, int256 answer, uint8 collateralDecimals, uint8 loanDecimals)
        internal
        returns (SettablePriceFeed feed, ChainlinkOracleAdapter adapter)
    {
        feed = new SettablePriceFeed(feedDecimals, "test", answer);
        adapter = new ChainlinkOracleAdapter(IPriceFeed(address(feed)), collateralDecimals, loanDecimals, MAX_AGE);
    }

    // ---- scaling: loan base units per collateral base unit, times 1e36 ----

    function test_price_collateral18_loan6() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6); // WETH/USDC at 3000
        assertEq(a.price(), 3000e6 * 1e36 / 1e18);
        assertEq(a.SCALE_MUL(), 1e16);
        assertEq(a.SCALE_DIV(), 1);
    }

    function test_price_collateral8_loan18() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 60_000e8, 8, 18); // WBTC/DAI at 60000
        assertEq(a.price(), 60_000e18 * 1e36 / 1e8);
        assertEq(a.SCALE_MUL(), 1e38);
    }

    function test_price_collateral6_loan8() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 2e8, 6, 8); // 2 loan tokens per collateral token
        assertEq(a.price(), 2e8 * 1e36 / 1e6);
    }

    function test_price_collateral18_loan18_feed18() public {
        (, ChainlinkOracleAdapter a) = _adapter(18, 1.05e18, 18, 18); // wstETH/WETH at 1.05
        assertEq(a.price(), 1.05e36);
        assertEq(a.SCALE_MUL(), 1e18);
        assertEq(a.SCALE_DIV(), 1);
    }

    function test_price_collateral6_loan18_feed18() public {
        (, ChainlinkOracleAdapter a) = _adapter(18, 0.5e18, 6, 18);
        assertEq(a.price(), 0.5e18 * 1e36 / 1e6);
    }

    function test_price_negativeExponentDivides() public {
        // 36 + 6 - 18 - 30 = -6: a feed finer than the scale is divided down, rounding toward zero.
        (, ChainlinkOracleAdapter a) = _adapter(30, 3000e30 + 123_456, 18, 6);
        assertEq(a.SCALE_MUL(), 1);
        assertEq(a.SCALE_DIV(), 1e6);
        assertEq(a.price(), 3000e24);
    }

    function test_price_oneWholeTokenIsWorthTheAnswer() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 1234.5678e8, 18, 6);
        assertEq(a.price() * 1e18 / 1e36, 1234.5678e6);
    }

    function test_constructor_storesFeedAndMaxAge() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 1e8, 18, 6);
        assertEq(address(a.FEED()), address(f));
        assertEq(a.MAX_AGE(), MAX_AGE);
    }

    // ---- refusals ----

    function test_price_acceptsAnAnswerExactlyMaxAgeOld() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        vm.warp(block.timestamp + MAX_AGE);
        assertEq(a.price(), 3e27);
    }

    function test_price_revertsWhenStale() public {
        (, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + MAX_AGE + 1);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, updatedAt, MAX_AGE));
        a.price();
    }

    function test_price_revertsOnANeverUpdatedRound() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setRoundData(2, 3000e8, 0, 2);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, 0, MAX_AGE));
        a.price();
    }

    function test_price_revertsOnAFutureTimestamp() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setRoundData(2, 3000e8, block.timestamp + 1, 2);
        vm.expectRevert(
            abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, block.timestamp + 1, MAX_AGE)
        );
        a.price();
    }

    function test_price_revertsOnZero() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setAnswer(0);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, int256(0)));
        a.price();
    }

    function test_price_revertsOnNegative() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setAnswer(type(int256).min);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, type(int256).min));
        a.price();
    }

    function test_price_revertsOnAnIncompleteRound() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setRoundData(7, 3000e8, block.timestamp, 6);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.IncompleteRound.selector, 7, 6));
        a.price();
    }

    function test_price_invalidAnswerIsReportedBeforeStaleness() public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a) = _adapter(8, 3000e8, 18, 6);
        f.setRoundData(7, -5, 0, 6);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, int256(-5)));
        a.price();
    }
}
