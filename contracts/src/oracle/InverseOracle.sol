// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

/// @title InverseOracle
/// @notice A Morpho Blue `IOracle` for the reverse market of another one: where `BASE` prices collateral C in loan
/// token L (L base units per C base unit, scaled by 1e36), this prices L in C, 1e72 / price, rounded down. A hedge's
/// reverse market (L as collateral, C borrowed) and the vault's market then move on one price, so the hedge's own
/// checks, made at the vault's price, and Morpho's health check on the reverse position agree. It reverts when the
/// base does (a stale base stops both markets' health checks alike) and on a zero price.
contract InverseOracle is IOracle {
    IOracle public immutable BASE;

    error ZeroPrice();

    constructor(IOracle base) {
        BASE = base;
    }

    function price() external view returns (uint256) {
        uint256 p = BASE.price();
        if (p == 0) revert ZeroPrice();
        return 1e72 / p;
    }
}
