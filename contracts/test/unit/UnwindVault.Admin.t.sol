// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Id, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy, VaultState} from "../../src/interfaces/IUnwindVault.sol";

/// @notice The owner's rules (policy, keepers, routes, pause), two-step ownership, construction and views.
contract UnwindVaultAdminTest is VaultFixture {
    using MarketParamsLib for MarketParams;

    event OwnershipTransferStarted(address indexed previousOwner, address indexed newOwner);
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    bytes4 internal constant SWAP = ISwapRouter.exactInputSingle.selector;

    function setUp() public {
        setUpVault();
    }

    // ---- construction and views ----

    function test_constructor_bindsTheMarketAndApprovesOnlyMorpho() public {
        address predicted = vm.computeCreateAddress(address(factory), vm.getNonce(address(factory)));
        vm.expectEmit(predicted);
        emit OwnershipTransferred(address(0), stranger);
        vm.prank(stranger);
        UnwindVault v = factory.createVault(marketParams);

        assertEq(address(v), predicted);
        assertEq(v.owner(), stranger);
        assertEq(v.pendingOwner(), address(0));
        assertEq(address(v.MORPHO()), address(morpho));
        assertEq(v.marketId(), Id.unwrap(MarketParamsLib.id(marketParams)));
        MarketParams memory p = v.marketParams();
        assertEq(p.loanToken, address(loanToken));
        assertEq(p.collateralToken, address(collateralToken));
        assertEq(p.oracle, address(oracle));
        assertEq(p.irm, irm);
        assertEq(p.lltv, marketParams.lltv);
        assertEq(loanToken.allowance(address(v), address(morpho)), type(uint256).max);
        assertEq(collateralToken.allowance(address(v), address(morpho)), type(uint256).max);
        assertEq(v.policy().triggerLtvBps, 0);
        assertEq(v.lastActionAt(), 0);
        assertFalse(v.paused());
        assertEq(v.reserve(), 0);
    }

    function test_state_reportsOwnerPolicyAndKeeper() public view {
        VaultState memory st = vault.state(keeper);
        assertEq(st.owner, owner);
        assertEq(st.marketParams.oracle, address(oracle));
        assertEq(st.policy.triggerLtvBps, 8000);
        assertEq(st.policy.targetLtvBps, 7000);
        assertEq(st.lastActionAt, 0);
        assertFalse(st.paused);
        assertTrue(st.keeperAllowed);
        assertFalse(vault.state(stranger).keeperAllowed);
        assertFalse(vault.state(address(0)).keeperAllowed);
    }

    // ---- setPolicy ----

    function test_setPolicy_storesAndEmits() public {
        Policy memory p = Policy({
            triggerLtvBps: 8599,
            targetLtvBps: 1000,
            bandBps: 1000,
            maxSlippageBps: 1000,
            maxFeeBps: 500,
            maxSellBps: 10_000,
            cooldown: 7 days,
            maxGasPrice: type(uint48).max // the highest the vault stores; one more is refused
        });
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.PolicySet(p);
        vault.setPolicy(p);

        Policy memory got = vault.policy();
        assertEq(keccak256(abi.encode(got)), keccak256(abi.encode(p)));
    }

    function test_setPolicy_targetMustBePositive() public {
        Policy memory p = defaultPolicy();
        p.targetLtvBps = 0;
        p.bandBps = 0;
        _expectInvalid(p, "target must be > 0");
    }

    function test_setPolicy_targetMustBeBelowTrigger() public {
        Policy memory p = defaultPolicy();
        p.targetLtvBps = p.triggerLtvBps;
        _expectInvalid(p, "target must be < trigger");
    }

    function test_setPolicy_triggerMustBeBelowLltv() public {
        Policy memory p = defaultPolicy();
        p.triggerLtvBps = 8600; // the market's LLTV is 86%
        _expectInvalid(p, "trigger must be < LLTV");
    }

    function test_setPolicy_bandMustNotExceedTarget() public {
        Policy memory p = defaultPolicy();
        p.bandBps = p.targetLtvBps + 1;
        _expectInvalid(p, "band must be <= target");
    }

    function test_setPolicy_slippageCappedAt10Percent() public {
        Policy memory p = defaultPolicy();
        p.maxSlippageBps = 1001;
        _expectInvalid(p, "slippage must be <= 10%");
    }

    function test_setPolicy_feeCappedAt5Percent() public {
        Policy memory p = defaultPolicy();
        p.maxFeeBps = 501;
        _expectInvalid(p, "fee must be <= 5%");
    }

    function test_setPolicy_maxSellMustBePositive() public {
        Policy memory p = defaultPolicy();
        p.maxSellBps = 0;
        _expectInvalid(p, "max sell must be in (0, 100%]");
    }

    function test_setPolicy_maxSellAtMost100Percent() public {
        Policy memory p = defaultPolicy();
        p.maxSellBps = 10_001;
        _expectInvalid(p, "max sell must be in (0, 100%]");
    }

    function test_setPolicy_cooldownAtMostSevenDays() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 7 days + 1;
        _expectInvalid(p, "cooldown must be <= 7 days");
    }

    function test_setPolicy_revertsForNonOwner() public {
        Policy memory p = defaultPolicy();
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.setPolicy(p);
    }

    // ---- setKeeper ----

    function test_setKeeper_allowsAndRevokes() public {
        vm.startPrank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.KeeperSet(stranger, true);
        vault.setKeeper(stranger, true);
        assertTrue(vault.isKeeper(stranger));

        vm.expectEmit(address(vault));
        emit IUnwindVault.KeeperSet(stranger, false);
        vault.setKeeper(stranger, false);
        vm.stopPrank();
        assertFalse(vault.isKeeper(stranger));
    }

    function test_setKeeper_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.setKeeper(stranger, true);
    }

    // ---- setRoute ----

    function test_setRoute_allowsAndDeniesAPair() public {
        bytes4 other = bytes4(keccak256("exactInput((bytes,address,uint256,uint256,uint256))"));
        vm.startPrank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.RouteSet(address(swapRouter), other, true);
        vault.setRoute(address(swapRouter), other, true);
        assertTrue(vault.isRouteAllowed(address(swapRouter), other));
        assertTrue(vault.isRouteAllowed(address(swapRouter), SWAP), "pairs are independent");

        vm.expectEmit(address(vault));
        emit IUnwindVault.RouteSet(address(swapRouter), SWAP, false);
        vault.setRoute(address(swapRouter), SWAP, false);
        vm.stopPrank();
        assertFalse(vault.isRouteAllowed(address(swapRouter), SWAP));
        assertTrue(vault.isRouteAllowed(address(swapRouter), other));
    }

    function test_setRoute_refusesTheLoanToken() public {
        _expectForbidden(address(loanToken));
    }

    function test_setRoute_refusesTheCollateralToken() public {
        _expectForbidden(address(collateralToken));
    }

    function test_setRoute_refusesTheMarket() public {
        _expectForbidden(address(morpho));
    }

    function test_setRoute_refusesTheVaultItself() public {
        _expectForbidden(address(vault));
    }

    function test_setRoute_refusesTheOracle() public {
        _expectForbidden(address(oracle));
    }

    function test_setRoute_refusesZero() public {
        _expectForbidden(address(0));
    }

    function test_setRoute_refusesAnAccountWithoutCode() public {
        _expectForbidden(stranger);
    }

    function test_setRoute_denyingNeedsNoChecks() public {
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.RouteSet(address(loanToken), SWAP, false);
        vault.setRoute(address(loanToken), SWAP, false);
        assertFalse(vault.isRouteAllowed(address(loanToken), SWAP));
    }

    function test_setRoute_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.setRoute(address(swapRouter), SWAP, true);
    }

    // ---- setPaused ----

    function test_setPaused_togglesAndEmits() public {
        vm.startPrank(owner);
        vm.expectEmit(address(vault));
        emit IUnwindVault.PausedSet(true);
        vault.setPaused(true);
        assertTrue(vault.paused());
        assertTrue(vault.state(keeper).paused);
        vm.expectEmit(address(vault));
        emit IUnwindVault.PausedSet(false);
        vault.setPaused(false);
        vm.stopPrank();
        assertFalse(vault.paused());
    }

    function test_setPaused_keepsThePolicy() public {
        vm.prank(owner);
        vault.setPaused(true);
        assertEq(vault.policy().triggerLtvBps, 8000);
    }

    function test_setPaused_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.setPaused(true);
    }

    // ---- ownership ----

    function test_transferOwnership_isTwoStep() public {
        address next = makeAddr("next");
        vm.prank(owner);
        vm.expectEmit(address(vault));
        emit OwnershipTransferStarted(owner, next);
        vault.transferOwnership(next);
        assertEq(vault.owner(), owner, "nothing changes until accepted");
        assertEq(vault.pendingOwner(), next);

        vm.prank(next);
        vm.expectEmit(address(vault));
        emit OwnershipTransferred(owner, next);
        vault.acceptOwnership(true);
        assertEq(vault.owner(), next);
        assertEq(vault.pendingOwner(), address(0));

        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.setPaused(true);
        vm.prank(next);
        vault.setPaused(true);
        assertTrue(vault.paused());
    }

    function test_transferOwnership_canBeRedirectedBeforeAcceptance() public {
        address first = makeAddr("first");
        address second = makeAddr("second");
        vm.startPrank(owner);
        vault.transferOwnership(first);
        vault.transferOwnership(second);
        vm.stopPrank();
        vm.prank(first);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.acceptOwnership(true);
        vm.prank(second);
        vault.acceptOwnership(true);
        assertEq(vault.owner(), second);
    }

    function test_transferOwnership_revertsForNonOwner() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.transferOwnership(keeper);
    }

    function test_acceptOwnership_revertsForAnyoneButThePendingOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.acceptOwnership(true);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotOwner.selector));
        vault.acceptOwnership(true);
    }

    // ---- helpers ----

    function _expectInvalid(Policy memory p, string memory reason) internal {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, reason));
        vault.setPolicy(p);
    }

    function _expectForbidden(address target) internal {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, target));
        vault.setRoute(target, SWAP, true);
        assertFalse(vault.isRouteAllowed(target, SWAP));
    }
}
