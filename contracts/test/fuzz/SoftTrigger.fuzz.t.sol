// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The soft trigger, fuzzed on markets of every 6/8/18 decimals pairing (a ninth of the runs each): any
/// target < soft < trigger under the LLTV (or no soft trigger), a vault of 10 to 10^7 loan tokens at any LTV from
/// under the target to the LLTV's neighbourhood, and a keeper's sale (through a router paying anything from what the
/// vault requires up) or top-up of any size. Under the trigger, outside the soft zone, every action is `BelowTrigger`;
/// in the soft zone every action that goes through ends at or under the target and over the band's floor, and every
/// one that would end over the target is `SoftActionIncomplete`; over the trigger nothing is ever
/// `SoftActionIncomplete`. Whatever the zone, the owner's equity falls by at most the allowance.
abstract contract SoftTriggerFuzzBase is VaultFixture {
    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;
    int256 internal immutable startAnswer;
    HostileRouter internal router;

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    function setUp() public {
        uint256 oneLoan = 10 ** loanDecimals;
        vm.warp(START_TIME);
        deployMarket(
            MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, 1e8 * oneLoan, 1e6 * oneLoan, 1e6 * oneLoan)
        );
        router = new HostileRouter(address(collateralToken));
    }

    struct Case {
        uint256 sizeSeed;
        uint256 ltvBps;
        uint256 targetBps;
        uint256 softSeed;
        uint256 triggerSeed;
        uint256 probabilityBps;
        bool softOff;
    }

    /// @dev Opens the vault at the case's LTV, then sets the rules (the policy after the borrow, so that any LTV can
    /// be opened) and returns them.
    function _open(Case memory c) internal returns (Policy memory p, uint16 soft) {
        uint256 valueTokens = 10 ** _bound(c.sizeSeed, 1, 6) * _bound(c.sizeSeed >> 8, 1, 10);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralDecimals, uint256(startAnswer));
        p = defaultPolicy();
        p.targetLtvBps = uint16(_bound(c.targetBps, 2000, 8000));
        p.triggerLtvBps = uint16(_bound(c.triggerSeed, p.targetLtvBps + 2, 8500));
        soft = c.softOff ? 0 : uint16(_bound(c.softSeed, p.targetLtvBps + 1, p.triggerLtvBps - 1));
        p.bandBps = uint16(_bound(c.targetBps >> 16, 0, p.targetLtvBps));
        vm.prank(owner);
        vault = factory.createVault(marketParams);
        collateralToken.mint(owner, collateral);
        vm.startPrank(owner);
        collateralToken.approve(address(vault), collateral);
        vault.supplyCollateral(collateral);
        uint256 debt = valueOf(collateral, startAnswer) * _bound(c.ltvBps, 1000, 8550) / 10_000;
        if (debt > 0) vault.borrow(debt, owner);
        vault.setPolicy(p);
        vault.setSoftTrigger(soft, soft == 0 ? 0 : uint16(_bound(c.probabilityBps, 1, 9999)));
        vault.setKeeper(keeper, true);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        vm.stopPrank();
        vm.assume(debtOf(address(vault)) > 0);
    }

    function testFuzz_deleverage_softZoneEndsAtTheTargetOrIsRefused(
        Case memory c,
        uint256 sellSeed,
        uint256 overpaySeed
    ) public {
        (Policy memory p, uint16 soft) = _open(c);
        uint256 price = oracle.price();
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 equity = equityOf(address(vault), marketParams, price);
        uint256 allowance = equityAllowanceOf(vault, marketParams, price);
        uint256 collateral = collateralOf(address(vault));
        uint256 sell = _bound(sellSeed, 1, collateral);
        uint256 required = requiredOf(vault, marketParams, sell);
        uint256 pay = required + required * _bound(overpaySeed, 0, 2000) / 10_000;
        router.setPlan(HostileRouter.Plan(sell, address(loanToken), pay, address(0), "", address(0), 0, false));

        vm.prank(keeper);
        try vault.deleverage(sell, address(router), abi.encodeCall(HostileRouter.swap, (sell, 0)), 0, block.timestamp, 0) {
            _assertAllowed(p, soft, ltvBefore, ltvOf(address(vault)));
            assertGe(equityOf(address(vault), marketParams, price) + allowance, equity, "equity within the allowance");
        } catch (bytes memory err) {
            _assertRefusal(err, p, soft, ltvBefore);
        }
    }

    function testFuzz_topUp_softZoneEndsAtTheTargetOrIsRefused(Case memory c, uint256 amountSeed) public {
        (Policy memory p, uint16 soft) = _open(c);
        uint256 price = oracle.price();
        uint256 ltvBefore = ltvOf(address(vault));
        uint256 debt = debtOf(address(vault));
        uint256 amount = _bound(amountSeed, 1, debt);
        loanToken.mint(address(vault), amount);
        uint256 equity = equityOf(address(vault), marketParams, price);
        uint256 allowance = equityAllowanceOf(vault, marketParams, price);

        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, 0) {
            _assertAllowed(p, soft, ltvBefore, ltvOf(address(vault)));
            assertGe(equityOf(address(vault), marketParams, price) + allowance, equity, "equity within the allowance");
        } catch (bytes memory err) {
            _assertRefusal(err, p, soft, ltvBefore);
        }
    }

    /// @dev An action that went through started over the trigger, or in the soft zone and ended at the target or under.
    function _assertAllowed(Policy memory p, uint16 soft, uint256 ltvBefore, uint256 ltvAfter) internal pure {
        if (ltvBefore >= LtvMath.bpsToWad(p.triggerLtvBps)) return;
        assertTrue(soft != 0 && ltvBefore >= LtvMath.bpsToWad(soft), "under the trigger only from the soft zone");
        assertLe(ltvAfter, LtvMath.bpsToWad(p.targetLtvBps), "a soft-zone action ends at the target or under");
        assertGe(ltvAfter, LtvMath.bpsToWad(p.targetLtvBps - p.bandBps), "and not under the band");
    }

    function _assertRefusal(bytes memory err, Policy memory p, uint16 soft, uint256 ltvBefore) internal pure {
        bytes4 s = bytes4(err);
        bool underTrigger = ltvBefore < LtvMath.bpsToWad(p.triggerLtvBps);
        bool softZone = underTrigger && soft != 0 && ltvBefore >= LtvMath.bpsToWad(soft);
        if (underTrigger && !softZone) {
            assertEq(s, IUnwindVault.BelowTrigger.selector, "outside the soft zone: BelowTrigger");
            return;
        }
        if (s == IUnwindVault.SoftActionIncomplete.selector) {
            assertTrue(softZone, "SoftActionIncomplete only in the soft zone");
            return;
        }
        if (s == bytes4(keccak256("Error(string)"))) return; // the market's own health check on a large sale
        assertTrue(
            s == IUnwindVault.NotDeleveraged.selector || s == IUnwindVault.Oversold.selector
                || s == IUnwindVault.InsufficientProceeds.selector,
            "refused by a policy check"
        );
    }
}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz18x6 is SoftTriggerFuzzBase(18, 6, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz18x8 is SoftTriggerFuzzBase(18, 8, 0.05e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz18x18 is SoftTriggerFuzzBase(18, 18, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz8x6 is SoftTriggerFuzzBase(8, 6, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz8x8 is SoftTriggerFuzzBase(8, 8, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz8x18 is SoftTriggerFuzzBase(8, 18, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz6x6 is SoftTriggerFuzzBase(6, 6, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz6x8 is SoftTriggerFuzzBase(6, 8, 20e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract SoftTriggerFuzz6x18 is SoftTriggerFuzzBase(6, 18, 1e8) {}
