// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";
import {MorphoBalancesLib} from "@morpho-blue/libraries/periphery/MorphoBalancesLib.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {NoDecimalsToken, RevertingBalanceToken, GasBurner, GasBurningFeed} from "../utils/HostileMarketParts.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {VaultLens} from "../../src/VaultLens.sol";
import {
    IUnwindVault,
    Policy,
    Guard,
    VaultHealth,
    READ_MARKET_FAILED,
    READ_ORACLE_FAILED,
    PRICE_FEED_FAILED
} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {TestToken} from "../../src/local/TestToken.sol";

/// @notice Honest vaults of three owners (different policies and guards) sharing one market, and an attacker who
/// keeps creating vaults through the real factory on markets of its own making: a loan token without decimals, a
/// gas-burning oracle, a loan token whose balanceOf reverts, and a guard naming a gas-burning feed. The honest
/// owners borrow, repay, change their rules; the price moves and the feed goes stale.
contract LensHandler is VaultFixture {
    using MarketParamsLib for MarketParams;

    address[3] public honestOwners = [makeAddr("alice"), makeAddr("bob"), makeAddr("carol")];
    address public attacker = makeAddr("attacker");
    UnwindVault[3] public honest;
    /// Kind of each hostile vault: 1 no decimals, 2 gas-burning oracle, 3 reverting balanceOf, 4 gas-burning feed.
    mapping(address => uint256) public hostileKind;
    address[] public hostileVaults;
    NoDecimalsToken internal noDecimals = new NoDecimalsToken();
    RevertingBalanceToken internal badBalance = new RevertingBalanceToken();
    GasBurner internal burner = new GasBurner();
    GasBurningFeed internal burningFeed = new GasBurningFeed();
    int256 public answer = 3000e8;

    constructor() {
        vm.warp(START_TIME);
        deployMarket(defaultConfig());
        for (uint256 i = 0; i < 3; i++) {
            honest[i] = openVault(honestOwners[i], (i + 1) * 5e18, 5000 + 1000 * i);
            allowUniswap(honest[i]);
            Policy memory p = defaultPolicy();
            p.triggerLtvBps = uint16(7500 + 250 * i);
            p.maxSlippageBps = uint16(100 * (i + 1));
            vm.startPrank(honestOwners[i]);
            honest[i].setPolicy(p);
            honest[i].setKeeper(keeper, i != 1);
            // alice: no guard; bob: the feed's age; carol: age, deviation and a rate limit.
            if (i == 1) honest[i].setGuard(Guard(address(feed), 1 hours, 0, 0, 0));
            if (i == 2) honest[i].setGuard(Guard(address(feed), 30 minutes, 100, 1 days, 3000));
            vm.stopPrank();
        }
        for (uint256 k = 1; k <= 4; k++) {
            _createHostile(k);
        }
    }

    function honestVaults() external view returns (UnwindVault[3] memory) {
        return honest;
    }

    function hostileCount() external view returns (uint256) {
        return hostileVaults.length;
    }

    function lensAddress() external view returns (VaultLens) {
        return lens;
    }

    function morphoAddress() external view returns (IMorpho) {
        return morpho;
    }

    function keeperAddress() external view returns (address) {
        return keeper;
    }

    function allVaults() external view returns (address[] memory) {
        return factory.vaults(0, factory.vaultCount());
    }

    // ---- the attacker ----

    function createHostile(uint256 kind) external {
        if (hostileVaults.length >= 8) return; // each burns the lens's gas caps on every check: enough to prove the point
        _createHostile(1 + kind % 4);
    }

    function toggleBadBalance(bool broken) external {
        badBalance.setBroken(broken);
    }

    function _createHostile(uint256 kind) internal {
        MarketParams memory p = MarketParams(address(loanToken), address(collateralToken), address(oracle), irm, 0.86e18);
        if (kind == 1) p.loanToken = address(noDecimals);
        else if (kind == 2) p.oracle = address(burner);
        else if (kind == 3) p.loanToken = address(badBalance);
        if (kind != 4) {
            // Each market only once: later vaults of the same kind share it.
            if (morpho.market(p.id()).lastUpdate == 0) morpho.createMarket(p);
        }
        vm.prank(attacker);
        UnwindVault v = factory.createVault(p);
        if (kind == 4) {
            vm.prank(attacker);
            v.setGuard(Guard(address(burningFeed), 1 hours, 0, 0, 0));
        }
        // The lure: a vault that says any public keeper may act on it.
        vm.prank(attacker);
        v.setKeeper(keeper, true);
        hostileKind[address(v)] = kind;
        hostileVaults.push(address(v));
    }

    // ---- the honest side ----

    function movePriceBy(int256 deltaBps) external {
        deltaBps = bound(deltaBps, -1500, 1500);
        int256 next = answer * (10_000 + deltaBps) / 10_000;
        next = next < 1000e8 ? int256(1000e8) : (next > 6000e8 ? int256(6000e8) : next);
        vm.prank(deployer);
        feed.setAnswer(next); // the pools stay: nothing trades here
        answer = next;
    }

    function passTime(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 1, 3 hours)); // the adapter's feed goes stale after an hour
        vm.roll(block.number + 1);
    }

    function ownerBorrowOrRepay(uint256 who, uint256 amount, bool doBorrow) external {
        UnwindVault v = honest[who % 3];
        address o = v.owner();
        amount = bound(amount, 1, 5_000e6);
        if (doBorrow) {
            vm.prank(o);
            try v.borrow(amount, o) {} catch {} // health and the trigger decide; not what this campaign checks
        } else if (debtOf(address(v)) > 0) {
            loanToken.mint(o, amount);
            vm.startPrank(o);
            loanToken.approve(address(v), amount);
            v.repay(amount);
            vm.stopPrank();
        }
    }

    function ownerRules(uint256 who, uint256 seed) external {
        UnwindVault v = honest[who % 3];
        Policy memory p = v.policy();
        p.maxSlippageBps = uint16(bound(seed, 0, 1000));
        p.maxSellBps = uint16(bound(seed >> 16, 1, 10_000));
        vm.startPrank(v.owner());
        v.setPolicy(p);
        v.setPaused(seed % 5 == 0);
        v.setKeeper(keeper, seed % 3 != 0);
        if (seed % 4 == 0) v.setGuard(Guard(address(feed), uint32(bound(seed >> 32, 60, 2 hours)), uint16(seed % 300), 0, 0));
        vm.stopPrank();
    }

    function ownerReserve(uint256 who, uint256 amount) external {
        UnwindVault v = honest[who % 3];
        address o = v.owner();
        amount = bound(amount, 1, 1_000e6);
        loanToken.mint(o, amount);
        vm.startPrank(o);
        loanToken.approve(address(v), amount);
        v.depositReserve(amount);
        vm.stopPrank();
    }
}

/// @notice VaultLens.healthOf over every factory vault, honest and hostile, never reverts and stays within a
/// block's gas; each honest vault's fields are what a direct read gives (owner, collateral, debt, policy, guard,
/// LTV and the guard's verdict), and each hostile one is reported as unreadable where it is.
contract LensInvariantTest is Test {
    using MarketParamsLib for MarketParams;

    /// A mainnet block's gas: a batch of every vault must fit in one eth_call of it.
    uint256 internal constant BLOCK_GAS = 30_000_000;

    LensHandler internal h;

    function setUp() public {
        h = new LensHandler();
        targetContract(address(h));
    }

    /// Every check runs the hostile vaults' gas burners to their caps, so the campaign is kept small (the attack is in
    /// the vaults' kinds, not in long sequences).
    /// forge-config: default.invariant.runs = 16
    /// forge-config: default.invariant.depth = 32
    /// forge-config: deep.invariant.runs = 64
    /// forge-config: deep.invariant.depth = 64
    /// forge-config: random.invariant.runs = 64
    /// forge-config: random.invariant.depth = 64
    function invariant_lensIsolatesHostileVaults() public view {
        address[] memory all = h.allVaults();
        assertEq(all.length, 3 + h.hostileCount(), "the factory lists every vault");
        VaultHealth[] memory out;
        try h.lensAddress().healthOf{gas: BLOCK_GAS}(all, h.keeperAddress()) returns (VaultHealth[] memory r) {
            out = r;
        } catch {
            revert("lens: healthOf reverted over honest and hostile vaults");
        }
        for (uint256 i = 0; i < all.length; i++) {
            assertEq(out[i].vault, all[i], "lens: vaults out of order");
            uint256 kind = h.hostileKind(all[i]);
            if (kind == 0) _checkHonest(UnwindVault(all[i]), out[i]);
            else _checkHostile(kind, out[i]);
        }
    }

    function _checkHonest(UnwindVault v, VaultHealth memory r) internal view {
        IMorpho morpho = h.morphoAddress();
        MarketParams memory params = v.marketParams();
        assertEq(r.owner, v.owner(), "lens: owner");
        assertEq(r.collateral, morpho.position(params.id(), address(v)).collateral, "lens: collateral");
        uint256 debt = MorphoBalancesLib.expectedBorrowAssets(morpho, params, address(v));
        assertEq(r.debt, debt, "lens: debt");
        assertEq(keccak256(abi.encode(r.policy)), keccak256(abi.encode(v.policy())), "lens: policy");
        assertEq(keccak256(abi.encode(r.guard)), keccak256(abi.encode(v.guard())), "lens: guard");
        assertEq(r.reserve, v.reserve(), "lens: reserve");
        assertEq(r.keeperAllowed, v.isKeeper(h.keeperAddress()), "lens: keeperAllowed");
        assertEq(r.paused, v.paused(), "lens: paused");
        try this.oraclePrice(params.oracle) returns (uint256 price) {
            assertEq(r.readFlags, 0, "lens: an honest vault flagged");
            assertEq(r.price, price, "lens: price");
            assertEq(r.ltv, LtvMath.ltv(r.collateral, debt, price), "lens: ltv");
            (uint8 status, uint256 updatedAt) = v.checkPrice(price);
            assertEq(r.priceStatus, status, "lens: price status");
            assertEq(r.feedUpdatedAt, updatedAt, "lens: feed update");
        } catch {
            // The adapter refuses a stale feed: reported, not thrown.
            assertEq(r.readFlags & READ_ORACLE_FAILED, READ_ORACLE_FAILED, "lens: a failed oracle not flagged");
            assertEq(r.price, 0, "lens: price of a failed oracle");
            assertEq(r.ltv, 0, "lens: ltv of a failed oracle");
        }
    }

    function _checkHostile(uint256 kind, VaultHealth memory r) internal pure {
        if (kind == 1) assertEq(r.readFlags & READ_MARKET_FAILED, READ_MARKET_FAILED, "lens: no-decimals not flagged");
        if (kind == 2) assertEq(r.readFlags & READ_ORACLE_FAILED, READ_ORACLE_FAILED, "lens: gas-burning oracle not flagged");
        if (kind == 3) assertEq(r.reserve, 0, "lens: a reverting balanceOf read as a reserve");
        // The vault's own try/catch keeps a sliver of gas when the feed burns the rest, so it answers that its feed
        // failed; had it not, the lens would flag the check itself. Either way no keeper is told the price is fine.
        if (kind == 4) assertEq(r.priceStatus, PRICE_FEED_FAILED, "lens: gas-burning feed reported usable");
    }

    function oraclePrice(address oracle) external view returns (uint256) {
        (bool ok, bytes memory ret) = oracle.staticcall(abi.encodeWithSignature("price()"));
        require(ok && ret.length >= 32, "oracle failed");
        return abi.decode(ret, (uint256));
    }
}
