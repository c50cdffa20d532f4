// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice An owner's vaults as one portfolio (issue 15): a shared reserve for top-ups and collateral moved between
/// the owner's vaults instead of sold. Every Unwind vault (Morpho and Aave) answers these, through VaultCore's
/// fallback into `VaultPortfolio`. Events and errors are IUnwindVault's.
interface IVaultPortfolio {
    // ---- owner ----

    /// Links the owner's shared reserve (0 unlinks); its `owner()` must be this vault's owner.
    function setSharedReserve(address reserve) external;

    /// Lists (or unlists) `peer` as a vault this one may send collateral to and accept collateral from.
    function setMovePeer(address peer, bool allowed) external;

    /// Most collateral one move may take out of this vault, as a share of its collateral (0 = moves off).
    function setMoveCap(uint16 maxMoveBps) external;

    // ---- keeper ----

    /// Moves `amount` of collateral from this vault's position to the listed peer `to` (same owner, same collateral
    /// token), which must be at or over its trigger (or in its soft zone); this vault must end under its own trigger.
    function moveCollateral(address to, uint256 amount, uint256 deadline) external;

    // ---- peer ----

    /// Called by a listed peer from inside its `moveCollateral`: pulls `amount` of collateral from it and supplies it.
    function receiveCollateral(uint256 amount) external;

    // ---- views ----

    /// The position with interest accrued and the oracle price (which must pass the price guard); for the owner's
    /// hedge. Refused during one of this vault's own actions.
    function position() external returns (uint256 collateral, uint256 debt, uint256 price);

    function sharedReserve() external view returns (address);

    /// What a top-up can spend now (amount + fee): the vault's own reserve plus what the shared reserve would give.
    function topUpAvailable() external view returns (uint256);

    function maxMoveBps() external view returns (uint16);

    function isMovePeer(address peer) external view returns (bool);

    function movePeers() external view returns (address[] memory);
}

/// @notice The vault functions only the vault's own portfolio code calls (the vault calling itself); see VaultCore.
interface IVaultPortfolioHooks {
    function portfolioPosition() external returns (uint256 collateral, uint256 debt, uint256 price);
    function portfolioSupplyCollateral(uint256 amount) external;
    function portfolioWithdrawCollateral(uint256 amount) external;
}
