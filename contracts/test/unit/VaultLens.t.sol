// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Id, MarketParams, Position} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {VaultLens} from "../../src/VaultLens.sol";
import {VaultHealth, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {ChainlinkOracleAdapter} from "../../src/oracle/ChainlinkOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

contract VaultLensTest is VaultFixture {
    using MarketParamsLib for MarketParams;
    using MorphoBalancesLib for *;

    address internal alice = makeAddr("alice");
    SettablePriceFeed internal feedB;
    MarketParams internal marketB;
    UnwindVault internal vaultB;
    UnwindVault internal pausedVault;

    function setUp() public {
        setUpVault(); // `vault`: 10 tokens at 75%, keeper allowed
        loanToken.mint(address(vault), 1234e6);
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);

        pausedVault = openVault(alice, 4e18, 5000);
        vm.prank(alice);
        pausedVault.setPaused(true);

        // A second market on the same tokens with its own feed and LLTV.
        vm.startPrank(deployer);
        feedB = new SettablePriceFeed(8, "B", 2500e8);
        ChainlinkOracleAdapter oracleB = new ChainlinkOracleAdapter(IPriceFeed(address(feedB)), 18, 6, PRICE_MAX_AGE);
        morpho.enableLltv(0.5e18);
        vm.stopPrank();
        marketB = MarketParams(address(loanToken), address(collateralToken), address(oracleB), irm, 0.5e18);
        morpho.createMarket(marketB);
        loanToken.mint(lender, 100_000e6);
        vm.prank(lender);
        morpho.supply(marketB, 100_000e6, 0, lender, "");
        vm.prank(alice);
        vaultB = factory.createVault(marketB);
        collateralToken.mint(alice, 2e18);
        vm.startPrank(alice);
        collateralToken.approve(address(vaultB), 2e18);
        vaultB.supplyCollateral(2e18);
        vaultB.borrow(1000e6, alice);
        vaultB.setKeeper(keeper, true);
        vm.stopPrank();
    }

    function test_healthOf_readsEveryVaultAcrossMarkets() public view {
        address[] memory vs = new address[](4);
        (vs[0], vs[1], vs[2], vs[3]) = (address(vault), address(vaultB), address(pausedVault), address(vault));
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        assertEq(h.length, 4);
        _assertMatches(h[0], vault, marketParams, keeper);
        _assertMatches(h[1], vaultB, marketB, keeper);
        _assertMatches(h[2], pausedVault, marketParams, keeper);
        _assertMatches(h[3], vault, marketParams, keeper);

        assertEq(h[0].reserve, 1234e6);
        assertEq(h[0].policy.triggerLtvBps, 8000);
        assertTrue(h[0].keeperAllowed);
        assertApproxEqAbs(h[0].ltv, 0.75e18, 1e12);
        assertEq(h[1].lltv, 0.5e18);
        assertEq(h[1].price, 2500e6 * 1e36 / 1e18);
        assertApproxEqAbs(h[1].ltv, 0.2e18, 1e12);
        assertTrue(h[1].keeperAllowed);
        assertTrue(h[2].paused);
        assertFalse(h[2].keeperAllowed);
        assertEq(h[2].policy.triggerLtvBps, 0);
        assertEq(h[0].softTriggerLtvBps, 7600, "the soft trigger comes after readFlags");
        assertEq(h[0].maxLiquidationProbabilityBps, 500);
        assertEq(h[1].softTriggerLtvBps, 0);
        assertEq(h[1].maxLiquidationProbabilityBps, 0);
    }

    /// state() is called with a gas cap: with the soft trigger's slot it must still fit with a wide margin.
    function test_state_fitsTheLensGasCapWithMargin() public {
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 500, 1 days, 5000));
        uint256 before = gasleft();
        vault.state(keeper);
        uint256 used = before - gasleft();
        assertLt(used * 2, lens.VAULT_GAS(), "state() under half the lens's cap");
    }

    function test_healthOf_accruesInterestToTheCurrentBlock() public {
        vm.warp(block.timestamp + 180 days);
        vm.prank(deployer);
        feed.setAnswer(3000e8);
        address[] memory vs = new address[](1);
        vs[0] = address(vault);
        VaultHealth memory h = lens.healthOf(vs, keeper)[0];
        uint256 expected = morpho.expectedBorrowAssets(marketParams, address(vault));
        assertGt(expected, 22_500e6);
        assertEq(h.debt, expected);
        morpho.accrueInterest(marketParams);
        assertEq(h.debt, debtOf(address(vault)), "same as the vault's own rounded-up view after accrual");
        assertEq(h.ltv, ltvOf(address(vault)));
    }

    function test_healthOf_keeperAllowedDependsOnTheKeeperAsked() public view {
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (address(vault), address(vaultB));
        VaultHealth[] memory h = lens.healthOf(vs, stranger);
        assertFalse(h[0].keeperAllowed);
        assertFalse(h[1].keeperAllowed);
        h = lens.healthOf(vs, address(0));
        assertFalse(h[0].keeperAllowed);
        assertEq(h[0].owner, owner, "the rest is read as usual");
    }

    function test_healthOf_aVaultWhoseReadFailsComesBackEmpty() public view {
        address[] memory vs = new address[](3);
        (vs[0], vs[1], vs[2]) = (address(vault), address(loanToken), address(vaultB)); // a token has no state()
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        _assertMatches(h[0], vault, marketParams, keeper);
        assertEq(h[1].vault, address(loanToken));
        assertEq(h[1].owner, address(0));
        assertEq(h[1].marketId, bytes32(0));
        assertEq(h[1].debt, 0);
        assertEq(h[1].price, 0);
        _assertMatches(h[2], vaultB, marketB, keeper);
    }

    function test_healthOf_anAccountWithoutCodeComesBackEmpty() public view {
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (alice, address(vault));
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        assertEq(h[0].vault, alice);
        assertEq(h[0].owner, address(0));
        _assertMatches(h[1], vault, marketParams, keeper);
    }

    function test_healthOf_staleOracleGivesPriceZeroAndKeepsTheRest() public {
        vm.warp(block.timestamp + PRICE_MAX_AGE + 1);
        vm.prank(deployer);
        feedB.setAnswer(2500e8); // market B stays fresh
        vm.expectRevert();
        oracle.price();

        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (address(vault), address(vaultB));
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        assertEq(h[0].price, 0);
        assertEq(h[0].ltv, 0);
        assertEq(h[0].owner, owner);
        assertEq(h[0].collateral, 10e18);
        assertEq(h[0].debt, morpho.expectedBorrowAssets(marketParams, address(vault)));
        assertGt(h[0].debt, 0);
        assertGt(h[1].price, 0);
        assertApproxEqAbs(h[1].ltv, 0.2e18, 1e12);
    }

    function test_healthOf_debtAgainstWorthlessCollateralIsMaxLtv() public {
        vm.prank(deployer);
        feedB.setAnswer(1); // 1e-8 loan tokens per collateral token: 2 tokens are worth 0 base units
        address[] memory vs = new address[](1);
        vs[0] = address(vaultB);
        VaultHealth memory h = lens.healthOf(vs, keeper)[0];
        assertGt(h.price, 0);
        assertEq(h.ltv, type(uint256).max);
    }

    function test_healthOf_emptyListIsEmpty() public view {
        assertEq(lens.healthOf(new address[](0), keeper).length, 0);
    }

    function test_marketData_readsTotalsPriceAndDecimals() public view {
        VaultLens.MarketData memory m = lens.marketData(marketParams);
        (,, uint256 totalBorrowAssets, uint256 totalBorrowShares) = morpho.expectedMarketBalances(marketParams);
        assertEq(m.totalBorrowAssets, totalBorrowAssets);
        assertEq(m.totalBorrowShares, totalBorrowShares);
        assertEq(m.price, oracle.price());
        assertEq(m.loanDecimals, 6);
        assertEq(m.collateralDecimals, 18);
    }

    function _assertMatches(VaultHealth memory h, UnwindVault v, MarketParams memory params, address k) internal view {
        Position memory p = morpho.position(params.id(), address(v));
        uint256 price = IOracleLike(params.oracle).price();
        uint256 debt = morpho.expectedBorrowAssets(params, address(v));
        Policy memory pol = v.policy();
        assertEq(h.vault, address(v));
        assertEq(h.owner, v.owner());
        assertEq(h.marketId, Id.unwrap(params.id()));
        assertEq(h.loanToken, params.loanToken);
        assertEq(h.collateralToken, params.collateralToken);
        assertEq(h.loanDecimals, 6);
        assertEq(h.collateralDecimals, 18);
        assertEq(h.collateral, p.collateral);
        assertEq(h.borrowShares, p.borrowShares);
        assertEq(h.debt, debt);
        assertEq(h.price, price);
        assertEq(h.ltv, LtvMath.ltv(p.collateral, debt, price));
        assertEq(h.lltv, params.lltv);
        assertEq(keccak256(abi.encode(h.policy)), keccak256(abi.encode(pol)));
        assertEq(h.reserve, v.reserve());
        assertEq(h.lastActionAt, v.lastActionAt());
        assertEq(h.paused, v.paused());
        assertEq(h.keeperAllowed, v.isKeeper(k));
        (uint16 soft, uint16 probability) = v.softTrigger();
        assertEq(h.softTriggerLtvBps, soft);
        assertEq(h.maxLiquidationProbabilityBps, probability);
    }
}

interface IOracleLike {
    function price() external view returns (uint256);
}
