// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {GasBurner, GasBurningFeed, NoDecimalsToken, BadBalanceToken} from "../utils/HostileMarketParts.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {
    VaultHealth,
    Guard,
    PRICE_OK,
    PRICE_FEED_FAILED,
    READ_MARKET_FAILED,
    READ_ORACLE_FAILED
} from "../../src/interfaces/IUnwindVault.sol";

/// @notice Hostile markets against the lens (issue 14, "one hostile vault degrades the lens for everyone"):
/// anyone can open a market with a token or oracle of their own and a factory vault on it. A loan token without
/// decimals() reverted the whole batch, three gas-burning oracles exhausted a 30M-gas call. Now each hostile
/// vault costs the batch at most its gas caps, is flagged, and every honest vault reads exactly as alone.
contract VaultLensHostileTest is VaultFixture {
    address internal attacker = makeAddr("attacker");
    address internal alice = makeAddr("alice");
    UnwindVault internal honest2;
    UnwindVault internal noDecimals;
    UnwindVault[3] internal burners;
    UnwindVault internal badBalance;
    UnwindVault internal gasFeed;
    BadBalanceToken internal badToken;

    function setUp() public {
        setUpVault();
        honest2 = openVault(alice, 4e18, 5000);

        noDecimals = _lure(_market(address(new NoDecimalsToken()), address(oracle)));
        for (uint256 i = 0; i < 3; i++) {
            burners[i] = _lure(_market(address(loanToken), address(new GasBurner())));
        }
        badToken = new BadBalanceToken(true);
        badBalance = _lure(_market(address(badToken), address(oracle)));
        badToken.arm();
        // A vault on the honest market whose guard names a feed that burns its gas.
        gasFeed = _lure(marketParams);
        GasBurningFeed burningFeed = new GasBurningFeed();
        vm.prank(attacker);
        gasFeed.setGuard(Guard(address(burningFeed), 1 hours, 0, 0, 0));
    }

    function test_healthOf_hostileVaultsAreFlaggedAndHonestOnesReadAsAlone() public view {
        address[] memory honest = new address[](2);
        (honest[0], honest[1]) = (address(vault), address(honest2));
        VaultHealth[] memory alone = lens.healthOf(honest, keeper);
        assertEq(alone[0].readFlags, 0);
        assertEq(alone[1].readFlags, 0);
        assertGt(alone[0].price, 0);

        address[] memory vs = _mixed();
        VaultHealth[] memory h = lens.healthOf{gas: 30_000_000}(vs, keeper);
        assertEq(h.length, 9);
        assertEq(keccak256(abi.encode(h[0])), keccak256(abi.encode(alone[0])), "honest vault, first");
        assertEq(keccak256(abi.encode(h[3])), keccak256(abi.encode(alone[1])), "honest vault, between hostile ones");
        assertEq(keccak256(abi.encode(h[8])), keccak256(abi.encode(alone[0])), "honest vault, last");

        // No decimals(): the market is flagged, the price and the vault's own fields still read.
        assertEq(h[1].readFlags, READ_MARKET_FAILED);
        assertEq(h[1].loanDecimals, 0);
        assertEq(h[1].collateralDecimals, 18);
        assertEq(h[1].owner, attacker);
        assertTrue(h[1].keeperAllowed, "a lure still shows the keeper allowed: its owner is the attacker");
        // Gas-burning oracles: no price, no LTV, the rest read.
        for (uint256 i = 2; i <= 5; i++) {
            if (i == 3) continue;
            assertEq(h[i].readFlags, READ_ORACLE_FAILED);
            assertEq(h[i].price, 0);
            assertEq(h[i].ltv, 0);
            assertEq(h[i].owner, attacker);
            assertEq(h[i].loanDecimals, 6);
        }
        // A balanceOf that burns gas: the reserve reads 0 and nothing else is lost (no flag for a reserve).
        assertEq(h[6].reserve, 0);
        assertEq(h[6].readFlags, 0);
        assertEq(h[6].loanDecimals, 18);
        assertGt(h[6].price, 0);
        // A feed that burns gas: the vault's own check catches it within the lens's cap and says the feed failed.
        assertEq(h[7].readFlags, 0);
        assertEq(h[7].priceStatus, PRICE_FEED_FAILED);
        assertEq(h[7].feedUpdatedAt, 0);
        assertEq(h[7].price, alone[0].price);
        assertEq(h[0].priceStatus, PRICE_OK);
    }

    function test_healthOf_aBalanceOfThatRevertsReadsAsZeroReserve() public {
        BadBalanceToken reverting = new BadBalanceToken(false);
        UnwindVault v = _lure(_market(address(reverting), address(oracle)));
        reverting.arm();
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (address(v), address(vault));
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        assertEq(h[0].reserve, 0);
        assertEq(h[0].owner, attacker);
        assertEq(h[0].readFlags, 0);
        assertEq(h[1].readFlags, 0);
        assertEq(h[1].owner, owner);
    }

    function test_healthOf_anOracleWithoutCodeIsAFailedOracle() public {
        // A call to an account without code succeeds with no data: that is no price (right after a call that
        // returned data, the lens once read its own call buffer as one).
        UnwindVault v = _lure(_market(address(loanToken), makeAddr("no code")));
        address[] memory vs = new address[](2);
        (vs[0], vs[1]) = (address(vault), address(v));
        VaultHealth[] memory h = lens.healthOf(vs, keeper);
        assertEq(h[1].readFlags, READ_ORACLE_FAILED);
        assertEq(h[1].price, 0);
        assertEq(h[1].ltv, 0);
        assertEq(h[1].loanDecimals, 6);
        assertEq(h[0].readFlags, 0);
    }

    function test_healthOf_gasStaysWithinTheCapsOfTheHostileVaults() public view {
        address[] memory honest = new address[](3);
        (honest[0], honest[1], honest[2]) = (address(vault), address(honest2), address(vault));
        uint256 g = gasleft();
        lens.healthOf(honest, keeper);
        uint256 honestCost = g - gasleft();

        g = gasleft();
        lens.healthOf{gas: 30_000_000}(_mixed(), keeper);
        uint256 mixedCost = g - gasleft();
        // What the hostile parts may burn: three oracles, two decimals() of the no-decimals token (loan, and
        // none for the collateral), one balanceOf and one price check; plus the ordinary reads of six vaults,
        // bounded by 60k each (an honest vault costs ~25k).
        uint256 caps = 3 * lens.ORACLE_GAS() + lens.TOKEN_GAS() + lens.TOKEN_GAS() + lens.PRICE_CHECK_GAS();
        assertLe(mixedCost, honestCost + caps + 6 * 60_000, "bounded by the caps");
        assertGt(mixedCost, honestCost + 3 * lens.ORACLE_GAS(), "the burners did burn their caps");
    }

    function test_lure_aStrangersVaultIsNeverListedUnderTheKeepersOwner() public view {
        // Every vault above was created by the attacker: the owner's list holds only the owner's own.
        address[] memory mine = factory.vaultsOf(owner);
        assertEq(mine.length, 1);
        assertEq(mine[0], address(vault));
        assertEq(factory.vaultsOf(attacker).length, 6);
        assertEq(noDecimals.owner(), attacker);
    }

    // ---- helpers ----

    /// @dev [honest, no decimals, burner, honest2, burner, burner, bad balance, gas feed, honest].
    function _mixed() internal view returns (address[] memory vs) {
        vs = new address[](9);
        (vs[0], vs[1], vs[2], vs[3], vs[4]) =
            (address(vault), address(noDecimals), address(burners[0]), address(honest2), address(burners[1]));
        (vs[5], vs[6], vs[7], vs[8]) = (address(burners[2]), address(badBalance), address(gasFeed), address(vault));
    }

    function _market(address loan, address oracle_) internal returns (MarketParams memory params) {
        params = MarketParams(loan, address(collateralToken), oracle_, irm, marketParams.lltv);
        morpho.createMarket(params);
    }

    /// @dev The attacker's vault on `params`, with the public keeper allowed: a lure.
    function _lure(MarketParams memory params) internal returns (UnwindVault v) {
        vm.startPrank(attacker);
        v = factory.createVault(params);
        v.setKeeper(keeper, true);
        vm.stopPrank();
    }
}
