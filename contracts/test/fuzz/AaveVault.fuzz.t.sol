// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Vm} from "forge-std/Vm.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Fuzzed Aave-vault deleverage and top-up on the real Aave V3 pool, for every pairing of 6, 8 and 18
/// decimals (the nine contracts below, each a ninth of the profile's runs). Each run opens a vault worth 10 to
/// 10^7 loan tokens at 75% LTV against Aave's 82.5% threshold; a drop of 6.5-9% takes it over the 80% trigger
/// and keeps it healthy on Aave. The keeper sells 0.6-25% of the collateral (small sales go direct, larger ones
/// through the flash loan) through Uniswap V3 or V2 or a router paying anything from what the vault requires up
/// (premium included on the flash path), or tops up. Whatever happens: a sale or top-up that goes through lowered
/// debt and LTV, repaid at least the oracle floor, left no allowance and HF >= 1, and lowered the owner's equity
/// (at the action's price) by at most the allowance, premium included; one that reverts did so with one of the
/// policy's own refusals.
abstract contract AaveVaultFuzzBase is AaveVaultFixture {
    uint16 internal constant SLIPPAGE_BPS = 200;
    HostileRouter internal router;
    int256 internal startAnswer;
    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    function setUp() public {
        uint256 oneLoan = 10 ** loanDecimals;
        MarketConfig memory c =
            MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, oneLoan, 1e9 * oneLoan, 1e9 * oneLoan);
        AaveConfig memory a = defaultAaveConfig();
        a.liquidity = 1e8 * oneLoan;
        vm.warp(START_TIME);
        deployAaveMarket(c, a);
        router = new HostileRouter(address(collateralToken));
    }

    function _open(uint256 sizeSeed) internal {
        uint256 valueTokens = 10 ** _bound(sizeSeed, 1, 6) * _bound(sizeSeed >> 8, 1, 10);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralToken.decimals(), uint256(startAnswer));
        vault = openAaveVault(owner, collateral, 7500, 0);
        allowUniswapOn(vault);
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

    function _crash(uint256 drop) internal {
        drop = _bound(drop, 650, 900);
        movePrice(startAnswer * int256(10_000 - drop) / 10_000);
        assertGe(ltvOf(address(vault)), bps(8000));
    }

    struct Before {
        uint256 collateral;
        uint256 debt;
        uint256 price;
        uint256 ltv;
        uint256 equity;
        uint256 allowance;
    }

    function _before() internal view returns (Before memory b) {
        b.collateral = collateralOf(address(vault));
        b.debt = debtOf(address(vault));
        b.price = priceNow();
        b.ltv = ltvOf(address(vault));
        b.equity = equityOf(address(vault), b.price);
        b.allowance = equityAllowanceOf(vault, b.price);
    }

    function testFuzz_deleverage(
        uint256 positionSeed,
        uint256 drop,
        uint256 sizeSeed,
        uint8 venue,
        uint256 extraSeed,
        uint256 feeSeed
    ) public {
        _open(positionSeed);
        _crash(drop);
        Before memory b = _before();
        uint256 sizeBps = sizeSeed % 2 == 0 ? _bound(sizeSeed >> 1, 60, 300) : _bound(sizeSeed >> 1, 300, 2500);
        uint256 sell = b.collateral * sizeBps / 10_000;
        uint256 required = requiredOf(sell);
        bool direct = directPathFor(sell);
        uint256 fee = _bound(feeSeed, 0, required * 50 / 10_000);
        address r;
        bytes memory data;
        venue = venue % 3;
        if (venue == 0) {
            (r, data) = (address(swapRouter), v3SellCalldata(address(vault), sell, 0));
        } else if (venue == 1) {
            (r, data) = (address(v2Router), v2SellCalldata(address(vault), sell, 0));
        } else {
            // Pays what the vault requires (premium included on the flash path), plus 0-1% of it.
            uint256 needed = required + fee + (direct ? 0 : premiumOf(required));
            HostileRouter.Plan memory p;
            (p.pull, p.payToken, p.pay) = (sell, address(loanToken), needed + _bound(extraSeed, 0, needed / 100));
            router.setPlan(p);
            (r, data) = (address(router), abi.encodeCall(HostileRouter.swap, (0, 0)));
        }
        uint256 keeperBefore = loanBalance(keeper);

        vm.prank(keeper);
        try vault.deleverage(sell, r, data, 0, block.timestamp, fee) returns (uint256 repaid, uint256) {
            assertGe(repaid, LtvMath.oracleFloor(sell, b.price, SLIPPAGE_BPS), "oracle floor");
            assertLt(debtOf(address(vault)), b.debt, "debt down");
            assertLt(ltvOf(address(vault)), b.ltv, "LTV down");
            assertGe(ltvOf(address(vault)), bps(6500), "not oversold");
            assertEq(collateralToken.allowance(address(vault), r), 0, "no allowance left");
            assertLe(b.collateral - collateralOf(address(vault)), sell, "no more collateral than asked");
            assertEq(loanBalance(keeper) - keeperBefore, fee, "the fee, exactly");
            assertGe(healthFactorOf(address(vault)), 1e18, "healthy on Aave");
            assertGe(equityOf(address(vault), b.price) + b.allowance + 1, b.equity, "equity bound, premium included");
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(
                s == IUnwindVault.InsufficientProceeds.selector || s == IUnwindVault.NotDeleveraged.selector
                    || s == IUnwindVault.Oversold.selector || s == IUnwindVault.EquityLoss.selector,
                "a policy refusal, nothing else"
            );
        }
    }

    /// @dev Reach: in every pairing, a 1% sale goes through directly and a 20% sale through the flash loan, so the
    /// fuzzed runs above are not all refusals.
    function test_bothPathsGoThrough() public {
        _open(4 | (5 << 8)); // 50,000 loan tokens
        _crash(800); // 81.5%
        uint256 coll = collateralOf(address(vault));
        uint256 snap = vm.snapshotState();
        for (uint256 i = 0; i < 2; i++) {
            uint256 sell = i == 0 ? coll / 100 : coll / 5;
            assertEq(directPathFor(sell), i == 0);
            bytes memory data = v3SellCalldata(address(vault), sell, 0);
            vm.recordLogs();
            vm.prank(keeper);
            vault.deleverage(sell, address(swapRouter), data, 0, block.timestamp, 0);
            assertEq(collateralOf(address(vault)), coll - sell);
            assertEq(_flashLoans(), i, "the path taken: direct, then flash");
            vm.revertToState(snap);
        }
    }

    function _flashLoans() internal returns (uint256 n) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = keccak256("FlashLoan(address,address,address,uint256,uint8,uint256,uint16)");
        for (uint256 j = 0; j < logs.length; j++) {
            if (logs[j].emitter == address(aavePool) && logs[j].topics[0] == topic) n++;
        }
    }

    function testFuzz_topUp(uint256 positionSeed, uint256 drop, uint256 amountSeed, uint256 feeSeed) public {
        _open(positionSeed);
        _crash(drop);
        Before memory b = _before();
        uint256 amount = _bound(amountSeed, b.debt / 100, b.debt / 5);
        uint256 fee = _bound(feeSeed, 0, amount * 50 / 10_000);
        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, fee) returns (uint256 repaid) {
            assertEq(repaid, amount);
            assertApproxEqAbs(debtOf(address(vault)), b.debt - amount, 1, "debt down by the amount");
            assertLt(ltvOf(address(vault)), b.ltv);
            assertGe(equityOf(address(vault), b.price) + b.allowance + 1, b.equity, "equity bound");
            assertEq(b.equity - Math.min(b.equity, equityOf(address(vault), b.price)) <= fee + 1, true, "only the fee");
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(
                s == IUnwindVault.Oversold.selector || s == IUnwindVault.EquityLoss.selector
                    || s == IUnwindVault.NotDeleveraged.selector,
                "a policy refusal, nothing else"
            );
        }
    }
}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral18Loan6 is AaveVaultFuzzBase(18, 6, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral18Loan8 is AaveVaultFuzzBase(18, 8, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral18Loan18 is AaveVaultFuzzBase(18, 18, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral8Loan6 is AaveVaultFuzzBase(8, 6, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral8Loan8 is AaveVaultFuzzBase(8, 8, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral8Loan18 is AaveVaultFuzzBase(8, 18, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral6Loan6 is AaveVaultFuzzBase(6, 6, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral6Loan8 is AaveVaultFuzzBase(6, 8, 20e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
/// forge-config: random.fuzz.runs = 280
contract AaveVaultFuzzCollateral6Loan18 is AaveVaultFuzzBase(6, 18, 1e8) {}
