// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IMorpho, IMorphoBase, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {InvariantWorld} from "./InvariantWorld.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {ISwapRouter, IUniswapV2Router02} from "../utils/UniswapInterfaces.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy, Guard, PRICE_OK} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {IVaultPortfolio, IVaultPortfolioHooks} from "../../src/interfaces/IVaultPortfolio.sol";

/// @notice Drives the vault through everything that can happen to it: honest keepers selling through
/// Uniswap V3 and V2, a hostile router (steal, short-pay, wrong token, over-pull, re-entry, partial take,
/// paying exactly the floor), top-ups, late or unlisted keeper calls, strangers calling anything, fake
/// callbacks, price moves, broken feeds, time passing, liquidations, and every owner action. Expected
/// refusals are classified; anything else reverts the handler, which fails the campaign. What each
/// successful action did is checked against the invariants and recorded in the ghosts.
contract VaultHandler is InvariantWorld {
    using MarketParamsLib for MarketParams;

    constructor(World memory w) InvariantWorld(w) {}

    /// @dev Every handler entry counts as one step of the run.
    modifier step() {
        steps++;
        _;
    }

    struct Obs {
        uint256 collateral;
        uint256 debt;
        bool priceOk;
        /// The vault's price guard passes (PRICE_OK from checkPrice at the oracle's price).
        bool guardOk;
        uint256 price;
        uint256 ltv;
        uint256 reserve;
        uint256 keeperLoan;
        uint256 recipientCollateral;
        uint64 lastActionAt;
        bool paused;
        bool isKeeper;
        Policy policy;
        Guard guard;
        /// The soft trigger (0 = off).
        uint16 soft;
    }

    TestToken internal junk = new TestToken("Junk", "JNK", 6);
    /// The keeper sending the sale being checked, when not `keeper` (the hostile router with its keeper role).
    address internal actingKeeper;
    /// The hostile keeper's minRepaid for the sale being tried (mode 9 asks for an oversold position).
    uint256 internal hostileMinRepaid;

    // =============================================================================================
    // Keepers
    // =============================================================================================

    struct Sale {
        address router;
        address recipient;
        uint256 sell;
        uint256 minRepaid;
        uint256 fee;
        bytes data;
    }

    function deleverageUniswap(uint256 sizeSeed, bool useV2, uint256 minSeed, uint256 feeSeed, bool expensiveGas)
        external step
    {
        _maybePush(sizeSeed);
        Sale memory t;
        t.recipient = useV2 ? address(v2Pair) : address(v3Pool);
        t.router = useV2 ? address(v2Router) : address(swapRouter);
        Obs memory b = _observe(t.recipient);
        t.sell = _saleSize(b, sizeSeed);
        uint256 quote = useV2 ? _quoteV2(t.sell) : quoteV3(t.sell);
        t.minRepaid = minSeed % 3 == 0 ? 0 : _bound(minSeed, 0, quote);
        uint256 floor = b.priceOk ? LtvMath.oracleFloor(t.sell, b.price, b.policy.maxSlippageBps) : 0;
        // Up to 10% over the fee cap, so the cap itself gets tested.
        t.fee = _bound(feeSeed, 0, Math.max(t.minRepaid, floor) * b.policy.maxFeeBps * 11 / 100_000);
        t.data = useV2 ? v2SellCalldata(address(vault), t.sell, 0) : v3SellCalldata(address(vault), t.sell, 0);

        _setGasPrice(b.policy, expensiveGas);
        vm.prank(keeper);
        try vault.deleverage(t.sell, t.router, t.data, t.minRepaid, block.timestamp, t.fee) returns (
            uint256 repaid, uint256 proceeds
        ) {
            _afterSale(b, t.sell, repaid, proceeds, t.fee, t.recipient);
            _count(useV2 ? "deleverage.v2" : "deleverage.v3");
        } catch (bytes memory err) {
            _expect(_isPrecheck(err) || _isOutcomeRefusal(err) || _isRouterRefusal(err), "deleverageUniswap", err);
            _countPrecheck(err);
            _countOutcome(err, Math.max(t.minRepaid, floor) + t.fee);
            _countSoftIncomplete(err);
        }
        vm.txGasPrice(0);
    }

    function deleverageHostile(uint256 modeSeed, uint256 sizeSeed, uint256 feeSeed, uint256 extraSeed) external step {
        uint256 mode = modeSeed % 11;
        if (mode == 8 || mode == 10) _toTheEdge();
        else _maybePush(modeSeed);
        // Half the time the attacker sends the call itself, with the keeper role it was given.
        actingKeeper = uint256(keccak256(abi.encode(extraSeed, "caller"))) % 2 == 0 ? keeper : address(hostile);
        Obs memory b = _observe(address(hostile), actingKeeper);
        uint256 sell = _saleSize(b, sizeSeed);
        uint256 floor = b.priceOk ? LtvMath.oracleFloor(sell, b.price, b.policy.maxSlippageBps) : 1;
        uint256 fee = _bound(feeSeed, 0, floor * b.policy.maxFeeBps / 10_000);
        if (mode == 10) {
            // An owner with a tight floor and a generous fee cap, and the attacker takes the most the cap allows:
            // near the LLTV that fee alone can pass the equity allowance.
            Policy memory tight = b.policy;
            (tight.maxSlippageBps, tight.maxFeeBps) = (uint16(_bound(feeSeed, 0, 100)), 500);
            vm.prank(owner);
            vault.setPolicy(tight);
            b.policy = tight;
            floor = b.priceOk ? LtvMath.oracleFloor(sell, b.price, tight.maxSlippageBps) : 1;
            fee = floor * tight.maxFeeBps / 10_000;
        }
        HostileRouter.Plan memory p;
        // The least the vault accepts: the oracle floor or the equity floor, whichever is higher, plus the fee.
        (p.pull, p.payToken, p.pay) = (sell, address(loanToken), Math.max(floor, _equityFloor(b, sell)) + fee);
        if (mode == 0) {
            p.pay = 0; // steals
        } else if (mode == 1) {
            p.pay = p.pay - 1 - _bound(extraSeed, 0, (p.pay - 1) / 10); // short-pays
        } else if (mode == 2) {
            p.payToken = extraSeed % 2 == 0 ? address(collateralToken) : address(junk); // wrong token
            p.pay = (floor + fee) * 2;
        } else if (mode == 3) {
            p.pull = sell + _bound(extraSeed, 1, sell + 1); // pulls more than approved
        } else if (mode == 4) {
            // pulls again (collateral) or pulls the reserve (loan token); swallows the failure and pays
            p.extraPullToken = extraSeed % 2 == 0 ? address(collateralToken) : address(loanToken);
            p.extraPull = _bound(extraSeed, 1, 1e24);
        } else if (mode == 5) {
            (p.reenterTarget, p.reenterData) = _reentry(extraSeed, sell); // swallowed, then pays
        } else if (mode == 7) {
            p.pull = _bound(extraSeed, sell / 2, sell); // takes part of it, leaving an allowance behind
        } else if (mode == 8) {
            p.pay = floor + fee; // the oracle floor only: refused wherever the equity floor is higher
        } else if (mode == 9) {
            // Asks the vault to repay far more than the target needs, and pays for it: an oversold position.
            hostileMinRepaid = _bound(extraSeed, b.debt / 2, b.debt + 1);
            p.pay = Math.max(p.pay, hostileMinRepaid + fee);
        } // modes 6 and 10 pay exactly the floors plus the fee: the worst fill the policy allows
        hostile.setPlan(p);
        bytes memory data = abi.encodeCall(HostileRouter.swap, (sell, 0));

        vm.prank(actingKeeper);
        try vault.deleverage(sell, address(hostile), data, hostileMinRepaid, block.timestamp, fee) returns (
            uint256 repaid, uint256 proceeds
        ) {
            if (mode <= 2) ghostUnderFloor++;
            else if (mode == 3) ghostLeak++;
            else _afterSale(b, sell, repaid, proceeds, fee, address(hostile));
            _count("deleverage.hostile");
            if (actingKeeper == address(hostile)) _count("deleverage.hostileAsKeeper");
            // The swap ran: the extra pull or the re-entry was tried inside it and refused (else `breached`).
            if (mode == 4) _count("refused.extraPull");
            else if (mode == 5) _count("refused.reenter");
        } catch (bytes memory err) {
            bool ok = _isPrecheck(err) || _isOutcomeRefusal(err) || (mode == 3 && _isAllowanceError(err));
            _expect(ok, "deleverageHostile", err);
            _countPrecheck(err);
            if (mode >= 3) _countOutcome(err, Math.max(floor, hostileMinRepaid) + fee);
            _countSoftIncomplete(err);
            // Refused by the defence this mode attacks, not by a precheck before it.
            if (_sel(err) == IUnwindVault.InsufficientProceeds.selector) {
                if (mode == 0) _count("refused.steal");
                else if (mode == 1) _count("refused.shortPay");
                else if (mode == 2) _count("refused.wrongToken");
            } else if (mode == 3 && _isAllowanceError(err)) {
                _count("refused.overPull");
            }
        }
        (actingKeeper, hostileMinRepaid) = (address(0), 0);
    }

    function topUp(uint256 amountSeed, uint256 feeSeed, bool expensiveGas) external step {
        _maybePush(amountSeed);
        // One time in three the hostile router tops up with its keeper role, after the largest fee it can.
        address caller = _oneIn(3, feeSeed) ? address(hostile) : keeper;
        // The amount is drawn against what the vault holds first; one time in three the owner then parks most of
        // that in the shared reserve, so that the top-up must draw its shortfall from there.
        uint256 held = vault.reserve();
        if (_oneIn(3, amountSeed >> 16)) _parkInSharedReserve(held);
        Obs memory b = _observe(address(0), caller);
        uint256 amount = _bound(amountSeed, 1, Math.max(1, held * 11 / 10)); // sometimes more than held
        uint256 fee = _bound(feeSeed, 0, amount * b.policy.maxFeeBps * 11 / 100_000);
        uint256 sharedBefore = loanToken.balanceOf(address(sharedReserve));
        int256 ownerEquityBefore = b.priceOk ? _equity(b.collateral, b.reserve, b.debt, b.price) : int256(0);
        _setGasPrice(b.policy, expensiveGas);
        vm.prank(caller);
        try vault.topUp(amount, block.timestamp, fee) returns (uint256 repaid) {
            _afterKeeperAction(b, repaid, fee, caller);
            Obs memory a = _observe(address(0), caller);
            if (a.collateral != b.collateral) ghostLeak++;
            uint256 drawn = sharedBefore - loanToken.balanceOf(address(sharedReserve));
            if (a.reserve + repaid + fee != b.reserve + drawn) ghostLeak++;
            // Only the shortfall, only for a vault of the reserve's owner, and the owner (vault + reserve) loses at
            // most the fee (two base units for the rounding of the value and the debt).
            if (drawn != (amount + fee > b.reserve ? amount + fee - b.reserve : 0)) ghostSharedBroken++;
            if (drawn > 0 && vault.owner() != sharedReserve.owner()) ghostSharedBroken++;
            if (b.priceOk) {
                int256 ownerEquityAfter = _equity(a.collateral, a.reserve, a.debt, b.price) - int256(drawn);
                if (ownerEquityBefore - ownerEquityAfter > int256(fee + 2)) ghostSharedBroken++;
            }
            if (drawn > 0) _count("topUp.shared");
            _count(caller == address(hostile) ? "topUp.hostileAsKeeper" : "topUp");
        } catch (bytes memory err) {
            _expect(_isPrecheck(err) || _isOutcomeRefusal(err), "topUp", err);
            _countPrecheck(err);
            _countSoftIncomplete(err);
        }
        vm.txGasPrice(0);
    }

    /// @dev The owner takes three quarters of the vault's own reserve and puts it in the shared reserve (worth the same
    /// to the owner), and tops the vault's limit back up when it runs low: only while the vault is the reserve
    /// owner's (after a transfer to the other owner the link is gone and the top-up must find the vault's own alone).
    function _parkInSharedReserve(uint256 held) internal {
        if (vault.owner() != sharedReserve.owner()) return;
        uint256 park = held * 3 / 4;
        vm.startPrank(owner);
        if (park > 0) {
            vault.withdrawReserve(park, owner);
            loanToken.transfer(address(sharedReserve), park);
        }
        if (sharedReserve.limit(address(vault), address(loanToken)) < sharedLimit / 4) {
            sharedReserve.setLimit(address(vault), address(loanToken), sharedLimit);
        }
        vm.stopPrank();
    }

    struct MoveObs {
        uint256 fromCollateral;
        uint256 toCollateral;
        uint256 fromDebt;
        uint256 toDebt;
        bool priceOk;
        bool guardOk;
        uint256 price;
        uint256 toLtv;
        uint256 callerLoan;
        uint256 callerCollateral;
        bool paused;
    }

    /// @dev A keeper (the hostile router with its keeper role half the time) moves collateral: from the owner's second
    /// vault to the vault, pushed over its trigger two times in three (what moves are for); back from the vault to the
    /// second vault, which seldom needs it; or between the vault and another owner's vault, in either direction
    /// (always refused: the owners differ, though the vault lists that vault and that vault lists it). Sizes go past
    /// the caps. What went through is checked on the spot: the same owner, a destination that needed it and whose
    /// LTV fell, a source under its trigger, within its cap, the collateral's total and every debt unchanged, nothing
    /// paid, nothing left loose or approved.
    function moveCollateral(uint256 seed, uint256 amountSeed, bool hostileCaller) external step {
        uint256 route = seed % 4;
        UnwindVault from;
        UnwindVault to;
        if (route <= 1) {
            _maybePush(seed >> 16);
            _refillPeer();
            (from, to) = (peerVault, vault);
        } else if (route == 2) {
            (from, to) = (vault, peerVault);
        } else {
            (from, to) = _oneIn(2, seed >> 8) ? (otherOwnersVault, vault) : (vault, otherOwnersVault);
        }
        address caller = hostileCaller ? address(hostile) : keeper;
        MoveObs memory b = _observeMove(from, to, caller);
        // Up to 80% of the source: past both owners' caps (30% and 70%, InvariantWorld), so that each end meets its cap.
        uint256 amount = _bound(amountSeed, 1, Math.max(1, b.fromCollateral * 8000 / 10_000));
        vm.prank(caller);
        try IVaultPortfolio(address(from)).moveCollateral(address(to), amount, block.timestamp) {
            _afterMove(b, from, to, amount, caller);
            _count(hostileCaller ? "move.hostileAsKeeper" : "move");
        } catch (bytes memory err) {
            _expect(_isPrecheck(err) || _isMoveRefusal(err), "moveCollateral", err);
            _countMoveRefusal(err);
        }
    }

    /// @dev Keeps the second vault a giver: its owner adds collateral when moves have taken it over 60%.
    function _refillPeer() internal {
        if (oracleBroken() || ltvOf(address(peerVault)) <= 0.6e18) return;
        address peerOwner = peerVault.owner();
        collateralToken.mint(peerOwner, startCollateral / 2);
        vm.startPrank(peerOwner);
        collateralToken.approve(address(peerVault), startCollateral / 2);
        peerVault.supplyCollateral(startCollateral / 2);
        vm.stopPrank();
    }

    function _observeMove(UnwindVault from, UnwindVault to, address caller) internal returns (MoveObs memory o) {
        morpho.accrueInterest(marketParams);
        (o.fromCollateral, o.toCollateral) = (collateralOf(address(from)), collateralOf(address(to)));
        (o.fromDebt, o.toDebt) = (debtOf(address(from)), debtOf(address(to)));
        o.priceOk = !oracleBroken();
        if (o.priceOk) {
            o.price = oracle.price();
            o.toLtv = LtvMath.ltv(o.toCollateral, o.toDebt, o.price);
            (uint8 s1,) = from.checkPrice(o.price);
            (uint8 s2,) = to.checkPrice(o.price);
            o.guardOk = s1 == PRICE_OK && s2 == PRICE_OK;
        }
        (o.callerLoan, o.callerCollateral) = (loanToken.balanceOf(caller), collateralToken.balanceOf(caller));
        o.paused = from.paused() || to.paused();
    }

    function _afterMove(MoveObs memory b, UnwindVault from, UnwindVault to, uint256 amount, address caller) internal {
        MoveObs memory a = _observeMove(from, to, caller);
        if (from.owner() != to.owner()) ghostMoveBroken++;
        if (!b.priceOk || !b.guardOk) ghostBadPriceOk++;
        if (b.paused) ghostPausedOk++;
        if (a.fromCollateral + amount != b.fromCollateral || a.toCollateral != b.toCollateral + amount) ghostMoveBroken++;
        if (a.fromDebt != b.fromDebt || a.toDebt != b.toDebt) ghostMoveBroken++;
        if (amount > b.fromCollateral * IVaultPortfolio(address(from)).maxMoveBps() / 10_000) ghostMoveBroken++;
        if (a.callerLoan != b.callerLoan || a.callerCollateral != b.callerCollateral) ghostMoveBroken++;
        if (collateralToken.balanceOf(address(from)) != 0 || collateralToken.balanceOf(address(to)) != 0) ghostMoveBroken++;
        if (collateralToken.allowance(address(from), address(to)) != 0) ghostMoveBroken++;
        if (b.priceOk) {
            if (LtvMath.ltv(a.fromCollateral, a.fromDebt, b.price) >= LtvMath.bpsToWad(from.policy().triggerLtvBps)) {
                ghostMoveBroken++;
            }
            (uint16 soft,) = to.softTrigger();
            uint256 needFrom = LtvMath.bpsToWad(soft != 0 ? soft : to.policy().triggerLtvBps);
            if (b.toLtv < needFrom) ghostMoveBroken++;
            if (LtvMath.ltv(a.toCollateral, a.toDebt, b.price) >= b.toLtv) ghostMoveBroken++;
        }
    }

    /// @dev An early action the way an honest predictive keeper sends it: with a soft trigger set, the price moves
    /// into the soft zone and a keeper (the hostile router with its role one time in three) sends a top-up or a V3
    /// sale sized to end a little under the target; a third of the time a deliberately partial one (a quarter of that
    /// size), which the vault must refuse. Every other rule applies as usual, so many still fail on them.
    function keeperSoftZone(uint256 seed, bool sale, uint256 feeSeed) external step {
        (uint16 soft,) = vault.softTrigger();
        if (soft == 0) return;
        morpho.accrueInterest(marketParams);
        if (!_pushTo(_bound(seed, soft, _policy().triggerLtvBps - 1))) return;
        address caller = _oneIn(3, feeSeed) ? address(hostile) : keeper;
        Obs memory b = _observe(sale ? address(v3Pool) : address(0), caller);
        if (!b.priceOk || b.collateral == 0) return;
        bool partial_ = _oneIn(3, seed >> 8);
        // Debt to repay to end 0.5 point under the target, at the oracle price.
        uint256 value = LtvMath.collateralValue(b.collateral, b.price);
        uint256 aim = value * (uint256(b.policy.targetLtvBps) - Math.min(50, b.policy.targetLtvBps)) / 10_000;
        if (b.debt <= aim) return;
        uint256 repay = b.debt - aim;
        if (partial_) repay = Math.max(1, repay / 4);
        if (!sale) {
            if (b.reserve < repay + 1) {
                loanToken.mint(owner, repay + 1 - b.reserve);
                vm.prank(owner);
                vault.depositReserve(repay + 1 - b.reserve);
                b = _observe(address(0), caller);
            }
            uint256 fee = _bound(feeSeed, 0, repay * b.policy.maxFeeBps / 10_000);
            fee = Math.min(fee, b.reserve - repay);
            vm.prank(caller);
            try vault.topUp(repay, block.timestamp, fee) returns (uint256 repaid) {
                _afterKeeperAction(b, repaid, fee, caller);
                _count("topUp.softZone");
            } catch (bytes memory err) {
                _expect(_isPrecheck(err) || _isOutcomeRefusal(err), "keeperSoftZone topUp", err);
                _countPrecheck(err);
                _countSoftIncomplete(err);
            }
            return;
        }
        // A sale: collateral worth the repayment / (1 - target) at the oracle price, 2% over for the pool, all of
        // its proceeds repaid (the keeper's minimum), no fee.
        uint256 t = uint256(b.policy.targetLtvBps);
        uint256 sellValue = repay * 10_000 / (10_000 - Math.min(t, 9_000)) * 102 / 100;
        uint256 sell = Math.min(Math.mulDiv(sellValue, LtvMath.ORACLE_PRICE_SCALE, b.price), b.collateral);
        if (sell == 0) return;
        uint256 quote = quoteV3(sell);
        actingKeeper = caller;
        vm.prank(caller);
        try vault.deleverage(
            sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), quote, block.timestamp, 0
        ) returns (uint256 repaid, uint256 proceeds) {
            _afterSale(b, sell, repaid, proceeds, 0, address(v3Pool));
            _count("deleverage.softZone");
        } catch (bytes memory err) {
            _expect(
                _isPrecheck(err) || _isOutcomeRefusal(err) || _isRouterRefusal(err), "keeperSoftZone sale", err
            );
            _countPrecheck(err);
            _countSoftIncomplete(err);
        }
        actingKeeper = address(0);
    }

    function keeperAfterDeadline(uint256 lateSeed, bool viaTopUp) external step {
        uint256 deadline = block.timestamp - _bound(lateSeed, 1, 30 days);
        vm.prank(keeper);
        (bool ok, bytes memory err) = address(vault)
            .call(
                viaTopUp
                    ? abi.encodeCall(UnwindVault.topUp, (oneLoan, deadline, 0))
                    : abi.encodeCall(
                        UnwindVault.deleverage,
                        (oneColl / 10, address(swapRouter), v3SellCalldata(address(vault), oneColl / 10, 0), 0, deadline, 0)
                    )
            );
        if (ok) {
            ghostExpiredOk++;
            return;
        }
        bytes4 s = _sel(err);
        _expect(
            s == IUnwindVault.Expired.selector || s == IUnwindVault.IsPaused.selector
                || s == IUnwindVault.NotKeeper.selector,
            "keeperAfterDeadline",
            err
        );
        if (s == IUnwindVault.Expired.selector) _count("refused.expired");
    }

    function keeperUnlistedRoute(uint256 targetSeed, bytes4 selector, bytes calldata tail) external step {
        address[10] memory targets = [
            address(loanToken),
            address(collateralToken),
            address(morpho),
            address(vault),
            address(oracle),
            address(feed),
            address(quoter),
            address(swapRouter),
            address(hostile),
            address(uint160(uint256(keccak256(abi.encode(targetSeed)))))
        ];
        address target = targets[targetSeed % targets.length];
        if (vault.isRouteAllowed(target, selector)) selector = ~selector; // only unlisted pairs here
        vm.prank(keeper);
        try vault.deleverage(oneColl / 100, target, bytes.concat(selector, tail), 0, block.timestamp, 0) {
            ghostUnlistedRouteOk++;
        } catch (bytes memory err) {
            bytes4 s = _sel(err);
            _expect(
                s == IUnwindVault.RouteNotAllowed.selector || s == IUnwindVault.NotKeeper.selector
                    || s == IUnwindVault.IsPaused.selector || s == IUnwindVault.CoolingDown.selector,
                "keeperUnlistedRoute",
                err
            );
            if (s == IUnwindVault.RouteNotAllowed.selector) _count("refused.unlistedRoute");
        }
    }

    // =============================================================================================
    // Strangers
    // =============================================================================================

    function strangerKeeperCall(uint256 who, bool viaTopUp, uint256 sizeSeed) external step {
        uint256 sell = _bound(sizeSeed, 1, 10 * startCollateral);
        vm.prank(_stranger(who));
        (bool ok, bytes memory err) = address(vault)
            .call(
                viaTopUp
                    ? abi.encodeCall(UnwindVault.topUp, (_bound(sizeSeed, 1, 30_000 * oneLoan), block.timestamp, 0))
                    : abi.encodeCall(
                        UnwindVault.deleverage,
                        (sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0)
                    )
            );
        if (ok) {
            ghostStrangerKeeperCallOk++;
            return;
        }
        _expect(_sel(err) == IUnwindVault.NotKeeper.selector, "strangerKeeperCall", err);
        _count("refused.stranger");
    }

    /// @dev Any vault selector (or a random one) with random arguments, from a stranger: whatever it
    /// does, the vault's state and every balance that matters must be what it was.
    function strangerRandomCall(uint256 who, uint256 selectorSeed, bytes calldata args) external step {
        bytes4[29] memory sels = [
            IVaultPortfolio.moveCollateral.selector,
            IVaultPortfolio.receiveCollateral.selector,
            IVaultPortfolio.setMovePeer.selector,
            IVaultPortfolio.setMoveCap.selector,
            IVaultPortfolio.setSharedReserve.selector,
            IVaultPortfolioHooks.portfolioWithdrawCollateral.selector,
            IVaultPortfolioHooks.portfolioSupplyCollateral.selector,
            UnwindVault.supplyCollateral.selector,
            UnwindVault.withdrawCollateral.selector,
            UnwindVault.borrow.selector,
            UnwindVault.repay.selector,
            UnwindVault.depositReserve.selector,
            UnwindVault.withdrawReserve.selector,
            UnwindVault.sweep.selector,
            UnwindVault.setPolicy.selector,
            UnwindVault.setKeeper.selector,
            UnwindVault.setRoute.selector,
            UnwindVault.setPaused.selector,
            UnwindVault.transferOwnership.selector,
            UnwindVault.acceptOwnership.selector,
            UnwindVault.deleverage.selector,
            UnwindVault.topUp.selector,
            UnwindVault.onMorphoRepay.selector,
            UnwindVault.state.selector,
            UnwindVault.policy.selector,
            UnwindVault.reserve.selector,
            IUnwindVault.isRouteAllowed.selector,
            bytes4(keccak256(abi.encode(selectorSeed))),
            bytes4(0)
        ];
        address s = _stranger(who);
        bytes32 before = _digest();
        vm.prank(s);
        (bool ok,) = address(vault).call(bytes.concat(sels[selectorSeed % sels.length], args));
        if (_digest() != before) ghostStrangerChangedState++;
        if (ok) _count("stranger.call.ok");
    }

    function strangerMorphoOnBehalf(uint256 who, uint256 amount, bool viaBorrow) external step {
        amount = _bound(amount, 1, 1e24);
        address s = _stranger(who);
        bytes32 before = _digest();
        vm.prank(s);
        (bool ok,) = address(morpho)
            .call(
                viaBorrow
                    ? abi.encodeCall(IMorphoBase.borrow, (marketParams, amount, 0, address(vault), s))
                    : abi.encodeCall(IMorphoBase.withdrawCollateral, (marketParams, amount, address(vault), s))
            );
        if (ok || _digest() != before) ghostStrangerChangedState++;
    }

    function fakeCallback(bool asMorpho, uint256 amount, bytes calldata data) external step {
        vm.prank(asMorpho ? address(morpho) : _stranger(amount));
        try vault.onMorphoRepay(amount, data) {
            ghostFakeCallbackOk++;
        } catch (bytes memory err) {
            bytes4 want = asMorpho ? IUnwindVault.UnexpectedCallback.selector : IUnwindVault.NotMorpho.selector;
            _expect(_sel(err) == want, "fakeCallback", err);
            _count("refused.fakeCallback");
        }
    }

    // =============================================================================================
    // Market
    // =============================================================================================

    /// @dev Moves the feed and both pools by up to 10%, inside [minAnswer, maxAnswer]; also refreshes a broken feed.
    function movePriceBy(int256 deltaBps) external step {
        deltaBps = _bound(deltaBps, -1000, 1000);
        int256 next = answer * (10_000 + deltaBps) / 10_000;
        next = next < minAnswer ? minAnswer : (next > maxAnswer ? maxAnswer : next);
        movePrice(next);
        answer = next;
        _count("price.move");
    }

    /// @dev Moves the price (feed and pools) so that LTV lands between the trigger and just under the
    /// LLTV: the states where keepers may act.
    function pushOverTrigger(uint256 seed) external step {
        _pushOverTrigger(seed);
    }

    /// @dev Where the equity floor and the equity allowance bite: the owner keeps no reserve (which counts as
    /// equity) and the price puts LTV just under the LLTV, so that the equity is a few percent of the collateral.
    function _toTheEdge() internal {
        // Past the cooldown and, when the rate limit's window has less left than one sale may take, past the window:
        // the equity rules, not those prechecks, are what this attack is aimed at. (Since top-ups can draw on the
        // shared reserve, more of them succeed, and the cooldowns they start hid the equity floor from the campaign.)
        Policy memory p = _policy();
        uint256 until = uint256(vault.lastActionAt()) + p.cooldown;
        Guard memory g = vault.guard();
        if (g.sellWindow != 0 && vault.windowSellLeftBps() < p.maxSellBps) until = Math.max(until, block.timestamp + g.sellWindow);
        if (block.timestamp < until) vm.warp(until);
        uint256 held = vault.reserve();
        if (held > 0) {
            vm.prank(owner);
            vault.withdrawReserve(held, owner);
        }
        _pushOverTrigger(type(uint256).max); // bound() maps the top seed to the top of the range
    }

    /// @dev Two times in three a keeper action comes right after the move that calls for it: with a soft trigger set,
    /// one of those times in four into the soft zone (at or over the soft trigger, under the trigger).
    function _maybePush(uint256 seed) internal {
        if (_oneIn(3, seed)) return;
        (uint16 soft,) = vault.softTrigger();
        if (soft != 0 && _oneIn(4, seed >> 8)) _pushIntoSoftZone(seed, soft);
        else _pushOverTrigger(seed);
    }

    function _pushIntoSoftZone(uint256 seed, uint256 soft) internal {
        morpho.accrueInterest(marketParams);
        _pushTo(_bound(seed, soft, _policy().triggerLtvBps - 1));
        _count("price.pushSoft");
    }

    function _pushOverTrigger(uint256 seed) internal {
        morpho.accrueInterest(marketParams);
        uint256 trigger = _policy().triggerLtvBps;
        if (_pushTo(_bound(seed, trigger, marketParams.lltv / 1e14 - 50))) _count("price.push");
    }

    /// @dev Moves the price (feed and pools) so that LTV is `ltvBps`, within [minAnswer, maxAnswer]; false when the
    /// position is too small for any price to place it.
    function _pushTo(uint256 ltvBps) internal returns (bool) {
        uint256 c = collateralOf(address(vault));
        uint256 d = debtOf(address(vault));
        if (c == 0 || d == 0) return false;
        if (c * ltvBps < 10_000) return false; // a few base units of collateral left: no price puts it anywhere
        // LTV = debt / value and value = collateral * answer * 10^loanDec / (1e8 * 10^collDec).
        uint256 a =
            Math.mulDiv(d, 1e8 * 10 ** collateralToken.decimals(), c * ltvBps / 10_000) / 10 ** loanToken.decimals();
        int256 next = int256(Math.min(Math.max(a, uint256(minAnswer)), uint256(maxAnswer)));
        movePrice(next);
        answer = next;
        return true;
    }

    function breakFeed(uint256 kind) external step {
        (uint80 round,,,,) = feed.latestRoundData();
        vm.startPrank(deployer);
        kind = kind % 5;
        if (kind == 0) feed.setAnswer(0);
        else if (kind == 1) feed.setAnswer(-answer);
        else if (kind == 2) feed.setRoundData(round + 1, answer, block.timestamp, round); // incomplete
        else if (kind == 3) feed.setRoundData(round + 1, answer, block.timestamp + 1 hours, round + 1); // future
        vm.stopPrank();
        if (kind == 4) vm.warp(block.timestamp + PRICE_MAX_AGE + 1); // stale
        _count("feed.break");
    }

    /// @dev The feed keeps its answer but stops updating: its last update goes back to between the guard's max
    /// age and a bit over the adapter's. The adapter's worlds refuse the older half at the oracle, the vault's
    /// guard the rest; the production-style oracle serves it all and only the guard stands in the way.
    /// Then a keeper tries a top-up on it, which must be refused (by the guard unless a precheck came first).
    function feedGoesStale(uint256 ageSeed) external step {
        _maybePush(ageSeed);
        (uint80 round,,,,) = feed.latestRoundData();
        uint256 maxAge = vault.guard().maxPriceAge;
        uint256 age = _bound(ageSeed, maxAge + 1, Math.max(maxAge, PRICE_MAX_AGE) + 30 minutes);
        vm.prank(deployer);
        feed.setRoundData(round + 1, answer, block.timestamp - age, round + 1);
        _count("feed.stale");
        Obs memory b = _observe(address(0));
        uint256 amount = Math.min(b.reserve, Math.max(1, b.debt / 10));
        if (amount == 0) return;
        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, 0) returns (uint256 repaid) {
            _afterKeeperAction(b, repaid, 0, keeper); // counts the bad price it went through on
        } catch (bytes memory err) {
            _expect(_isPrecheck(err) || _isOutcomeRefusal(err), "topUp on a stale feed", err);
            _countPrecheck(err);
        }
    }

    /// @dev The production-style oracle drifts off the feed the guard names by up to 4% (its guard allows 2%),
    /// the pools staying where the feed is. Nothing in the adapter's worlds, whose oracle is the feed.
    function skewOracle(int256 bps) external step {
        if (address(prodOracle) == address(0)) return;
        prodOracle.setSkewBps(_oneIn(3, uint256(bps)) ? int256(0) : _bound(bps, -400, 400));
        _count("oracle.skew");
    }

    function passTime(uint256 secs) external step {
        vm.warp(block.timestamp + _bound(secs, 1, 90 minutes));
        vm.roll(block.number + 1);
    }

    function liquidate(uint256 seizeSeed) external step {
        uint256 c = collateralOf(address(vault));
        if (c == 0) return;
        vm.prank(liquidator);
        try morpho.liquidate(marketParams, address(vault), _bound(seizeSeed, 1, c), 0, "") {
            _count("liquidation");
        } catch {} // not the vault's business: a healthy position, a broken feed, rounding
    }

    // =============================================================================================
    // Owner
    // =============================================================================================

    function ownerBorrow(uint256 ltvSeed) external step {
        morpho.accrueInterest(marketParams);
        if (oracleBroken()) return;
        uint256 value = LtvMath.collateralValue(collateralOf(address(vault)), oracle.price());
        uint256 debt = debtOf(address(vault));
        uint256 trigger = _policy().triggerLtvBps;
        uint256 want = value * _bound(ltvSeed, trigger - 1000, trigger) / 10_000;
        if (want <= debt) return;
        vm.prank(owner);
        try vault.borrow(want - debt, owner) {
            _count("owner.borrow");
        } catch (bytes memory err) {
            bool ok = _sel(err) == IUnwindVault.WouldTrigger.selector || _isString(err, "insufficient collateral")
                || _isString(err, "insufficient liquidity");
            _expect(ok, "ownerBorrow", err);
        }
    }

    /// @dev Repays everything one time in four, else up to half the debt.
    function ownerRepay(uint256 amountSeed) external step {
        morpho.accrueInterest(marketParams);
        uint256 debt = debtOf(address(vault));
        if (debt == 0) return;
        uint256 amount = _oneIn(4, amountSeed) ? type(uint256).max : _bound(amountSeed, 1, Math.max(1, debt / 2));
        loanToken.mint(owner, debt);
        vm.prank(owner);
        try vault.repay(amount) {
            _count("owner.repay");
        } catch {
            ghostOwnerBlocked++;
        }
    }

    function ownerSupply(uint256 amount) external step {
        amount = _bound(amount, 1, startCollateral / 5);
        collateralToken.mint(owner, amount);
        vm.prank(owner);
        vault.supplyCollateral(amount);
    }

    function ownerWithdraw(uint256 amount) external step {
        uint256 c = collateralOf(address(vault));
        if (c == 0) return;
        vm.prank(owner);
        try vault.withdrawCollateral(_bound(amount, 1, c), owner) {
            _count("owner.withdraw");
        } catch (bytes memory err) {
            // With debt outstanding the market checks health, at its oracle; then the vault refuses to end at
            // or over its trigger (like borrow), and must say so with the trigger it holds.
            _expect(
                _isString(err, "insufficient collateral") || _isOracleError(err) || _isWouldTrigger(err),
                "ownerWithdraw",
                err
            );
            if (_isWouldTrigger(err)) _count("refused.wouldTrigger");
        }
    }

    /// @dev WouldTrigger(ltvAfter, trigger) with the policy's trigger and an LTV at or over it.
    function _isWouldTrigger(bytes memory err) internal view returns (bool) {
        if (_sel(err) != IUnwindVault.WouldTrigger.selector || err.length != 68) return false;
        (uint256 ltvAfter, uint256 trigger) = abi.decode(_args(err), (uint256, uint256));
        return trigger == LtvMath.bpsToWad(_policy().triggerLtvBps) && ltvAfter >= trigger;
    }

    function ownerReserve(bool deposit, uint256 amount) external step {
        uint256 held = vault.reserve();
        if (!deposit && held == 0) return;
        amount = deposit ? _bound(amount, 1, 20_000 * oneLoan) : _bound(amount, 1, held);
        if (deposit) loanToken.mint(owner, amount);
        vm.prank(owner);
        if (deposit) {
            vault.depositReserve(amount);
        } else {
            try vault.withdrawReserve(amount, owner) {}
            catch {
                ghostOwnerBlocked++;
            }
        }
    }

    function ownerSetPolicy(uint256 a, uint256 b, uint256 c, uint256 d, bool makeInvalid) external step {
        Policy memory p;
        p.triggerLtvBps = uint16(_bound(a, 7000, 9300));
        p.targetLtvBps = uint16(_bound(a >> 16, 4000, p.triggerLtvBps - 100));
        p.bandBps = uint16(_bound(b, 0, 2000));
        // The whole allowed range: under the pools' 0.3% fee no honest sale passes, and the vault must say so.
        p.maxSlippageBps = uint16(_bound(b >> 16, 0, 1000));
        p.maxFeeBps = uint16(_bound(c, 0, 500));
        p.maxSellBps = uint16(_bound(c >> 16, 1000, 10_000));
        p.cooldown = _oneIn(2, d) ? 0 : uint32(_bound(d, 1, 2 hours));
        p.maxGasPrice = uint64(_bound(d >> 32, 1 gwei, 1000 gwei));
        if (_oneIn(4, c)) {
            // A tight floor and a generous fee: where the fee alone can pass the equity allowance near the LLTV.
            p.maxSlippageBps = uint16(_bound(b >> 16, 0, 100));
            p.maxFeeBps = uint16(_bound(c, 300, 500));
        }
        if (makeInvalid) {
            uint256 which = d % 4;
            if (which == 0) p.targetLtvBps = p.triggerLtvBps;
            else if (which == 1) p.maxSlippageBps = 1001;
            else if (which == 2) p.maxSellBps = 0;
            else p.triggerLtvBps = uint16(marketParams.lltv / 1e14);
        }
        // A soft trigger the new policy would leave outside (target, trigger): the owner clears it first half the
        // time; otherwise the vault must refuse the policy.
        (uint16 soft,) = vault.softTrigger();
        bool breaksSoft = soft != 0 && (soft <= p.targetLtvBps || soft >= p.triggerLtvBps);
        if (breaksSoft && _oneIn(2, a)) {
            vm.prank(owner);
            vault.setSoftTrigger(0, 0);
            breaksSoft = false;
        }
        vm.prank(owner);
        try vault.setPolicy(p) {
            _expect(!makeInvalid && !breaksSoft, "ownerSetPolicy accepted an invalid policy", "");
            _count("owner.policy");
        } catch (bytes memory err) {
            _expect((makeInvalid || breaksSoft) && _sel(err) == IUnwindVault.InvalidPolicy.selector, "ownerSetPolicy", err);
        }
    }

    /// @dev A soft trigger anywhere strictly between the policy's target and trigger, with any probability bound; one
    /// time in four it is cleared, and one time in eight an invalid one, which must be refused.
    function ownerSetSoftTrigger(uint256 a, bool makeInvalid) external step {
        Policy memory p = _policy();
        uint16 soft;
        uint16 probability;
        if (!_oneIn(4, a) && p.triggerLtvBps > p.targetLtvBps + 1) {
            soft = uint16(_bound(a, p.targetLtvBps + 1, p.triggerLtvBps - 1));
            probability = uint16(_bound(a >> 16, 1, 9999));
        }
        if (makeInvalid) {
            uint256 which = (a >> 32) % 4;
            if (which == 0) (soft, probability) = (p.targetLtvBps, 500);
            else if (which == 1) (soft, probability) = (p.triggerLtvBps, 500);
            else if (which == 2) (soft, probability) = (p.targetLtvBps + 1, 10_000);
            else (soft, probability) = (0, 1);
        }
        vm.prank(owner);
        try vault.setSoftTrigger(soft, probability) {
            _expect(!makeInvalid, "ownerSetSoftTrigger accepted an invalid soft trigger", "");
            _count(soft == 0 ? "owner.softTriggerOff" : "owner.softTrigger");
        } catch (bytes memory err) {
            _expect(makeInvalid && _sel(err) == IUnwindVault.InvalidPolicy.selector, "ownerSetSoftTrigger", err);
        }
    }

    /// @dev A new guard now and then: feed age, deviation bound and rate limit drawn anew (the window's count
    /// stays); one time in eight an invalid one, which must be refused.
    function ownerSetGuard(uint256 a, uint256 b, bool makeInvalid) external step {
        Guard memory g = vault.guard();
        g.maxPriceAge = uint32(_bound(a, 10 minutes, 2 hours));
        g.maxPriceDeviationBps = address(prodOracle) == address(0) ? 0 : uint16(_bound(a >> 32, 50, 500));
        bool window = !_oneIn(4, b);
        g.sellWindow = window ? uint32(_bound(b, 30 minutes, 1 days)) : 0;
        g.maxWindowSellBps = window ? uint16(_bound(b >> 32, 1000, 10_000)) : 0;
        if (makeInvalid) {
            uint256 which = b % 3;
            if (which == 0) g.maxPriceAge = 0;
            else if (which == 1) g.maxWindowSellBps = g.sellWindow == 0 ? 1 : 0;
            else g.maxPriceDeviationBps = 10_001;
        }
        vm.prank(owner);
        try vault.setGuard(g) {
            _expect(!makeInvalid, "ownerSetGuard accepted an invalid guard", "");
            _count("owner.guard");
        } catch (bytes memory err) {
            _expect(makeInvalid && _sel(err) == IUnwindVault.InvalidGuard.selector, "ownerSetGuard", err);
        }
    }

    /// @dev Hands the vault to the other owner, who keeps the keepers and routes or clears them. After a clearing
    /// the old keepers (the keeper and the hostile router) must be refused; then the new owner lists them again,
    /// so that the campaign goes on.
    function ownerTransfer(bool keepAccess, uint256 seed) external step {
        address next = owners[0] == owner ? owners[1] : owners[0];
        vm.prank(owner);
        vault.transferOwnership(next);
        vm.prank(next);
        vault.acceptOwnership(keepAccess);
        // Half the time the owner moves the whole portfolio (a new address, a multisig): the shared reserve, whose
        // limits do not follow it, and the second vault, whose peers do.
        if (_oneIn(2, seed >> 8)) {
            if (sharedReserve.owner() == owner) {
                vm.prank(owner);
                sharedReserve.transferOwnership(next);
                vm.prank(next);
                sharedReserve.acceptOwnership(); // limits are per owner: `next`'s own, if it ever set any
            }
            if (peerVault.owner() == owner) {
                vm.prank(owner);
                peerVault.transferOwnership(next);
                vm.prank(next);
                peerVault.acceptOwnership(true);
            }
        }
        owner = next;
        _count(keepAccess ? "owner.transfer.kept" : "owner.transfer.cleared");
        if (!keepAccess) {
            if (vault.keepers().length != 0 || vault.routes().length != 0) ghostOldKeeperOk++;
            address old = _oneIn(2, seed) ? keeper : address(hostile);
            vm.prank(old);
            try vault.topUp(1, block.timestamp, 0) {
                ghostOldKeeperOk++;
            } catch (bytes memory err) {
                _expect(_sel(err) == IUnwindVault.NotKeeper.selector, "old keeper after a clearing", err);
                _count("refused.clearedKeeper");
            }
            allowUniswap(vault);
            vm.startPrank(owner);
            vault.setRoute(address(hostile), HostileRouter.swap.selector, true);
            vault.setKeeper(address(hostile), true);
            vault.setKeeper(keeper, true);
            vm.stopPrank();
        }
        // The shared reserve link never survives a transfer. The reserve's owner links it again and lists the peers
        // again; the other owner cannot link a reserve that is not theirs.
        if (IVaultPortfolio(address(vault)).sharedReserve() != address(0)) ghostSharedBroken++;
        vm.startPrank(owner);
        if (owner == sharedReserve.owner()) {
            IVaultPortfolio(address(vault)).setSharedReserve(address(sharedReserve));
            sharedReserve.setLimit(address(vault), address(loanToken), sharedLimit);
            IVaultPortfolio(address(vault)).setMovePeer(address(peerVault), true);
            IVaultPortfolio(address(vault)).setMovePeer(address(otherOwnersVault), true);
        } else {
            try IVaultPortfolio(address(vault)).setSharedReserve(address(sharedReserve)) {
                ghostSharedBroken++;
            } catch (bytes memory err) {
                _expect(_sel(err) == IUnwindVault.SharedReserveNotOwned.selector, "link another owner's reserve", err);
                _count("refused.reserveNotOwned");
            }
        }
        loanToken.approve(address(vault), type(uint256).max);
        collateralToken.approve(address(vault), type(uint256).max);
        vm.stopPrank();
    }

    /// @dev Pauses one time in eight, unpauses otherwise, so that keepers also get to act.
    function ownerSetPaused(uint256 seed) external step {
        vm.prank(owner);
        vault.setPaused(_oneIn(8, seed));
    }

    /// @dev Revokes the keeper one time in eight, allows it otherwise.
    function ownerSetKeeper(uint256 seed) external step {
        vm.prank(owner);
        vault.setKeeper(keeper, !_oneIn(8, seed));
    }

    function ownerAllowForbiddenRoute(uint256 targetSeed, bytes4 selector) external step {
        address[6] memory forbidden = [
            address(loanToken), address(collateralToken), address(morpho), address(vault), address(oracle), address(0)
        ];
        address target = forbidden[targetSeed % forbidden.length];
        vm.prank(owner);
        try vault.setRoute(target, selector, true) {
            ghostUnlistedRouteOk++;
        } catch (bytes memory err) {
            _expect(_sel(err) == IUnwindVault.ForbiddenTarget.selector, "ownerAllowForbiddenRoute", err);
            _count("refused.forbiddenTarget");
        }
    }

    // =============================================================================================
    // Observation and checks
    // =============================================================================================

    function _observe(address recipient) internal returns (Obs memory o) {
        return _observe(recipient, keeper);
    }

    /// @dev `caller`: the keeper about to act (its role, and its loan balance, which only the fee may raise).
    function _observe(address recipient, address caller) internal returns (Obs memory o) {
        morpho.accrueInterest(marketParams); // what the vault does first, so before and after compare
        o.collateral = collateralOf(address(vault));
        o.debt = debtOf(address(vault));
        o.priceOk = !oracleBroken();
        if (o.priceOk) {
            o.price = oracle.price();
            o.ltv = LtvMath.ltv(o.collateral, o.debt, o.price);
            (uint8 status,) = vault.checkPrice(o.price);
            o.guardOk = status == PRICE_OK;
        }
        o.reserve = vault.reserve();
        o.keeperLoan = loanToken.balanceOf(caller);
        if (recipient != address(0)) o.recipientCollateral = collateralToken.balanceOf(recipient);
        o.lastActionAt = vault.lastActionAt();
        o.paused = vault.paused();
        o.isKeeper = vault.isKeeper(caller);
        o.policy = vault.policy();
        o.guard = vault.guard();
        (o.soft,) = vault.softTrigger();
    }

    /// @dev The owner's equity at `price`: collateral value + reserve - debt (may be negative).
    function _equity(uint256 collateral, uint256 reserve_, uint256 debt, uint256 price) internal pure returns (int256) {
        return int256(LtvMath.collateralValue(collateral, price) + reserve_) - int256(debt);
    }

    /// @dev What the vault lets a keeper action take off the equity: (maxSlippage + maxFee) of it.
    function _equityAllowance(Obs memory b) internal pure returns (uint256) {
        int256 e = _equity(b.collateral, b.reserve, b.debt, b.price);
        return e <= 0 ? 0 : uint256(e) * (uint256(b.policy.maxSlippageBps) + b.policy.maxFeeBps) / 10_000;
    }

    /// @dev The repayment a sale of `sell` needs so that the equity falls by at most the allowance.
    function _equityFloor(Obs memory b, uint256 sell) internal pure returns (uint256) {
        if (!b.priceOk) return 0;
        uint256 valueSold = Math.mulDiv(sell, b.price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        uint256 allowance = _equityAllowance(b);
        return valueSold > allowance ? valueSold - allowance : 0;
    }

    /// @dev Checks of a successful deleverage, at the oracle price it was judged at.
    function _afterSale(Obs memory b, uint256 sell, uint256 repaid, uint256 proceeds, uint256 fee, address recipient)
        internal
    {
        address caller = actingKeeper == address(0) ? keeper : actingKeeper;
        _afterKeeperAction(b, repaid, fee, caller);
        _recordWindowSale(b, sell);
        Obs memory a = _observe(recipient, caller);
        if (b.priceOk && repaid < Math.min(LtvMath.oracleFloor(sell, b.price, b.policy.maxSlippageBps), b.debt)) {
            ghostUnderFloor++;
        }
        if (proceeds < repaid + fee) ghostUnderFloor++;
        if (sell > b.collateral * b.policy.maxSellBps / 10_000) ghostSizeCapBroken++;
        // Collateral left the market only to the router (or its pool), and no more than was approved.
        uint256 out = b.collateral > a.collateral ? b.collateral - a.collateral : 0;
        if (out > sell || a.recipientCollateral != b.recipientCollateral + out) ghostLeak++;
        if (recipient == address(hostile)) ghostCollateralSoldToHostile += out;
        if (collateralToken.allowance(address(vault), _routerOf(recipient)) != 0) ghostAllowanceLeft++;
        if (a.reserve + repaid + fee != b.reserve + proceeds) ghostLeak++;
    }

    /// @dev Checks common to every successful keeper action.
    function _afterKeeperAction(Obs memory b, uint256 repaid, uint256 fee, address caller) internal {
        Obs memory a = _observe(address(0), caller);
        if (!b.isKeeper) ghostStrangerKeeperCallOk++;
        if (!b.priceOk || !b.guardOk) ghostBadPriceOk++;
        // The owner's equity at the action's oracle price fell by at most the allowance (two base units for
        // the rounding of the value and the debt).
        if (b.priceOk) {
            int256 lost = _equity(b.collateral, b.reserve, b.debt, b.price) - _equity(a.collateral, a.reserve, a.debt, b.price);
            if (lost > int256(_equityAllowance(b) + 2)) ghostEquityLoss++;
        }
        if (b.paused) ghostPausedOk++;
        // Under the trigger only from the soft zone, and only to the target or under (at the action's price).
        if (b.priceOk && b.ltv < LtvMath.bpsToWad(b.policy.triggerLtvBps)) {
            uint256 after_ = LtvMath.ltv(a.collateral, a.debt, b.price);
            if (
                b.soft == 0 || b.ltv < LtvMath.bpsToWad(b.soft) || after_ > LtvMath.bpsToWad(b.policy.targetLtvBps)
            ) ghostSoftActionIncomplete++;
            _count("keeper.softZone");
        }
        if (b.policy.cooldown != 0 && block.timestamp < uint256(b.lastActionAt) + b.policy.cooldown) {
            ghostCooldownBroken++;
        }
        if (a.debt >= b.debt || (b.priceOk && LtvMath.ltv(a.collateral, a.debt, b.price) >= b.ltv)) {
            ghostNotDeleveraged++;
        } else if (b.debt - a.debt + 1 < repaid) {
            ghostUnderFloor++; // the debt fell by what was repaid
        }
        uint256 maxFee = tx.gasprice > b.policy.maxGasPrice ? 0 : repaid * b.policy.maxFeeBps / 10_000;
        if (fee > maxFee || a.keeperLoan != b.keeperLoan + fee) ghostLeak++;
        if (caller == address(hostile)) ghostFeesToHostile += fee;
        else ghostFeesToKeeper += fee;
    }

    /// @dev The ghost ledger of the rate limit, kept as the guard describes it: a window opens at the first sale
    /// after the last one ended; each sale adds its share of the collateral at the sale, rounded up. The
    /// window's count may not pass the share, and so the collateral sold in it may not pass the share of the
    /// most collateral its sales saw.
    function _recordWindowSale(Obs memory b, uint256 sell) internal {
        Guard memory g = b.guard;
        if (g.sellWindow == 0) return;
        if (block.timestamp >= ghostWindowStart + g.sellWindow) {
            (ghostWindowStart, ghostWindowSoldBps, ghostWindowSold, ghostWindowMaxCollateral) = (block.timestamp, 0, 0, 0);
        }
        ghostWindowSoldBps += Math.mulDiv(sell, 10_000, b.collateral, Math.Rounding.Ceil);
        ghostWindowSold += sell;
        ghostWindowMaxCollateral = Math.max(ghostWindowMaxCollateral, b.collateral);
        if (ghostWindowSoldBps > g.maxWindowSellBps) ghostWindowBroken++;
        if (ghostWindowSold * 10_000 > uint256(g.maxWindowSellBps) * ghostWindowMaxCollateral) ghostWindowBroken++;
    }

    function _routerOf(address recipient) internal view returns (address) {
        if (recipient == address(v3Pool)) return address(swapRouter);
        if (recipient == address(v2Pair)) return address(v2Router);
        return recipient;
    }

    function _saleSize(Obs memory b, uint256 seed) internal pure returns (uint256) {
        // Up to a fifth past what would reach the target, and up to half past the size cap, so that
        // overselling and the cap get tried.
        uint256 cap = b.collateral * b.policy.maxSellBps / 10_000;
        uint256 ideal = cap;
        uint256 t = b.policy.targetLtvBps;
        // At a discount of 1 - target or more, no sale at the floor reaches the target: try up to the cap.
        if (b.priceOk && b.price > 0 && 10_000 > b.policy.maxSlippageBps + t) {
            uint256 value = LtvMath.collateralValue(b.collateral, b.price);
            uint256 num = b.debt * 10_000 > value * t ? b.debt * 10_000 - value * t : 0;
            uint256 soldValue = num / (10_000 - b.policy.maxSlippageBps - t);
            ideal = Math.mulDiv(soldValue, 1e36, b.price) * 12 / 10;
        }
        return _bound(seed, 1, Math.max(1, Math.min(ideal, cap * 3 / 2)));
    }

    function _quoteV2(uint256 sell) internal view returns (uint256) {
        address[] memory path = new address[](2);
        (path[0], path[1]) = (address(collateralToken), address(loanToken));
        return v2Router.getAmountsOut(sell, path)[1];
    }

    function _setGasPrice(Policy memory p, bool expensive) internal {
        vm.txGasPrice(expensive ? uint256(p.maxGasPrice) + 1 : p.maxGasPrice);
    }

    /// @dev Something for the hostile router to call mid-swap, swallowing the failure.
    function _reentry(uint256 seed, uint256 sell) internal view returns (address target, bytes memory data) {
        address h = address(hostile);
        bytes memory swap = abi.encodeCall(HostileRouter.swap, (sell, 0));
        uint256 k = seed % 15;
        target = address(vault);
        if (k == 0) {
            data = abi.encodeCall(UnwindVault.deleverage, (sell, h, swap, 0, block.timestamp, 0));
        } else if (k == 1) {
            data = abi.encodeCall(UnwindVault.topUp, (1, block.timestamp, 0));
        } else if (k == 2) {
            data = abi.encodeCall(UnwindVault.onMorphoRepay, (1, abi.encode(sell, h, swap, uint256(0))));
        } else if (k == 3) {
            data = abi.encodeCall(UnwindVault.withdrawCollateral, (sell, h));
        } else if (k == 4) {
            data = abi.encodeCall(UnwindVault.withdrawReserve, (1, h));
        } else if (k == 5) {
            data = abi.encodeCall(UnwindVault.sweep, (address(collateralToken), sell, h));
        } else if (k == 6) {
            data = abi.encodeCall(UnwindVault.borrow, (1, h));
        } else if (k == 7) {
            data = abi.encodeCall(UnwindVault.setPolicy, (defaultPolicy()));
        } else if (k == 8) {
            data = abi.encodeCall(UnwindVault.setKeeper, (h, true));
        } else if (k == 9) {
            data = abi.encodeCall(UnwindVault.setPaused, (true));
        } else if (k == 10) {
            data = abi.encodeCall(UnwindVault.transferOwnership, (h));
        } else if (k == 11) {
            data = abi.encodeCall(UnwindVault.repay, (1));
        } else if (k == 12) {
            target = address(morpho);
            data = abi.encodeCall(IMorphoBase.withdrawCollateral, (marketParams, sell, address(vault), h));
        } else if (k == 13) {
            target = address(morpho);
            data = abi.encodeCall(IMorphoBase.borrow, (marketParams, oneLoan, 0, address(vault), h));
        } else {
            target = address(collateralToken);
            data = abi.encodeCall(IERC20.transferFrom, (address(vault), h, 1));
        }
    }

    /// @dev What a stranger must never change.
    function _digest() internal view returns (bytes32) {
        bytes memory a = abi.encode(
            vault.owner(),
            vault.pendingOwner(),
            vault.policy(),
            vault.paused(),
            vault.lastActionAt(),
            vault.isKeeper(strangers[0]) || vault.isKeeper(strangers[1]) || vault.isKeeper(strangers[2]),
            IVaultPortfolio(address(vault)).sharedReserve(),
            IVaultPortfolio(address(vault)).maxMoveBps(),
            IVaultPortfolio(address(vault)).movePeers()
        );
        bytes memory b = abi.encode(
            collateralOf(address(vault)),
            morpho.position(marketParams.id(), address(vault)).borrowShares,
            loanToken.balanceOf(address(vault)),
            collateralToken.balanceOf(address(vault)),
            loanToken.balanceOf(strangers[0]) + loanToken.balanceOf(strangers[1]) + loanToken.balanceOf(strangers[2]),
            collateralToken.balanceOf(strangers[0]) + collateralToken.balanceOf(strangers[1])
                + collateralToken.balanceOf(strangers[2])
        );
        return keccak256(bytes.concat(a, b));
    }
}
