// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultCore} from "./VaultCore.sol";
import {LtvMath} from "./libraries/LtvMath.sol";
import {IAavePool, IFlashLoanSimpleReceiver, AaveReserveConfig} from "./interfaces/IAaveV3.sol";
import {AaveOracleAdapter} from "./oracle/AaveOracleAdapter.sol";

/// @title AaveVault
/// @notice One owner's position on an Aave V3 pool: one collateral asset (held as its aToken) and variable debt
/// in one loan asset, with every rule of `VaultCore` and the Morpho vault's keeper ABI. The market's price is the
/// Aave oracle's, through an `AaveOracleAdapter`; its liquidation LTV is the collateral's live liquidation
/// threshold (the e-mode category's when the vault is in one and the collateral belongs to it).
///
/// A sale takes the cheapest correct path. Aave refuses a withdrawal that would take the health factor under 1,
/// so when the position stays healthy without the collateral sold, the vault withdraws it, sells it and repays
/// (direct). Otherwise it flash-borrows the repayment (`flashLoanSimple`), repays, withdraws, sells, and the pool
/// pulls the loan back with its premium (flash). The premium is the owner's cost: the sale's proceeds must cover
/// it on top of the required repayment and the keeper fee, so it counts in the bound on the owner's equity.
///
/// Not supported (refused by the factory or never used): isolation-mode collateral, siloed borrowing, stable-rate
/// debt (the vault only borrows at the variable rate, mode 2), e-mode categories with their own price source, and
/// a market lending its own collateral asset. Built against Aave v3.0.x (core 1.19.3): see docs/VAULT.md for
/// what v3.1+ changes.
contract AaveVault is VaultCore, IFlashLoanSimpleReceiver {
    using SafeERC20 for IERC20;
    using AaveReserveConfig for uint256;

    /// @dev Word i of the immutable arguments, after VaultCore's three (loan token, collateral token, adapter).
    uint256 private constant ARG_POOL = 3;
    uint256 private constant ARG_EMODE = 4;
    uint256 private constant ARG_A_TOKEN = 5;
    uint256 private constant ARG_DEBT_TOKEN = 6;
    uint256 private constant ARG_MARKET_ID = 7;

    /// @dev Aave's variable interest rate mode.
    uint256 private constant VARIABLE = 2;
    /// @dev The direct path needs the health factor after the withdrawal to be at least 1 + 1/10,000, not 1: Aave
    /// computes it in its base currency with its own rounding, and a direct sale refused by Aave would waste the
    /// keeper's transaction. Positions this close to 1 take the flash path, which is always correct.
    uint256 private constant DIRECT_MARGIN_BPS = 1;

    /// @dev The flash path's premium and repayment, from the pool's callback to the action's accounting.
    uint256 private transient _flashPremium;
    uint256 private transient _flashRepaid;

    error NotPool();

    /// @dev What the flash path's callback needs, passed through the pool as the flash loan's params.
    struct FlashSale {
        uint256 collateralAmount;
        address router;
        bytes swapData;
        /// Required repayment plus the keeper fee; the callback adds the premium.
        uint256 requiredProceeds;
        /// The vault's loan balance before the action.
        uint256 loanBefore;
        /// Repay the whole debt (by `type(uint256).max`).
        bool all;
    }

    function POOL() public view returns (IAavePool) {
        return IAavePool(address(uint160(_arg(ARG_POOL))));
    }

    /// @notice The Aave e-mode category the vault entered at creation (0 = none).
    function eModeCategory() public view returns (uint8) {
        return uint8(_arg(ARG_EMODE));
    }

    function aToken() public view returns (address) {
        return address(uint160(_arg(ARG_A_TOKEN)));
    }

    function variableDebtToken() public view returns (address) {
        return address(uint160(_arg(ARG_DEBT_TOKEN)));
    }

    function _marketId() internal view override returns (bytes32) {
        return bytes32(_arg(ARG_MARKET_ID));
    }

    function _initializeMarket() internal override {
        // The pool only pulls what this vault asks it to (supply, repay) and the flash loans this vault takes.
        IAavePool pool = POOL();
        IERC20(_loanToken()).forceApprove(address(pool), type(uint256).max);
        IERC20(_collateralToken()).forceApprove(address(pool), type(uint256).max);
        uint8 category = eModeCategory();
        if (category != 0) pool.setUserEMode(category);
    }

    /// @dev The collateral's liquidation threshold now (Aave governance can change it), x 1e14: the e-mode
    /// category's when the vault is in one and the collateral belongs to it, as Aave's health factor uses.
    function _lltvWad() internal view override returns (uint256) {
        return _liquidationThresholdBps(POOL()) * LtvMath.BPS_TO_WAD;
    }

    function _liquidationThresholdBps(IAavePool pool) internal view returns (uint256) {
        uint256 config = pool.getConfiguration(_collateralToken());
        uint256 category = eModeCategory();
        if (category != 0 && config.eModeCategory() == category) {
            return pool.getEModeCategoryData(uint8(category)).liquidationThreshold;
        }
        return config.liquidationThreshold();
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: position
    // ------------------------------------------------------------------------------------------------

    /// @notice Pulls `amount` collateral from the owner and supplies it to the pool for this vault.
    function supplyCollateral(uint256 amount) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        IERC20(_collateralToken()).safeTransferFrom(msg.sender, address(this), amount);
        _supplyOwnCollateral(amount);
        emit CollateralSupplied(msg.sender, amount);
    }

    /// @notice Withdraws collateral to `receiver` (`type(uint256).max`: all of it). Works while paused; the pool
    /// checks health. Refused, like `borrow`, if it would leave a position with debt at or above the trigger.
    function withdrawCollateral(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 withdrawn = POOL().withdraw(_collateralToken(), amount, receiver);
        _checkUnderTrigger();
        emit CollateralWithdrawn(receiver, withdrawn);
    }

    /// @notice Borrows `amount` at the variable rate and sends it to `receiver`. Refused if it would put the
    /// position at or above the trigger: that would hand the collateral to the keepers at once.
    function borrow(uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        POOL().borrow(_loanToken(), amount, VARIABLE, 0, address(this));
        IERC20(_loanToken()).safeTransfer(receiver, amount);
        _checkUnderTrigger();
        emit Borrowed(receiver, amount);
    }

    /// @notice As VaultCore's, and when the token is the collateral's aToken (a transfer of the position's own
    /// collateral, which Aave allows while HF stays >= 1), with the same trigger check as `withdrawCollateral`.
    function sweep(address token, uint256 amount, address receiver) public override {
        super.sweep(token, amount, receiver);
        if (token == aToken()) _checkUnderTrigger();
    }

    /// @notice Repays `assets` of debt with tokens pulled from the owner; `type(uint256).max` (or anything over
    /// the debt) repays all of it. Works while paused. With no debt it does nothing. Aave has no borrow shares:
    /// `shares` is always 0.
    function repay(uint256 assets) external onlyOwner nonReentrant returns (uint256 repaidAssets, uint256 shares) {
        if (assets == 0) revert ZeroAmount();
        (, uint256 debt) = _position();
        if (debt == 0) return (0, 0);
        bool all = assets >= debt;
        IERC20(_loanToken()).safeTransferFrom(msg.sender, address(this), all ? debt : assets);
        // `type(uint256).max`: the whole variable debt at this block, which is `debt`.
        repaidAssets = _repay(POOL(), all ? type(uint256).max : assets);
        emit Repaid(msg.sender, repaidAssets, 0);
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper mechanics
    // ------------------------------------------------------------------------------------------------

    /// @dev Aave's balances accrue to the block when read: nothing to call.
    function _accrue() internal override {}

    /// @dev Repays `required` (the whole debt if that is less) with the sale of `collateralAmount`: directly when
    /// the position stays healthy without that collateral, through a flash loan otherwise.
    function _repayWithSale(
        Snapshot memory before,
        uint256 collateralAmount,
        address router,
        bytes calldata swapData,
        uint256 required,
        uint256 keeperFee
    ) internal override returns (uint256 repaid, uint256 proceeds) {
        IAavePool pool = POOL();
        FlashSale memory f = FlashSale(
            collateralAmount, router, swapData, required + keeperFee, before.reserve, required >= before.debt
        );
        uint256 premium;
        if (_directKeepsHealthy(pool, before, collateralAmount)) {
            repaid = _directSale(pool, f, required);
        } else {
            (repaid, premium) = _flashLoanSale(pool, f, f.all ? before.debt : required);
        }
        // Change of the loan balance over the sale (the fee is not paid yet) = proceeds - repaid - premium.
        proceeds = IERC20(_loanToken()).balanceOf(address(this)) + repaid + premium - f.loanBefore;
    }

    /// @dev The flash path: borrows `amount` (the repayment) from the pool, which calls back `executeOperation`.
    function _flashLoanSale(IAavePool pool, FlashSale memory f, uint256 amount)
        internal
        returns (uint256 repaid, uint256 premium)
    {
        _callbackArmed = true;
        pool.flashLoanSimple(address(this), _loanToken(), amount, abi.encode(f), 0);
        if (_callbackArmed) revert UnexpectedCallback(); // the pool must have called back exactly once
        (repaid, premium) = (_flashRepaid, _flashPremium);
    }

    /// @dev The direct path: withdraw, sell, repay `required` (all of the debt if `f.all`), put back what the router
    /// left.
    function _directSale(IAavePool pool, FlashSale memory f, uint256 required) internal returns (uint256 repaid) {
        uint256 unsold = _withdrawAndSell(pool, f);
        // `type(uint256).max` repays exactly the debt at this block (by assets it could pass it and revert).
        repaid = _repay(pool, f.all ? type(uint256).max : required);
        _supplyUnsold(pool, unsold);
    }

    /// @dev Whether the health factor stays >= 1 + DIRECT_MARGIN_BPS / 10,000 with `collateralAmount` withdrawn
    /// and nothing repaid yet, at the live liquidation threshold and the action's price.
    function _directKeepsHealthy(IAavePool pool, Snapshot memory before, uint256 collateralAmount)
        internal
        view
        returns (bool)
    {
        if (collateralAmount >= before.collateral) return false;
        uint256 valueLeft = LtvMath.collateralValue(before.collateral - collateralAmount, before.price);
        return valueLeft * _liquidationThresholdBps(pool) >= before.debt * (LtvMath.BPS + DIRECT_MARGIN_BPS);
    }

    /// @notice The pool calls this from inside this vault's own `flashLoanSimple`, with the loan in the vault;
    /// after it returns, the pool pulls `amount + premium`. Only then, and only once, may collateral move to the
    /// router. A call from anyone but the pool, for a flash loan anyone but this vault started, or outside this
    /// vault's own deleverage, is refused.
    function executeOperation(address, uint256 amount, uint256 premium, address initiator, bytes calldata params)
        external
        override
        returns (bool)
    {
        IAavePool pool = POOL();
        if (msg.sender != address(pool)) revert NotPool();
        if (initiator != address(this) || !_callbackArmed) revert UnexpectedCallback();
        _callbackArmed = false;

        FlashSale memory f = abi.decode(params, (FlashSale));
        // The premium is part of what the sale must bring.
        f.requiredProceeds += premium;
        _flashSale(pool, f, amount);
        _flashPremium = premium;
        return true;
    }

    /// @dev The flash path with the loan in the vault: repay, withdraw, sell, put back what the router left.
    function _flashSale(IAavePool pool, FlashSale memory f, uint256 amount) internal {
        uint256 repaid = _repay(pool, f.all ? type(uint256).max : amount);
        // What is left of the flash loan after the repayment (nothing: the loan is exactly the repayment) counts in
        // the balance the sale starts from.
        f.loanBefore += amount - repaid;
        _supplyUnsold(pool, _withdrawAndSell(pool, f));
        _flashRepaid = repaid;
    }

    function _repayFromReserve(uint256 amount, uint256 debt) internal override returns (uint256 repaid) {
        repaid = _repay(POOL(), amount >= debt ? type(uint256).max : amount);
    }

    /// @dev Repays `amount` of this vault's variable debt (`type(uint256).max`: all of it) from its loan balance.
    function _repay(IAavePool pool, uint256 amount) internal returns (uint256) {
        return pool.repay(_loanToken(), amount, VARIABLE, address(this));
    }

    /// @dev Supplies collateral this vault holds to the pool on its own behalf (the pool was approved at
    /// initialization): the owner's `supplyCollateral` and the destination of a move.
    function _supplyOwnCollateral(uint256 amount) internal override {
        POOL().supply(_collateralToken(), amount, address(this), 0);
    }

    /// @dev Withdraws collateral from the pool to `receiver`: the source of a move (to itself). Aave refuses a
    /// withdrawal that would take the health factor under 1. The owner's `withdrawCollateral` calls the pool
    /// directly, for the amount withdrawn that its event reports (`type(uint256).max` is all of it).
    function _withdrawCollateralTo(uint256 amount, address receiver) internal override {
        POOL().withdraw(_collateralToken(), amount, receiver);
    }

    /// @dev Withdraws the collateral to sell and sells it (see `_sell`); returns what the router did not take.
    function _withdrawAndSell(IAavePool pool, FlashSale memory f) internal returns (uint256 unsold) {
        IERC20 coll = IERC20(_collateralToken());
        pool.withdraw(address(coll), f.collateralAmount, address(this));
        unsold = _sell(
            IERC20(_loanToken()), coll, f.collateralAmount, f.router, f.swapData, f.requiredProceeds, f.loanBefore
        );
    }

    /// @dev Supplies back the collateral the router did not take.
    function _supplyUnsold(IAavePool pool, uint256 unsold) internal {
        if (unsold > 0) pool.supply(_collateralToken(), unsold, address(this), 0);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The Morpho-shaped description every Unwind reader understands: the tokens, the oracle adapter,
    /// `irm` = the Aave pool (which marks an Aave vault) and `lltv` = the live liquidation threshold (WAD).
    function marketParams() public view override returns (MarketParams memory params) {
        assembly ("memory-safe") {
            extcodecopy(address(), params, ARGS_OFFSET, 0x80)
        }
        params.lltv = _lltvWad();
    }

    /// @dev The tokens, both of the position's Aave tokens, the pool, the adapter and the Aave oracle behind it,
    /// this vault and address(0): a router or feed that is one of them could move or misprice the position.
    function _isForbiddenTarget(address target) internal view override returns (bool) {
        return target == _loanToken() || target == _collateralToken() || target == aToken()
            || target == variableDebtToken() || target == address(POOL()) || target == _oracle()
            || target == address(this) || target == address(0)
            || target == address(AaveOracleAdapter(_oracle()).ORACLE());
    }

    /// @dev The aToken and variable-debt-token balances: both accrue to the block when read, the debt rounded up
    /// by Aave (rayMul half-up of the scaled balance).
    function _position() internal view override returns (uint256 collateral, uint256 debt) {
        collateral = IERC20(aToken()).balanceOf(address(this));
        debt = IERC20(variableDebtToken()).balanceOf(address(this));
    }
}
