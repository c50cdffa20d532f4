// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

contract SettablePriceFeedTest is Test {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    SettablePriceFeed internal feed;
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.warp(1_700_000_000);
        feed = new SettablePriceFeed(8, "WETH / USDC", 3000e8);
    }

    function test_constructor_publishesTheFirstRound() public view {
        assertEq(feed.decimals(), 8);
        assertEq(feed.description(), "WETH / USDC");
        assertEq(feed.owner(), address(this));
        assertEq(feed.latestRound(), 1);
        (uint80 id, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredIn) = feed.latestRoundData();
        assertEq(id, 1);
        assertEq(answer, 3000e8);
        assertEq(startedAt, block.timestamp);
        assertEq(updatedAt, block.timestamp);
        assertEq(answeredIn, 1);
    }

    function test_setAnswer_publishesANewRoundNow() public {
        vm.warp(block.timestamp + 60);
        vm.expectEmit(address(feed));
        emit AnswerUpdated(2900e8, 2, block.timestamp);
        feed.setAnswer(2900e8);
        (uint80 id, int256 answer,, uint256 updatedAt, uint80 answeredIn) = feed.latestRoundData();
        assertEq(id, 2);
        assertEq(answer, 2900e8);
        assertEq(updatedAt, block.timestamp);
        assertEq(answeredIn, 2);
        (int256 old,,,) = feed.rounds(1);
        assertEq(old, 3000e8, "earlier rounds are kept");
    }

    function test_setRoundData_publishesAnyRoundAsGiven() public {
        vm.expectEmit(address(feed));
        emit AnswerUpdated(-1, 42, 123);
        feed.setRoundData(42, -1, 123, 41);
        (uint80 id, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredIn) = feed.latestRoundData();
        assertEq(id, 42);
        assertEq(answer, -1);
        assertEq(startedAt, 123);
        assertEq(updatedAt, 123);
        assertEq(answeredIn, 41);
        feed.setAnswer(1e8);
        assertEq(feed.latestRound(), 43, "setAnswer continues after the played round");
    }

    function test_transferOwnership_movesTheWriteRight() public {
        feed.transferOwnership(stranger);
        assertEq(feed.owner(), stranger);
        vm.expectRevert(abi.encodeWithSelector(SettablePriceFeed.NotOwner.selector));
        feed.setAnswer(1);
        vm.prank(stranger);
        feed.setAnswer(1);
        (, int256 answer,,,) = feed.latestRoundData();
        assertEq(answer, 1);
    }

    function test_setAnswer_ownerOnly() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SettablePriceFeed.NotOwner.selector));
        feed.setAnswer(1);
    }

    function test_setRoundData_ownerOnly() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SettablePriceFeed.NotOwner.selector));
        feed.setRoundData(2, 1, block.timestamp, 2);
    }

    function test_transferOwnership_ownerOnly() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(SettablePriceFeed.NotOwner.selector));
        feed.transferOwnership(stranger);
        assertEq(feed.owner(), address(this));
    }
}
