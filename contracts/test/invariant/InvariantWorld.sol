// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {ProductionStyleOracle} from "../utils/ProductionStyleOracle.sol";
import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";
import {TestToken} from "../../src/local/TestToken.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {IVaultPortfolio} from "../../src/interfaces/IVaultPortfolio.sol";
import {IUniswapV3Pool, IUniswapV2Pair, ISwapRouter, IUniswapV2Router02} from "../utils/UniswapInterfaces.sol";

/// @notice The world the invariant handler plays in: a real local market with one vault, its owner and
/// keeper, a hostile router that is also a keeper, strangers, and the ghost variables the handler
/// fills in as it observes every action. Revert classification lives here too.
abstract contract InvariantWorld is VaultFixture {
    /// The tokens' decimals and the starting feed answer (8 decimals) of one world.
    struct World {
        uint8 collateralDecimals;
        uint8 loanDecimals;
        int256 price;
        /// The market's oracle is a production-style one (no age check, see ProductionStyleOracle) instead of
        /// the project's adapter: a stale feed then reaches the vault, whose guard must catch it.
        bool productionOracle;
    }

    /// The guard's max feed age: under the adapter's (PRICE_MAX_AGE), so that in the adapter's worlds a feed
    /// between the two ages is refused by the vault's guard and an older one by the adapter.
    uint32 internal constant GUARD_MAX_AGE = 30 minutes;

    /// Price moves stay between a third and twice the starting answer.
    int256 public immutable minAnswer;
    int256 public immutable maxAnswer;
    /// One whole collateral / loan token, in base units.
    uint256 internal immutable oneColl;
    uint256 internal immutable oneLoan;
    /// Collateral worth 30,000 loan tokens at the starting price: what the vault opens with.
    uint256 internal immutable startCollateral;

    HostileRouter public hostile;
    /// Set in the production-oracle world: the market's oracle, which the handler can skew off the feed.
    ProductionStyleOracle public prodOracle;
    /// The owners the vault is handed between (ownerTransfer), and who owns it now (`owner`).
    address[2] internal owners = [makeAddr("owner"), makeAddr("owner2")];
    address public liquidator = makeAddr("liquidator");
    address[3] internal strangers = [makeAddr("stranger0"), makeAddr("stranger1"), makeAddr("stranger2")];

    /// The portfolio (issue 15): the first owner's second vault on the same market (opened at 40% LTV), a vault of
    /// another owner that lists the vault as a move peer (and that the vault lists by mistake), and the first
    /// owner's shared reserve, linked to the vault. Moves go between the first two, and are tried to and from the
    /// third; the vault's top-ups draw their shortfall from the reserve.
    UnwindVault public peerVault;
    UnwindVault public otherOwnersVault;
    SharedReserve public sharedReserve;
    address public otherOwner = makeAddr("otherOwner");
    uint256 internal immutable sharedLimit;

    /// Last answer published by the price moves (the feed may be broken on top of it).
    int256 public answer;

    // ---- ghosts: what the handler saw ----
    /// Invariant 1: a keeper entry point succeeded for someone neither keeper nor owner.
    uint256 public ghostStrangerKeeperCallOk;
    /// Invariant 1/5: a stranger's call changed the vault's state or balances.
    uint256 public ghostStrangerChangedState;
    /// Invariant 2: a successful deleverage that did not lower debt or raised LTV.
    uint256 public ghostNotDeleveraged;
    /// Invariant 3: a successful deleverage that repaid under the oracle floor, or a
    /// stealing/short-paying/wrong-token router that got through.
    uint256 public ghostUnderFloor;
    /// Invariant 4: an allowance to the router seen right after a successful sale.
    uint256 public ghostAllowanceLeft;
    /// Invariant 5: an outflow that went anywhere but the market, the router (<= the amount) or the fee.
    uint256 public ghostLeak;
    /// Invariant 5: fees the keeper was paid, and collateral the hostile router legitimately took.
    uint256 public ghostFeesToKeeper;
    uint256 public ghostCollateralSoldToHostile;
    /// Invariant 6: a non-allow-listed (target, selector) or forbidden target that got through.
    uint256 public ghostUnlistedRouteOk;
    /// Invariant 7: a fake callback that got through.
    uint256 public ghostFakeCallbackOk;
    /// Invariant 9: a keeper action that succeeded while the oracle was broken.
    uint256 public ghostBadPriceOk;
    /// Invariant 10: a sale above the size cap, or an action inside the cooldown.
    uint256 public ghostSizeCapBroken;
    uint256 public ghostCooldownBroken;
    /// Invariant 11: the owner's repay, withdraw or reserve withdrawal failed in the sequence itself.
    uint256 public ghostOwnerBlocked;
    /// Invariant 12: a keeper action that succeeded after its deadline or while paused.
    uint256 public ghostExpiredOk;
    uint256 public ghostPausedOk;
    /// Owner's equity: a keeper action that lowered the owner's equity at its oracle price (collateral value +
    /// reserve - debt) by more than (maxSlippage + maxFee) of the equity before.
    uint256 public ghostEquityLoss;
    /// Invariant 16: a keeper action that started under the trigger went through outside the soft zone, or ended
    /// over the target.
    uint256 public ghostSoftActionIncomplete;
    /// Rate limit: a window in which the keepers sold more than the guard's share (ghost ledger below).
    uint256 public ghostWindowBroken;
    /// A keeper of a previous owner that acted after the new owner cleared the access.
    uint256 public ghostOldKeeperOk;
    /// The ghost ledger of the rate limit: the current window, the collateral sold in it (base units and
    /// shares of the collateral at each sale, rounded up as the vault does), the most collateral seen at its sales.
    uint256 public ghostWindowStart;
    uint256 public ghostWindowSoldBps;
    uint256 public ghostWindowSold;
    uint256 public ghostWindowMaxCollateral;
    /// Fees paid to the hostile router when it acted as the keeper.
    uint256 public ghostFeesToHostile;
    /// Portfolio: a move that went through between vaults of different owners, to a vault that did not need it,
    /// leaving the source at or over its trigger, over the cap, not lowering the destination's LTV, changing a debt
    /// or the collateral's total, paying anyone, or leaving collateral loose or approved.
    uint256 public ghostMoveBroken;
    /// Portfolio: a top-up that drew more than its shortfall, drew for a vault not owned by the reserve's owner, or
    /// cost the owner (vault + shared reserve, at the oracle price) more than its fee; a reserve link that outlived a
    /// transfer.
    uint256 public ghostSharedBroken;

    /// What the run reached: successful actions, and refusals that came from the defence each hostile
    /// move is aimed at (not from an earlier precheck). The invariant test asserts floors on them.
    mapping(bytes32 => uint256) public calls;
    /// Handler calls made in this run.
    uint256 public steps;

    error UnexpectedRevert(string action, bytes reason);

    constructor(World memory w) {
        oneColl = 10 ** w.collateralDecimals;
        oneLoan = 10 ** w.loanDecimals;
        minAnswer = w.price / 3;
        maxAnswer = w.price * 2;
        startCollateral = Math.mulDiv(30_000 * 1e8, oneColl, uint256(w.price));
        sharedLimit = 8_000 * oneLoan;
        // A 94.5% LLTV market (as for correlated assets): a position can sit above 90% LTV and still be
        // healthy, so a sale at a 10% discount could raise its LTV and only the vault's own check stops it.
        MarketConfig memory c = defaultConfig();
        (c.collateralDecimals, c.loanDecimals, c.price) = (w.collateralDecimals, w.loanDecimals, w.price);
        c.lltv = 0.945e18;
        (c.marketLiquidity, c.v3Depth, c.v2Depth) = (10_000_000 * oneLoan, 2_000_000 * oneLoan, 500_000 * oneLoan);
        setUpVault(c, startCollateral, 7500);
        answer = c.price;
        if (w.productionOracle) _moveToProductionOracle(c);
        Policy memory p = defaultPolicy();
        p.maxSellBps = 3000; // under what reaching the target takes, so the cap binds
        p.maxSlippageBps = 1000; // the loosest floor a policy may set: the most room for a hostile fill
        p.cooldown = 30 minutes;
        setPolicy(p);
        // A soft trigger from the start (the owner may change or clear it): keepers may act early from 76%.
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);
        hostile = new HostileRouter(address(collateralToken));
        loanToken.mint(owner, 50_000 * oneLoan);
        vm.startPrank(owner);
        // Fresh prices (the feed behind the market's oracle) and a rate limit of half the collateral per 6 hours.
        vault.setGuard(Guard(address(feed), GUARD_MAX_AGE, w.productionOracle ? 200 : 0, 6 hours, 5000));
        vault.setRoute(address(hostile), HostileRouter.swap.selector, true);
        vault.setKeeper(address(hostile), true); // worst case: the attacker also holds a keeper key
        loanToken.approve(address(vault), type(uint256).max);
        collateralToken.approve(address(vault), type(uint256).max);
        vault.depositReserve(10_000 * oneLoan);
        vm.stopPrank();
        _openPortfolio();
        loanToken.mint(liquidator, type(uint128).max);
        vm.prank(liquidator);
        loanToken.approve(address(morpho), type(uint256).max);
    }

    /// @dev The owner's second vault and shared reserve, and another owner's vault, on the vault's market.
    function _openPortfolio() internal {
        peerVault = openVault(owner, startCollateral, 4000);
        otherOwnersVault = openVault(otherOwner, startCollateral, 7500);
        sharedReserve = new SharedReserve(owner);
        vm.startPrank(owner);
        peerVault.setPolicy(defaultPolicy());
        peerVault.setKeeper(keeper, true);
        peerVault.setKeeper(address(hostile), true);
        IVaultPortfolio(address(peerVault)).setMovePeer(address(vault), true);
        // Up to 70% per move: room for moves that would leave it at its trigger, which the handler's sizes (up to 60%)
        // reach before the market's own health check does.
        IVaultPortfolio(address(peerVault)).setMoveCap(7000);
        IVaultPortfolio(address(vault)).setMovePeer(address(peerVault), true);
        IVaultPortfolio(address(vault)).setMovePeer(address(otherOwnersVault), true); // by mistake
        IVaultPortfolio(address(vault)).setMoveCap(3000);
        sharedReserve.setLimit(address(vault), address(loanToken), sharedLimit);
        IVaultPortfolio(address(vault)).setSharedReserve(address(sharedReserve));
        collateralToken.approve(address(peerVault), type(uint256).max);
        vm.stopPrank();
        loanToken.mint(address(sharedReserve), 4 * sharedLimit);
        vm.startPrank(otherOwner);
        otherOwnersVault.setPolicy(defaultPolicy());
        otherOwnersVault.setKeeper(keeper, true);
        otherOwnersVault.setKeeper(address(hostile), true);
        IVaultPortfolio(address(otherOwnersVault)).setMovePeer(address(vault), true);
        IVaultPortfolio(address(otherOwnersVault)).setMoveCap(5000);
        vm.stopPrank();
    }

    /// @dev A second market on the same tokens whose oracle is production-style, and the vault moved to it: the
    /// adapter's market keeps its first vault, which the campaign leaves alone.
    function _moveToProductionOracle(MarketConfig memory c) internal {
        prodOracle = new ProductionStyleOracle(IPriceFeed(address(feed)), c.collateralDecimals, c.loanDecimals);
        marketParams = MarketParams(address(loanToken), address(collateralToken), address(prodOracle), irm, c.lltv);
        morpho.createMarket(marketParams);
        loanToken.mint(lender, c.marketLiquidity);
        vm.prank(lender);
        morpho.supply(marketParams, c.marketLiquidity, 0, lender, "");
        oracle = ChainlinkOracleAdapter(address(prodOracle)); // only price() is read through it
        vault = openVault(owner, startCollateral, 7500);
        allowUniswap(vault);
        vm.startPrank(owner);
        vault.setPolicy(defaultPolicy());
        vault.setKeeper(keeper, true);
        vm.stopPrank();
    }

    // ---- views for the invariant contract ----

    function vaultAddress() external view returns (address) {
        return address(vault);
    }

    function morphoAddress() external view returns (address) {
        return address(morpho);
    }

    function tokens() external view returns (TestToken loan, TestToken coll) {
        return (loanToken, collateralToken);
    }

    function market() external view returns (MarketParams memory) {
        return marketParams;
    }

    function actors() external view returns (address owner_, address keeper_, address[3] memory strangers_) {
        return (vault.owner(), keeper, strangers);
    }

    /// Every contract the vault has ever been allowed to (or could be asked to) hand tokens to.
    function routers() external view returns (address[5] memory) {
        return [address(swapRouter), address(v2Router), address(hostile), address(quoter), address(positionManager)];
    }

    function oracleAddress() external view returns (address) {
        return address(oracle);
    }

    function oracleBroken() public view returns (bool) {
        try oracle.price() returns (uint256 p) {
            return p == 0;
        } catch {
            return true;
        }
    }

    // ---- revert classification ----

    function _sel(bytes memory err) internal pure returns (bytes4 s) {
        if (err.length >= 4) s = bytes4(err);
    }

    /// @dev The arguments of a custom error, without its selector.
    function _args(bytes memory err) internal pure returns (bytes memory a) {
        a = new bytes(err.length - 4);
        for (uint256 i = 0; i < a.length; i++) {
            a[i] = err[i + 4];
        }
    }

    function _isString(bytes memory err, string memory message) internal pure returns (bool) {
        return keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", message));
    }

    /// Refusals that come before anything moves: who calls, pause, cooldown, policy, trigger, size, price.
    function _isPrecheck(bytes memory err) internal pure returns (bool) {
        bytes4 s = _sel(err);
        return s == IUnwindVault.NotKeeper.selector || s == IUnwindVault.IsPaused.selector
            || s == IUnwindVault.CoolingDown.selector || s == IUnwindVault.BelowTrigger.selector
            || s == IUnwindVault.SellTooLarge.selector || s == IUnwindVault.ZeroAmount.selector
            || s == IUnwindVault.BadPrice.selector || _isOracleError(err) || _isGuardRefusal(err)
            || s == IUnwindVault.WindowExceeded.selector || s == IUnwindVault.EquityLoss.selector;
    }

    /// The vault's price guard: the feed it names failed, is stale, or disagrees with the market's oracle.
    function _isGuardRefusal(bytes memory err) internal pure returns (bool) {
        bytes4 s = _sel(err);
        return s == IUnwindVault.PriceStale.selector || s == IUnwindVault.PriceDeviation.selector
            || s == IUnwindVault.PriceFeedFailed.selector;
    }

    function _isOracleError(bytes memory err) internal pure returns (bool) {
        bytes4 s = _sel(err);
        return s == ChainlinkOracleAdapter.StalePrice.selector || s == ChainlinkOracleAdapter.InvalidAnswer.selector
            || s == ChainlinkOracleAdapter.IncompleteRound.selector || s == ProductionStyleOracle.NegativeAnswer.selector;
    }

    /// Refusals after the sale or repayment was tried: the outcome broke the policy or the market's health.
    function _isOutcomeRefusal(bytes memory err) internal pure returns (bool) {
        bytes4 s = _sel(err);
        return s == IUnwindVault.InsufficientProceeds.selector || s == IUnwindVault.FeeTooHigh.selector
            || s == IUnwindVault.Oversold.selector || s == IUnwindVault.NotDeleveraged.selector
            || s == IUnwindVault.InsufficientReserve.selector || s == IUnwindVault.SoftActionIncomplete.selector
            || _isString(err, "insufficient collateral");
    }

    /// Refusals of a collateral move by its own rules (the keeper's prechecks aside): a peer that is not listed or
    /// not the owner's, the cap, the source's trigger, a destination that does not need it or whose LTV would not
    /// fall, the market's health check on the source's withdrawal.
    function _isMoveRefusal(bytes memory err) internal pure returns (bool) {
        bytes4 s = _sel(err);
        return s == IUnwindVault.NotMovePeer.selector || s == IUnwindVault.MoveTooLarge.selector
            || s == IUnwindVault.WouldTrigger.selector || s == IUnwindVault.NotDeleveraged.selector
            || s == IUnwindVault.BelowTrigger.selector || _isString(err, "insufficient collateral");
    }

    function _countMoveRefusal(bytes memory err) internal {
        bytes4 s = _sel(err);
        if (s == IUnwindVault.NotMovePeer.selector) _count("refused.moveNotPeer");
        else if (s == IUnwindVault.MoveTooLarge.selector) _count("refused.moveCap");
        else if (s == IUnwindVault.WouldTrigger.selector) _count("refused.moveWouldTrigger");
        else if (s == IUnwindVault.BelowTrigger.selector) _count("refused.moveBelowTrigger");
    }

    /// A DEX refusing a sale it cannot fill (dust in, nothing out): the vault bubbles it, nothing moved.
    function _isRouterRefusal(bytes memory err) internal pure returns (bool) {
        return _isString(err, "UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT") || _isString(err, "AS");
    }

    function _isGuard(bytes memory err) internal pure returns (bool) {
        return _sel(err) == ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector;
    }

    function _isAllowanceError(bytes memory err) internal pure returns (bool) {
        return _sel(err) == IERC20Errors.ERC20InsufficientAllowance.selector;
    }

    function _expect(bool ok, string memory action, bytes memory err) internal pure {
        if (!ok) revert UnexpectedRevert(action, err);
    }

    // ---- small helpers ----

    function _stranger(uint256 seed) internal view returns (address) {
        return strangers[seed % strangers.length];
    }

    /// @dev True one time in `n`, also for the round numbers the fuzzer likes (0, 10^k...).
    function _oneIn(uint256 n, uint256 seed) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed))) % n == 0;
    }

    function _count(string memory action) internal {
        calls[keccak256(bytes(action))]++;
    }

    /// @dev Counts an early (soft-zone) action refused because it would not end at or under the target.
    function _countSoftIncomplete(bytes memory err) internal {
        if (_sel(err) == IUnwindVault.SoftActionIncomplete.selector) _count("refused.softIncomplete");
    }

    /// @dev Counts a keeper call refused before anything moved, by the check that refused it.
    function _countPrecheck(bytes memory err) internal {
        bytes4 s = _sel(err);
        if (s == IUnwindVault.BadPrice.selector || _isOracleError(err)) _count("refused.badPrice");
        else if (s == IUnwindVault.SellTooLarge.selector) _count("refused.sizeCap");
        else if (s == IUnwindVault.CoolingDown.selector) _count("refused.cooldown");
        else if (s == IUnwindVault.IsPaused.selector) _count("refused.paused");
        else if (s == IUnwindVault.PriceStale.selector) _count("refused.priceStale");
        else if (s == IUnwindVault.PriceDeviation.selector) _count("refused.priceDeviation");
        else if (s == IUnwindVault.PriceFeedFailed.selector) _count("refused.priceFeedFailed");
        else if (s == IUnwindVault.WindowExceeded.selector) _count("refused.window");
        else if (s == IUnwindVault.EquityLoss.selector) _count("refused.equityLoss");
    }

    /// @dev Counts a sale refused after it ran, by the rule that refused it. `floorPlusFee` is what the sale
    /// had to bring without the equity floor (max(minRepaid, oracle floor) + fee): a required amount above it is
    /// the equity floor's.
    function _countOutcome(bytes memory err, uint256 floorPlusFee) internal {
        bytes4 s = _sel(err);
        if (s == IUnwindVault.Oversold.selector) {
            _count("refused.oversold");
        } else if (s == IUnwindVault.NotDeleveraged.selector) {
            _count("refused.notDeleveraged");
        } else if (s == IUnwindVault.InsufficientProceeds.selector && err.length == 68) {
            (, uint256 required) = abi.decode(_args(err), (uint256, uint256));
            if (required > floorPlusFee) _count("refused.equityFloor");
        }
    }

    function _policy() internal view returns (Policy memory) {
        return vault.policy();
    }
}
