// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IVaultOwner} from "./interfaces/IUnwindVault.sol";
import {ISharedReserve} from "./interfaces/ISharedReserve.sol";

/// @title SharedReserve
/// @notice One owner's reserve of loan tokens that several of the owner's vaults (Morpho or Aave: it only asks a vault
/// its `owner()`) may draw top-ups from. The owner gives each vault an allowance per token (`setLimit`), which each
/// draw spends; a vault draws only from inside a keeper's top-up, only the shortfall of its own reserve, and every
/// rule of the vault (trigger, fee cap, equity allowance, cooldown) binds that top-up. Anyone may deposit by a plain
/// transfer; only the owner withdraws.
///
/// A draw also requires the vault's owner to be this reserve's owner at that moment: a vault sold or transferred to
/// someone else cannot drain the old owner's reserve, whatever limit it was given. Limits are kept per owner, so a
/// transfer of the reserve itself starts the new owner with no limits at all.
contract SharedReserve is ISharedReserve, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    address public override owner;
    address public pendingOwner;
    /// @dev owner => vault => token => what the vault may still draw.
    mapping(address => mapping(address => mapping(address => uint256))) internal _limits;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event LimitSet(address indexed vault, address indexed token, uint256 amount);
    event Drawn(address indexed vault, address indexed token, uint256 amount, uint256 limitLeft);
    event Withdrawn(address indexed token, address indexed receiver, uint256 amount);

    error NotOwner();
    error ZeroAmount();
    error ZeroAddress();
    /// The calling vault's owner is not this reserve's owner (any more).
    error NotOwnersVault(address vault, address vaultOwner);
    error LimitExceeded(uint256 amount, uint256 limit);

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    constructor(address owner_) {
        if (owner_ == address(0)) revert ZeroAddress();
        owner = owner_;
        emit OwnershipTransferred(address(0), owner_);
    }

    // ------------------------------------------------------------------------------------------------
    // Owner
    // ------------------------------------------------------------------------------------------------

    /// @notice What `vault` may draw of `token` from now on (replacing the previous limit; 0 removes it).
    function setLimit(address vault, address token, uint256 amount) external onlyOwner {
        _limits[msg.sender][vault][token] = amount;
        emit LimitSet(vault, token, amount);
    }

    /// @notice Sends `amount` of `token` to `receiver`. The owner's money, whatever the limits say.
    function withdraw(address token, uint256 amount, address receiver) external onlyOwner nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        IERC20(token).safeTransfer(receiver, amount);
        emit Withdrawn(token, receiver, amount);
    }

    function transferOwnership(address newOwner) external onlyOwner {
        pendingOwner = newOwner;
        emit OwnershipTransferStarted(owner, newOwner);
    }

    function acceptOwnership() external {
        if (msg.sender != pendingOwner) revert NotOwner();
        emit OwnershipTransferred(owner, msg.sender);
        owner = msg.sender;
        pendingOwner = address(0);
    }

    // ------------------------------------------------------------------------------------------------
    // Vaults
    // ------------------------------------------------------------------------------------------------

    /// @notice Sends `amount` of `token` to the calling vault and spends that much of its limit. The caller must have
    /// the limit and must be owned by this reserve's owner now.
    function draw(address token, uint256 amount) external override nonReentrant {
        if (amount == 0) revert ZeroAmount();
        address owner_ = owner;
        uint256 limit_ = _limits[owner_][msg.sender][token];
        // The limit first: an address the owner never gave one is refused without being called.
        if (amount > limit_) revert LimitExceeded(amount, limit_);
        address vaultOwner = IVaultOwner(msg.sender).owner();
        if (vaultOwner != owner_) revert NotOwnersVault(msg.sender, vaultOwner);
        uint256 left = limit_ - amount;
        _limits[owner_][msg.sender][token] = left;
        IERC20(token).safeTransfer(msg.sender, amount);
        emit Drawn(msg.sender, token, amount, left);
    }

    // ------------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------------

    /// @notice What `vault` may still draw of `token` under the current owner.
    function limit(address vault, address token) external view returns (uint256) {
        return _limits[owner][vault][token];
    }

    /// @notice What `vault` could draw of `token` now: its limit or the balance, whichever is less. (A draw also needs
    /// the vault's owner to be this reserve's.)
    function available(address vault, address token) external view override returns (uint256) {
        return Math.min(_limits[owner][vault][token], IERC20(token).balanceOf(address(this)));
    }
}
