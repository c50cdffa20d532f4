// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

/// @title ForkOracle
/// @notice The code `unwind devnet --fork` puts at a real Morpho market's oracle address on a local fork of a chain,
/// so that `unwind devnet price` can move that market's price while its pools and liquidity stay the chain's own.
/// The price is storage slot 0 and there is no setter: only a local node's `anvil_setStorageAt` writes it. It is
/// never deployed: it exists only as code a local fork's node is told to run at an address.
contract ForkOracle is IOracle {
    /// Loan-token base units per collateral base unit, x 1e36 (Morpho's oracle scale). Storage slot 0.
    uint256 public override price;
}
