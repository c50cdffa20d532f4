// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IMorpho, Id, MarketParams, Market, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {IMorphoRepayCallback} from "@morpho-blue/interfaces/IMorphoCallbacks.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";

import {IUnwindVault, Policy, VaultState} from "./interfaces/IUnwindVault.sol";
import {LtvMath} from "./libraries/LtvMath.sol";

/// @title UnwindVault
/// @notice Holds one owner's borrow position on one Morpho Blue market. The owner can always repay and
/// withdraw. Allow-listed keepers can only deleverage (sell collateral through an allow-listed router,
/// repaying debt) or top up (repay from the vault's loan-token reserve), and only inside the owner's
/// policy, which this contract enforces whatever the keeper sends: the oracle floor on every sale, the
/// trigger, the no-oversell band, the per-call size cap, the cooldown, the fee cap and the deadline.
contract UnwindVault is IUnwindVault, IMorphoRepayCallback, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using MarketParamsLib for MarketParams;
    using SharesMathLib for uint256;

    uint256 internal constant MAX_SLIPPAGE_BPS = 1_000; // 10%: beyond this an "oracle floor" protects nothing
    uint256 internal constant MAX_FEE_BPS = 500; // 5% of the debt repaid
    uint256 internal constant MAX_COOLDOWN = 7 days;

    /// @dev Each vault is a minimal proxy (EIP-1167) of one implementation, created by the factory with its
    /// market as immutable arguments appended to its code (OpenZeppelin Clones): a vault costs ~0.2M gas to
    /// create instead of a full contract's ~4M, which matters for small positions. Word i of the arguments,
    /// the market's params first, so that they read as a MarketParams in place (see marketParams()).
    uint256 private constant ARG_LOAN_TOKEN = 0;
    uint256 private constant ARG_COLLATERAL_TOKEN = 1;
    uint256 private constant ARG_ORACLE = 2;
    uint256 private constant ARG_LLTV = 4;
    uint256 private constant ARG_MORPHO = 5;
    uint256 private constant ARG_MARKET_ID = 6;
    uint256 private constant ARGS_SIZE = 0xe0;
    /// @dev Where the arguments start in a clone's code: after the 45-byte EIP-1167 body.
    uint256 private constant ARGS_OFFSET = 0x2d;

    /// @dev The policy and the runtime fields keepers touch share one slot, so an action reads and
    /// writes a single word of vault state.
    struct Settings {
        uint16 triggerLtvBps;
        uint16 targetLtvBps;
        uint16 bandBps;
        uint16 maxSlippageBps;
        uint16 maxFeeBps;
        uint16 maxSellBps;
        uint32 cooldown;
        uint64 maxGasPrice;
        uint40 lastActionAt;
        bool paused;
        bool initialized;
    }

    struct Snapshot {
        uint256 collateral;
        uint256 debt;
        uint256 price;
        uint256 ltv;
    }

    Settings internal _settings;
    address public override owner;
    address public pendingOwner;
    mapping(address => bool) public override isKeeper;
    mapping(address => mapping(bytes4 => bool)) public override isRouteAllowed;

    /// @dev Set only between this vault's own call to `MORPHO().repay` and the callback it triggers.
    bool transient _callbackArmed;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @dev The implementation itself can never be initialized: only clones, each once.
    constructor() {
        _settings.initialized = true;
    }

    /// @notice Called by the factory in the transaction that creates the clone, so nobody can come between.
    function initialize(address owner_) external {
        if (_settings.initialized) revert AlreadyInitialized();
        _settings.initialized = true;
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
        // Morpho only ever pulls from msg.sender and only the amounts this vault asks it to: an unlimited
        // allowance to the market saves an approval per action and never reaches a router.
        IERC20(_loanToken()).forceApprove(address(MORPHO()), type(uint256).max);
        IERC20(_collateralToken()).forceApprove(address(MORPHO()), type(uint256).max);
    }

    /// @dev The immutable arguments, in the order the factory encodes them.
    struct Args {
        address loanToken;
        address collateralToken;
        address oracle;
        address irm;
        uint256 lltv;
        IMorpho morpho;
        bytes32 marketId;
    }

    /// @dev All immutable arguments with one copy from this clone's code.
    function _args() private view returns (Args memory a) {
        assembly ("memory-safe") {
            extcodecopy(address(), a, ARGS_OFFSET, ARGS_SIZE)
        }
    }

    /// @dev Word `i` of the immutable arguments in this clone's code.
    function _arg(uint256 i) private view returns (uint256 v) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, add(ARGS_OFFSET, mul(i, 0x20)), 0x20)
            v := mload(ptr)
        }
    }

    function MORPHO() public view returns (IMorpho) {
        return IMorpho(address(uint160(_arg(ARG_MORPHO))));
    }

    function _loanToken() internal view returns (address) {
        return address(uint160(_arg(ARG_LOAN_TOKEN)));
    }

    function _collateralToken() internal view returns (address) {
        return address(uint160(_arg(ARG_COLLATERAL_TOKEN)));
    }

    function _oracle() internal view returns (address) {
        return address(uint160(_arg(ARG_ORACLE)));
    }

    function _marketId() internal view returns (bytes32) {
        return bytes32(_arg(ARG_MARKET_ID));
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: position
    // ------------------------------------------------------------------------------------------------

    /// @notice Pulls `amount` collateral from the owner and supplies it to the market.
    function supplyCollateral(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_collateralToken()).safeTransferFrom(msg.sender, address(this), amount);
        MORPHO().supplyCollateral(marketParams(), amount, address(this), "");
        emit CollateralSupplied(msg.sender, amount);
    }

    /// @notice Withdraws collateral to `receiver`. Works while paused; the market checks health.
    function withdrawCollateral(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        MORPHO().withdrawCollateral(marketParams(), amount, address(this), receiver);
        emit CollateralWithdrawn(receiver, amount);
    }

    /// @notice Borrows `amount` loan tokens to `receiver`. Refused if it would put the position at or
    /// above the trigger: that would hand the collateral to the keepers at once.
    function borrow(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        MarketParams memory params = marketParams();
        MORPHO().borrow(params, amount, 0, address(this), receiver);
        uint256 trigger = _settings.triggerLtvBps;
        if (trigger != 0) {
            (uint256 collateral, uint256 debt) = _position();
            uint256 ltvAfter = LtvMath.ltv(collateral, debt, _price());
            if (ltvAfter >= LtvMath.bpsToWad(trigger)) revert WouldTrigger(ltvAfter, LtvMath.bpsToWad(trigger));
        }
        emit Borrowed(receiver, amount);
    }

    /// @notice Repays `assets` of debt with tokens pulled from the owner; `type(uint256).max` repays all.
    /// Works while paused.
    function repay(uint256 assets) external onlyOwner nonReentrant returns (uint256 repaidAssets, uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        MarketParams memory params = marketParams();
        MORPHO().accrueInterest(params);
        (, uint256 debt) = _position();
        if (assets >= debt) {
            IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), debt);
            (repaidAssets, shares) = MORPHO().repay(params, 0, _borrowShares(), address(this), "");
            // Rounding can make the exact share repayment cost one unit less than `debt`: keep it as reserve.
        } else {
            IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), assets);
            (repaidAssets, shares) = MORPHO().repay(params, assets, 0, address(this), "");
        }
        emit Repaid(msg.sender, repaidAssets, shares);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: reserve (loan tokens held by the vault, used by top-ups)
    // ------------------------------------------------------------------------------------------------

    function depositReserve(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), amount);
        emit ReserveDeposited(msg.sender, amount);
    }

    function withdrawReserve(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_loanToken()).safeTransfer(receiver, amount);
        emit ReserveWithdrawn(receiver, amount);
    }

    /// @notice Sends any token the vault holds (not its market position) to `receiver`.
    function sweep(address token, uint256 amount, address receiver) external onlyOwner nonReentrant {
        IERC20(token).safeTransfer(receiver, amount);
        emit Swept(token, receiver, amount);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: rules
    // ------------------------------------------------------------------------------------------------

    function setPolicy(Policy calldata p) external onlyOwner nonReentrant {
        uint256 lltvBps = _arg(ARG_LLTV) / LtvMath.BPS_TO_WAD;
        if (p.targetLtvBps == 0) revert InvalidPolicy("target must be > 0");
        if (p.targetLtvBps >= p.triggerLtvBps) revert InvalidPolicy("target must be < trigger");
        if (p.triggerLtvBps >= lltvBps) revert InvalidPolicy("trigger must be < LLTV");
        if (p.bandBps > p.targetLtvBps) revert InvalidPolicy("band must be <= target");
        if (p.maxSlippageBps > MAX_SLIPPAGE_BPS) revert InvalidPolicy("slippage must be <= 10%");
        if (p.maxFeeBps > MAX_FEE_BPS) revert InvalidPolicy("fee must be <= 5%");
        if (p.maxSellBps == 0 || p.maxSellBps > LtvMath.BPS) revert InvalidPolicy("max sell must be in (0, 100%]");
        if (p.cooldown > MAX_COOLDOWN) revert InvalidPolicy("cooldown must be <= 7 days");
        Settings storage s = _settings;
        s.triggerLtvBps = p.triggerLtvBps;
        s.targetLtvBps = p.targetLtvBps;
        s.bandBps = p.bandBps;
        s.maxSlippageBps = p.maxSlippageBps;
        s.maxFeeBps = p.maxFeeBps;
        s.maxSellBps = p.maxSellBps;
        s.cooldown = p.cooldown;
        s.maxGasPrice = p.maxGasPrice;
        emit PolicySet(p);
    }

    function setKeeper(address keeper, bool allowed) external onlyOwner nonReentrant {
        isKeeper[keeper] = allowed;
        emit KeeperSet(keeper, allowed);
    }

    /// @notice Allows or denies calling `selector` on `router` during a deleverage.
    function setRoute(address router, bytes4 selector, bool allowed) external onlyOwner nonReentrant {
        if (allowed) {
            _checkTarget(router);
            if (router.code.length == 0) revert ForbiddenTarget(router);
        }
        isRouteAllowed[router][selector] = allowed;
        emit RouteSet(router, selector, allowed);
    }

    /// @notice Pausing stops keepers only; the owner keeps every power.
    function setPaused(bool paused_) external onlyOwner nonReentrant {
        _settings.paused = paused_;
        emit PausedSet(paused_);
    }

    function transferOwnership(address newOwner) external onlyOwner nonReentrant {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external nonReentrant {
        if (msg.sender != pendingOwner) revert NotOwner();
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper
    // ------------------------------------------------------------------------------------------------

    /// @notice Sells `collateralAmount` through `router` (called with `swapData`) and repays debt with the
    /// proceeds. Morpho credits the repayment first and calls back `onMorphoRepay`, where the collateral
    /// is withdrawn and sold; Morpho then pulls the repayment. The proceeds must cover
    /// max(`minRepaid`, oracle floor) plus `keeperFee`; anything above stays in the vault's reserve.
    function deleverage(
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 minRepaid,
        uint256 deadline,
        uint256 keeperFee
    ) external nonReentrant returns (uint256 repaid, uint256 proceeds) {
        Settings memory s = _checkKeeperCall(deadline);
        if (collateralAmount == 0) revert ZeroAmount();
        _checkRoute(router, swapData);
        Snapshot memory before = _snapshot(s);
        uint256 required = _requiredProceeds(s, before, collateralAmount, minRepaid);
        (repaid, proceeds) = _repayWithSale(before.debt, collateralAmount, router, swapData, required, keeperFee);
        _payKeeper(s, keeperFee, repaid);
        uint256 ltvAfter = _finish(s, before);
        emit Deleveraged(msg.sender, router, collateralAmount, repaid, proceeds, keeperFee, before.ltv, ltvAfter);
    }

    /// @dev What a sale must repay at least: the keeper's minimum or the oracle floor, whichever is
    /// higher. Also enforces the per-call size cap.
    function _requiredProceeds(Settings memory s, Snapshot memory before, uint256 collateralAmount, uint256 minRepaid)
        internal
        pure
        returns (uint256)
    {
        uint256 maxSell = before.collateral * s.maxSellBps / LtvMath.BPS;
        if (collateralAmount > maxSell) revert SellTooLarge(collateralAmount, maxSell);
        return Math.max(minRepaid, LtvMath.oracleFloor(collateralAmount, before.price, s.maxSlippageBps));
    }

    /// @dev Repays `required` (or the whole debt if that is less) through Morpho's repay callback, in
    /// which the collateral is sold; the callback must see proceeds >= required + fee.
    function _repayWithSale(
        uint256 debt,
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 required,
        uint256 keeperFee
    ) internal returns (uint256 repaid, uint256 proceeds) {
        MarketParams memory params = marketParams();
        uint256 loanBefore = IERC20(_loanToken()).balanceOf(address(this));
        bytes memory data = abi.encode(collateralAmount, router, swapData, required + keeperFee);
        _callbackArmed = true;
        if (required >= debt) {
            // Repaying by shares closes the debt exactly; by assets it could round past it and revert.
            (repaid,) = MORPHO().repay(params, 0, _borrowShares(), address(this), data);
        } else {
            (repaid,) = MORPHO().repay(params, required, 0, address(this), data);
        }
        if (_callbackArmed) revert UnexpectedCallback(); // the market must have called back exactly once
        // Change of the loan balance over the repay (the fee is not paid yet) = proceeds - repaid.
        proceeds = IERC20(_loanToken()).balanceOf(address(this)) + repaid - loanBefore;
    }

    /// @dev Morpho calls this from inside this vault's own `repay`, after crediting the repayment and
    /// before pulling it. Only then, and only once, may collateral move to the router.
    function onMorphoRepay(uint256, bytes calldata data) external override {
        if (msg.sender != address(MORPHO())) revert NotMorpho();
        if (!_callbackArmed) revert UnexpectedCallback();
        _callbackArmed = false;

        (uint256 collateralAmount, address router, bytes memory swapData, uint256 requiredProceeds) =
            abi.decode(data, (uint256, address, bytes, uint256));

        MORPHO().withdrawCollateral(marketParams(), collateralAmount, address(this), address(this));

        IERC20 loan = IERC20(_loanToken());
        IERC20 coll = IERC20(_collateralToken());
        uint256 loanBefore = loan.balanceOf(address(this));
        uint256 collBefore = coll.balanceOf(address(this));

        // Exact-amount approval, reset after the call whatever the router did.
        coll.forceApprove(router, collateralAmount);
        (bool ok, bytes memory ret) = router.call(swapData);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        coll.forceApprove(router, 0);

        // Judge the swap by what arrived, never by what the router says.
        uint256 received = loan.balanceOf(address(this)) - loanBefore;
        if (received < requiredProceeds) revert InsufficientProceeds(received, requiredProceeds);

        // Collateral the router did not take goes back to the market, not to anyone.
        uint256 unsold = coll.balanceOf(address(this)) + collateralAmount - collBefore;
        if (unsold > 0) MORPHO().supplyCollateral(marketParams(), unsold, address(this), "");
    }

    /// @notice Repays `amount` of debt from the vault's reserve.
    function topUp(uint256 amount, uint256 deadline, uint256 keeperFee) external nonReentrant returns (uint256 repaid) {
        Settings memory s = _checkKeeperCall(deadline);
        if (amount == 0) revert ZeroAmount();
        uint256 available = IERC20(_loanToken()).balanceOf(address(this));
        if (amount + keeperFee > available) revert InsufficientReserve(available, amount + keeperFee);
        Snapshot memory before = _snapshot(s);

        if (amount >= before.debt) (repaid,) = MORPHO().repay(marketParams(), 0, _borrowShares(), address(this), "");
        else (repaid,) = MORPHO().repay(marketParams(), amount, 0, address(this), "");

        _payKeeper(s, keeperFee, repaid);
        uint256 ltvAfter = _finish(s, before);
        emit ToppedUp(msg.sender, repaid, keeperFee, before.ltv, ltvAfter);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    function marketParams() public view override returns (MarketParams memory params) {
        Args memory a = _args();
        // Args begins with exactly MarketParams' five words (loan, collateral, oracle, irm, lltv).
        assembly ("memory-safe") {
            params := a
        }
    }

    function marketId() external view override returns (bytes32) {
        return _marketId();
    }

    function policy() public view override returns (Policy memory p) {
        Settings memory s = _settings;
        p = Policy(
            s.triggerLtvBps, s.targetLtvBps, s.bandBps, s.maxSlippageBps, s.maxFeeBps, s.maxSellBps, s.cooldown, s.maxGasPrice
        );
    }

    function lastActionAt() external view override returns (uint64) {
        return _settings.lastActionAt;
    }

    function paused() external view override returns (bool) {
        return _settings.paused;
    }

    function reserve() public view override returns (uint256) {
        return IERC20(_loanToken()).balanceOf(address(this));
    }

    /// @notice The vault's own state in one call, for the lens.
    function state(address keeper) external view override returns (VaultState memory st) {
        st.owner = owner;
        st.marketParams = marketParams();
        st.policy = policy();
        st.lastActionAt = _settings.lastActionAt;
        st.paused = _settings.paused;
        st.keeperAllowed = keeper != address(0) && isKeeper[keeper];
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    function _checkKeeperCall(uint256 deadline) internal view returns (Settings memory s) {
        if (!isKeeper[msg.sender] && msg.sender != owner) revert NotKeeper();
        s = _settings;
        if (s.paused) revert IsPaused();
        if (block.timestamp > deadline) revert Expired();
        if (s.triggerLtvBps == 0) revert PolicyNotSet();
        if (s.cooldown != 0 && block.timestamp < uint256(s.lastActionAt) + s.cooldown) {
            revert CoolingDown(uint256(s.lastActionAt) + s.cooldown);
        }
    }

    /// @dev The position before a keeper action, with interest accrued, at the oracle price; reverts
    /// unless LTV is at or above the trigger.
    function _snapshot(Settings memory s) internal returns (Snapshot memory snap) {
        MORPHO().accrueInterest(marketParams());
        (snap.collateral, snap.debt) = _position();
        snap.price = _price();
        snap.ltv = LtvMath.ltv(snap.collateral, snap.debt, snap.price);
        uint256 trigger = LtvMath.bpsToWad(s.triggerLtvBps);
        if (snap.ltv < trigger) revert BelowTrigger(snap.ltv, trigger);
    }

    function _checkRoute(address router, bytes calldata swapData) internal view {
        bytes4 selector = swapData.length < 4 ? bytes4(0) : bytes4(swapData);
        if (!isRouteAllowed[router][selector]) revert RouteNotAllowed(router, selector);
        _checkTarget(router);
    }

    function _payKeeper(Settings memory s, uint256 fee, uint256 repaid) internal {
        if (fee == 0) return;
        uint256 maxFee = tx.gasprice > s.maxGasPrice ? 0 : repaid * s.maxFeeBps / LtvMath.BPS;
        if (fee > maxFee) revert FeeTooHigh(fee, maxFee);
        IERC20(_loanToken()).safeTransfer(msg.sender, fee);
    }

    /// @dev Post-conditions of every keeper action, at the price the action was judged at: debt and
    /// LTV went down, and LTV is not below the band under the target (no overselling). An action that
    /// ends under the trigger starts the cooldown; one that does not (a chunk of a larger sale) does not.
    function _finish(Settings memory s, Snapshot memory before) internal returns (uint256 ltvAfter) {
        (uint256 collateral, uint256 debt) = _position();
        ltvAfter = LtvMath.ltv(collateral, debt, before.price);
        if (debt >= before.debt || ltvAfter >= before.ltv) revert NotDeleveraged(before.ltv, ltvAfter);
        uint256 floor = LtvMath.bpsToWad(s.targetLtvBps - s.bandBps);
        if (ltvAfter < floor) revert Oversold(ltvAfter, floor);
        if (ltvAfter < LtvMath.bpsToWad(s.triggerLtvBps)) _settings.lastActionAt = uint40(block.timestamp);
    }

    function _checkTarget(address target) internal view {
        Args memory a = _args();
        if (
            target == a.loanToken || target == a.collateralToken || target == address(a.morpho) || target == address(this)
                || target == a.oracle || target == address(0)
        ) revert ForbiddenTarget(target);
    }

    function _position() internal view returns (uint256 collateral, uint256 debt) {
        IMorpho morpho = MORPHO();
        Id id = Id.wrap(_marketId());
        Position memory pos = morpho.position(id, address(this));
        Market memory m = morpho.market(id);
        collateral = pos.collateral;
        debt = uint256(pos.borrowShares).toAssetsUp(m.totalBorrowAssets, m.totalBorrowShares);
    }

    function _borrowShares() internal view returns (uint256) {
        return MORPHO().position(Id.wrap(_marketId()), address(this)).borrowShares;
    }

    function _price() internal view returns (uint256 price) {
        price = IOracle(_oracle()).price();
        if (price == 0) revert BadPrice();
    }
}
