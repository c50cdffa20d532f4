// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {IUnwindVault, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {IAavePool} from "../../src/interfaces/IAaveV3.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice Drives an Aave vault on the real Aave V3 pool through what can happen to it: honest keepers selling
/// through Uniswap V3 and V2 (direct or flash, as the vault decides), a hostile router that is also a keeper
/// (steals, short-pays, short-pays the premium, pays the wrong token, pulls more, pulls the reserve, re-enters the
/// vault, calls `executeOperation` itself, starts a flash loan naming the vault, or pays exactly what the vault
/// requires), top-ups, strangers, fake callbacks, price moves, a stale guard feed, time, and the owner's repay,
/// withdraw and pause. Expected refusals are classified; anything else reverts the handler, which fails the
/// campaign (`fail_on_revert`). What each successful keeper action did is checked on the spot; a violation is
/// counted in a ghost the invariants require to stay 0. Reach is counted per kind for the test's floors.
contract AaveHandler is AaveVaultFixture {
    struct World {
        uint8 collateralDecimals;
        uint8 loanDecimals;
        int256 price;
    }

    HostileRouter public hostile;
    TestToken internal junk;
    int256 internal startAnswer;
    uint256 public steps;
    mapping(bytes32 => uint256) public calls;

    // Ghosts: each counts a violation; the invariants require 0.
    uint256 public ghostEquityLoss;
    uint256 public ghostNotDeleveraged;
    uint256 public ghostUnderFloor;
    uint256 public ghostUnhealthy;
    uint256 public ghostAttackerGain;
    uint256 public ghostOwnerBlocked;

    bytes internal GUARD = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);

    constructor(World memory w) {
        startAnswer = w.price;
        uint256 oneLoan = 10 ** w.loanDecimals;
        MarketConfig memory c = MarketConfig(w.collateralDecimals, w.loanDecimals, w.price, 0.86e18, oneLoan, 1e8 * oneLoan, 2e7 * oneLoan);
        AaveConfig memory a = defaultAaveConfig();
        a.liquidity = 1e8 * oneLoan;
        uint256 collateral = Math.mulDiv(100_000 * 1e8, 10 ** w.collateralDecimals, uint256(w.price)); // $100k
        setUpAaveVault(c, a, collateral, 7500, 0);
        hostile = new HostileRouter(address(collateralToken));
        junk = new TestToken("Junk", "JNK", 6);
        vm.startPrank(owner);
        vault.setRoute(address(hostile), HostileRouter.swap.selector, true);
        vault.setKeeper(address(hostile), true); // the attacker holds a keeper key too
        vm.stopPrank();
        loanToken.mint(address(vault), 1000 * oneLoan); // a reserve for top-ups, and to steal
    }

    modifier step() {
        steps++;
        _;
    }

    function vaultAddress() external view returns (address) {
        return address(vault);
    }

    function keeperAddress() external view returns (address) {
        return keeper;
    }

    function routers() external view returns (address[3] memory) {
        return [address(swapRouter), address(v2Router), address(hostile)];
    }

    function tokens() external view returns (address loan, address coll, address aColl, address debtToken) {
        return (address(loanToken), address(collateralToken), address(aCollateral), address(variableDebtLoan));
    }

    function _count(string memory name) internal {
        calls[keccak256(bytes(name))]++;
    }

    // ---- observation ----

    struct Obs {
        uint256 collateral;
        uint256 debt;
        uint256 price;
        uint256 ltv;
        uint256 equity;
        uint256 allowance;
        uint256 keeperLoan;
        uint256 hostileLoan;
        uint256 healthFactor;
    }

    function _observe() internal view returns (Obs memory o) {
        o.collateral = collateralOf(address(vault));
        o.debt = debtOf(address(vault));
        o.price = priceNow();
        o.ltv = LtvMath.ltv(o.collateral, o.debt, o.price);
        o.equity = equityOf(address(vault), o.price);
        o.allowance = equityAllowanceOf(vault, o.price);
        o.keeperLoan = loanBalance(keeper);
        o.hostileLoan = loanBalance(address(hostile));
        o.healthFactor = o.debt > 0 ? healthFactorOf(address(vault)) : type(uint256).max;
    }

    /// @dev After a keeper action that went through: debt and LTV down at the action's price, the owner's equity
    /// within the allowance (premium and fee included), no less healthy on Aave (healthy if it was), and the senders
    /// gained at most the fee.
    function _afterAction(Obs memory b, uint256 fee, uint256 repaid, uint256 sold, uint256 slippageBps, address sender)
        internal
    {
        uint256 debt = debtOf(address(vault));
        uint256 coll = collateralOf(address(vault));
        if (debt >= b.debt || LtvMath.ltv(coll, debt, b.price) >= b.ltv) ghostNotDeleveraged++;
        if (equityOf(address(vault), b.price) + b.allowance + 1 < b.equity) ghostEquityLoss++;
        if (sold > 0 && repaid < LtvMath.oracleFloor(sold, b.price, slippageBps)) ghostUnderFloor++;
        // A keeper action never makes the position liquidatable, nor one that already was (the price moved past the
        // threshold before the keeper acted) less healthy: a sale cannot end under 1 (Aave refuses its withdrawal),
        // and a top-up only repays, however little of the way back to 1 it goes.
        if (debt > 0) {
            uint256 hf = healthFactorOf(address(vault));
            if (hf < 1e18 && (b.healthFactor >= 1e18 || hf < b.healthFactor)) ghostUnhealthy++;
        }
        uint256 gained = loanBalance(sender) - (sender == keeper ? b.keeperLoan : b.hostileLoan);
        if (gained > fee) ghostAttackerGain++;
    }

    function _sellSize(uint256 seed, uint256 collateral) internal pure returns (uint256) {
        // Small ones (often direct) and large ones (flash), up to a quarter of the collateral.
        return seed % 2 == 0 ? collateral * (20 + seed % 280) / 10_000 : collateral * (300 + seed % 2200) / 10_000;
    }

    // ---- keepers ----

    function deleverageUniswap(uint256 sizeSeed, bool useV2, uint256 feeSeed) external step {
        _maybePush(sizeSeed);
        Obs memory b = _observe();
        uint256 sell = _sellSize(sizeSeed, b.collateral);
        if (sell == 0) return;
        uint256 fee = feeSeed % 3 == 0 ? 0 : _bound(feeSeed, 0, LtvMath.oracleFloor(sell, b.price, 0) * 55 / 10_000);
        address r = useV2 ? address(v2Router) : address(swapRouter);
        bytes memory data = useV2 ? v2SellCalldata(address(vault), sell, 0) : v3SellCalldata(address(vault), sell, 0);
        bool direct = directPathFor(sell);
        vm.prank(keeper);
        try vault.deleverage(sell, r, data, 0, block.timestamp, fee) returns (uint256 repaid, uint256) {
            _afterAction(b, fee, repaid, sell, vault.policy().maxSlippageBps, keeper);
            _count(direct ? "sale.direct" : "sale.flash");
        } catch (bytes memory err) {
            _expectPolicyRefusal(err, "deleverageUniswap");
        }
    }

    struct Attack {
        uint256 mode;
        address sender;
        uint256 sell;
        bool direct;
        uint256 required;
        uint256 fee;
        uint256 needed;
    }

    function deleverageHostile(uint256 modeSeed, uint256 sizeSeed, uint256 feeSeed, uint256 extraSeed) external step {
        _maybePush(modeSeed >> 8);
        Obs memory b = _observe();
        Attack memory a;
        a.mode = modeSeed % 10;
        a.sender = extraSeed % 2 == 0 ? keeper : address(hostile);
        a.sell = _sellSize(sizeSeed, b.collateral);
        // Short of the premium needs the flash path: a sale of 10-25% of the collateral.
        if (a.mode == 2) a.sell = b.collateral * (1000 + sizeSeed % 1500) / 10_000;
        if (a.sell == 0) return;
        a.direct = directPathFor(a.sell);
        a.required = requiredOf(a.sell);
        a.fee = _bound(feeSeed, 0, a.required * 50 / 10_000);
        a.needed = a.required + a.fee + (a.direct ? 0 : premiumOf(a.required));
        if (a.mode == 2 && a.direct) return; // short of the premium: flash path only
        (HostileRouter.Plan memory p, bytes memory expected) = _hostilePlan(a, extraSeed);
        hostile.setPlan(p);
        vm.prank(a.sender);
        try vault.deleverage(a.sell, address(hostile), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, a.fee) returns (
            uint256 repaid, uint256
        ) {
            _afterAction(b, a.fee, repaid, a.sell, vault.policy().maxSlippageBps, a.sender);
            if (a.mode < 5 || (a.mode >= 6 && a.mode <= 8)) ghostAttackerGain++; // an attack went through
            _count(a.sender == keeper ? "hostile.fill" : "hostile.fillAsKeeper");
        } catch (bytes memory err) {
            if (
                (expected.length > 0 && keccak256(err) == keccak256(expected))
                    || (a.mode <= 3 && bytes4(err) == IUnwindVault.InsufficientProceeds.selector)
            ) {
                _count(string.concat("refused.mode", vm.toString(a.mode)));
                return;
            }
            _expectPolicyRefusal(err, "deleverageHostile");
        }
    }

    /// @dev What the hostile router does in `a.mode`, and the exact refusal expected where there is one.
    function _hostilePlan(Attack memory a, uint256 extraSeed)
        internal
        view
        returns (HostileRouter.Plan memory p, bytes memory expected)
    {
        (p.pull, p.payToken, p.pay) = (a.sell, address(loanToken), a.needed);
        bytes memory fakeParams = abi.encode(AaveVault.FlashSale(a.sell, address(hostile), "", 0, 0, false));
        if (a.mode == 0) {
            p.pay = 0; // steals
        } else if (a.mode == 1) {
            p.pay = a.needed - 1 - _bound(extraSeed, 0, a.needed / 20); // short-pays
        } else if (a.mode == 2) {
            p.pay = a.required + a.fee; // pays all but the premium
        } else if (a.mode == 3) {
            (p.payToken, p.pay) = (extraSeed % 4 == 0 ? address(collateralToken) : address(junk), a.needed * 2);
        } else if (a.mode == 4) {
            p.pull = a.sell + 1 + _bound(extraSeed, 0, a.sell); // pulls more than approved
            expected = abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(hostile), a.sell, p.pull);
        } else if (a.mode == 5) {
            // pulls the reserve, swallows the failure, then pays
            (p.extraPullToken, p.extraPull) = (address(loanToken), 1 + _bound(extraSeed, 0, 1e12));
        } else if (a.mode == 6) {
            p.reenterTarget = address(vault);
            p.reenterData = extraSeed % 2 == 0
                ? abi.encodeCall(IUnwindVault.topUp, (1, block.timestamp, 0))
                : abi.encodeCall(
                    IUnwindVault.deleverage,
                    (a.sell, address(hostile), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0)
                );
            p.bubble = true;
            expected = GUARD;
        } else if (a.mode == 7) {
            p.reenterTarget = address(vault);
            p.reenterData = abi.encodeCall(
                AaveVault.executeOperation, (address(loanToken), a.required, 0, address(vault), fakeParams)
            );
            p.bubble = true;
            expected = abi.encodeWithSelector(AaveVault.NotPool.selector);
        } else if (a.mode == 8) {
            p.reenterTarget = address(aavePool);
            p.reenterData = abi.encodeCall(
                IAavePool.flashLoanSimple, (address(vault), address(loanToken), a.required, fakeParams, 0)
            );
            p.bubble = true;
            expected = abi.encodeWithSelector(IUnwindVault.UnexpectedCallback.selector);
        } // mode 9: pays exactly what the vault requires
    }

    function topUp(uint256 amountSeed, uint256 feeSeed) external step {
        _maybePush(amountSeed >> 8);
        Obs memory b = _observe();
        uint256 reserve = vault.reserve();
        if (reserve < 2) {
            loanToken.mint(address(vault), b.debt / 10 + 1);
            reserve = vault.reserve();
        }
        uint256 amount = _bound(amountSeed, 1, Math.min(reserve / 2, b.debt / 5 + 1));
        uint256 fee = _bound(feeSeed, 0, amount * 50 / 10_000);
        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, fee) returns (uint256 repaid) {
            _afterAction(b, fee, repaid, 0, 0, keeper);
            _count("topUp");
        } catch (bytes memory err) {
            _expectPolicyRefusal(err, "topUp");
        }
    }

    // ---- strangers and fake callbacks ----

    function strangerKeeperCall(uint256 seed) external step {
        uint256 sell = collateralOf(address(vault)) / 10 + 1;
        bytes memory data = v3SellCalldata(address(vault), sell, 0);
        vm.prank(stranger);
        if (seed % 2 == 0) {
            try vault.topUp(1 + seed % 1e6, block.timestamp, 0) {
                ghostAttackerGain++;
            } catch (bytes memory err) {
                _require(bytes4(err) == IUnwindVault.NotKeeper.selector, "stranger", err);
                _count("refused.stranger");
            }
        } else {
            try vault.deleverage(sell, address(swapRouter), data, 0, block.timestamp, 0) {
                ghostAttackerGain++;
            } catch (bytes memory err) {
                _require(bytes4(err) == IUnwindVault.NotKeeper.selector, "stranger", err);
                _count("refused.stranger");
            }
        }
    }

    /// @dev A keeper's call mined after its deadline: refused whatever else holds.
    function keeperAfterDeadline(uint256 late) external step {
        uint256 deadline = block.timestamp - _bound(late, 1, 1 days);
        uint256 sell = collateralOf(address(vault)) / 10 + 1;
        bytes memory data = v3SellCalldata(address(vault), sell, 0);
        vm.prank(keeper);
        try vault.deleverage(sell, address(swapRouter), data, 0, deadline, 0) {
            ghostAttackerGain++;
        } catch (bytes memory err) {
            _require(bytes4(err) == IUnwindVault.Expired.selector, "late", err);
            _count("refused.expired");
        }
    }

    function fakeCallback(uint256 seed, bool asPool) external step {
        bytes memory params = abi.encode(AaveVault.FlashSale(seed % 1e18, stranger, "", 0, 0, false));
        vm.prank(asPool ? address(aavePool) : stranger);
        try vault.executeOperation(address(loanToken), seed % 1e12, 0, address(vault), params) {
            ghostAttackerGain++;
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            _require(asPool ? s == IUnwindVault.UnexpectedCallback.selector : s == AaveVault.NotPool.selector, "fakeCallback", err);
            _count("refused.fakeCallback");
        }
    }

    // ---- the market and time ----

    function movePriceBy(int256 bpsSeed) external step {
        (, int256 answer,,,) = feed.latestRoundData();
        int256 next = answer * (10_000 + bpsSeed % 400) / 10_000;
        // Stay where a deleverage can help: over 92.5% of the start the owner's 75% is never over Aave's threshold.
        int256 lo = startAnswer * 9250 / 10_000;
        int256 hi = startAnswer * 11_000 / 10_000;
        movePrice(next < lo ? lo : next > hi ? hi : next);
    }

    /// @dev Takes the price near the trigger so keeper actions have something to do.
    function _maybePush(uint256 seed) internal {
        if (seed % 3 != 0) return;
        uint256 coll = collateralOf(address(vault));
        uint256 debt = debtOf(address(vault));
        if (coll == 0 || debt == 0) return;
        // The answer at which LTV is 80.2-82%: debt / (coll x ltv) in feed units.
        uint256 ltvBps = 8020 + seed % 180;
        uint256 value = debt * 10_000 / ltvBps; // loan base units
        int256 answer = int256(Math.mulDiv(value, 10 ** collateralToken.decimals() * 1e8, coll * 10 ** loanToken.decimals()));
        if (answer < startAnswer * 9250 / 10_000) return;
        movePrice(answer);
    }

    function passTime(uint256 seconds_) external step {
        vm.warp(block.timestamp + _bound(seconds_, 1, 2 days));
        (, int256 answer,,,) = feed.latestRoundData();
        movePrice(answer); // the feed updates, so the guard's age check passes again
    }

    function feedGoesStale(uint256 seconds_) external step {
        vm.warp(block.timestamp + _bound(seconds_, 1 hours + 1, 3 hours));
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 0, 0, 0));
        Obs memory b = _observe();
        bytes memory data = v3SellCalldata(address(vault), b.collateral / 20, 0);
        vm.prank(keeper);
        try vault.deleverage(b.collateral / 20, address(swapRouter), data, 0, block.timestamp, 0) {
            ghostAttackerGain++; // a stale price must stop every keeper action
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            _require(s == IUnwindVault.PriceStale.selector || s == IUnwindVault.BelowTrigger.selector, "stale", err);
            if (s == IUnwindVault.PriceStale.selector) _count("refused.priceStale");
        }
        vm.prank(owner);
        vault.setGuard(Guard(address(0), 0, 0, 0, 0));
    }

    // ---- the owner ----

    function ownerRepay(uint256 seed) external step {
        uint256 debt = debtOf(address(vault));
        uint256 amount = seed % 4 == 0 ? type(uint256).max : _bound(seed, 1, debt / 10 + 1);
        loanToken.mint(owner, Math.min(amount, debt + 1));
        vm.startPrank(owner);
        loanToken.approve(address(vault), type(uint256).max);
        try vault.repay(amount) {
            _count("owner.repay");
        } catch {
            ghostOwnerBlocked++;
        }
        vm.stopPrank();
        if (debtOf(address(vault)) == 0) _reopen();
    }

    function ownerWithdraw(uint256 seed) external step {
        uint256 amount = _bound(seed, 1, collateralOf(address(vault)) / 50 + 1);
        vm.prank(owner);
        try vault.withdrawCollateral(amount, owner) {
            _count("owner.withdraw");
        } catch (bytes memory err) {
            // Aave's own health check, or the vault's trigger check: both expected, never anything else.
            bytes4 s = bytes4(err);
            _require(s == IUnwindVault.WouldTrigger.selector || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "35")), "withdraw", err);
            _count("refused.wouldTrigger");
        }
    }

    function ownerSetPaused(bool paused) external step {
        vm.prank(owner);
        vault.setPaused(paused);
        if (paused) {
            vm.prank(keeper);
            try vault.topUp(1, block.timestamp, 0) {
                ghostAttackerGain++;
            } catch (bytes memory err) {
                _require(bytes4(err) == IUnwindVault.IsPaused.selector, "paused", err);
                _count("refused.paused");
            }
            vm.prank(owner);
            vault.setPaused(false);
        }
    }

    /// @dev After a full repayment: borrow again, so the campaign keeps a position to work on.
    function _reopen() internal {
        uint256 value = LtvMath.collateralValue(collateralOf(address(vault)), priceNow());
        if (value == 0) return;
        vm.prank(owner);
        try vault.borrow(value * 7000 / 10_000, owner) {} catch {}
    }

    // ---- classification ----

    function _expectPolicyRefusal(bytes memory err, string memory where) internal {
        bytes4 s = bytes4(err);
        bool ok = s == IUnwindVault.BelowTrigger.selector || s == IUnwindVault.InsufficientProceeds.selector
            || s == IUnwindVault.NotDeleveraged.selector || s == IUnwindVault.Oversold.selector
            || s == IUnwindVault.EquityLoss.selector || s == IUnwindVault.FeeTooHigh.selector
            || s == IUnwindVault.InsufficientReserve.selector || s == IUnwindVault.ZeroAmount.selector
            || s == IUnwindVault.SoftActionIncomplete.selector || s == IUnwindVault.CoolingDown.selector
            // Aave refuses a withdrawal that leaves HF < 1: a sale that cannot restore health in one step.
            || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "35"));
        _require(ok, where, err);
        _count(string.concat("refused.", vm.toString(s)));
    }

    function _require(bool ok, string memory where, bytes memory err) internal pure {
        if (ok) return;
        revert(string.concat("unexpected revert in ", where, ": ", vm.toString(err)));
    }
}
