// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IMorpho, Id, MarketParams, Position, Market} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {IUnwindVault} from "./interfaces/IUnwindVault.sol";
import {LtvMath} from "./libraries/LtvMath.sol";

/// @notice What the hedge reads of the vault it protects: the position with interest accrued and the oracle price,
/// which must pass the vault's price guard (VaultPortfolio.position, through the vault's fallback).
interface IHedgedVault {
    function position() external returns (uint256 collateral, uint256 debt, uint256 price);
}

/// @title UnwindHedge
/// @notice A short on the collateral of one Unwind vault, held in a reverse Morpho Blue market, so that a fall in the
/// collateral's price that hurts the vault's position pays the hedge, without selling the vault's collateral.
///
/// The vault borrows loan token L against collateral C. The hedge supplies L as collateral to the reverse market
/// (C borrowed against L), borrows C and sells it for L, which it supplies too: its P&L is the opposite of the
/// vault's collateral's on the borrowed amount. When the price has fallen, a keeper buys C back cheaper, repays, and
/// may send the profit to the vault, whose reserve then repays the vault's debt (a top-up funded by the hedge).
///
/// The hedge belongs to whoever owns the vault now (`VAULT.owner()`), takes the vault's keepers, route allow-list,
/// pause and price (with its guard), and has a policy of its own. What a keeper (honest, hostile, or the router
/// itself) can do is bounded on chain:
/// - open or grow the short only while the vault's LTV is at or over the owner's `openLtvBps`, never past
///   `maxRatioBps` of the vault's collateral, and only if the hedge's own LTV ends at or under its target;
/// - every swap brings at least the oracle value less `maxSlippageBps` (plus the fee, on an open), through an allowed
///   router and function, with an exact approval reset after the call; the keeper's fee is at most `maxFeeBps` of
///   the swap's size;
/// - close (buy back and repay) only so that the hedge's LTV does not rise, or the debt is gone;
/// - one open or buy-back per `cooldown`, except a buy-back of a hedge at or over its trigger, which nothing holds
///   up: a keeper cannot keep the others from protecting the short by starting the cooldown with a dust action;
/// - send the vault only the hedge's profit (its equity at the price over what the owner put in), and only while
///   what stays keeps the hedge at or under its target.
/// So each keeper action costs the owner at most (maxSlippage + maxFee) of its size, and sizes are bounded by the
/// ratio; a churning keeper can at most pay that once per cooldown, and opens only while the vault is in danger
/// (buy-backs of a hedge at its trigger, each of which must lower its LTV, are not held).
///
/// The owner's exits are always open, paused or not: deposit and withdraw L (Morpho refuses a withdrawal that would
/// make the reverse position liquidatable), repay the short with C of their own, sweep any token the hedge holds
/// loose, and change the policy.
///
/// The lending protocol liquidates the vault on the vault's own LTV, whatever the hedge is worth: the hedge protects
/// the owner's equity in a fall (its profit offsets the collateral's loss, and can repay the vault's debt once
/// realised), not the position by itself.
contract UnwindHedge is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using MarketParamsLib for MarketParams;
    using SharesMathLib for uint256;
    using MorphoBalancesLib for IMorpho;

    /// @notice The owner's rules for the hedge.
    struct HedgePolicy {
        /// Largest short, as a share of the vault's collateral (C base units against C base units): 10,000 = fully
        /// hedged.
        uint16 maxRatioBps;
        /// The keeper may open or grow the short only while the vault's LTV is at or over this.
        uint16 openLtvBps;
        /// The hedge's own trigger: at or over this LTV (debt value at the vault's price / L supplied) the keeper
        /// buys back part of the short, as it deleverages any position.
        uint16 triggerLtvBps;
        /// The hedge's LTV an open must end at or under, and where a buy-back aims.
        uint16 targetLtvBps;
        /// Least a swap may bring, under its oracle value.
        uint16 maxSlippageBps;
        /// Largest keeper fee, as a share of the swap's oracle value.
        uint16 maxFeeBps;
        /// Seconds between two keeper opens or closes.
        uint32 cooldown;
    }

    /// @dev A buy-back's figures, kept in memory (the call's arguments fill the stack).
    struct Buyback {
        uint256 price;
        uint256 debtBefore;
        uint256 ltvBefore;
        uint256 bought;
    }

    uint256 public constant MAX_SLIPPAGE_BPS = 1000;
    uint256 public constant MAX_FEE_BPS = 100;
    uint256 public constant MAX_COOLDOWN = 1 days;

    IMorpho public immutable MORPHO;
    /// The vault this hedge protects; its owner owns the hedge.
    address public immutable VAULT;
    /// The asset shorted (the vault's collateral token, C) and the reverse market's collateral (the vault's loan
    /// token, L).
    IERC20 public immutable ASSET;
    IERC20 public immutable QUOTE;
    Id public immutable MARKET_ID;
    address internal immutable REVERSE_ORACLE;
    address internal immutable REVERSE_IRM;
    uint256 internal immutable REVERSE_LLTV;

    HedgePolicy internal _policy;
    uint64 public lastActionAt;
    /// L the owner has put in, net of withdrawals (never below 0): the hedge's equity over it is its profit.
    uint256 public principal;

    event Deposited(address indexed owner, uint256 amount);
    event Withdrawn(address indexed owner, uint256 amount, address receiver);
    event RepaidByOwner(address indexed owner, uint256 assets);
    event PolicySet(HedgePolicy policy);
    event Opened(
        address indexed keeper, address indexed router, uint256 borrowed, uint256 proceeds, uint256 keeperFee,
        uint256 debtAfter, uint256 ltvAfter
    );
    event Closed(
        address indexed keeper, address indexed router, uint256 quoteSold, uint256 bought, uint256 repaid,
        uint256 keeperFee, uint256 debtAfter, uint256 ltvAfter
    );
    event ProfitReleased(address indexed keeper, uint256 amount, uint256 ltvAfter);
    event Swept(address indexed token, uint256 amount, address receiver);

    error NotOwner();
    error NotKeeper();
    error Paused();
    error Expired(uint256 deadline);
    error Cooldown(uint256 readyAt);
    error ZeroAmount();
    error RouteNotAllowed(address router, bytes4 selector);
    error InvalidPolicy(string reason);
    error WrongMarket(string reason);
    error NotInDanger(uint256 vaultLtv, uint256 openLtv);
    error RatioExceeded(uint256 debtAfter, uint256 maxDebt);
    error AboveTarget(uint256 ltvAfter, uint256 target);
    error LtvRose(uint256 ltvBefore, uint256 ltvAfter);
    error InsufficientProceeds(uint256 received, uint256 required);
    error FeeTooHigh(uint256 fee, uint256 max);
    error NoShort();
    error ProfitExceeded(uint256 amount, uint256 profit);
    error NothingSold();

    modifier onlyOwner() {
        if (msg.sender != owner()) revert NotOwner();
        _;
    }

    /// @param reverse the reverse market: loan token = the vault's collateral token, collateral = its loan token;
    /// it must exist on `morpho`. Its oracle should price L in C as the inverse of the vault's oracle
    /// (`InverseOracle`), so that Morpho's health check and the hedge's agree.
    constructor(IMorpho morpho, address vault, MarketParams memory reverse, HedgePolicy memory p) {
        MarketParams memory main = IUnwindVault(vault).marketParams();
        if (reverse.loanToken != main.collateralToken) revert WrongMarket("its loan must be the vault's collateral");
        if (reverse.collateralToken != main.loanToken) revert WrongMarket("its collateral must be the vault's loan");
        Id id = reverse.id();
        if (morpho.market(id).lastUpdate == 0) revert WrongMarket("no such Morpho market");
        MORPHO = morpho;
        VAULT = vault;
        ASSET = IERC20(reverse.loanToken);
        QUOTE = IERC20(reverse.collateralToken);
        MARKET_ID = id;
        REVERSE_ORACLE = reverse.oracle;
        REVERSE_IRM = reverse.irm;
        REVERSE_LLTV = reverse.lltv;
        _setPolicy(p);
        IERC20(reverse.loanToken).forceApprove(address(morpho), type(uint256).max);
        IERC20(reverse.collateralToken).forceApprove(address(morpho), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner
    // ------------------------------------------------------------------------------------------------

    /// @notice The hedge's owner: the vault's owner now (a vault transfer carries the hedge with it).
    function owner() public view returns (address) {
        return IUnwindVault(VAULT).owner();
    }

    /// @notice Puts `amount` of L (pulled from the owner) in as the reverse market's collateral.
    function deposit(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        QUOTE.safeTransferFrom(msg.sender, address(this), amount);
        MORPHO.supplyCollateral(marketParams(), amount, address(this), "");
        principal += amount;
        emit Deposited(msg.sender, amount);
    }

    /// @notice Takes `amount` of L collateral out to `receiver` (`type(uint256).max`: all of it). Morpho refuses a
    /// withdrawal that would leave the short unhealthy: repay first (`repayWithAsset`).
    function withdraw(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == type(uint256).max) amount = MORPHO.position(MARKET_ID, address(this)).collateral;
        if (amount == 0) revert ZeroAmount();
        MORPHO.withdrawCollateral(marketParams(), amount, address(this), receiver);
        principal -= Math.min(amount, principal);
        emit Withdrawn(msg.sender, amount, receiver);
    }

    /// @notice Repays the short with `assets` of C the owner brings (`type(uint256).max`: the whole debt), so the
    /// owner can close the hedge without any swap. Repays by shares when it covers the debt.
    function repayWithAsset(uint256 assets) external onlyOwner nonReentrant {
        MarketParams memory mp = marketParams();
        MORPHO.accrueInterest(mp);
        uint256 debt = _debt(mp);
        if (debt == 0) revert NoShort();
        uint256 shares = 0;
        if (assets >= debt) {
            shares = MORPHO.position(MARKET_ID, address(this)).borrowShares;
            assets = debt;
        }
        ASSET.safeTransferFrom(msg.sender, address(this), assets);
        if (shares > 0) {
            (uint256 paid,) = MORPHO.repay(mp, 0, shares, address(this), "");
            // Share rounding may ask a unit more than the debt read; anything not used stays loose (sweepable).
            assets = paid;
        } else {
            MORPHO.repay(mp, assets, 0, address(this), "");
        }
        emit RepaidByOwner(msg.sender, assets);
    }

    /// @notice Sends `amount` of a token the hedge holds loose (not its Morpho position) to `receiver`.
    function sweep(address token, uint256 amount, address receiver) external onlyOwner nonReentrant {
        IERC20(token).safeTransfer(receiver, amount);
        emit Swept(token, amount, receiver);
    }

    function setPolicy(HedgePolicy calldata p) external onlyOwner nonReentrant {
        _setPolicy(p);
    }

    function _setPolicy(HedgePolicy memory p) internal {
        if (p.maxRatioBps > LtvMath.BPS) revert InvalidPolicy("ratio must be <= 100%");
        if (p.openLtvBps > LtvMath.BPS) revert InvalidPolicy("open LTV must be <= 100%");
        if (p.targetLtvBps == 0 || p.targetLtvBps >= p.triggerLtvBps) {
            revert InvalidPolicy("target must be > 0 and under the trigger");
        }
        if (LtvMath.bpsToWad(p.triggerLtvBps) >= REVERSE_LLTV) {
            revert InvalidPolicy("trigger must be under the reverse market's LLTV");
        }
        if (p.maxSlippageBps > MAX_SLIPPAGE_BPS) revert InvalidPolicy("slippage must be <= 10%");
        if (p.maxFeeBps > MAX_FEE_BPS) revert InvalidPolicy("fee must be <= 1%");
        if (p.cooldown > MAX_COOLDOWN) revert InvalidPolicy("cooldown must be <= 1 day");
        _policy = p;
        emit PolicySet(p);
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper
    // ------------------------------------------------------------------------------------------------

    /// @notice Borrows `assets` of C, sells them through `router` (called with `swapData`) for L, pays the keeper
    /// `keeperFee` of L, and supplies the rest as collateral. Only while the vault is at or over `openLtvBps`; the
    /// short must stay within `maxRatioBps` of the vault's collateral and the hedge's LTV end at or under its target.
    function open(uint256 assets, address router, bytes calldata swapData, uint256 deadline, uint256 keeperFee)
        external
        nonReentrant
        returns (uint256 proceeds)
    {
        HedgePolicy memory p = _checkKeeperCall(deadline, router, swapData);
        _checkCooldown(p);
        if (assets == 0) revert ZeroAmount();
        uint256 price = _requireVaultInDanger(p);
        MarketParams memory mp = marketParams();
        MORPHO.borrow(mp, assets, 0, address(this), address(this));
        proceeds = _sellBorrowed(mp, p, assets, router, swapData, price, keeperFee);
        (uint256 debtAfter, uint256 ltvAfter) = _checkOpened(mp, p, price);
        lastActionAt = uint64(block.timestamp);
        emit Opened(msg.sender, router, assets, proceeds, keeperFee, debtAfter, ltvAfter);
    }

    /// @dev The vault's price, if the vault's LTV is at or over the owner's open LTV.
    function _requireVaultInDanger(HedgePolicy memory p) internal returns (uint256 price) {
        uint256 collateral;
        uint256 debt;
        (collateral, debt, price) = IHedgedVault(VAULT).position();
        uint256 vaultLtv = LtvMath.ltv(collateral, debt, price);
        if (vaultLtv < LtvMath.bpsToWad(p.openLtvBps)) revert NotInDanger(vaultLtv, LtvMath.bpsToWad(p.openLtvBps));
    }

    /// @dev Sells the `assets` just borrowed, repays what the router left, pays the keeper and supplies the rest.
    function _sellBorrowed(
        MarketParams memory mp,
        HedgePolicy memory p,
        uint256 assets,
        address router,
        bytes calldata swapData,
        uint256 price,
        uint256 keeperFee
    ) internal returns (uint256 proceeds) {
        uint256 unsold;
        (proceeds, unsold) = _swap(ASSET, QUOTE, assets, router, swapData);
        // An open that sells nothing is no open (and would start the cooldown for nothing).
        if (unsold >= assets) revert NothingSold();
        uint256 maxFee = Math.mulDiv(LtvMath.collateralValue(assets, price), p.maxFeeBps, LtvMath.BPS);
        if (keeperFee > maxFee) revert FeeTooHigh(keeperFee, maxFee);
        // Only what was sold is judged against its value; C the router did not take goes straight back.
        uint256 floor = LtvMath.oracleFloor(assets - unsold, price, p.maxSlippageBps);
        if (proceeds < floor + keeperFee) revert InsufficientProceeds(proceeds, floor + keeperFee);
        if (unsold > 0) MORPHO.repay(mp, unsold, 0, address(this), "");
        if (keeperFee > 0) QUOTE.safeTransfer(msg.sender, keeperFee);
        if (proceeds > keeperFee) MORPHO.supplyCollateral(mp, proceeds - keeperFee, address(this), "");
    }

    /// @dev After an open: the short within the ratio of the vault's collateral (read again: a router that is also a
    /// keeper may have sold some of it meanwhile) and the hedge's LTV at or under its target.
    function _checkOpened(MarketParams memory mp, HedgePolicy memory p, uint256 price)
        internal
        returns (uint256 debtAfter, uint256 ltvAfter)
    {
        debtAfter = _debt(mp);
        (uint256 vaultCollateral,,) = IHedgedVault(VAULT).position();
        uint256 maxDebt = Math.mulDiv(vaultCollateral, p.maxRatioBps, LtvMath.BPS);
        if (debtAfter > maxDebt) revert RatioExceeded(debtAfter, maxDebt);
        ltvAfter = _ltv(mp, price);
        if (ltvAfter > LtvMath.bpsToWad(p.targetLtvBps)) revert AboveTarget(ltvAfter, LtvMath.bpsToWad(p.targetLtvBps));
    }

    /// @notice Withdraws `quoteAmount` of L collateral, pays the keeper `keeperFee` of it, buys C with the rest
    /// through `router`, and repays the short with what arrives (the whole debt at most; any C left over stays loose
    /// for the owner). The hedge's LTV may not rise, unless the short is gone.
    function close(uint256 quoteAmount, address router, bytes calldata swapData, uint256 deadline, uint256 keeperFee)
        external
        nonReentrant
        returns (uint256 repaid)
    {
        HedgePolicy memory p = _checkKeeperCall(deadline, router, swapData);
        if (quoteAmount == 0) revert ZeroAmount();
        Buyback memory b;
        (,, b.price) = IHedgedVault(VAULT).position();
        MarketParams memory mp = marketParams();
        MORPHO.accrueInterest(mp);
        b.debtBefore = _debt(mp);
        if (b.debtBefore == 0) revert NoShort();
        b.ltvBefore = _ltv(mp, b.price);
        // A buy-back that protects the short is never held: a keeper's dust action cannot start a cooldown that
        // keeps the others from saving the hedge.
        if (b.ltvBefore < LtvMath.bpsToWad(p.triggerLtvBps)) _checkCooldown(p);

        MORPHO.withdrawCollateral(mp, quoteAmount, address(this), address(this));
        b.bought = _buyBack(mp, p, quoteAmount, router, swapData, b.price, keeperFee);
        if (b.bought >= b.debtBefore) {
            (repaid,) = MORPHO.repay(mp, 0, MORPHO.position(MARKET_ID, address(this)).borrowShares, address(this), "");
        } else {
            (repaid,) = MORPHO.repay(mp, b.bought, 0, address(this), "");
        }
        uint256 debtAfter = _debt(mp);
        uint256 ltvAfter = _ltv(mp, b.price);
        if (debtAfter > 0 && ltvAfter > b.ltvBefore) revert LtvRose(b.ltvBefore, ltvAfter);
        lastActionAt = uint64(block.timestamp);
        emit Closed(msg.sender, router, quoteAmount - keeperFee, b.bought, repaid, keeperFee, debtAfter, ltvAfter);
    }

    /// @dev Pays the keeper from the L withdrawn, buys C with the rest, supplies back what the router did not take;
    /// returns the C bought, which must be worth what was sold at the price, less the slippage allowed.
    function _buyBack(
        MarketParams memory mp,
        HedgePolicy memory p,
        uint256 quoteAmount,
        address router,
        bytes calldata swapData,
        uint256 price,
        uint256 keeperFee
    ) internal returns (uint256 bought) {
        uint256 maxFee = Math.mulDiv(quoteAmount, p.maxFeeBps, LtvMath.BPS);
        if (keeperFee > maxFee) revert FeeTooHigh(keeperFee, maxFee);
        uint256 unsold;
        (bought, unsold) = _swap(QUOTE, ASSET, quoteAmount - keeperFee, router, swapData);
        // C worth what was sold at the price, less the slippage allowed, rounded up.
        uint256 floor = Math.mulDiv(
            Math.mulDiv(quoteAmount - keeperFee - unsold, LtvMath.ORACLE_PRICE_SCALE, price, Math.Rounding.Ceil),
            LtvMath.BPS - p.maxSlippageBps,
            LtvMath.BPS,
            Math.Rounding.Ceil
        );
        if (bought < floor) revert InsufficientProceeds(bought, floor);
        if (keeperFee > 0) QUOTE.safeTransfer(msg.sender, keeperFee);
        if (unsold > 0) MORPHO.supplyCollateral(mp, unsold, address(this), "");
    }

    /// @notice Sends `amount` of L collateral to the vault, whose reserve then tops the vault up: at most the hedge's
    /// profit (its equity at the vault's price over the owner's principal) and the L it has, and only while what stays
    /// keeps the hedge at or under its target. Money moves between two of the owner's pockets; no cooldown.
    function releaseProfit(uint256 amount, uint256 deadline) external nonReentrant {
        HedgePolicy memory p = _checkKeeper(deadline);
        if (amount == 0) revert ZeroAmount();
        (,, uint256 price) = IHedgedVault(VAULT).position();
        MarketParams memory mp = marketParams();
        MORPHO.accrueInterest(mp);
        // Only L supplied can go; C the hedge holds loose counts in its equity but stays for the owner to sweep.
        uint256 releasable = Math.min(_profit(mp, price), MORPHO.position(MARKET_ID, address(this)).collateral);
        if (amount > releasable) revert ProfitExceeded(amount, releasable);
        MORPHO.withdrawCollateral(mp, amount, address(this), VAULT);
        uint256 ltvAfter = _ltv(mp, price);
        if (ltvAfter > LtvMath.bpsToWad(p.targetLtvBps)) revert AboveTarget(ltvAfter, LtvMath.bpsToWad(p.targetLtvBps));
        emit ProfitReleased(msg.sender, amount, ltvAfter);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    function policy() external view returns (HedgePolicy memory) {
        return _policy;
    }

    function marketParams() public view returns (MarketParams memory) {
        return MarketParams(address(ASSET), address(QUOTE), REVERSE_ORACLE, REVERSE_IRM, REVERSE_LLTV);
    }

    /// @notice The short at this block (interest accrued in the figures, not in Morpho's storage): L supplied, C owed,
    /// and C held loose.
    function position() external view returns (uint256 collateral, uint256 debt, uint256 assetHeld) {
        collateral = MORPHO.position(MARKET_ID, address(this)).collateral;
        debt = MORPHO.expectedBorrowAssets(marketParams(), address(this));
        assetHeld = ASSET.balanceOf(address(this));
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    function _checkKeeper(uint256 deadline) internal view returns (HedgePolicy memory p) {
        if (!IUnwindVault(VAULT).isKeeper(msg.sender)) revert NotKeeper();
        if (IUnwindVault(VAULT).paused()) revert Paused();
        if (block.timestamp > deadline) revert Expired(deadline);
        p = _policy;
    }

    function _checkKeeperCall(uint256 deadline, address router, bytes calldata swapData)
        internal
        view
        returns (HedgePolicy memory p)
    {
        p = _checkKeeper(deadline);
        bytes4 selector = swapData.length >= 4 ? bytes4(swapData[:4]) : bytes4(0);
        // The router may be neither token, Morpho, the vault nor the hedge: a call to any of them is no swap.
        if (
            router == address(ASSET) || router == address(QUOTE) || router == address(MORPHO) || router == VAULT
                || router == address(this) || !IUnwindVault(VAULT).isRouteAllowed(router, selector)
        ) revert RouteNotAllowed(router, selector);
    }

    /// @dev One open or buy-back per cooldown (a buy-back of a hedge at or over its trigger excepted).
    function _checkCooldown(HedgePolicy memory p) internal view {
        uint256 readyAt = uint256(lastActionAt) + p.cooldown;
        if (lastActionAt != 0 && block.timestamp < readyAt) revert Cooldown(readyAt);
    }

    /// @dev Sells `amountIn` of `tokenIn` through `router`: exact approval, reset after the call; judged by balances,
    /// never by what the router says. Returns what arrived and what the router left of the input.
    function _swap(IERC20 tokenIn, IERC20 tokenOut, uint256 amountIn, address router, bytes calldata swapData)
        internal
        returns (uint256 received, uint256 unsold)
    {
        uint256 inBefore = tokenIn.balanceOf(address(this));
        uint256 outBefore = tokenOut.balanceOf(address(this));
        tokenIn.forceApprove(router, amountIn);
        (bool ok, bytes memory ret) = router.call(swapData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (tokenIn.allowance(address(this), router) != 0) tokenIn.forceApprove(router, 0);
        uint256 outAfter = tokenOut.balanceOf(address(this));
        received = outAfter > outBefore ? outAfter - outBefore : 0;
        uint256 inAfter = tokenIn.balanceOf(address(this));
        // What left beyond the amount offered (a token that moves more than approved) counts as sold; what came
        // back in is unsold, at most the amount offered.
        unsold = inAfter + amountIn > inBefore ? Math.min(inAfter + amountIn - inBefore, amountIn) : 0;
    }

    /// @dev C owed now (Morpho's accrued figures, shares rounded up).
    function _debt(MarketParams memory mp) internal view returns (uint256) {
        return MORPHO.expectedBorrowAssets(mp, address(this));
    }

    /// @dev The hedge's LTV at the vault's price: value of the C owed (rounded up) / L supplied, as a WAD.
    function _ltv(MarketParams memory mp, uint256 price) internal view returns (uint256) {
        uint256 debt = _debt(mp);
        if (debt == 0) return 0;
        uint256 collateral = MORPHO.position(MARKET_ID, address(this)).collateral;
        if (collateral == 0) return type(uint256).max;
        uint256 debtValue = Math.mulDiv(debt, price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        return Math.mulDiv(debtValue, LtvMath.WAD, collateral, Math.Rounding.Ceil);
    }

    /// @dev Equity at the vault's price (L supplied + C held loose - C owed, in L) over the principal; 0 if none.
    function _profit(MarketParams memory mp, uint256 price) internal view returns (uint256) {
        uint256 collateral = MORPHO.position(MARKET_ID, address(this)).collateral;
        uint256 held = LtvMath.collateralValue(ASSET.balanceOf(address(this)), price);
        uint256 owed = Math.mulDiv(_debt(mp), price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        uint256 assets = collateral + held;
        if (assets <= owed + principal) return 0;
        return assets - owed - principal;
    }
}
