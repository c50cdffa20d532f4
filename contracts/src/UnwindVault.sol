// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IMorpho, Id, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IMorphoRepayCallback} from "@morpho-blue/interfaces/IMorphoCallbacks.sol";
import {SharesMathLib} from "@morpho-blue/libraries/SharesMathLib.sol";
import {MorphoStorageLib} from "@morpho-blue/libraries/periphery/MorphoStorageLib.sol";

import {VaultCore} from "./VaultCore.sol";
import {Policy, Guard, VaultState} from "./interfaces/IUnwindVault.sol";

/// @title UnwindVault
/// @notice The Morpho Blue vault: one owner's borrow position on one Morpho Blue market, with every rule of
/// `VaultCore`. A sale repays through Morpho's repay callback: Morpho credits the repayment, calls back
/// `onMorphoRepay`, where the collateral is withdrawn and sold, then pulls the repayment; no flash loan needed.
contract UnwindVault is VaultCore, IMorphoRepayCallback {
    using SafeERC20 for IERC20;
    using SharesMathLib for uint256;

    /// @dev Word i of the immutable arguments, the market's params first, so that they read as a MarketParams in
    /// place (see marketParams()).
    uint256 private constant ARG_LLTV = 4;
    uint256 private constant ARG_MORPHO = 5;
    uint256 private constant ARG_MARKET_ID = 6;
    uint256 private constant ARGS_SIZE = 0xe0;

    /// @dev VaultCore's constructor makes the implementation unusable; declared here so that the ABI keeps its
    /// constructor entry, as before the split.
    constructor() {}

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

    function MORPHO() public view returns (IMorpho) {
        return IMorpho(address(uint160(_arg(ARG_MORPHO))));
    }

    function _marketId() internal view override returns (bytes32) {
        return bytes32(_arg(ARG_MARKET_ID));
    }

    function _lltvWad() internal view override returns (uint256) {
        return _arg(ARG_LLTV);
    }

    function _initializeMarket() internal override {
        // Morpho only ever pulls from msg.sender and only the amounts this vault asks it to: an unlimited
        // allowance to the market saves an approval per action and never reaches a router.
        IERC20(_loanToken()).forceApprove(address(MORPHO()), type(uint256).max);
        IERC20(_collateralToken()).forceApprove(address(MORPHO()), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: position
    // ------------------------------------------------------------------------------------------------

    /// @notice Pulls `amount` collateral from the owner and supplies it to the market.
    function supplyCollateral(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_collateralToken()).safeTransferFrom(msg.sender, address(this), amount);
        _supplyOwnCollateral(amount);
        emit CollateralSupplied(msg.sender, amount);
    }

    /// @notice Withdraws collateral to `receiver`. Works while paused; the market checks health. Refused,
    /// like `borrow`, if it would leave a position with debt at or above the trigger.
    function withdrawCollateral(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _withdrawCollateralTo(amount, receiver);
        _checkUnderTrigger();
        emit CollateralWithdrawn(receiver, amount);
    }

    /// @notice Borrows `amount` loan tokens to `receiver`. Refused if it would put the position at or
    /// above the trigger: that would hand the collateral to the keepers at once.
    function borrow(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        MORPHO().borrow(marketParams(), amount, 0, address(this), receiver);
        _checkUnderTrigger();
        emit Borrowed(receiver, amount);
    }

    /// @notice Repays `assets` of debt with tokens pulled from the owner; `type(uint256).max` repays all.
    /// Works while paused. With no debt it does nothing (so "repay all" is always safe to send).
    function repay(uint256 assets) external onlyOwner nonReentrant returns (uint256 repaidAssets, uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        MarketParams memory params = marketParams();
        MORPHO().accrueInterest(params);
        (, uint256 debt) = _position();
        if (debt == 0) return (0, 0);
        bool all = assets >= debt;
        IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), all ? debt : assets);
        // Rounding can make the exact share repayment cost one unit less than `debt`: keep it as reserve.
        (repaidAssets, shares) = _repay(params, assets, all, "");
        emit Repaid(msg.sender, repaidAssets, shares);
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper mechanics
    // ------------------------------------------------------------------------------------------------

    function _accrue() internal override {
        MORPHO().accrueInterest(marketParams());
    }

    /// @dev Repays `required` (or the whole debt if that is less) through Morpho's repay callback, in
    /// which the collateral is sold; the callback must see proceeds >= required + fee.
    function _repayWithSale(
        Snapshot memory before,
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 required,
        uint256 keeperFee
    ) internal override returns (uint256 repaid, uint256 proceeds) {
        MarketParams memory params = marketParams();
        uint256 loanBefore = before.reserve;
        bytes memory data = abi.encode(collateralAmount, router, swapData, required + keeperFee, loanBefore);
        _callbackArmed = true;
        (repaid,) = _repay(params, required, required >= before.debt, data);
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

        (uint256 collateralAmount, address router, bytes memory swapData, uint256 requiredProceeds, uint256 loanBefore) =
            abi.decode(data, (uint256, address, bytes, uint256, uint256));

        MORPHO().withdrawCollateral(marketParams(), collateralAmount, address(this), address(this));

        IERC20 loan = IERC20(_loanToken());
        IERC20 coll = IERC20(_collateralToken());
        // The loan balance has not moved since the action's snapshot (Morpho pulls the repayment after this
        // callback), unless the market lends its own collateral token and the withdrawal just added to it.
        if (address(loan) == address(coll)) loanBefore = loan.balanceOf(address(this));

        // Collateral the router did not take goes back to the market, not to anyone.
        uint256 unsold = _sell(loan, coll, collateralAmount, router, swapData, requiredProceeds, loanBefore);
        if (unsold > 0) MORPHO().supplyCollateral(marketParams(), unsold, address(this), "");
    }

    function _supplyOwnCollateral(uint256 amount) internal override {
        MORPHO().supplyCollateral(marketParams(), amount, address(this), "");
    }

    function _withdrawCollateralTo(uint256 amount, address receiver) internal override {
        MORPHO().withdrawCollateral(marketParams(), amount, address(this), receiver);
    }

    function _repayFromReserve(uint256 amount, uint256 debt) internal override returns (uint256 repaid) {
        (repaid,) = _repay(marketParams(), amount, amount >= debt, "");
    }

    /// @dev Repays `assets` of the vault's debt, or all of it (`all`) by its borrow shares: repaying by shares
    /// closes the debt exactly, by assets it could round past it and revert. `data` goes to the repay callback.
    function _repay(MarketParams memory params, uint256 assets, bool all, bytes memory data)
        internal
        returns (uint256 repaidAssets, uint256 shares)
    {
        return MORPHO().repay(params, all ? 0 : assets, all ? _borrowShares() : 0, address(this), data);
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

    function _isForbiddenTarget(address target) internal view override returns (bool) {
        Args memory a = _args();
        return target == a.loanToken || target == a.collateralToken || target == address(a.morpho)
            || target == address(this) || target == a.oracle || target == address(0);
    }

    /// @dev The vault's collateral and debt (rounded up) in one read of Morpho's storage: the position's
    /// borrow shares and collateral share a slot (shares in the low 128 bits), as do the market's borrow totals.
    function _position() internal view override returns (uint256 collateral, uint256 debt) {
        Id id = Id.wrap(_marketId());
        bytes32[] memory slots = new bytes32[](2);
        slots[0] = MorphoStorageLib.positionBorrowSharesAndCollateralSlot(id, address(this));
        slots[1] = MorphoStorageLib.marketTotalBorrowAssetsAndSharesSlot(id);
        slots = MORPHO().extSloads(slots);
        uint256 pos = uint256(slots[0]);
        uint256 totals = uint256(slots[1]);
        collateral = pos >> 128;
        debt = uint256(uint128(pos)).toAssetsUp(uint128(totals), totals >> 128);
    }

    function _borrowShares() internal view returns (uint256) {
        return MORPHO().position(Id.wrap(_marketId()), address(this)).borrowShares;
    }

    // ------------------------------------------------------------------------------------------------
    // VaultCore's functions, declared here again
    // ------------------------------------------------------------------------------------------------
    // Solidity resolves `UnwindVault.f` (in `abi.encodeCall`, `.selector`) only for functions declared in
    // UnwindVault itself, not inherited ones. Callers of the Morpho vault have always written `UnwindVault.f`, so
    // the functions they name are re-declared: each is VaultCore's, through an internal jump (a few gas).

    function deleverage(
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 minRepaid,
        uint256 deadline,
        uint256 keeperFee
    ) public override returns (uint256 repaid, uint256 proceeds) {
        return super.deleverage(collateralAmount, router, swapData, minRepaid, deadline, keeperFee);
    }

    function topUp(uint256 amount, uint256 deadline, uint256 keeperFee) public override returns (uint256 repaid) {
        return super.topUp(amount, deadline, keeperFee);
    }

    function depositReserve(uint256 amount) public override {
        super.depositReserve(amount);
    }

    function withdrawReserve(uint256 amount, address receiver) public override {
        super.withdrawReserve(amount, receiver);
    }

    function sweep(address token, uint256 amount, address receiver) public override {
        super.sweep(token, amount, receiver);
    }

    function setPolicy(Policy calldata p) public override {
        super.setPolicy(p);
    }

    function setGuard(Guard calldata g) public override {
        super.setGuard(g);
    }

    function setKeeper(address keeper, bool allowed) public override {
        super.setKeeper(keeper, allowed);
    }

    function setRoute(address router, bytes4 selector, bool allowed) public override {
        super.setRoute(router, selector, allowed);
    }

    function setPaused(bool paused_) public override {
        super.setPaused(paused_);
    }

    function transferOwnership(address newOwner) public override {
        super.transferOwnership(newOwner);
    }

    function acceptOwnership(bool keepAccess) public override {
        super.acceptOwnership(keepAccess);
    }

    function policy() public view override returns (Policy memory p) {
        return super.policy();
    }

    function isRouteAllowed(address router, bytes4 selector) public view override returns (bool) {
        return super.isRouteAllowed(router, selector);
    }

    function reserve() public view override returns (uint256) {
        return super.reserve();
    }

    function state(address keeper) public view override returns (VaultState memory st) {
        return super.state(keeper);
    }
}
