// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

/// @notice The adapter's scaling for every combination of 6, 8 and 18 decimals (collateral, loan, feed),
/// and its refusals, over fuzzed answers and ages.
contract ChainlinkOracleAdapterFuzzTest is Test {
    uint8[3] internal DECIMALS = [6, 8, 18];
    uint256 internal constant MAX_AGE = 1 hours;

    function setUp() public {
        vm.warp(1_700_000_000);
    }

    function _deploy(uint256 dSeed, int256 answer)
        internal
        returns (SettablePriceFeed feed, ChainlinkOracleAdapter adapter, uint8 dc, uint8 dl, uint8 df)
    {
        dc = DECIMALS[dSeed % 3];
        dl = DECIMALS[(dSeed / 3) % 3];
        df = DECIMALS[(dSeed / 9) % 3];
        feed = new SettablePriceFeed(df, "fuzz", answer);
        adapter = new ChainlinkOracleAdapter(IPriceFeed(address(feed)), dc, dl, MAX_AGE);
    }

    function testFuzz_price_isTheAnswerRescaledExactly(uint256 dSeed, uint256 rawAnswer) public {
        // Whole-token prices from 10^-6 to 10^12, whatever the feed's decimals.
        uint8 df = DECIMALS[(dSeed / 9) % 3];
        int256 answer = int256(_bound(rawAnswer, 10 ** (df > 6 ? df - 6 : 0), 1e12 * 10 ** df));
        (, ChainlinkOracleAdapter a, uint8 dc, uint8 dl,) = _deploy(dSeed, answer);
        uint256 price = a.price();
        // price = answer / 10^df * 10^dl / 10^dc * 1e36; with these decimals the exponent is never negative.
        (uint256 hi1, uint256 lo1) = Math.mul512(price, 10 ** (dc + df));
        (uint256 hi2, uint256 lo2) = Math.mul512(uint256(answer), 10 ** (36 + dl));
        assertEq(hi1, hi2, "exact, no rounding");
        assertEq(lo1, lo2, "exact, no rounding");
        assertEq(a.SCALE_DIV(), 1);
        // One whole collateral token is worth `answer` whole loan tokens.
        assertEq(Math.mulDiv(price, 10 ** dc, 1e36), Math.mulDiv(uint256(answer), 10 ** dl, 10 ** df));
    }

    function testFuzz_price_acceptsAnyAgeUpToMaxAge(uint256 dSeed, uint256 age) public {
        (, ChainlinkOracleAdapter a,,,) = _deploy(dSeed, 1e8);
        vm.warp(block.timestamp + _bound(age, 0, MAX_AGE));
        assertGt(a.price(), 0);
    }

    function testFuzz_price_refusesAnyAgeBeyondMaxAge(uint256 dSeed, uint256 age) public {
        (, ChainlinkOracleAdapter a,,,) = _deploy(dSeed, 1e8);
        uint256 updatedAt = block.timestamp;
        vm.warp(block.timestamp + _bound(age, MAX_AGE + 1, 3650 days));
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, updatedAt, MAX_AGE));
        a.price();
    }

    function testFuzz_price_refusesAnyFutureTimestamp(uint256 dSeed, uint256 ahead) public {
        (SettablePriceFeed f, ChainlinkOracleAdapter a,,,) = _deploy(dSeed, 1e8);
        uint256 at = block.timestamp + _bound(ahead, 1, 3650 days);
        f.setRoundData(5, 1e8, at, 5);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.StalePrice.selector, at, MAX_AGE));
        a.price();
    }

    function testFuzz_price_refusesZeroOrNegative(uint256 dSeed, int256 answer) public {
        answer = int256(_bound(answer, type(int256).min, 0));
        (SettablePriceFeed f, ChainlinkOracleAdapter a,,,) = _deploy(dSeed, 1e8);
        f.setAnswer(answer);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.InvalidAnswer.selector, answer));
        a.price();
    }

    function testFuzz_price_refusesAnIncompleteRound(uint256 dSeed, uint80 roundId, uint80 answeredIn) public {
        roundId = uint80(_bound(roundId, 1, type(uint80).max));
        answeredIn = uint80(_bound(answeredIn, 0, roundId - 1));
        (SettablePriceFeed f, ChainlinkOracleAdapter a,,,) = _deploy(dSeed, 1e8);
        f.setRoundData(roundId, 1e8, block.timestamp, answeredIn);
        vm.expectRevert(abi.encodeWithSelector(ChainlinkOracleAdapter.IncompleteRound.selector, roundId, answeredIn));
        a.price();
    }
}
