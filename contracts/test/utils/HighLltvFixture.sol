// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "./VaultFixture.sol";
import {HostileRouter} from "./HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {Policy} from "../../src/interfaces/IUnwindVault.sol";

/// @notice The fixture's market plus a second one on the same tokens and oracle at 98% LLTV, where a position
/// can sit near LTV = 1 - maxSlippage and still be healthy: the ground of the equity and rate-limit findings.
/// `hv` is a vault on it with 10 collateral tokens at the crash price, a keeper, and a hostile router the
/// owner allowed (its controller, this test, decides what each swap pays).
abstract contract HighLltvFixture is VaultFixture {
    MarketParams internal highMarket;
    UnwindVault internal hv;
    HostileRouter internal router;

    function setUpHighVault(uint256 ltvBps, Policy memory p) internal {
        setUpVault();
        movePrice(CRASH_PRICE);
        vm.prank(deployer);
        morpho.enableLltv(0.98e18);
        highMarket = MarketParams(address(loanToken), address(collateralToken), address(oracle), irm, 0.98e18);
        morpho.createMarket(highMarket);
        loanToken.mint(lender, 1_000_000e6);
        vm.prank(lender);
        morpho.supply(highMarket, 1_000_000e6, 0, lender, "");

        vm.prank(owner);
        hv = factory.createVault(highMarket);
        router = new HostileRouter(address(collateralToken));
        collateralToken.mint(owner, 10e18);
        vm.startPrank(owner);
        collateralToken.approve(address(hv), 10e18);
        hv.supplyCollateral(10e18);
        hv.borrow(valueOf(10e18, CRASH_PRICE) * ltvBps / 10_000, owner);
        hv.setPolicy(p);
        hv.setKeeper(keeper, true);
        hv.setRoute(address(router), HostileRouter.swap.selector, true);
        vm.stopPrank();
    }

    /// @dev The router's next swap takes `sell` collateral and pays `pay` loan tokens.
    function planSale(uint256 sell, uint256 pay) internal {
        router.setPlan(HostileRouter.Plan(sell, address(loanToken), pay, address(0), "", address(0), 0, false));
    }

    function swapData(uint256 sell) internal pure returns (bytes memory) {
        return abi.encodeCall(HostileRouter.swap, (sell, 0));
    }

    function hvCollateral() internal view returns (uint256) {
        return collateralOf(address(hv), highMarket);
    }

    function hvDebt() internal view returns (uint256) {
        return debtOf(address(hv), highMarket);
    }

    function hvLtv() internal view returns (uint256) {
        return ltvOf(address(hv), highMarket);
    }

    function hvEquity() internal view returns (uint256) {
        return equityOf(address(hv), highMarket, oracle.price());
    }
}
