// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The equity bound, fuzzed on markets of every 6/8/18 decimals pairing (a ninth of the runs each): a
/// vault of 10 to 10^7 loan tokens on a 98% LLTV market, LTV anywhere from the trigger to 97%, any slippage and
/// fee cap the policy allows, a reserve; a hostile keeper's router that pays anything at or above what the vault
/// requires, or a top-up of any size. Every action that goes through lowers the owner's equity at the action's
/// oracle price (collateral value + the vault's loan-token balance - debt) by at most the allowance,
/// (maxSlippage + maxFee) of the equity before; every one that does not fails with a policy error.
abstract contract EquityBoundFuzzBase is VaultFixture {
    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;
    int256 internal immutable startAnswer;
    MarketParams internal high;
    HostileRouter internal router;

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    function setUp() public {
        uint256 oneLoan = 10 ** loanDecimals;
        vm.warp(START_TIME);
        deployMarket(MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, 1e8 * oneLoan, 1e6 * oneLoan, 1e6 * oneLoan));
        vm.prank(deployer);
        morpho.enableLltv(0.98e18);
        high = MarketParams(address(loanToken), address(collateralToken), address(oracle), irm, 0.98e18);
        morpho.createMarket(high);
        loanToken.mint(lender, 1e8 * oneLoan);
        vm.prank(lender);
        morpho.supply(high, 1e8 * oneLoan, 0, lender, "");
        router = new HostileRouter(address(collateralToken));
    }

    struct Case {
        uint256 sizeSeed;
        uint256 ltvBps;
        uint256 slippageBps;
        uint256 feeCapBps;
        uint256 reserveBps;
    }

    function _open(Case memory c) internal {
        uint256 valueTokens = 10 ** _bound(c.sizeSeed, 1, 6) * _bound(c.sizeSeed >> 8, 1, 10);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralDecimals, uint256(startAnswer));
        vm.prank(owner);
        vault = factory.createVault(high);
        collateralToken.mint(owner, collateral);
        vm.startPrank(owner);
        collateralToken.approve(address(vault), collateral);
        vault.supplyCollateral(collateral);
        uint256 debt = valueOf(collateral, startAnswer) * _bound(c.ltvBps, 8000, 9700) / 10_000;
        if (debt > 0) vault.borrow(debt, owner);
        Policy memory p = defaultPolicy();
        (p.bandBps, p.maxSlippageBps, p.maxFeeBps) = (7000, uint16(_bound(c.slippageBps, 0, 1000)), uint16(_bound(c.feeCapBps, 0, 500)));
        vault.setPolicy(p);
        vault.setKeeper(keeper, true);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
        vm.stopPrank();
        loanToken.mint(address(vault), debt * _bound(c.reserveBps, 0, 3000) / 10_000);
        vm.assume(ltvOf(address(vault), high) >= bps(8000));
    }

    function testFuzz_deleverage_equityLossWithinTheAllowance(Case memory c, uint256 sellSeed, uint256 overpaySeed, uint256 feeSeed)
        public
    {
        _open(c);
        uint256 price = oracle.price();
        uint256 equity = equityOf(address(vault), high, price);
        uint256 allowance = equityAllowanceOf(vault, high, price);
        uint256 collateral = collateralOf(address(vault), high);
        uint256 sell = _bound(sellSeed, 1, collateral);
        uint256 required = requiredOf(vault, high, sell);
        uint256 fee = _bound(feeSeed, 0, allowance);
        // Anything from exactly what the vault requires to 20% more.
        uint256 pay = required + fee + (required + fee) * _bound(overpaySeed, 0, 2000) / 10_000;
        router.setPlan(HostileRouter.Plan(sell, address(loanToken), pay, address(0), "", address(0), 0, false));

        vm.prank(keeper);
        try vault.deleverage(sell, address(router), abi.encodeCall(HostileRouter.swap, (sell, 0)), 0, block.timestamp, fee) returns (
            uint256 repaid, uint256 proceeds
        ) {
            assertEq(proceeds, pay);
            assertTrue(repaid >= required || debtOf(address(vault), high) == 0, "repays what it must, or all the debt");
            assertEq(collateralOf(address(vault), high), collateral - sell);
            assertGe(equityOf(address(vault), high, price) + allowance, equity, "equity lost within the allowance");
        } catch (bytes memory err) {
            _assertPolicyRefusal(err);
        }
    }

    function testFuzz_topUp_equityLossWithinTheAllowance(Case memory c, uint256 amountSeed, uint256 feeSeed) public {
        c.reserveBps = _bound(c.reserveBps, 100, 3000);
        _open(c);
        uint256 price = oracle.price();
        uint256 equity = equityOf(address(vault), high, price);
        uint256 allowance = equityAllowanceOf(vault, high, price);
        uint256 reserve = vault.reserve();
        uint256 fee = _bound(feeSeed, 0, Math.min(allowance, reserve - 1));
        uint256 amount = _bound(amountSeed, 1, reserve - fee);

        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, fee) returns (uint256 repaid) {
            assertGt(repaid, 0);
            assertEq(loanToken.balanceOf(keeper), fee);
            assertGe(equityOf(address(vault), high, price) + allowance, equity, "equity lost within the allowance");
        } catch (bytes memory err) {
            _assertPolicyRefusal(err);
        }
    }

    /// @dev A refusal is one of the policy's post-conditions, never a failure of the bound's arithmetic; or the
    /// market's own health check, when the collateral withdrawn for a sale (up to all of it) leaves more debt than the
    /// rest can carry at the LLTV before the proceeds arrive (Morpho's `insufficient collateral`; deep runs reach it).
    function _assertPolicyRefusal(bytes memory err) internal pure {
        bytes4 s = bytes4(err);
        if (s == bytes4(keccak256("Error(string)"))) {
            bytes memory payload = new bytes(err.length - 4);
            for (uint256 i = 0; i < payload.length; i++) {
                payload[i] = err[i + 4];
            }
            assertEq(abi.decode(payload, (string)), "insufficient collateral", "the market's refusal");
            return;
        }
        assertTrue(
            s == IUnwindVault.NotDeleveraged.selector || s == IUnwindVault.Oversold.selector
                || s == IUnwindVault.FeeTooHigh.selector || s == IUnwindVault.ZeroAmount.selector,
            "refused by a policy check"
        );
    }
}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz18x6 is EquityBoundFuzzBase(18, 6, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz18x8 is EquityBoundFuzzBase(18, 8, 0.05e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz18x18 is EquityBoundFuzzBase(18, 18, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz8x6 is EquityBoundFuzzBase(8, 6, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz8x8 is EquityBoundFuzzBase(8, 8, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz8x18 is EquityBoundFuzzBase(8, 18, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz6x6 is EquityBoundFuzzBase(6, 6, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz6x8 is EquityBoundFuzzBase(6, 8, 20e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract EquityBoundFuzz6x18 is EquityBoundFuzzBase(6, 18, 1e8) {}
