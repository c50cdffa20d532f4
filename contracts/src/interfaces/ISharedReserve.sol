// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What a vault needs of its owner's shared reserve (see SharedReserve).
interface ISharedReserve {
    function owner() external view returns (address);
    /// Sends `amount` of `token` to the calling vault, within the limit its owner set for it.
    function draw(address token, uint256 amount) external;
    /// min(the vault's limit for `token`, the reserve's balance of it).
    function available(address vault, address token) external view returns (uint256);
}
