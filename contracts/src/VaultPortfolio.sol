// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {IUnwindVault, SoftTrigger} from "./interfaces/IUnwindVault.sol";
import {IVaultPortfolio, IVaultPortfolioHooks} from "./interfaces/IVaultPortfolio.sol";
import {ISharedReserve} from "./interfaces/ISharedReserve.sol";
import {LtvMath} from "./libraries/LtvMath.sol";
import {VaultStorage} from "./VaultStorage.sol";

/// @title VaultPortfolio
/// @notice The owner's portfolio functions of every Unwind vault: the link to the owner's shared reserve, and
/// collateral moves between two of the owner's vaults on the same collateral token. This code only ever runs on a
/// vault's storage, by `delegatecall` from VaultCore's fallback (the Morpho vault has no room for it under
/// EIP-170); deployed alone, its owner is itself and every function refuses.
///
/// A move is keeper work that costs the owner nothing: collateral leaves one position and enters another of the
/// same owner, nothing is swapped, nobody is paid, so the owner's equity at the oracle price does not change. What
/// it can do wrong is leave the source unsafe or feed a vault that does not need it, so: both vaults list each
/// other, each checks at the move that the other has its owner and collateral token now, the source ends strictly
/// under its own trigger (at its oracle price, the price guard passing), the destination starts at or over its
/// trigger (or in its soft zone) and ends at a lower LTV, and one move takes at most the owner's cap of the source's
/// collateral. A hostile keeper can at most move collateral toward an owner's vault that needs it, until the
/// source is just under its trigger, which is where the owner said it may be.
///
/// Protocol work (accrual, position, price, supply, withdraw) goes through the vault's `portfolio*` functions, which
/// only the vault itself may call, so this code is the same for every protocol.
contract VaultPortfolio is VaultStorage, ReentrancyGuardTransient, IVaultPortfolio {
    using SafeERC20 for IERC20;
    using EnumerableSet for EnumerableSet.AddressSet;
    using EnumerableSet for EnumerableSet.Bytes32Set;

    uint256 internal constant MAX_MOVE_PEERS = 16;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    modifier onlyOwner() {
        if (msg.sender != owner) revert IUnwindVault.NotOwner();
        _;
    }

    /// @dev Alone, this contract is nobody's vault.
    constructor() {
        owner = address(this);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner
    // ------------------------------------------------------------------------------------------------

    /// @notice Links the owner's shared reserve (see SharedReserve), from which a top-up draws what the vault's own
    /// reserve lacks; 0 unlinks. The reserve must be owned by this vault's owner now; the reserve checks it again at
    /// every draw, and the link is cleared at an ownership transfer.
    function setSharedReserve(address reserve_) external onlyOwner nonReentrant {
        if (reserve_ == address(this)) revert IUnwindVault.SharedReserveNotOwned(reserve_);
        if (reserve_ != address(0) && ISharedReserve(reserve_).owner() != owner) {
            revert IUnwindVault.SharedReserveNotOwned(reserve_);
        }
        _sharedReserve = reserve_;
        emit IUnwindVault.SharedReserveSet(reserve_);
    }

    /// @notice Lists (or unlists) `peer` as a vault this one may send collateral to and accept collateral from. Both
    /// ends must list each other. At most 16; cleared at an ownership transfer unless the new owner keeps access.
    function setMovePeer(address peer, bool allowed) external onlyOwner nonReentrant {
        if (allowed) {
            if (peer == address(this) || peer == address(0)) revert IUnwindVault.ForbiddenTarget(peer);
            if (_movePeers.add(peer) && _movePeers.length() > MAX_MOVE_PEERS) {
                revert IUnwindVault.TooManyEntries(MAX_MOVE_PEERS);
            }
        } else {
            _movePeers.remove(peer);
        }
        emit IUnwindVault.MovePeerSet(peer, allowed);
    }

    /// @notice Most collateral one move may take out of this vault, as a share of its collateral; 0 turns moves out
    /// of it off (the default).
    function setMoveCap(uint16 maxMoveBps_) external onlyOwner nonReentrant {
        if (maxMoveBps_ > LtvMath.BPS) revert IUnwindVault.InvalidPolicy("move cap must be <= 100%");
        _maxMoveBps = maxMoveBps_;
        emit IUnwindVault.MoveCapSet(maxMoveBps_);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner: VaultCore's functions it has no room for (VaultCore declares them and runs this code)
    // ------------------------------------------------------------------------------------------------

    /// @notice Sets the soft trigger (0, 0 = off). From `softTriggerLtvBps` up to the policy's trigger, keepers
    /// may act early, with a complete deleverage only: the action must end at or under the target LTV.
    ///
    /// Why a complete deleverage: the chain cannot check the keeper's reason to act early (its probability of
    /// liquidation before an exit completes, bounded by `maxLiquidationProbabilityBps`, which the vault only
    /// stores for it). An early action that ends at the target leaves exactly the state a hard-trigger action
    /// would, which the owner accepts by setting the soft trigger. A partial early action would start the
    /// cooldown with the position still high and could keep honest keepers out when the trigger is crossed:
    /// a griefing vector this rule closes.
    function setSoftTrigger(uint16 softTriggerLtvBps, uint16 maxLiquidationProbabilityBps)
        external
        onlyOwner
        nonReentrant
    {
        if (softTriggerLtvBps == 0) {
            if (maxLiquidationProbabilityBps != 0) revert IUnwindVault.InvalidPolicy("probability must be 0 without a soft trigger");
        } else {
            Settings memory s = _settings;
            if (s.triggerLtvBps == 0) revert IUnwindVault.InvalidPolicy("soft trigger needs a policy");
            if (softTriggerLtvBps <= s.targetLtvBps) revert IUnwindVault.InvalidPolicy("soft trigger must be > target");
            if (softTriggerLtvBps >= s.triggerLtvBps) revert IUnwindVault.InvalidPolicy("soft trigger must be < trigger");
            if (maxLiquidationProbabilityBps == 0 || maxLiquidationProbabilityBps >= LtvMath.BPS) {
                revert IUnwindVault.InvalidPolicy("probability must be in (0, 100%)");
            }
        }
        _softTrigger = SoftTrigger(softTriggerLtvBps, maxLiquidationProbabilityBps);
        emit IUnwindVault.SoftTriggerSet(softTriggerLtvBps, maxLiquidationProbabilityBps);
    }

    function transferOwnership(address newOwner) external onlyOwner nonReentrant {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    /// @notice Takes the ownership offered by `transferOwnership`. The new owner says explicitly whether the
    /// keepers, routes and move peers the previous owner allowed stay allowed (`keepAccess`) or are all removed,
    /// each removal with its own event; the policy, soft trigger, guard, move cap and pause are the position's and
    /// stay. The shared reserve link is always cleared.
    function acceptOwnership(bool keepAccess) external nonReentrant {
        if (msg.sender != pendingOwner) revert IUnwindVault.NotOwner();
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
        uint256 keeperCount = _keepers.length();
        uint256 routeCount = _routes.length();
        if (!keepAccess) {
            for (uint256 i = keeperCount; i > 0; i--) {
                address k = _keepers.at(i - 1);
                _keepers.remove(k);
                emit IUnwindVault.KeeperSet(k, false);
            }
            for (uint256 i = routeCount; i > 0; i--) {
                bytes32 key = _routes.at(i - 1);
                _routes.remove(key);
                emit IUnwindVault.RouteSet(address(uint160(uint256(key) >> 96)), bytes4(uint32(uint256(key))), false);
            }
            for (uint256 i = _movePeers.length(); i > 0; i--) {
                address peer = _movePeers.at(i - 1);
                _movePeers.remove(peer);
                emit IUnwindVault.MovePeerSet(peer, false);
            }
        }
        // The reserve is the previous owner's money: the new owner links their own. (Its draws also require the
        // vault's owner to be the reserve's, so the link could not be used anyway; clearing it says so.)
        if (_sharedReserve != address(0)) {
            _sharedReserve = address(0);
            emit IUnwindVault.SharedReserveSet(address(0));
        }
        emit IUnwindVault.AccessHandedOver(msg.sender, keepAccess, keeperCount, routeCount);
    }

    // ------------------------------------------------------------------------------------------------
    // Keeper: the source of a move
    // ------------------------------------------------------------------------------------------------

    /// @notice Moves `amount` of collateral from this vault's position to the peer `to`, instead of a sale. Keeper or
    /// owner, not paused, before `deadline`, with a policy and out of the cooldown, like any keeper action; the price
    /// guard must pass. `to` must be a listed peer with this vault's owner and collateral token, `amount` at most the
    /// move cap's share of this vault's collateral, and this vault must end strictly under its own trigger at its
    /// oracle price. `to.receiveCollateral` pulls exactly `amount` and refuses unless `to` needs it.
    /// Neither vault's cooldown or rate limit is started or counted: a move costs the owner nothing.
    function moveCollateral(address to, uint256 amount, uint256 deadline) external nonReentrant {
        Settings memory s = _checkKeeperCall(deadline);
        if (amount == 0) revert IUnwindVault.ZeroAmount();
        _requireMovePeer(to);
        IVaultPortfolioHooks self = IVaultPortfolioHooks(address(this));
        (uint256 collateral, uint256 debt, uint256 price) = self.portfolioPosition();
        uint256 maxMove = collateral * _maxMoveBps / LtvMath.BPS;
        if (amount > maxMove) revert IUnwindVault.MoveTooLarge(amount, maxMove);

        self.portfolioWithdrawCollateral(amount);
        IERC20 coll = IERC20(_collateralToken());
        coll.forceApprove(to, amount);
        IVaultPortfolio(to).receiveCollateral(amount);
        // The destination must have taken exactly what was offered: nothing stays loose here or approved to it.
        if (coll.allowance(address(this), to) != 0) revert IUnwindVault.MoveNotReceived(to);

        (uint256 collateralAfter, uint256 debtAfter,) = self.portfolioPosition();
        // Judged at the price the move started at, like every keeper action.
        uint256 ltvAfter = LtvMath.ltv(collateralAfter, debtAfter, price);
        uint256 trigger = LtvMath.bpsToWad(s.triggerLtvBps);
        if (ltvAfter >= trigger) revert IUnwindVault.WouldTrigger(ltvAfter, trigger);
        emit IUnwindVault.CollateralMoved(msg.sender, to, amount, LtvMath.ltv(collateral, debt, price), ltvAfter);
    }

    // ------------------------------------------------------------------------------------------------
    // Peer: the destination of a move
    // ------------------------------------------------------------------------------------------------

    /// @notice The destination's half of a move, called by the source from inside its `moveCollateral`: the caller
    /// must be a listed peer with this vault's owner and collateral token; this vault must not be paused, must have a
    /// policy and be at or over its trigger (or at or over its soft trigger when one is set), with the price guard
    /// passing: moves go to vaults that need them. Pulls `amount` from the caller, supplies it and requires LTV to
    /// go down. The soft zone's complete-deleverage rule does not apply: it exists because a partial sale starts the
    /// cooldown, which a move never does.
    function receiveCollateral(uint256 amount) external nonReentrant {
        _requireMovePeer(msg.sender);
        Settings memory s = _settings;
        if (s.paused) revert IUnwindVault.IsPaused();
        if (s.triggerLtvBps == 0) revert IUnwindVault.PolicyNotSet();
        IVaultPortfolioHooks self = IVaultPortfolioHooks(address(this));
        (uint256 collateral, uint256 debt, uint256 price) = self.portfolioPosition();
        uint256 ltvBefore = LtvMath.ltv(collateral, debt, price);
        uint256 trigger = LtvMath.bpsToWad(s.triggerLtvBps);
        if (ltvBefore < trigger) {
            uint256 soft = _softTrigger.softTriggerLtvBps;
            if (soft == 0 || ltvBefore < LtvMath.bpsToWad(soft)) revert IUnwindVault.BelowTrigger(ltvBefore, trigger);
        }

        IERC20(_collateralToken()).safeTransferFrom(msg.sender, address(this), amount);
        self.portfolioSupplyCollateral(amount);

        (collateral, debt,) = self.portfolioPosition();
        uint256 ltvAfter = LtvMath.ltv(collateral, debt, price);
        if (ltvAfter >= ltvBefore) revert IUnwindVault.NotDeleveraged(ltvBefore, ltvAfter);
        emit IUnwindVault.CollateralReceived(msg.sender, amount, ltvBefore, ltvAfter);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice The position with interest accrued to the block and the oracle price, which must pass the price guard,
    /// for the owner's contracts that bound themselves by this vault (the hedge). Not during one of this vault's own
    /// actions (a router cannot read a position halfway through a sale).
    function position() external nonReentrant returns (uint256 collateral, uint256 debt, uint256 price) {
        return IVaultPortfolioHooks(address(this)).portfolioPosition();
    }

    function sharedReserve() external view returns (address) {
        return _sharedReserve;
    }

    /// @notice What a top-up can spend now (its amount plus the keeper's fee): the vault's own reserve plus what the
    /// shared reserve would give it (nothing from a reserve that is no longer its owner's).
    function topUpAvailable() external view returns (uint256 amount) {
        address token = _loanToken();
        amount = IERC20(token).balanceOf(address(this));
        address shared = _sharedReserve;
        if (shared != address(0) && ISharedReserve(shared).owner() == owner) {
            amount += ISharedReserve(shared).available(address(this), token);
        }
    }

    function maxMoveBps() external view returns (uint16) {
        return _maxMoveBps;
    }

    function isMovePeer(address peer) external view returns (bool) {
        return _movePeers.contains(peer);
    }

    function movePeers() external view returns (address[] memory) {
        return _movePeers.values();
    }

    // ------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------

    /// @dev The checks every keeper action starts with (VaultCore's `_checkKeeperCall`).
    function _checkKeeperCall(uint256 deadline) internal view returns (Settings memory s) {
        if (!_keepers.contains(msg.sender) && msg.sender != owner) revert IUnwindVault.NotKeeper();
        s = _settings;
        if (s.paused) revert IUnwindVault.IsPaused();
        if (block.timestamp > deadline) revert IUnwindVault.Expired();
        if (s.triggerLtvBps == 0) revert IUnwindVault.PolicyNotSet();
        if (s.cooldown != 0 && block.timestamp < uint256(s.lastActionAt) + s.cooldown) {
            revert IUnwindVault.CoolingDown(uint256(s.lastActionAt) + s.cooldown);
        }
    }

    /// @dev Both ends of a move: `peer` is listed here and has, now and not only when it was listed, this vault's
    /// owner and collateral token. A peer transferred to someone else, or a contract the owner never listed that
    /// claims to be a vault, is refused.
    function _requireMovePeer(address peer) internal view {
        if (
            !_movePeers.contains(peer) || IUnwindVault(peer).owner() != owner
                || IUnwindVault(peer).marketParams().collateralToken != _collateralToken()
        ) revert IUnwindVault.NotMovePeer(peer);
    }
}
