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
    /// Highest gas price (wei) at which the owner pays the keeper a fee; above it the fee must be 0.
    uint64 maxGasPrice;
}

/// @notice The vault's own settings, read by the lens in one call.
struct VaultState {
    address owner;
    MarketParams marketParams;
    Policy policy;
    uint64 lastActionAt;
    bool paused;
    bool keeperAllowed;
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
}

interface IUnwindVault {
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
    function owner() external view returns (address);
    function marketParams() external view returns (MarketParams memory);
    function marketId() external view returns (bytes32);
    function policy() external view returns (Policy memory);
    function lastActionAt() external view returns (uint64);
    function paused() external view returns (bool);
    function isKeeper(address account) external view returns (bool);
    function isRouteAllowed(address router, bytes4 selector) external view returns (bool);
    function reserve() external view returns (uint256);
    function state(address keeper) external view returns (VaultState memory);
}
