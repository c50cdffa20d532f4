// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HighLltvFixture} from "../utils/HighLltvFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Guard, Policy, PRICE_OK, PRICE_DEVIATION} from "../../src/interfaces/IUnwindVault.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice The price guard's scale and deviation bound for every 6/8/18 decimals triple (loan, collateral, feed):
/// the feed's answer is read as answer x 10^(36 + loan - collateral - feed), and an oracle price is refused
/// exactly when it is more than maxDeviation of that away, the same above and below.
contract PriceGuardFuzzTest is VaultFixture {
    function setUp() public {
        setUpVault();
    }

    function testFuzz_deviation_symmetricAndExactAtTheBoundary(
        uint256 loanSeed,
        uint256 collateralSeed,
        uint256 feedSeed,
        uint256 answer,
        uint256 maxDev
    ) public {
        (uint8 ld, uint8 cd, uint8 fd) = (_decimals(loanSeed), _decimals(collateralSeed), _decimals(feedSeed));
        answer = _bound(answer, 1, 1e9 * 10 ** fd);
        maxDev = _bound(maxDev, 1, 10_000);
        TestToken loan = new TestToken("L", "L", ld);
        TestToken coll = new TestToken("C", "C", cd);
        MarketParams memory params = MarketParams(address(loan), address(coll), address(oracle), irm, marketParams.lltv);
        morpho.createMarket(params);
        vm.prank(deployer);
        SettablePriceFeed f = new SettablePriceFeed(fd, "F", int256(answer));
        vm.startPrank(owner);
        UnwindVault v = factory.createVault(params);
        v.setGuard(Guard(address(f), 1 hours, uint16(maxDev), 0, 0));
        vm.stopPrank();

        uint256 feedPrice = answer * 10 ** (36 + uint256(ld) - cd - fd);
        uint256 d = feedPrice * maxDev / 10_000;
        _assertStatus(v, feedPrice, PRICE_OK);
        _assertStatus(v, feedPrice + d, PRICE_OK);
        _assertStatus(v, feedPrice - d, PRICE_OK);
        _assertStatus(v, feedPrice + d + 1, PRICE_DEVIATION);
        if (d + 1 <= feedPrice) _assertStatus(v, feedPrice - d - 1, PRICE_DEVIATION);
    }

    function _assertStatus(UnwindVault v, uint256 oraclePrice, uint8 expected) internal view {
        (uint8 status,) = v.checkPrice(oraclePrice);
        assertEq(status, expected);
    }

    function _decimals(uint256 seed) internal pure returns (uint8) {
        uint256 i = seed % 3;
        return i == 0 ? 6 : i == 1 ? 8 : 18;
    }
}

/// @notice The rate limit, fuzzed: a window of 3-50% of the collateral and six sales of fuzzed sizes in one block,
/// each paid exactly what the vault requires. Whatever sizes come, what is sold in the window never passes the
/// window's share of the collateral it started with, and every refusal is the window's, the trigger's or the
/// minimum progress's.
contract RateLimitFuzzTest is HighLltvFixture {
    function setUp() public {
        Policy memory p = defaultPolicy();
        (p.triggerLtvBps, p.targetLtvBps, p.bandBps) = (8500, 8000, 8000);
        setUpHighVault(9500, p);
    }

    function testFuzz_window_totalSoldWithinTheShare(uint256 shareSeed, uint256[6] memory sizes) public {
        uint256 share = _bound(shareSeed, 300, 5000);
        vm.prank(owner);
        hv.setGuard(Guard(address(0), 0, 0, 1 days, uint16(share)));
        uint256 start = hvCollateral();
        uint256 sold = 0;
        for (uint256 i = 0; i < 6; i++) {
            uint256 collateral = hvCollateral();
            // The first sale fits the window (and moves LTV enough); the others are anything up to 30%.
            uint256 sizeBps = i == 0 ? _bound(sizes[i], 300, share) : _bound(sizes[i], 1, 3000);
            uint256 sell = collateral * sizeBps / 10_000;
            if (sell == 0) continue;
            planSale(sell, requiredOf(hv, highMarket, sell));
            vm.prank(keeper);
            try hv.deleverage(sell, address(router), swapData(sell), 0, block.timestamp, 0) {
                sold += sell;
                assertEq(hvCollateral(), collateral - sell);
            } catch (bytes memory err) {
                assertTrue(i > 0, "the first sale fits");
                bytes4 s = bytes4(err);
                assertTrue(
                    s == IUnwindVault.WindowExceeded.selector || s == IUnwindVault.BelowTrigger.selector
                        || s == IUnwindVault.NotDeleveraged.selector,
                    "refused by the window, the trigger or the minimum progress"
                );
            }
        }
        assertGt(sold, 0);
        assertLe(sold, start * share / 10_000, "never more than the window's share");
    }
}
