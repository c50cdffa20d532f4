// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {SoftTrigger, IVaultOwner} from "./interfaces/IUnwindVault.sol";

/// @title VaultStorage
/// @notice The storage of every Unwind vault and how a clone reads its immutable arguments, shared by the two codes
/// that run on a vault: `VaultCore` (with its protocol vault) and `VaultPortfolio` (the shared reserve and collateral
/// moves, reached through VaultCore's fallback because the Morpho vault has no room left for them under EIP-170).
/// Declaring the layout once, here, is what lets both run on the same slots.
///
/// The state variables are in the order the first (Morpho) vault had them, so that its layout has never moved;
/// new ones are only appended.
abstract contract VaultStorage is IVaultOwner {
    /// @dev Each vault is a minimal proxy (EIP-1167) of one implementation, created by a factory with its
    /// market as immutable arguments appended to its code (OpenZeppelin Clones): a vault costs ~0.2M gas to
    /// create instead of a full contract's ~4M, which matters for small positions. Every protocol's arguments
    /// start with the same three words (loan token, collateral token, the Morpho-style oracle); the rest are the
    /// protocol vault's own.
    uint256 internal constant ARG_LOAN_TOKEN = 0;
    uint256 internal constant ARG_COLLATERAL_TOKEN = 1;
    uint256 internal constant ARG_ORACLE = 2;
    /// @dev Where the arguments start in a clone's code: after the 45-byte EIP-1167 body.
    uint256 internal constant ARGS_OFFSET = 0x2d;

    /// @dev The policy and the runtime fields keepers touch (cooldown and rate-limit window) share one slot, so
    /// an action reads and writes a single word of it; the guard is a second word, only read by keepers.
    struct Settings {
        uint16 triggerLtvBps;
        uint16 targetLtvBps;
        uint16 bandBps;
        uint16 maxSlippageBps;
        uint16 maxFeeBps;
        uint16 maxSellBps;
        uint24 cooldown;
        uint48 maxGasPrice;
        uint32 lastActionAt;
        uint32 windowStart;
        uint16 windowSoldBps;
        bool paused;
    }

    struct GuardSettings {
        address priceFeed;
        uint32 maxPriceAge;
        uint16 maxPriceDeviationBps;
        /// Feed answer x 10^feedScale (or / 10^-feedScale) is a Morpho oracle price (loan per collateral, 1e36).
        int8 feedScale;
        uint24 sellWindow;
        uint16 maxWindowSellBps;
    }

    Settings internal _settings;
    GuardSettings internal _guard;
    /// @dev The implementation's owner is the implementation itself, so that nobody can initialize or use it.
    address public override owner;
    address public pendingOwner;
    EnumerableSet.AddressSet internal _keepers;
    /// @dev A route is the router's address in the high 160 bits and the selector in the low 32.
    EnumerableSet.Bytes32Set internal _routes;
    /// @dev Its own slot, read only by actions that start under the trigger: the hard path never touches it.
    SoftTrigger internal _softTrigger;
    /// @dev Appended after the first vault's storage (issue 15). The owner's shared reserve (0 = none), cleared at
    /// an ownership transfer, and the per-move cap share a slot; the move peers follow.
    address internal _sharedReserve;
    uint16 internal _maxMoveBps;
    EnumerableSet.AddressSet internal _movePeers;

    /// @dev Word `i` of the immutable arguments in this clone's code.
    function _arg(uint256 i) internal view returns (uint256 v) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            extcodecopy(address(), ptr, add(ARGS_OFFSET, mul(i, 0x20)), 0x20)
            v := mload(ptr)
        }
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
}
