// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

/// @notice The owner's rules for what keepers may do to the position. All ratios are in basis points.
struct Policy {
    /// LTV at or above which keepers may act.
    uint16 triggerLtvBps;
    /// LTV the keeper aims for.
    uint16 targetLtvBps;
    /// A keeper action may not leave LTV below `targetLtvBps - bandBps` (no overselling).
    uint16 bandBps;
    /// Sale proceeds must be worth at least the collateral sold at the oracle price minus this.
    uint16 maxSlippageBps;
    /// Keeper fee cap, as a share of the debt an action repays.
    uint16 maxFeeBps;
    /// Most collateral one deleverage may sell, as a share of the vault's collateral.
    uint16 maxSellBps;
    /// Seconds between two keeper actions that brought LTV back under the trigger.
    uint32 cooldown;
    /// Highest gas price (wei) at which the owner pays the keeper a fee; above it the fee must be 0. At most
    /// 2^48 - 1 wei (about 281,475 gwei).
    uint64 maxGasPrice;
}

/// @notice The owner's limits beyond the policy: fresh prices and a rate limit on sales. Zero fields switch a
/// limit off. Set with `setGuard`; keepers are bound by it, the owner's own calls never are.
struct Guard {
    /// Chainlink-style feed (`latestRoundData`) quoting the collateral in the loan token (or in a unit the loan
    /// token tracks, such as USD for a stablecoin); 0 = no feed check.
    address priceFeed;
    /// Keeper actions are refused while the feed's last update is older than this many seconds (at most 7 days).
    uint32 maxPriceAge;
    /// Keeper actions are refused while the market oracle and the feed differ by more than this, of the feed's
    /// price; 0 = no deviation check (the age check still applies).
    uint16 maxPriceDeviationBps;
    /// Length in seconds of the rate limit's window (at most 30 days); 0 = no rate limit.
    uint32 sellWindow;
    /// Most collateral the keepers may sell in one window, as the sum over its sales of each sale's share of the
    /// collateral at that sale: at most this share of the collateral the window started with.
    uint16 maxWindowSellBps;
}

/// @notice The owner's optional early trigger (see `setSoftTrigger`). Zero fields: off.
struct SoftTrigger {
    /// LTV at or above which (and under the policy's trigger) keepers may act early, with a complete deleverage:
    /// a soft-zone action must end at or under the target LTV. Strictly between the target and the trigger.
    uint16 softTriggerLtvBps;
    /// The keeper's own bound on the probability of liquidation before its exit completes, above which it acts
    /// in the soft zone (basis points, in (0, 10,000)). The chain cannot check a probability: the vault stores
    /// it for the keeper and enforces only the soft trigger and the complete deleverage.
    uint16 maxLiquidationProbabilityBps;
}

/// @notice A router and the one function of it that keepers may call during a deleverage.
struct Route {
    address router;
    bytes4 selector;
}

/// @notice The vault's own settings, read by the lens in one call.
struct VaultState {
    address owner;
    MarketParams marketParams;
    Policy policy;
    uint64 lastActionAt;
    bool paused;
    bool keeperAllowed;
    Guard guard;
    /// Share of the collateral the keepers may still sell in the current window (basis points); 10,000 without a
    /// rate limit.
    uint256 windowSellLeftBps;
    /// The soft trigger (0 = off) and the keeper's probability bound that goes with it.
    uint16 softTriggerLtvBps;
    uint16 maxLiquidationProbabilityBps;
}

/// @notice Everything a keeper or a dashboard needs to know about one vault, read in one call.
struct VaultHealth {
    address vault;
    address owner;
    bytes32 marketId;
    address loanToken;
    address collateralToken;
    uint8 loanDecimals;
    uint8 collateralDecimals;
    uint256 collateral;
    uint256 borrowShares;
    uint256 debt;
    /// Morpho oracle price: loan base units per collateral base unit, scaled by 1e36. 0 if the oracle reverted.
    uint256 price;
    /// debt / (collateral * price / 1e36), 1e18 = 100%. type(uint256).max when debt > 0 and collateral is worthless.
    uint256 ltv;
    uint256 lltv;
    Policy policy;
    uint256 reserve;
    uint64 lastActionAt;
    bool paused;
    bool keeperAllowed;
    Guard guard;
    uint256 windowSellLeftBps;
    /// The price guard's verdict now: PRICE_OK (also when no feed is set), PRICE_STALE, PRICE_DEVIATION or
    /// PRICE_FEED_FAILED; keepers are refused unless it is PRICE_OK.
    uint8 priceStatus;
    /// The feed's last update (0 without a feed or when it could not be read).
    uint64 feedUpdatedAt;
    /// What the lens could not read: READ_VAULT_FAILED (only `vault` is set), READ_MARKET_FAILED (a token's
    /// decimals or the market's balances failed or ran out of gas: no debt, price or LTV), READ_ORACLE_FAILED
    /// (price 0 and LTV 0), READ_PRICE_CHECK_FAILED (priceStatus unknown, reported as PRICE_FEED_FAILED). 0 = all read.
    uint8 readFlags;
    /// The soft trigger (0 = off) and the keeper's probability bound that goes with it, as in VaultState.
    uint16 softTriggerLtvBps;
    uint16 maxLiquidationProbabilityBps;
    /// The lending protocol the lens read the vault as: PROTOCOL_MORPHO_BLUE or PROTOCOL_AAVE_V3.
    uint8 protocol;
    /// What the protocol charges a sale that takes a flash loan, in bps of the loan: the Aave pool's
    /// FLASHLOAN_PREMIUM_TOTAL for an Aave vault (its deleverage flash-borrows the repayment when withdrawing first
    /// would leave the position unhealthy), 0 for a Morpho vault (no flash loan).
    uint16 flashPremiumBps;
}

/// @dev Values of VaultHealth.protocol.
uint8 constant PROTOCOL_MORPHO_BLUE = 0;
uint8 constant PROTOCOL_AAVE_V3 = 1;

/// @dev Values of VaultHealth.priceStatus and of the vault's checkPrice.
uint8 constant PRICE_OK = 0;
uint8 constant PRICE_STALE = 1;
uint8 constant PRICE_DEVIATION = 2;
uint8 constant PRICE_FEED_FAILED = 3;

/// @dev Bits of VaultHealth.readFlags.
uint8 constant READ_VAULT_FAILED = 1;
uint8 constant READ_MARKET_FAILED = 2;
uint8 constant READ_ORACLE_FAILED = 4;
uint8 constant READ_PRICE_CHECK_FAILED = 8;

/// @notice The owner of a vault (or of a shared reserve): declared apart so that the vault's storage contract, which
/// holds the `owner` variable, can implement it for both codes that run on a vault.
interface IVaultOwner {
    function owner() external view returns (address);
}

interface IUnwindVault is IVaultOwner {
    // ---- events: one for every state change ----
    event PolicySet(Policy policy);
    event KeeperSet(address indexed keeper, bool allowed);
    event RouteSet(address indexed router, bytes4 indexed selector, bool allowed);
    event PausedSet(bool paused);
    event CollateralSupplied(address indexed from, uint256 amount);
    event CollateralWithdrawn(address indexed receiver, uint256 amount);
    event Borrowed(address indexed receiver, uint256 amount);
    event Repaid(address indexed payer, uint256 assets, uint256 shares);
    event ReserveDeposited(address indexed from, uint256 amount);
    event ReserveWithdrawn(address indexed receiver, uint256 amount);
    event Swept(address indexed token, address indexed receiver, uint256 amount);
    event Deleveraged(
        address indexed keeper,
        address indexed router,
        uint256 collateralSold,
        uint256 debtRepaid,
        uint256 proceeds,
        uint256 keeperFee,
        uint256 ltvBefore,
        uint256 ltvAfter
    );
    event ToppedUp(address indexed keeper, uint256 debtRepaid, uint256 keeperFee, uint256 ltvBefore, uint256 ltvAfter);
    event GuardSet(Guard guard);
    event SoftTriggerSet(uint16 softTriggerLtvBps, uint16 maxLiquidationProbabilityBps);
    /// At an ownership transfer, whether the new owner kept the keepers and routes (each one cleared also
    /// emits its KeeperSet / RouteSet with allowed = false).
    event AccessHandedOver(address indexed newOwner, bool kept, uint256 keepers, uint256 routes);
    /// The owner's shared reserve this vault's top-ups may draw their shortfall from (0 = none).
    event SharedReserveSet(address indexed sharedReserve);
    /// The owner's list of vaults this one may send collateral to and accept collateral from.
    event MovePeerSet(address indexed peer, bool allowed);
    /// Most collateral one move may take out of this vault, as a share of its collateral (0 = moves off).
    event MoveCapSet(uint16 maxMoveBps);
    /// On the source of a move: `amount` of collateral went to the peer `to`; LTVs at this vault's oracle price.
    event CollateralMoved(address indexed keeper, address indexed to, uint256 amount, uint256 ltvBefore, uint256 ltvAfter);
    /// On the destination of a move: `amount` of collateral came from the peer `from` and was supplied.
    event CollateralReceived(address indexed from, uint256 amount, uint256 ltvBefore, uint256 ltvAfter);

    // ---- errors ----
    error NotOwner();
    error AlreadyInitialized();
    error NotKeeper();
    error NotMorpho();
    error UnexpectedCallback();
    error IsPaused();
    error Expired();
    error PolicyNotSet();
    error InvalidPolicy(string reason);
    error BelowTrigger(uint256 ltv, uint256 trigger);
    error CoolingDown(uint256 until);
    error SellTooLarge(uint256 amount, uint256 max);
    error RouteNotAllowed(address router, bytes4 selector);
    error ForbiddenTarget(address target);
    error ZeroAmount();
    error InsufficientProceeds(uint256 received, uint256 required);
    error InsufficientReserve(uint256 available, uint256 required);
    error FeeTooHigh(uint256 fee, uint256 max);
    error Oversold(uint256 ltvAfter, uint256 floor);
    error NotDeleveraged(uint256 ltvBefore, uint256 ltvAfter);
    error BadPrice();
    error WouldTrigger(uint256 ltvAfter, uint256 trigger);
    error InvalidGuard(string reason);
    error PriceStale(uint256 updatedAt, uint256 maxAge);
    error PriceDeviation(uint256 oraclePrice, uint256 feedPrice, uint256 maxDeviationBps);
    error PriceFeedFailed(address feed);
    error WindowExceeded(uint256 soldBps, uint256 leftBps);
    error TooManyEntries(uint256 max);
    error EquityLoss(uint256 loss, uint256 allowed);
    /// A keeper action that started under the trigger (in the soft zone) must end at or under the target.
    error SoftActionIncomplete(uint256 ltvAfter, uint256 target);
    /// `reserve` is not owned by this vault's owner (set), or not a usable shared reserve.
    error SharedReserveNotOwned(address reserve);
    /// `peer` is not on this vault's move list, or no longer has this vault's owner or collateral token.
    error NotMovePeer(address peer);
    /// A move over the per-move cap (max 0: moves are off).
    error MoveTooLarge(uint256 amount, uint256 max);
    /// The destination did not take exactly the collateral the source offered.
    error MoveNotReceived(address to);
    /// A function only the vault's own portfolio code may call.
    error NotSelf();

    // ---- keeper ----
    function deleverage(
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 minRepaid,
        uint256 deadline,
        uint256 keeperFee
    ) external returns (uint256 repaid, uint256 proceeds);

    function topUp(uint256 amount, uint256 deadline, uint256 keeperFee) external returns (uint256 repaid);


    // ---- views ----
    function marketParams() external view returns (MarketParams memory);
    function marketId() external view returns (bytes32);
    function policy() external view returns (Policy memory);
    function lastActionAt() external view returns (uint64);
    function paused() external view returns (bool);
    function isKeeper(address account) external view returns (bool);
    function isRouteAllowed(address router, bytes4 selector) external view returns (bool);
    function keepers() external view returns (address[] memory);
    function routes() external view returns (Route[] memory);
    function guard() external view returns (Guard memory);
    function softTrigger() external view returns (uint16 softTriggerLtvBps, uint16 maxLiquidationProbabilityBps);
    function windowSellLeftBps() external view returns (uint256);
    function checkPrice(uint256 oraclePrice) external view returns (uint8 status, uint256 updatedAt);
    function reserve() external view returns (uint256);
    function state(address keeper) external view returns (VaultState memory);
}
