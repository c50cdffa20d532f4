// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {HedgeFixture} from "../utils/HedgeFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindHedge} from "../../src/UnwindHedge.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice What the campaign needs of the world: the hedge, the vault, the owner's equity and price moves.
interface IHedgeWorld {
    function ownerEquityNow() external view returns (int256);
    function moveTo(int256 answer) external;
    function sellCalldata(address tokenIn, uint256 amountIn) external view returns (bytes memory);
}

/// @notice Random sequences of keeper opens, buy-backs and profit releases (through the real pools and through a
/// hostile router that is also a keeper and pays what the fuzzer says, re-enters the hedge or pulls what it was not
/// given), price moves, time, and the owner's deposits, withdrawals and repayments. Each keeper action is measured
/// inside the handler at one price: the owner's equity (vault + hedge + wallet) may fall by at most the action's
/// allowance, the short stays within the ratio after an open, an open ends at or under the target, a buy-back never
/// raises the hedge's LTV; after every call no allowance is left to a router and the owner can still close
/// everything with their own asset.
contract HedgeHandler is Test {
    IHedgeWorld internal world;
    UnwindHedge internal hedge;
    UnwindVault internal vault;
    TestToken internal loan;
    TestToken internal coll;
    address internal keeper;
    address internal owner;
    address internal swapRouter;
    HostileRouter public seller;
    HostileRouter public buyer;
    int256 internal answer;

    uint256 public violations;
    string public lastViolation;
    uint256 public opens;
    uint256 public closes;
    uint256 public releases;
    uint256 public hostileRefused;

    constructor(
        IHedgeWorld world_,
        UnwindHedge hedge_,
        UnwindVault vault_,
        TestToken loan_,
        TestToken coll_,
        address keeper_,
        address swapRouter_,
        int256 answer_
    ) {
        world = world_;
        hedge = hedge_;
        vault = vault_;
        loan = loan_;
        coll = coll_;
        keeper = keeper_;
        swapRouter = swapRouter_;
        answer = answer_;
        owner = vault_.owner();
        seller = new HostileRouter(address(coll_));
        buyer = new HostileRouter(address(loan_));
    }

    function routers() external view returns (address[3] memory) {
        return [swapRouter, address(seller), address(buyer)];
    }

    // ---- keeper ----

    /// @dev One keeper action's figures (the seeds fill the stack).
    struct Act {
        uint256 amount;
        uint256 fee;
        uint256 allowed;
        uint256 ltvBefore;
        int256 equityBefore;
        address router;
        bytes data;
    }

    function open(uint256 sizeSeed, uint256 feeSeed, uint256 modeSeed, uint256 paySeed) external {
        Act memory a;
        a.amount = bound(sizeSeed, 1, _vaultCollateral() * hedge.policy().maxRatioBps / 10_000 / 2 + 1);
        uint256 value = LtvMath.collateralValue(a.amount, _price());
        a.fee = bound(feeSeed, 0, value * 60 / 10_000);
        a.allowed = value * hedge.policy().maxSlippageBps / 10_000 + 2;
        (a.router, a.data) = _openRoute(modeSeed, a.amount, paySeed);
        a.equityBefore = world.ownerEquityNow();
        vm.prank(keeper);
        try hedge.open(a.amount, a.router, a.data, block.timestamp, a.fee) {
            opens++;
            _check(world.ownerEquityNow() >= a.equityBefore - int256(a.allowed), "open cost");
            (, uint256 debt,) = hedge.position();
            _check(debt <= _vaultCollateral() * hedge.policy().maxRatioBps / 10_000, "ratio");
            _check(_hedgeLtv() <= LtvMath.bpsToWad(hedge.policy().targetLtvBps), "target");
        } catch (bytes memory err) {
            _expect(err, true);
        }
    }

    function close(uint256 quoteSeed, uint256 feeSeed, uint256 modeSeed, uint256 paySeed) external {
        (uint256 c, uint256 debt,) = hedge.position();
        if (debt == 0 || c == 0) return;
        Act memory a;
        a.amount = bound(quoteSeed, 1, c / 2 + 1);
        a.fee = bound(feeSeed, 0, a.amount * 60 / 10_000);
        a.allowed = a.fee + a.amount * hedge.policy().maxSlippageBps / 10_000 + 3;
        (a.router, a.data) = _closeRoute(modeSeed, a.amount - Math.min(a.fee, a.amount), paySeed);
        a.ltvBefore = _hedgeLtv();
        a.equityBefore = world.ownerEquityNow();
        vm.prank(keeper);
        try hedge.close(a.amount, a.router, a.data, block.timestamp, a.fee) {
            closes++;
            _check(world.ownerEquityNow() >= a.equityBefore - int256(a.allowed), "close cost");
            (, debt,) = hedge.position();
            _check(debt == 0 || _hedgeLtv() <= a.ltvBefore, "close raised the LTV");
        } catch (bytes memory err) {
            _expect(err, false);
        }
    }

    function release(uint256 amountSeed) external {
        uint256 amount = bound(amountSeed, 1, 1e12 * 10 ** loan.decimals());
        int256 before = world.ownerEquityNow();
        vm.prank(keeper);
        try hedge.releaseProfit(amount, block.timestamp) {
            releases++;
            _check(world.ownerEquityNow() == before, "release changed the equity");
            _check(_hedgeLtv() <= LtvMath.bpsToWad(hedge.policy().targetLtvBps), "release over target");
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            // Morpho checks the short's health when the margin leaves, before the hedge checks its target: a release
            // that would take the hedge past the market's LLTV (so past its target too) meets Morpho's refusal first.
            bool pastTarget = keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "insufficient collateral"))
                && _ltvAfterRelease(amount) > LtvMath.bpsToWad(hedge.policy().targetLtvBps);
            _check(
                s == UnwindHedge.ProfitExceeded.selector || s == UnwindHedge.AboveTarget.selector
                    || s == UnwindHedge.Paused.selector || pastTarget,
                string.concat("release refused by no rule: ", vm.toString(err))
            );
        }
    }

    /// @dev The hedge's LTV at the vault's price once `amount` of margin has left.
    function _ltvAfterRelease(uint256 amount) internal view returns (uint256) {
        (uint256 c, uint256 debt,) = hedge.position();
        if (debt == 0) return 0;
        if (c <= amount) return type(uint256).max;
        uint256 owed = Math.mulDiv(debt, _vaultPrice(), LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        return Math.mulDiv(owed, LtvMath.WAD, c - amount, Math.Rounding.Ceil);
    }

    // ---- world ----

    function movePrice(int256 deltaBps) external {
        deltaBps = int256(bound(deltaBps, -800, 800));
        int256 next = answer * (10_000 + deltaBps) / 10_000;
        // Between half and twice the start: the pools stay deep enough to trade to the price.
        if (next < 1500e8 || next > 6000e8) return;
        answer = next;
        world.moveTo(answer);
    }

    /// @dev Time passes (interest accrues on the short) and the feed answers again, so the price stays fresh: a stale
    /// price is the vault's price guard's business, tested with the vault.
    function passTime(uint256 secs) external {
        skip(bound(secs, 1, 2 days));
        world.moveTo(answer);
    }

    function ownerDeposit(uint256 amount) external {
        amount = bound(amount, 1, 10_000 * 10 ** loan.decimals());
        loan.mint(owner, amount);
        vm.startPrank(owner);
        loan.approve(address(hedge), amount);
        hedge.deposit(amount);
        vm.stopPrank();
    }

    function ownerWithdraw(uint256 amount) external {
        (uint256 c,,) = hedge.position();
        if (c == 0) return;
        amount = bound(amount, 1, c);
        vm.prank(owner);
        try hedge.withdraw(amount, owner) {}
        catch (bytes memory err) {
            // Morpho keeps the short healthy: the only refusal an owner's withdrawal may meet.
            _check(keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "insufficient collateral")), "withdraw");
        }
    }

    function ownerRepay(uint256 amount) external {
        (, uint256 debt,) = hedge.position();
        if (debt == 0) return;
        amount = bound(amount, 1, debt + 1);
        coll.mint(owner, amount + 1);
        vm.startPrank(owner);
        coll.approve(address(hedge), amount + 1);
        hedge.repayWithAsset(amount >= debt ? type(uint256).max : amount);
        vm.stopPrank();
    }

    function ownerPause(bool paused) external {
        vm.prank(owner);
        vault.setPaused(paused);
    }

    // ---- helpers ----

    function _openRoute(uint256 modeSeed, uint256 assets, uint256 paySeed) internal returns (address, bytes memory) {
        uint256 mode = modeSeed % 4;
        if (mode == 0) return (swapRouter, world.sellCalldata(address(coll), assets));
        HostileRouter.Plan memory p;
        uint256 value = LtvMath.collateralValue(assets, _price());
        (p.pull, p.payToken, p.pay) = (assets, address(loan), bound(paySeed, 0, value));
        if (mode == 2) {
            p.reenterTarget = address(hedge);
            p.reenterData = abi.encodeCall(UnwindHedge.releaseProfit, (1, block.timestamp));
        } else if (mode == 3) {
            p.extraPullToken = address(paySeed % 2 == 0 ? coll : loan);
            p.extraPull = 1;
        }
        seller.setPlan(p);
        return (address(seller), abi.encodeCall(HostileRouter.swap, (0, 0)));
    }

    function _closeRoute(uint256 modeSeed, uint256 sold, uint256 paySeed) internal returns (address, bytes memory) {
        if (modeSeed % 2 == 0) return (swapRouter, world.sellCalldata(address(loan), sold));
        HostileRouter.Plan memory p;
        uint256 worth = Math.mulDiv(sold, 1e36, _price());
        (p.pull, p.payToken, p.pay) = (sold, address(coll), bound(paySeed, 0, worth + worth / 50));
        buyer.setPlan(p);
        return (address(buyer), abi.encodeCall(HostileRouter.swap, (0, 0)));
    }

    /// @dev A refusal must be one of the hedge's rules, Morpho's health check, the price, or a pool's own limit.
    function _expect(bytes memory err, bool opening) internal {
        bytes4 s = bytes4(err);
        bool known = s == UnwindHedge.InsufficientProceeds.selector || s == UnwindHedge.FeeTooHigh.selector
            || s == UnwindHedge.Paused.selector || s == UnwindHedge.AboveTarget.selector
            || s == UnwindHedge.RatioExceeded.selector || s == UnwindHedge.NotInDanger.selector
            || s == UnwindHedge.LtvRose.selector || s == UnwindHedge.NothingSold.selector || _isPoolRefusal(err)
            || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "insufficient collateral"))
            || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "insufficient liquidity"));
        if (known && s == UnwindHedge.InsufficientProceeds.selector) hostileRefused++;
        _check(known, string.concat(opening ? "open refused by no rule: " : "close refused by no rule: ", vm.toString(err)));
    }

    function _isPoolRefusal(bytes memory err) internal pure returns (bool) {
        if (err.length == 0) return true;
        return keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "SPL"))
            || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "AS"))
            || keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "Too little received"));
    }

    function _check(bool ok, string memory what) internal {
        if (!ok) {
            violations++;
            lastViolation = what;
        }
    }

    function _price() internal view returns (uint256) {
        return _vaultPrice();
    }

    function _vaultPrice() internal view returns (uint256) {
        (bool ok, bytes memory ret) = vault.marketParams().oracle.staticcall(abi.encodeWithSignature("price()"));
        return ok ? abi.decode(ret, (uint256)) : 0;
    }

    function _vaultCollateral() internal returns (uint256 c) {
        (c,,) = IHedged(address(vault)).position();
    }

    function _hedgeLtv() internal view returns (uint256) {
        (uint256 c, uint256 debt,) = hedge.position();
        if (debt == 0) return 0;
        if (c == 0) return type(uint256).max;
        uint256 owed = Math.mulDiv(debt, _vaultPrice(), LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        return Math.mulDiv(owed, LtvMath.WAD, c, Math.Rounding.Ceil);
    }
}

interface IHedged {
    function position() external returns (uint256 collateral, uint256 debt, uint256 price);
}

/// @notice The campaign: 18/6 decimals, a vault at 75% (over the owner's 70% open LTV) and a hedge with 20,000 USDC.
contract HedgeInvariantTest is HedgeFixture, IHedgeWorld {
    /// The campaign's reach, added up over its runs (each run starts from setUp's state; the file does not).
    string internal constant LEDGER = "cache/invariant-reach/HedgeInvariantTest.abi";
    HedgeHandler internal h;

    function setUp() public {
        setUpHedge();
        h = new HedgeHandler(this, hedge, vault, loanToken, collateralToken, keeper, address(swapRouter), 3000e8);
        vm.startPrank(owner);
        vault.setKeeper(address(h.seller()), true); // the hostile router is a keeper too
        vault.setRoute(address(h.seller()), HostileRouter.swap.selector, true);
        vault.setRoute(address(h.buyer()), HostileRouter.swap.selector, true);
        vm.stopPrank();
        targetContract(address(h));
        // setUp runs once per contract and forge invocation, before the campaign: start a fresh ledger.
        vm.createDir("cache/invariant-reach", true);
        vm.writeFileBinary(LEDGER, abi.encode(uint256(0), uint256(0), uint256(0), uint256(0), uint256(0)));
    }

    function ownerEquityNow() external view returns (int256) {
        return ownerEquity();
    }

    function moveTo(int256 answer) external {
        movePrice(answer);
    }

    function sellCalldata(address tokenIn, uint256 amountIn) external view returns (bytes memory) {
        return v3Swap(tokenIn, amountIn, 0);
    }

    function invariant_theHedgesRulesHold() public {
        assertEq(h.violations(), 0, h.lastViolation());
        address[3] memory rs = h.routers();
        for (uint256 i = 0; i < rs.length; i++) {
            assertEq(collateralToken.allowance(address(hedge), rs[i]), 0, "no allowance left (asset)");
            assertEq(loanToken.allowance(address(hedge), rs[i]), 0, "no allowance left (loan)");
        }
        assertFalse(h.seller().breached(), "a hostile router got through");
        assertFalse(h.buyer().breached(), "a hostile router got through");
        _ownerCanCloseEverything();
    }

    /// @dev On a copy of the state: the owner repays the short with their own asset and takes all the collateral.
    function _ownerCanCloseEverything() internal {
        uint256 snap = vm.snapshotState();
        (, uint256 debt,) = hedge.position();
        collateralToken.mint(owner, debt + 1);
        vm.startPrank(owner);
        collateralToken.approve(address(hedge), debt + 1);
        if (debt > 0) hedge.repayWithAsset(type(uint256).max);
        (uint256 c,,) = hedge.position();
        if (c > 0) hedge.withdraw(type(uint256).max, owner);
        vm.stopPrank();
        (uint256 cAfter, uint256 dAfter,) = hedge.position();
        assertEq(cAfter, 0, "the owner took everything");
        assertEq(dAfter, 0, "the owner closed the short");
        vm.revertToState(snap);
    }

    /// @dev The campaign must reach the hedge's paths, not only its refusals: over all its runs, opens, buy-backs
    /// and profit releases went through and hostile routers were refused by the proceeds check.
    function afterInvariant() public {
        (uint256 runs, uint256 o, uint256 c, uint256 r, uint256 x) =
            abi.decode(vm.readFileBinary(LEDGER), (uint256, uint256, uint256, uint256, uint256));
        (runs, o, c, r, x) = (runs + 1, o + h.opens(), c + h.closes(), r + h.releases(), x + h.hostileRefused());
        vm.writeFileBinary(LEDGER, abi.encode(runs, o, c, r, x));
        if (runs < _configuredRuns()) return;
        assertGt(o, 0, "reach: no open went through");
        assertGt(c, 0, "reach: no buy-back went through");
        assertGt(r, 0, "reach: no profit release went through");
        assertGt(x, 0, "reach: no hostile router was refused by the proceeds check");
    }

    /// @dev The invariant runs of the active profile (as VaultInvariants reads them).
    function _configuredRuns() internal view returns (uint256) {
        uint256 fromEnv = vm.envOr("FOUNDRY_INVARIANT_RUNS", uint256(0));
        if (fromEnv != 0) return fromEnv;
        string memory toml = vm.readFile("foundry.toml");
        string memory key =
            string.concat(".profile.", vm.envOr("FOUNDRY_PROFILE", string("default")), ".invariant.runs");
        return vm.keyExistsToml(toml, key) ? vm.parseTomlUint(toml, key) : vm.parseTomlUint(toml, ".invariant.runs");
    }
}
