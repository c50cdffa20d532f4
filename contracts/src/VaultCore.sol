// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

import {
    IUnwindVault,
    Policy,
    Guard,
    SoftTrigger,
    Route,
    VaultState,
    PRICE_OK,
    PRICE_STALE,
    PRICE_DEVIATION,
    PRICE_FEED_FAILED
} from "./interfaces/IUnwindVault.sol";
import {IPriceFeed} from "./oracle/IPriceFeed.sol";
import {ISharedReserve} from "./interfaces/ISharedReserve.sol";
import {VaultStorage} from "./VaultStorage.sol";
import {VaultPortfolio} from "./VaultPortfolio.sol";
import {LtvMath} from "./libraries/LtvMath.sol";

/// @title VaultCore
/// @notice Everything of an Unwind vault that does not depend on the lending protocol: the owner's rules
/// (policy, guard, soft trigger, keepers, routes, pause, ownership), the keeper actions' orchestration and every
/// check on them, and the views. A protocol's vault (`UnwindVault` for Morpho Blue, `AaveVault` for Aave V3)
/// supplies the position, the price, the liquidation LTV and the repayment mechanics through the internal hooks
/// at the end of this file, and the owner's position functions (supply, withdraw, borrow, repay).
///
/// Holds one owner's borrow position. The owner can always repay and withdraw. Allow-listed keepers can only
/// deleverage (sell collateral through an allow-listed router, repaying debt) or top up (repay from the vault's
/// loan-token reserve), and only inside the owner's policy, which this contract enforces whatever the keeper
/// sends: the oracle floor on every sale, the bound on the owner's equity, the trigger, the no-oversell band, the
/// per-call size cap, the rate limit per window, the cooldown, the fee cap, the fresh-price guard and the
/// deadline.
///
/// The policy does not require an action to end inside the target band from above: a per-call cap, the rate
/// limit or thin liquidity can each leave a sale short of the target, and the next one continues. What it
/// requires instead is progress: a sale must lower LTV by at least 0.1 point or end under the trigger.
///
/// The owner may also set a soft trigger between the target and the trigger: from it up to the trigger, keepers
/// may act early (a keeper that judges liquidation likely before its exit would complete), but only with a
/// complete deleverage, one that ends at or under the target (`SoftActionIncomplete` otherwise). Every other
/// limit applies to such an action as to any other.
///
/// Storage: declared in `VaultStorage`, in the order the first (Morpho) vault had it, so that its layout did not
/// move when this contract was split out of it; protocol vaults add no storage of their own.
///
/// The owner's portfolio functions (a shared reserve for top-ups, collateral moves between the owner's vaults) are
/// `VaultPortfolio`'s: every call this contract does not know runs that code on this vault's storage (see
/// `fallback`), and it reaches the protocol through the `portfolio*` functions below, which only the vault itself
/// may call.
abstract contract VaultCore is VaultStorage, IUnwindVault, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    uint256 internal constant MAX_SLIPPAGE_BPS = 1_000; // 10%: beyond this an "oracle floor" protects nothing
    uint256 internal constant MAX_FEE_BPS = 500; // 5% of the debt repaid
    uint256 internal constant MAX_COOLDOWN = 7 days;
    uint256 internal constant MAX_PRICE_AGE = 7 days;
    uint256 internal constant MAX_SELL_WINDOW = 30 days;
    uint256 internal constant MAX_KEEPERS = 16;
    uint256 internal constant MAX_ROUTES = 32;
    /// A sale must lower LTV by at least this (0.1 point, WAD) unless it ends under the trigger.
    uint256 internal constant MIN_LTV_DROP = 1e15;

    struct Snapshot {
        uint256 collateral;
        uint256 debt;
        uint256 price;
        uint256 ltv;
        /// The vault's loan-token balance (its reserve) before the action.
        uint256 reserve;
        /// How much the action may lower the owner's equity at `price`: (maxSlippage + maxFee) of it.
        uint256 equityAllowance;
        /// The guard's rate limit (0 = none), read with the price guard.
        uint256 sellWindow;
        uint256 maxWindowSellBps;
    }

    /// @dev Set only between this vault's own call into the market and the callback it triggers.
    bool transient _callbackArmed;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @dev A modifier's body is copied into every function it guards: the check is a call, written once.
    modifier onlyOwner() {
        _checkOwner();
        _;
    }

    function _checkOwner() internal view {
        if (msg.sender != owner) revert NotOwner();
    }

    /// @dev The code of the portfolio functions, deployed with the implementation (see `fallback`).
    address internal immutable PORTFOLIO;

    /// @dev The implementation itself can never be initialized: only clones, each once.
    constructor() {
        owner = address(this);
        PORTFOLIO = address(new VaultPortfolio());
    }

    /// @notice Any function this contract does not declare runs `VaultPortfolio`'s code on this vault's storage
    /// (`IVaultPortfolio`: setSharedReserve, setMovePeer, setMoveCap, moveCollateral, receiveCollateral and their
    /// views; also the bodies of setSoftTrigger, transferOwnership and acceptOwnership). A vault is one EIP-1167
    /// clone of one implementation, which EIP-170 limits to 24,576 bytes; the Morpho vault had under 300 left. Each
    /// of those functions checks its own caller (owner, keeper, peer), under the same re-entrancy lock as this
    /// contract's (one transient slot per vault); anything else reverts there.
    fallback() external {
        _runInPortfolio();
    }

    /// @dev Runs `PORTFOLIO`'s code for this call's calldata on this vault's storage and ends the call with its
    /// result. Also the body of the owner functions this contract declares (for its ABI and for `UnwindVault.f`
    /// lookups) but has no room to hold: `setSoftTrigger`, `transferOwnership`, `acceptOwnership`.
    function _runInPortfolio() internal {
        address portfolio = PORTFOLIO;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), portfolio, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }

    /// @notice For `VaultPortfolio` only (the vault calling itself): brings interest up to the block and returns the
    /// position and the oracle price, which must pass the price guard. Nothing else makes the vault call itself: a
    /// route, the guard's feed, a move peer and the shared reserve can never be the vault.
    function portfolioPosition() external returns (uint256 collateral, uint256 debt, uint256 price) {
        if (msg.sender != address(this)) revert NotSelf();
        _accrue();
        (collateral, debt) = _position();
        price = _price();
        _requireFreshPrice(_guard, price);
    }

    /// @notice For `VaultPortfolio` only: supplies `amount` of collateral the vault holds to its position.
    function portfolioSupplyCollateral(uint256 amount) external {
        if (msg.sender != address(this)) revert NotSelf();
        _supplyOwnCollateral(amount);
    }

    /// @notice For `VaultPortfolio` only: withdraws `amount` of collateral from the position to the vault.
    function portfolioWithdrawCollateral(uint256 amount) external {
        if (msg.sender != address(this)) revert NotSelf();
        _withdrawCollateralTo(amount, address(this));
    }

    /// @notice Called by the factory in the transaction that creates the clone, so nobody can come between.
    function initialize(address owner_) external {
        if (owner != address(0) || owner_ == address(0)) revert AlreadyInitialized();
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        _initializeMarket();
    }

    /// @dev After an owner's borrow or withdrawal: a position with debt must stay under the trigger (the market's
    /// own check, under its liquidation LTV, has run already). The market's interest was accrued by the call before.
    function _checkUnderTrigger() internal view {
        uint256 trigger = _settings.triggerLtvBps;
        if (trigger == 0) return;
        (uint256 collateral, uint256 debt) = _position();
        if (debt == 0) return;
        uint256 ltvAfter = LtvMath.ltv(collateral, debt, _price());
        if (ltvAfter >= LtvMath.bpsToWad(trigger)) revert WouldTrigger(ltvAfter, LtvMath.bpsToWad(trigger));
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: reserve (loan tokens held by the vault, used by top-ups)
    // ------------------------------------------------------------------------------------------------

    function depositReserve(uint256 amount) public virtual onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), amount);
        emit ReserveDeposited(msg.sender, amount);
    }

    function withdrawReserve(uint256 amount, address receiver) public virtual onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_loanToken()).safeTransfer(receiver, amount);
        emit ReserveWithdrawn(receiver, amount);
    }

    /// @notice Sends any token the vault holds (not its market position) to `receiver`.
    function sweep(address token, uint256 amount, address receiver) public virtual onlyOwner nonReentrant {
        IERC20(token).safeTransfer(receiver, amount);
        emit Swept(token, receiver, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: rules
    // ------------------------------------------------------------------------------------------------

    function setPolicy(Policy calldata p) public virtual onlyOwner nonReentrant {
        uint256 lltvBps = _lltvWad() / LtvMath.BPS_TO_WAD;
        if (p.targetLtvBps == 0) revert InvalidPolicy("target must be > 0");
        if (p.targetLtvBps >= p.triggerLtvBps) revert InvalidPolicy("target must be < trigger");
        if (p.triggerLtvBps >= lltvBps) revert InvalidPolicy("trigger must be < LLTV");
        if (p.bandBps > p.targetLtvBps) revert InvalidPolicy("band must be <= target");
        if (p.maxSlippageBps > MAX_SLIPPAGE_BPS) revert InvalidPolicy("slippage must be <= 10%");
        if (p.maxFeeBps > MAX_FEE_BPS) revert InvalidPolicy("fee must be <= 5%");
        if (p.maxSellBps == 0 || p.maxSellBps > LtvMath.BPS) revert InvalidPolicy("max sell must be in (0, 100%]");
        if (p.cooldown > MAX_COOLDOWN) revert InvalidPolicy("cooldown must be <= 7 days");
        if (p.maxGasPrice > type(uint48).max) revert InvalidPolicy("max gas price must be < 2^48 wei");
        uint256 soft = _softTrigger.softTriggerLtvBps;
        if (soft != 0 && (soft <= p.targetLtvBps || soft >= p.triggerLtvBps)) {
            revert InvalidPolicy("soft trigger must stay between target and trigger; clear it first");
        }
        // The policy is the slot's low 21 bytes, in the struct's order (the runtime fields above them stay): one
        // masked write instead of eight field writes, each of which the compiler expands into its own masking code.
        // cooldown and maxGasPrice were bounded above to their fields' 24 and 48 bits.
        uint256 bits = uint256(p.triggerLtvBps) | uint256(p.targetLtvBps) << 16 | uint256(p.bandBps) << 32
            | uint256(p.maxSlippageBps) << 48 | uint256(p.maxFeeBps) << 64 | uint256(p.maxSellBps) << 80
            | uint256(p.cooldown) << 96 | uint256(p.maxGasPrice) << 120;
        assembly ("memory-safe") {
            let slot := _settings.slot
            let mask := sub(shl(168, 1), 1)
            sstore(slot, or(and(sload(slot), not(mask)), bits))
        }
        emit PolicySet(p);
    }

    /// @notice Sets the fresh-price guard and the rate limit (see Guard). Setting it again keeps the current
    /// window's sales counted, so that a new limit cannot be used to reset the old one's count.
    function setGuard(Guard calldata g) public virtual onlyOwner nonReentrant {
        int8 scale = 0;
        if (g.priceFeed != address(0)) {
            if (g.maxPriceAge == 0 || g.maxPriceAge > MAX_PRICE_AGE) revert InvalidGuard("max price age must be in (0, 7 days]");
            if (g.maxPriceDeviationBps > LtvMath.BPS) revert InvalidGuard("max price deviation must be <= 100%");
            _checkTarget(g.priceFeed);
            scale = _feedScale(g.priceFeed);
        } else if (g.maxPriceAge != 0 || g.maxPriceDeviationBps != 0) {
            revert InvalidGuard("price limits need a feed");
        }
        if (g.sellWindow > MAX_SELL_WINDOW) revert InvalidGuard("sell window must be <= 30 days");
        if ((g.sellWindow == 0) != (g.maxWindowSellBps == 0)) {
            revert InvalidGuard("sell window and its share go together");
        }
        if (g.maxWindowSellBps > LtvMath.BPS) revert InvalidGuard("window share must be <= 100%");
        _guard = GuardSettings(
            g.priceFeed, g.maxPriceAge, g.maxPriceDeviationBps, scale, uint24(g.sellWindow), g.maxWindowSellBps
        );
        emit GuardSet(g);
    }

    /// @notice Sets the soft trigger (0, 0 = off); see `VaultPortfolio.setSoftTrigger`, whose code this runs.
    function setSoftTrigger(uint16 softTriggerLtvBps, uint16 maxLiquidationProbabilityBps) external {
        // Named for the ABI (unchanged by the move to VaultPortfolio); the calldata carries them there.
        softTriggerLtvBps;
        maxLiquidationProbabilityBps;
        _runInPortfolio();
    }

    /// @dev 36 + loan decimals - collateral decimals - feed decimals, each read now and at most 36.
    function _feedScale(address feed) internal view returns (int8) {
        uint256 feedDecimals = IPriceFeed(feed).decimals();
        uint256 loanDecimals = IERC20Metadata(_loanToken()).decimals();
        uint256 collateralDecimals = IERC20Metadata(_collateralToken()).decimals();
        if (feedDecimals > 36 || loanDecimals > 36 || collateralDecimals > 36) revert InvalidGuard("decimals over 36");
        return int8(36 + int256(loanDecimals) - int256(collateralDecimals) - int256(feedDecimals));
    }

    function setKeeper(address keeper, bool allowed) public virtual onlyOwner nonReentrant {
        if (allowed) {
            if (_keepers.add(keeper) && _keepers.length() > MAX_KEEPERS) revert TooManyEntries(MAX_KEEPERS);
        } else {
            _keepers.remove(keeper);
        }
        emit KeeperSet(keeper, allowed);
    }

    /// @notice Allows or denies calling `selector` on `router` during a deleverage.
    function setRoute(address router, bytes4 selector, bool allowed) public virtual onlyOwner nonReentrant {
        bytes32 key = _routeKey(router, selector);
        if (allowed) {
            _checkTarget(router);
            if (router.code.length == 0) revert ForbiddenTarget(router);
            if (_routes.add(key) && _routes.length() > MAX_ROUTES) revert TooManyEntries(MAX_ROUTES);
        } else {
            _routes.remove(key);
        }
        emit RouteSet(router, selector, allowed);
    }

    function _routeKey(address router, bytes4 selector) internal pure returns (bytes32) {
        return bytes32(uint256(uint160(router)) << 96 | uint256(uint32(selector)));
    }

    /// @notice Pausing stops keepers only; the owner keeps every power.
    function setPaused(bool paused_) public virtual onlyOwner nonReentrant {
        _settings.paused = paused_;
        emit PausedSet(paused_);
    }

    /// @notice Offers the vault to `newOwner` (two steps); runs `VaultPortfolio.transferOwnership`'s code.
    function transferOwnership(address newOwner) public virtual {
        newOwner;
        _runInPortfolio();
    }

    /// @notice Takes the ownership offered by `transferOwnership`; runs `VaultPortfolio.acceptOwnership`'s code:
    /// the new owner says whether the keepers, routes and move peers stay (`keepAccess`); the shared reserve link
    /// is always cleared.
    function acceptOwnership(bool keepAccess) public virtual {
        keepAccess;
        _runInPortfolio();
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper
    // ------------------------------------------------------------------------------------------------

    /// @notice Sells `collateralAmount` through `router` (called with `swapData`) and repays debt with the
    /// proceeds (how depends on the protocol: see `_repayWithSale`). The proceeds must cover
    /// max(`minRepaid`, oracle floor, equity floor) plus `keeperFee` (plus any cost the protocol charges, such as a
    /// flash-loan premium); anything above stays in the vault's reserve.
    function deleverage(
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 minRepaid,
        uint256 deadline,
        uint256 keeperFee
    ) public virtual nonReentrant returns (uint256 repaid, uint256 proceeds) {
        Settings memory s = _checkKeeperCall(deadline);
        if (collateralAmount == 0) revert ZeroAmount();
        _checkRoute(router, swapData);
        Snapshot memory before = _snapshot(s);
        _countSale(s, before, collateralAmount);
        uint256 required = _requiredProceeds(s, before, collateralAmount, minRepaid, keeperFee);
        (repaid, proceeds) = _repayWithSale(before, collateralAmount, router, swapData, required, keeperFee);
        _payKeeper(s, keeperFee, repaid);
        uint256 ltvAfter = _finish(s, before, true);
        emit Deleveraged(msg.sender, router, collateralAmount, repaid, proceeds, keeperFee, before.ltv, ltvAfter);
    }

    /// @dev What a sale must repay at least: the keeper's minimum, the oracle floor, or the equity floor, whichever
    /// is highest. Also enforces the per-call size cap.
    ///
    /// The equity floor: a sale lowers the owner's equity at the oracle price (collateral value + reserve - debt)
    /// by the value of the collateral sold plus the fee minus the proceeds, and that loss may not exceed
    /// `equityAllowance`. So the proceeds, which repay `required` and pay the fee, need
    /// required >= value sold - allowance. Near LTV = 1 - maxSlippage the oracle floor alone would let one sale
    /// destroy most of the equity; this floor is what stops it.
    function _requiredProceeds(
        Settings memory s,
        Snapshot memory before,
        uint256 collateralAmount,
        uint256 minRepaid,
        uint256 keeperFee
    ) internal pure returns (uint256) {
        uint256 maxSell = before.collateral * s.maxSellBps / LtvMath.BPS;
        if (collateralAmount > maxSell) revert SellTooLarge(collateralAmount, maxSell);
        uint256 floor = Math.max(minRepaid, LtvMath.oracleFloor(collateralAmount, before.price, s.maxSlippageBps));
        uint256 valueSold = Math.mulDiv(collateralAmount, before.price, LtvMath.ORACLE_PRICE_SCALE, Math.Rounding.Ceil);
        // The fee is part of the loss; the allowance is capped above by the fee, so this never underflows to a gift.
        if (keeperFee > before.equityAllowance) revert EquityLoss(keeperFee, before.equityAllowance);
        uint256 equityFloor = valueSold > before.equityAllowance ? valueSold - before.equityAllowance : 0;
        return Math.max(floor, equityFloor);
    }

    /// @dev The rate limit: adds this sale's share of the collateral (rounded up) to the window's count, opening a
    /// new window if the last one is over, and refuses the sale if the count would pass the window's share. The
    /// count is kept whatever LTV the sale ends at. Only `s` is changed here; `_finish` writes it.
    function _countSale(Settings memory s, Snapshot memory before, uint256 collateralAmount) internal view {
        if (before.sellWindow == 0) return;
        if (block.timestamp >= uint256(s.windowStart) + before.sellWindow) {
            s.windowStart = uint32(block.timestamp);
            s.windowSoldBps = 0;
        }
        uint256 soldBps = before.collateral == 0
            ? LtvMath.BPS
            : Math.mulDiv(collateralAmount, LtvMath.BPS, before.collateral, Math.Rounding.Ceil);
        uint256 left = before.maxWindowSellBps - Math.min(s.windowSoldBps, before.maxWindowSellBps);
        if (soldBps > left) revert WindowExceeded(soldBps, left);
        s.windowSoldBps += uint16(soldBps);
    }

    /// @dev Sells `collateralAmount` of collateral, already in the vault, through `router` with `swapData`, and
    /// requires the loan balance to have risen by `requiredProceeds` over `loanBefore`. Returns the collateral the
    /// router did not take, for the caller to put back into the market.
    /// `loan` and `coll` are the vault's tokens, which the caller has read already.
    function _sell(
        IERC20 loan,
        IERC20 coll,
        uint256 collateralAmount,
        address router,
        bytes memory swapData,
        uint256 requiredProceeds,
        uint256 loanBefore
    ) internal returns (uint256 unsold) {
        uint256 collBefore = coll.balanceOf(address(this));

        // Exact-amount approval, reset after the call whatever the router did (a router that took it all left
        // nothing to reset).
        coll.forceApprove(router, collateralAmount);
        (bool ok, bytes memory ret) = router.call(swapData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (coll.allowance(address(this), router) != 0) coll.forceApprove(router, 0);

        // Judge the swap by what arrived, never by what the router says.
        uint256 received = loan.balanceOf(address(this)) - loanBefore;
        if (received < requiredProceeds) revert InsufficientProceeds(received, requiredProceeds);

        unsold = coll.balanceOf(address(this)) + collateralAmount - collBefore;
    }

    /// @notice Repays `amount` of debt from the vault's reserve. Its only cost to the owner's equity is the fee,
    /// which is bounded by the fee cap and by the equity allowance.
    function topUp(uint256 amount, uint256 deadline, uint256 keeperFee) public virtual nonReentrant returns (uint256 repaid) {
        Settings memory s = _checkKeeperCall(deadline);
        if (amount == 0) revert ZeroAmount();
        Snapshot memory before = _snapshot(s);
        if (amount + keeperFee > before.reserve) _drawShortfall(before.reserve, amount + keeperFee);
        if (keeperFee > before.equityAllowance) revert EquityLoss(keeperFee, before.equityAllowance);

        repaid = _repayFromReserve(amount, before.debt);

        _payKeeper(s, keeperFee, repaid);
        uint256 ltvAfter = _finish(s, before, false);
        emit ToppedUp(msg.sender, repaid, keeperFee, before.ltv, ltvAfter);
    }

    /// @dev A top-up needs `need` and the vault holds `own`: the shortfall comes from the shared reserve, or the
    /// top-up is refused as before. The equity allowance was judged without it: the drawn tokens only repay debt
    /// (equity unchanged) and pay the fee, which the allowance bounds.
    function _drawShortfall(uint256 own, uint256 need) internal {
        address shared = _sharedReserve;
        IERC20 loan = IERC20(_loanToken());
        uint256 available = shared == address(0) ? 0 : ISharedReserve(shared).available(address(this), address(loan));
        if (need - own > available) revert InsufficientReserve(own + available, need);
        ISharedReserve(shared).draw(address(loan), need - own);
        // Judged by what arrived, not by what the reserve says.
        uint256 balance = loan.balanceOf(address(this));
        if (balance < need) revert InsufficientReserve(balance, need);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    function marketParams() public view virtual override returns (MarketParams memory);

    function marketId() external view override returns (bytes32) {
        return _marketId();
    }

    function policy() public view virtual override returns (Policy memory p) {
        Settings memory s = _loadSettings();
        p = Policy(
            s.triggerLtvBps, s.targetLtvBps, s.bandBps, s.maxSlippageBps, s.maxFeeBps, s.maxSellBps, s.cooldown, s.maxGasPrice
        );
    }

    function softTrigger()
        public
        view
        override
        returns (uint16 softTriggerLtvBps, uint16 maxLiquidationProbabilityBps)
    {
        SoftTrigger memory t = _softTrigger;
        return (t.softTriggerLtvBps, t.maxLiquidationProbabilityBps);
    }

    function guard() public view override returns (Guard memory) {
        GuardSettings memory g = _loadGuard();
        return Guard(g.priceFeed, g.maxPriceAge, g.maxPriceDeviationBps, g.sellWindow, g.maxWindowSellBps);
    }

    /// @notice The share of the collateral keepers may still sell in the current window (10,000 without a limit).
    function windowSellLeftBps() public view override returns (uint256) {
        GuardSettings memory g = _loadGuard();
        if (g.sellWindow == 0) return LtvMath.BPS;
        Settings memory s = _loadSettings();
        if (block.timestamp >= uint256(s.windowStart) + g.sellWindow) return g.maxWindowSellBps;
        return g.maxWindowSellBps - Math.min(s.windowSoldBps, g.maxWindowSellBps);
    }

    /// @notice The price guard's verdict on `oraclePrice` (the market oracle's price now) and the feed's last
    /// update: PRICE_OK when no feed is set. The same rule keeper actions enforce, for the lens and keepers.
    function checkPrice(uint256 oraclePrice) external view override returns (uint8 status, uint256 updatedAt) {
        GuardSettings memory g = _loadGuard();
        if (g.priceFeed == address(0)) return (PRICE_OK, 0);
        uint256 feedPrice;
        (status, feedPrice, updatedAt) = _readFeed(g);
        if (status == PRICE_OK && _deviates(g, oraclePrice, feedPrice)) status = PRICE_DEVIATION;
    }

    function isKeeper(address account) public view override returns (bool) {
        return _keepers.contains(account);
    }

    function isRouteAllowed(address router, bytes4 selector) public view virtual override returns (bool) {
        return _routes.contains(_routeKey(router, selector));
    }

    function keepers() external view override returns (address[] memory) {
        return _keepers.values();
    }

    function routes() external view override returns (Route[] memory out) {
        uint256 n = _routes.length();
        out = new Route[](n);
        for (uint256 i = 0; i < n; i++) {
            bytes32 key = _routes.at(i);
            out[i] = Route(address(uint160(uint256(key) >> 96)), bytes4(uint32(uint256(key))));
        }
    }

    function lastActionAt() external view override returns (uint64) {
        return _settings.lastActionAt;
    }

    function paused() external view override returns (bool) {
        return _settings.paused;
    }

    function reserve() public view virtual override returns (uint256) {
        return IERC20(_loanToken()).balanceOf(address(this));
    }

    /// @notice The vault's own state in one call, for the lens.
    function state(address keeper) public view virtual override returns (VaultState memory st) {
        st.owner = owner;
        st.marketParams = marketParams();
        st.policy = policy();
        st.lastActionAt = _settings.lastActionAt;
        st.paused = _settings.paused;
        st.keeperAllowed = keeper != address(0) && isKeeper(keeper);
        st.guard = guard();
        st.windowSellLeftBps = windowSellLeftBps();
        (st.softTriggerLtvBps, st.maxLiquidationProbabilityBps) = softTrigger();
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    function _checkKeeperCall(uint256 deadline) internal view returns (Settings memory s) {
        if (!isKeeper(msg.sender) && msg.sender != owner) revert NotKeeper();
        s = _settings; // inline on the keeper path: the shared copy in _loadSettings costs a second allocation
        if (s.paused) revert IsPaused();
        if (block.timestamp > deadline) revert Expired();
        if (s.triggerLtvBps == 0) revert PolicyNotSet();
        if (s.cooldown != 0 && block.timestamp < uint256(s.lastActionAt) + s.cooldown) {
            revert CoolingDown(uint256(s.lastActionAt) + s.cooldown);
        }
    }

    /// @dev The position before a keeper action, with interest accrued, at the oracle price; reverts
    /// unless LTV is at or above the trigger (or in the soft zone, see `_requireSoftZone`) and the price guard
    /// passes. Also the reserve and the equity allowance.
    function _snapshot(Settings memory s) internal returns (Snapshot memory snap) {
        _accrue();
        (snap.collateral, snap.debt) = _position();
        snap.price = _price();
        snap.ltv = LtvMath.ltv(snap.collateral, snap.debt, snap.price);
        uint256 trigger = LtvMath.bpsToWad(s.triggerLtvBps);
        if (snap.ltv < trigger) _requireSoftZone(snap.ltv, trigger);
        GuardSettings memory g = _guard; // inline on the keeper path, as in _checkKeeperCall
        _requireFreshPrice(g, snap.price);
        snap.sellWindow = g.sellWindow;
        snap.maxWindowSellBps = g.maxWindowSellBps;
        snap.reserve = IERC20(_loanToken()).balanceOf(address(this));
        uint256 assets = LtvMath.collateralValue(snap.collateral, snap.price) + snap.reserve;
        if (assets > snap.debt) {
            snap.equityAllowance = (assets - snap.debt) * (uint256(s.maxSlippageBps) + s.maxFeeBps) / LtvMath.BPS;
        }
    }

    /// @dev Under the trigger: the soft trigger must be set and LTV at or above it, or the action is refused as
    /// `BelowTrigger`, as without one. Only here is the soft trigger's slot read.
    function _requireSoftZone(uint256 ltv, uint256 trigger) internal view {
        uint256 soft = _softTrigger.softTriggerLtvBps;
        if (soft == 0 || ltv < LtvMath.bpsToWad(soft)) revert BelowTrigger(ltv, trigger);
    }

    /// @dev Keeper actions only: the guard's feed must be fresh and agree with the market oracle's `price`.
    function _requireFreshPrice(GuardSettings memory g, uint256 price) internal view {
        if (g.priceFeed == address(0)) return;
        (uint8 status, uint256 feedPrice, uint256 updatedAt) = _readFeed(g);
        if (status == PRICE_FEED_FAILED) revert PriceFeedFailed(g.priceFeed);
        if (status == PRICE_STALE) revert PriceStale(updatedAt, g.maxPriceAge);
        if (_deviates(g, price, feedPrice)) revert PriceDeviation(price, feedPrice, g.maxPriceDeviationBps);
    }

    /// @dev The feed's answer as a Morpho oracle price, and whether it is usable: a call that fails, an answer
    /// that is not positive or an update in the future is PRICE_FEED_FAILED; an update older than the max age is
    /// PRICE_STALE.
    function _readFeed(GuardSettings memory g) internal view returns (uint8 status, uint256 feedPrice, uint256 updatedAt) {
        try IPriceFeed(g.priceFeed).latestRoundData() returns (uint80, int256 answer, uint256, uint256 at, uint80) {
            updatedAt = at;
            if (answer <= 0 || at == 0 || at > block.timestamp) return (PRICE_FEED_FAILED, 0, at);
            // |feedScale| <= 72 (three decimals of at most 36 each), so the power cannot overflow.
            uint256 power;
            unchecked {
                power = 10 ** uint256(g.feedScale >= 0 ? int256(g.feedScale) : -int256(g.feedScale));
            }
            feedPrice = g.feedScale >= 0 ? uint256(answer) * power : uint256(answer) / power;
            if (block.timestamp - at > g.maxPriceAge) return (PRICE_STALE, feedPrice, at);
        } catch {
            return (PRICE_FEED_FAILED, 0, 0);
        }
    }

    /// @dev |oracle - feed| > maxDeviation x feed (never with the check off).
    function _deviates(GuardSettings memory g, uint256 oraclePrice, uint256 feedPrice) internal pure returns (bool) {
        if (g.maxPriceDeviationBps == 0) return false;
        uint256 diff = oraclePrice > feedPrice ? oraclePrice - feedPrice : feedPrice - oraclePrice;
        return diff * LtvMath.BPS > feedPrice * g.maxPriceDeviationBps;
    }

    /// @dev A listed route is never a forbidden target: routes are only listed by `setRoute`, which refuses them,
    /// and every forbidden target (the tokens, the market, its oracle, this vault) is immutable. So the list is the
    /// whole check here (invariant 6 asserts the list never holds one).
    function _checkRoute(address router, bytes calldata swapData) internal view {
        bytes4 selector = swapData.length < 4 ? bytes4(0) : bytes4(swapData);
        if (!isRouteAllowed(router, selector)) revert RouteNotAllowed(router, selector);
    }

    function _payKeeper(Settings memory s, uint256 fee, uint256 repaid) internal {
        if (fee == 0) return;
        uint256 maxFee = tx.gasprice > s.maxGasPrice ? 0 : repaid * s.maxFeeBps / LtvMath.BPS;
        if (fee > maxFee) revert FeeTooHigh(fee, maxFee);
        IERC20(_loanToken()).safeTransfer(msg.sender, fee);
    }

    /// @dev Post-conditions of every keeper action, at the price the action was judged at: debt and
    /// LTV went down (a sale by at least MIN_LTV_DROP unless it ends under the trigger), and LTV is not below the
    /// band under the target (no overselling). An action that ends under the trigger starts the cooldown; one
    /// that does not (a chunk of a larger sale) does not. The rate limit's count in `s` is written whatever the LTV.
    /// An action that started under the trigger (`_snapshot` let it through the soft zone) must end at or under
    /// the target; it always ends under the trigger, so the check sits in that branch.
    function _finish(Settings memory s, Snapshot memory before, bool sale) internal returns (uint256 ltvAfter) {
        (uint256 collateral, uint256 debt) = _position();
        ltvAfter = LtvMath.ltv(collateral, debt, before.price);
        if (debt >= before.debt || ltvAfter >= before.ltv) revert NotDeleveraged(before.ltv, ltvAfter);
        uint256 floor = LtvMath.bpsToWad(s.targetLtvBps - s.bandBps);
        if (ltvAfter < floor) revert Oversold(ltvAfter, floor);
        uint256 trigger = LtvMath.bpsToWad(s.triggerLtvBps);
        bool underTrigger = ltvAfter < trigger;
        if (sale && !underTrigger && ltvAfter + MIN_LTV_DROP > before.ltv) revert NotDeleveraged(before.ltv, ltvAfter);
        if (underTrigger) {
            if (before.ltv < trigger) _requireComplete(s, ltvAfter);
            s.lastActionAt = uint32(block.timestamp);
        }
        if (underTrigger || before.sellWindow != 0) _writeRuntime(s);
    }

    /// @dev A soft-zone action must end at or under the target.
    function _requireComplete(Settings memory s, uint256 ltvAfter) internal pure {
        uint256 target = LtvMath.bpsToWad(s.targetLtvBps);
        if (ltvAfter > target) revert SoftActionIncomplete(ltvAfter, target);
    }

    /// @dev Writes lastActionAt, windowStart and windowSoldBps with one read-modify-write of the settings slot
    /// (three field writes cost ~500 gas more on every sale). They are bytes 21..30 of the slot, in that order,
    /// after the 21 bytes of policy; `test_settingsLayout_runtimeFieldsRoundTrip` pins the layout.
    function _writeRuntime(Settings memory s) internal {
        uint256 runtime = uint256(s.lastActionAt) | uint256(s.windowStart) << 32 | uint256(s.windowSoldBps) << 64;
        assembly ("memory-safe") {
            let slot := _settings.slot
            let mask := shl(168, sub(shl(80, 1), 1))
            sstore(slot, or(and(sload(slot), not(mask)), shl(168, runtime)))
        }
    }

    /// @dev Storage-to-memory struct copies are expanded inline at every use; one function each keeps one copy.
    function _loadSettings() internal view returns (Settings memory) {
        return _settings;
    }

    function _loadGuard() internal view returns (GuardSettings memory) {
        return _guard;
    }

    function _checkTarget(address target) internal view {
        if (_isForbiddenTarget(target)) revert ForbiddenTarget(target);
    }

    // ------------------------------------------------------------------------------------------------
    // Protocol hooks
    // ------------------------------------------------------------------------------------------------

    /// @dev Approvals and protocol settings of a new clone, once, from `initialize`.
    function _initializeMarket() internal virtual;

    /// @dev Brings the market's interest up to the block, if the protocol needs a call for it.
    function _accrue() internal virtual;

    /// @dev The vault's collateral and debt (rounded up), in base units, with interest to this block.
    function _position() internal view virtual returns (uint256 collateral, uint256 debt);

    /// @dev The liquidation LTV (WAD) the policy's trigger must stay under.
    function _lltvWad() internal view virtual returns (uint256);

    function _marketId() internal view virtual returns (bytes32);

    /// @dev Sells `collateralAmount` through `router` and repays `required` (or the whole debt if that is less)
    /// with the proceeds, which must cover `required + keeperFee` and any cost of the protocol's mechanics. Returns
    /// the debt repaid and the proceeds (the swap's loan-token output).
    function _repayWithSale(
        Snapshot memory before,
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 required,
        uint256 keeperFee
    ) internal virtual returns (uint256 repaid, uint256 proceeds);

    /// @dev Repays `amount` (all of `debt` if it is at least that) from the vault's loan-token balance.
    function _repayFromReserve(uint256 amount, uint256 debt) internal virtual returns (uint256 repaid);

    /// @dev Supplies `amount` of collateral the vault holds to its own position (Morpho: `supplyCollateral` on
    /// behalf of the vault; Aave: `pool.supply` on behalf of the vault). Used by the owner's `supplyCollateral` and
    /// by the destination of a move.
    function _supplyOwnCollateral(uint256 amount) internal virtual;

    /// @dev Withdraws `amount` of collateral from the vault's position to `receiver` (Morpho: `withdrawCollateral`;
    /// Aave: `pool.withdraw`). The protocol's own health check applies; the caller checks the trigger. Used by the
    /// owner's `withdrawCollateral` and by the source of a move (to the vault itself, which then hands it over).
    function _withdrawCollateralTo(uint256 amount, address receiver) internal virtual;

    /// @dev Whether `target` may never be a route nor the guard's feed: the tokens, the market, its oracle, the
    /// vault itself, address(0), anything else of the protocol's that holds or prices the position.
    function _isForbiddenTarget(address target) internal view virtual returns (bool);

    /// @dev The market's price: loan-token base units per collateral base unit, x 1e36 (Morpho's oracle scale).
    function _price() internal view virtual returns (uint256 price) {
        price = IOracle(_oracle()).price();
        if (price == 0) revert BadPrice();
    }
}
