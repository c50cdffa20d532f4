// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {TestToken} from "./TestToken.sol";
import {UnwindVault} from "../UnwindVault.sol";
import {VaultFactory} from "../VaultFactory.sol";
import {Policy} from "../interfaces/IUnwindVault.sol";

/// @title FleetBuilder
/// @notice Opens many vaults in one transaction for benchmarks and fleet scenarios on local chains: each vault is
/// created through the real factory, funded with freshly minted collateral, borrowed against, given a policy, a
/// keeper and routes. The builder itself is every vault's owner (it holds the borrowed tokens). Local chains only.
contract FleetBuilder {
    struct Route {
        address router;
        bytes4 selector;
    }

    event FleetOpened(address[] vaults);

    /// @param debts one borrow amount per vault (its length is the number of vaults)
    function build(
        VaultFactory factory,
        MarketParams calldata params,
        uint256 collateral,
        uint256[] calldata debts,
        Policy calldata policy,
        address keeper,
        Route[] calldata routes
    ) external returns (address[] memory vaults) {
        vaults = new address[](debts.length);
        TestToken coll = TestToken(params.collateralToken);
        coll.mint(address(this), collateral * debts.length);
        for (uint256 i = 0; i < debts.length; i++) {
            UnwindVault v = factory.createVault(params);
            coll.approve(address(v), collateral);
            v.supplyCollateral(collateral);
            if (debts[i] > 0) v.borrow(debts[i], address(this));
            v.setPolicy(policy);
            if (keeper != address(0)) v.setKeeper(keeper, true);
            for (uint256 r = 0; r < routes.length; r++) {
                v.setRoute(routes[r].router, routes[r].selector, true);
            }
            vaults[i] = address(v);
        }
        emit FleetOpened(vaults);
    }
}
