// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {PortfolioFixture} from "../utils/PortfolioFixture.sol";
import {FakePeer} from "../utils/FakePeer.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {IUnwindVault, Policy, Guard} from "../../src/interfaces/IUnwindVault.sol";
import {IVaultPortfolioHooks} from "../../src/interfaces/IVaultPortfolio.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";

/// @notice Collateral moves between two of one owner's Morpho vaults: `spare` (44% after the crash) gives to `vault`
/// (83%, over its 80% trigger). Every refusal, on the source and on the destination, and the attacks: a hostile
/// router holding the keeper role on every vault, a stranger's vault, a fake vault calling `receiveCollateral`, a
/// listed peer that takes nothing or re-enters.
contract UnwindVaultMovesTest is PortfolioFixture {
    uint256 internal constant MOVE = 2e18;

    HostileRouter internal hostile;

    function setUp() public {
        setUpPortfolio();
        hostile = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        vault.setKeeper(address(hostile), true);
        vm.prank(owner);
        spare.setKeeper(address(hostile), true);
        vm.prank(stranger);
        strangers.setKeeper(address(hostile), true);
        movePrice(CRASH_PRICE); // vault 83.3%, spare 44.4%, strangers 83.3%
    }

    function _move(address caller, UnwindVault from, address to, uint256 amount) internal {
        vm.prank(caller);
        pf(from).moveCollateral(to, amount, block.timestamp);
    }

    // ---------------------------------------------------------------------------------------------
    // The move
    // ---------------------------------------------------------------------------------------------

    function test_move_shiftsCollateralAndEmitsOnBothSides() public {
        int256 equityBefore = ownerEquity(ownersVaults());
        uint256 price = oracle.price();
        uint256 destBefore = ltvOf(address(vault));
        uint256 srcBefore = ltvOf(address(spare));
        uint256 destAfter = LtvMath.ltv(10e18 + MOVE, debtOf(address(vault)), price);
        uint256 srcAfter = LtvMath.ltv(10e18 - MOVE, debtOf(address(spare)), price);

        vm.expectEmit(address(vault));
        emit IUnwindVault.CollateralReceived(address(spare), MOVE, destBefore, destAfter);
        vm.expectEmit(address(spare));
        emit IUnwindVault.CollateralMoved(keeper, address(vault), MOVE, srcBefore, srcAfter);
        _move(keeper, spare, address(vault), MOVE);

        assertEq(collateralOf(address(vault)), 10e18 + MOVE);
        assertEq(collateralOf(address(spare)), 10e18 - MOVE);
        assertLt(ltvOf(address(vault)), bps(8000), "the destination is back under its trigger");
        assertLt(ltvOf(address(spare)), bps(8000), "the source stays under its own");
        assertEq(ownerEquity(ownersVaults()), equityBefore, "a move changes the owner's equity by nothing");
        assertEq(collateralToken.balanceOf(address(spare)), 0, "nothing left loose in the source");
        assertEq(collateralToken.balanceOf(address(vault)), 0, "nothing left loose in the destination");
        assertEq(collateralToken.allowance(address(spare), address(vault)), 0);
        assertEq(loanToken.balanceOf(keeper), 0, "no fee");
        assertEq(vault.lastActionAt(), 0, "no cooldown started on the destination");
        assertEq(spare.lastActionAt(), 0, "nor on the source");
    }

    function test_move_ownerMayMove() public {
        _move(owner, spare, address(vault), MOVE);
        assertEq(collateralOf(address(vault)), 10e18 + MOVE);
    }

    function test_move_intoTheSoftZone() public {
        movePrice(2885e8); // vault 78%: under the trigger
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);
        _move(keeper, spare, address(vault), MOVE);
        assertEq(collateralOf(address(vault)), 10e18 + MOVE);
    }

    // ---------------------------------------------------------------------------------------------
    // The source's refusals
    // ---------------------------------------------------------------------------------------------

    function test_move_revertsForAStranger() public {
        vm.prank(stranger);
        vm.expectRevert(IUnwindVault.NotKeeper.selector);
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsWhileTheSourceIsPaused() public {
        vm.prank(owner);
        spare.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.IsPaused.selector);
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsAfterTheDeadline() public {
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.Expired.selector);
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp - 1);
    }

    function test_move_revertsOnZero() public {
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.ZeroAmount.selector);
        pf(spare).moveCollateral(address(vault), 0, block.timestamp);
    }

    function test_move_revertsWithoutAPolicyOnTheSource() public {
        UnwindVault bare = openVault(owner, 10e18, 4000);
        vm.startPrank(owner);
        bare.setKeeper(keeper, true);
        pf(bare).setMovePeer(address(vault), true);
        pf(bare).setMoveCap(5000);
        vm.stopPrank();
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.PolicyNotSet.selector);
        pf(bare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsDuringTheSourcesCooldown() public {
        Policy memory p = defaultPolicy();
        p.cooldown = 1 days;
        vm.prank(owner);
        spare.setPolicy(p);
        loanToken.mint(address(spare), 10_000e6);
        movePrice(1400e8); // spare 85.7%: over its trigger, topped up, which starts its cooldown
        vm.prank(keeper);
        spare.topUp(2000e6, block.timestamp, 0);
        movePrice(CRASH_PRICE);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.CoolingDown.selector, block.timestamp + 1 days));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsToAVaultNotListed() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(strangers)));
        pf(spare).moveCollateral(address(strangers), MOVE, block.timestamp);
    }

    function test_move_revertsToAListedVaultOfAnotherOwner() public {
        // The owner lists the stranger's vault by mistake, and the stranger lists the owner's: owners differ.
        vm.prank(owner);
        pf(spare).setMovePeer(address(strangers), true);
        vm.startPrank(stranger);
        pf(strangers).setMovePeer(address(spare), true);
        vm.stopPrank();
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(strangers)));
        pf(spare).moveCollateral(address(strangers), MOVE, block.timestamp);
    }

    function test_move_revertsToAPeerSoldToSomeoneElse() public {
        vm.prank(owner);
        vault.transferOwnership(stranger);
        vm.prank(stranger);
        vault.acceptOwnership(true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(vault)));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsToAVaultOfAnotherCollateral() public {
        // A market that lends the collateral token against the loan token: same owner, other collateral.
        MarketParams memory flipped = MarketParams(
            marketParams.collateralToken, marketParams.loanToken, marketParams.oracle, marketParams.irm, marketParams.lltv
        );
        morpho.createMarket(flipped);
        vm.prank(owner);
        UnwindVault other = factory.createVault(flipped);
        vm.prank(owner);
        pf(spare).setMovePeer(address(other), true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(other)));
        pf(spare).moveCollateral(address(other), MOVE, block.timestamp);
    }

    function test_move_revertsWhenTheDestinationDoesNotListTheSource() public {
        vm.prank(owner);
        pf(vault).setMovePeer(address(spare), false);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(spare)));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsWithMovesOff() public {
        vm.prank(owner);
        pf(spare).setMoveCap(0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.MoveTooLarge.selector, MOVE, 0));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsOverTheCap() public {
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.MoveTooLarge.selector, 5e18 + 1, 5e18));
        pf(spare).moveCollateral(address(vault), 5e18 + 1, block.timestamp);
    }

    function test_move_revertsWhenTheSourceWouldEndAtItsTrigger() public {
        // spare 12,000 debt: 4.5 of its 10 collateral leave 5.5 at 2,700 = 80.8% (under Morpho's 86%).
        vm.prank(owner);
        pf(spare).setMoveCap(10_000);
        uint256 ltvAfter = LtvMath.ltv(5.5e18, debtOf(address(spare)), oracle.price());
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.WouldTrigger.selector, ltvAfter, bps(8000)));
        pf(spare).moveCollateral(address(vault), 4.5e18, block.timestamp);
    }

    function test_move_revertsOnAStalePriceAtTheSource() public {
        // A guard feed stuck for two hours while the market's own feed keeps up.
        SettablePriceFeed stuck = new SettablePriceFeed(8, "stuck", 2700e8);
        (,,, uint256 updatedAt,) = stuck.latestRoundData();
        vm.prank(owner);
        spare.setGuard(Guard(address(stuck), 1 hours, 0, 0, 0));
        vm.warp(block.timestamp + 2 hours);
        movePrice(CRASH_PRICE);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PriceStale.selector, updatedAt, 1 hours));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    // ---------------------------------------------------------------------------------------------
    // The destination's refusals
    // ---------------------------------------------------------------------------------------------

    function test_move_revertsToADestinationUnderItsTrigger() public {
        movePrice(3000e8); // vault 75%
        uint256 ltv = ltvOf(address(vault));
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsToADestinationUnderItsSoftTrigger() public {
        movePrice(2885e8); // vault 78%
        vm.prank(owner);
        vault.setSoftTrigger(7900, 500);
        uint256 ltv = ltvOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.BelowTrigger.selector, ltv, bps(8000)));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsToAPausedDestination() public {
        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.IsPaused.selector);
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    function test_move_revertsToADestinationWithoutAPolicy() public {
        UnwindVault bare = openVault(owner, 10e18, 7500);
        vm.startPrank(owner);
        pf(bare).setMovePeer(address(spare), true);
        pf(spare).setMovePeer(address(bare), true);
        vm.stopPrank();
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.PolicyNotSet.selector);
        pf(spare).moveCollateral(address(bare), MOVE, block.timestamp);
    }

    function test_move_revertsOnAStalePriceAtTheDestination() public {
        // A guard feed stuck for two hours while the market's own feed keeps up.
        SettablePriceFeed stuck = new SettablePriceFeed(8, "stuck", 2700e8);
        (,,, uint256 updatedAt,) = stuck.latestRoundData();
        vm.prank(owner);
        vault.setGuard(Guard(address(stuck), 1 hours, 0, 0, 0));
        vm.warp(block.timestamp + 2 hours);
        movePrice(CRASH_PRICE);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.PriceStale.selector, updatedAt, 1 hours));
        pf(spare).moveCollateral(address(vault), MOVE, block.timestamp);
    }

    // ---------------------------------------------------------------------------------------------
    // Fakes and hostile callers
    // ---------------------------------------------------------------------------------------------

    function test_receive_refusesAFakeVault() public {
        // It answers the owner's address and the collateral token, but the owner never listed it.
        FakePeer fake = new FakePeer(owner, address(collateralToken));
        collateralToken.mint(address(fake), MOVE);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(fake)));
        fake.pushInto(address(vault), MOVE);
    }

    function test_receive_refusesTheKeeperAndTheHostileRouterCallingDirectly() public {
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, keeper));
        pf(vault).receiveCollateral(MOVE);
        vm.prank(address(hostile));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(hostile)));
        pf(vault).receiveCollateral(MOVE);
    }

    function test_receive_refusesAListedPeerThatStoppedBeingTheOwners() public {
        // Even a real vault the owner listed, once it has changed hands.
        vm.startPrank(owner);
        spare.transferOwnership(stranger);
        vm.stopPrank();
        vm.prank(stranger);
        spare.acceptOwnership(true);
        collateralToken.mint(address(spare), MOVE);
        vm.prank(address(spare));
        collateralToken.approve(address(vault), MOVE);
        vm.prank(address(spare));
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(spare)));
        pf(vault).receiveCollateral(MOVE);
    }

    function test_move_revertsWhenTheDestinationTakesNothing() public {
        FakePeer fake = new FakePeer(owner, address(collateralToken));
        vm.prank(owner);
        pf(spare).setMovePeer(address(fake), true);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.MoveNotReceived.selector, address(fake)));
        pf(spare).moveCollateral(address(fake), MOVE, block.timestamp);
    }

    function test_move_revertsWhenTheDestinationReentersTheSource() public {
        FakePeer fake = new FakePeer(owner, address(collateralToken));
        fake.setMode(FakePeer.Mode.ReenterSource);
        vm.prank(owner);
        pf(spare).setMovePeer(address(fake), true);
        vm.prank(owner);
        spare.setKeeper(address(fake), true);
        vm.prank(keeper);
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        pf(spare).moveCollateral(address(fake), MOVE, block.timestamp);
    }

    function test_hooks_onlyTheVaultItself() public {
        address[3] memory callers = [stranger, keeper, owner];
        for (uint256 i = 0; i < callers.length; i++) {
            vm.startPrank(callers[i]);
            vm.expectRevert(IUnwindVault.NotSelf.selector);
            IVaultPortfolioHooks(address(spare)).portfolioWithdrawCollateral(1e18);
            vm.expectRevert(IUnwindVault.NotSelf.selector);
            IVaultPortfolioHooks(address(spare)).portfolioSupplyCollateral(1e18);
            vm.expectRevert(IUnwindVault.NotSelf.selector);
            IVaultPortfolioHooks(address(spare)).portfolioPosition();
            vm.stopPrank();
        }
    }

    function test_portfolioCode_aloneIsNobodysVault() public {
        // The implementation's portfolio code called directly: its owner is itself, it has no peers.
        UnwindVault impl = UnwindVault(factory.IMPLEMENTATION());
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        pf(impl).setMovePeer(address(vault), true);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.NotMovePeer.selector, address(this)));
        pf(impl).receiveCollateral(1);
    }

    // ---------------------------------------------------------------------------------------------
    // The owner's settings
    // ---------------------------------------------------------------------------------------------

    function test_setMovePeer_ownerOnlyBoundedAndNeverItself() public {
        vm.prank(keeper);
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        pf(spare).setMovePeer(address(strangers), true);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, address(spare)));
        pf(spare).setMovePeer(address(spare), true);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.ForbiddenTarget.selector, address(0)));
        pf(spare).setMovePeer(address(0), true);
        vm.expectEmit(address(spare));
        emit IUnwindVault.MovePeerSet(address(0xBEEF), true);
        pf(spare).setMovePeer(address(0xBEEF), true);
        assertTrue(pf(spare).isMovePeer(address(0xBEEF)));
        for (uint160 i = 1; i <= 14; i++) {
            pf(spare).setMovePeer(address(i), true);
        }
        assertEq(pf(spare).movePeers().length, 16);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.TooManyEntries.selector, 16));
        pf(spare).setMovePeer(address(15), true);
        pf(spare).setMovePeer(address(0xBEEF), false);
        assertFalse(pf(spare).isMovePeer(address(0xBEEF)));
        vm.stopPrank();
    }

    function test_setMoveCap_ownerOnlyAndAtMostAll() public {
        vm.prank(address(hostile));
        vm.expectRevert(IUnwindVault.NotOwner.selector);
        pf(spare).setMoveCap(10_000);
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IUnwindVault.InvalidPolicy.selector, "move cap must be <= 100%"));
        pf(spare).setMoveCap(10_001);
        vm.expectEmit(address(spare));
        emit IUnwindVault.MoveCapSet(2500);
        pf(spare).setMoveCap(2500);
        assertEq(pf(spare).maxMoveBps(), 2500);
        vm.stopPrank();
    }

    function test_transfer_clearsPeersUnlessKeptAndAlwaysTheReserve() public {
        vm.prank(owner);
        spare.transferOwnership(stranger);
        vm.expectEmit(address(spare));
        emit IUnwindVault.MovePeerSet(address(vault), false);
        vm.expectEmit(address(spare));
        emit IUnwindVault.SharedReserveSet(address(0));
        vm.prank(stranger);
        spare.acceptOwnership(false);
        assertEq(pf(spare).movePeers().length, 0);
        assertEq(pf(spare).sharedReserve(), address(0));
        assertEq(pf(spare).maxMoveBps(), 5000, "the cap is the position's and stays");

        vm.prank(owner);
        vault.transferOwnership(stranger);
        vm.prank(stranger);
        vault.acceptOwnership(true);
        assertTrue(pf(vault).isMovePeer(address(spare)), "kept with the keepers and routes");
        assertEq(pf(vault).sharedReserve(), address(0), "the reserve link is never kept");
    }

    function test_move_worksBetweenTheNewOwnersVaultsWhenPeersAreKept() public {
        // An owner moving both vaults to a new address (a multisig) and keeping access keeps the moves working.
        address multisig = makeAddr("multisig");
        vm.startPrank(owner);
        vault.transferOwnership(multisig);
        spare.transferOwnership(multisig);
        vm.stopPrank();
        vm.startPrank(multisig);
        vault.acceptOwnership(true);
        spare.acceptOwnership(true);
        vm.stopPrank();
        _move(keeper, spare, address(vault), MOVE);
        assertEq(collateralOf(address(vault)), 10e18 + MOVE);
    }

    /// @notice The portfolio's storage only appends to the first vault's: the owner still in slot 2, the soft trigger
    /// in slot 8, then the shared reserve and the move cap packed in slot 9 and the peers' set from slot 10.
    function test_storage_appendedAfterTheFirstVaultsLayout() public {
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);
        assertEq(address(uint160(uint256(vm.load(address(vault), bytes32(uint256(2)))))), owner);
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(8)))), 7600 | 500 << 16);
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(9)))), uint256(uint160(address(reserve))) | 5000 << 160);
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(10)))), 1, "one move peer");
    }
}
