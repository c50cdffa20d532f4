// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";

import {HedgeFixture} from "../utils/HedgeFixture.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";
import {UnwindHedge} from "../../src/UnwindHedge.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The hedge's rules with an honest router (Uniswap V3 on the real local pools): who may do what, when the
/// keeper may open, grow, buy back and release profit, what each costs at most, and the owner's exits.
contract UnwindHedgeTest is HedgeFixture {
    uint256 internal constant SHORT = 4e18;

    function setUp() public {
        setUpHedge();
    }

    // ---- construction and ownership ----

    function test_constructor_refusesAMarketThatIsNotTheVaultsReverse() public {
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.WrongMarket.selector, "its loan must be the vault's collateral"));
        new UnwindHedge(morpho, address(vault), marketParams, defaultHedgePolicy());
    }

    function test_constructor_refusesAMarketMorphoDoesNotHave() public {
        MarketParams memory missing = reverseParams;
        missing.lltv = 0.5e18;
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.WrongMarket.selector, "no such Morpho market"));
        new UnwindHedge(morpho, address(vault), missing, defaultHedgePolicy());
    }

    function test_theOwnerIsTheVaultsOwnerNowAndAVaultTransferCarriesTheHedge() public {
        assertEq(hedge.owner(), owner);
        address next = makeAddr("next-owner");
        vm.prank(owner);
        vault.transferOwnership(next);
        vm.prank(next);
        vault.acceptOwnership(true);
        assertEq(hedge.owner(), next);

        vm.prank(owner);
        vm.expectRevert(UnwindHedge.NotOwner.selector);
        hedge.withdraw(1, owner);
        vm.prank(next);
        hedge.withdraw(1e6, next);
        assertEq(loanToken.balanceOf(next), 1e6);
    }

    function test_nobodyButTheOwnerUsesTheOwnersFunctions() public {
        address[2] memory others = [keeper, stranger];
        for (uint256 i = 0; i < others.length; i++) {
            vm.startPrank(others[i]);
            vm.expectRevert(UnwindHedge.NotOwner.selector);
            hedge.deposit(1);
            vm.expectRevert(UnwindHedge.NotOwner.selector);
            hedge.withdraw(1, others[i]);
            vm.expectRevert(UnwindHedge.NotOwner.selector);
            hedge.repayWithAsset(1);
            vm.expectRevert(UnwindHedge.NotOwner.selector);
            hedge.sweep(address(loanToken), 0, others[i]);
            vm.expectRevert(UnwindHedge.NotOwner.selector);
            hedge.setPolicy(defaultHedgePolicy());
            vm.stopPrank();
        }
    }

    function test_setPolicy_refusesEachRuleOutOfBounds() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.maxRatioBps = 10_001;
        _expectPolicyRefused(p, "ratio must be <= 100%");
        p = defaultHedgePolicy();
        p.openLtvBps = 10_001;
        _expectPolicyRefused(p, "open LTV must be <= 100%");
        p = defaultHedgePolicy();
        p.targetLtvBps = 0;
        _expectPolicyRefused(p, "target must be > 0 and under the trigger");
        p = defaultHedgePolicy();
        p.targetLtvBps = p.triggerLtvBps;
        _expectPolicyRefused(p, "target must be > 0 and under the trigger");
        p = defaultHedgePolicy();
        p.triggerLtvBps = 8600; // the reverse market's LLTV
        _expectPolicyRefused(p, "trigger must be under the reverse market's LLTV");
        p = defaultHedgePolicy();
        p.maxSlippageBps = 1001;
        _expectPolicyRefused(p, "slippage must be <= 10%");
        p = defaultHedgePolicy();
        p.maxFeeBps = 101;
        _expectPolicyRefused(p, "fee must be <= 1%");
        p = defaultHedgePolicy();
        p.cooldown = 1 days + 1;
        _expectPolicyRefused(p, "cooldown must be <= 1 day");
    }

    // ---- open ----

    function test_open_sellsTheBorrowedAssetAndSuppliesTheProceeds() public {
        uint256 fee = 10e6;
        uint256 expected = quoteV3(SHORT);
        uint256 proceeds = _open(SHORT, fee);

        assertEq(proceeds, expected);
        (uint256 coll, uint256 debt, uint256 held) = hedge.position();
        assertEq(debt, SHORT);
        assertEq(coll, 20_000e6 + proceeds - fee);
        assertEq(held, 0);
        assertEq(loanToken.balanceOf(keeper), fee);
        assertEq(collateralToken.allowance(address(hedge), address(swapRouter)), 0);
        assertLe(hedgeLtv(), LtvMath.bpsToWad(defaultHedgePolicy().targetLtvBps));
        assertEq(hedge.lastActionAt(), block.timestamp);
    }

    function test_open_isRefusedWhileTheVaultIsUnderTheOwnersOpenLtv() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.openLtvBps = 7600; // the vault is at 75%
        setHedgePolicy(p);
        uint256 vaultLtv = ltvOf(address(vault));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.NotInDanger.selector, vaultLtv, 0.76e18));
        hedge.open(SHORT, address(swapRouter), _sellData(SHORT), block.timestamp, 0);
    }

    function test_open_isRefusedToStrangersWhilePausedAndAfterTheDeadline() public {
        bytes memory data = _sellData(SHORT);
        vm.prank(stranger);
        vm.expectRevert(UnwindHedge.NotKeeper.selector);
        hedge.open(SHORT, address(swapRouter), data, block.timestamp, 0);

        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.Expired.selector, block.timestamp - 1));
        hedge.open(SHORT, address(swapRouter), data, block.timestamp - 1, 0);

        vm.prank(owner);
        vault.setPaused(true);
        vm.prank(keeper);
        vm.expectRevert(UnwindHedge.Paused.selector);
        hedge.open(SHORT, address(swapRouter), data, block.timestamp, 0);
    }

    function test_open_isRefusedThroughAFunctionTheVaultDoesNotAllow() public {
        bytes4 other = bytes4(keccak256("exactInput((bytes,address,uint256,uint256,uint256))"));
        bytes memory data = abi.encodePacked(other, _sellData(SHORT));
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.RouteNotAllowed.selector, address(swapRouter), other));
        hedge.open(SHORT, address(swapRouter), data, block.timestamp, 0);
    }

    function test_open_isRefusedPastTheRatioOfTheVaultsCollateral() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.maxRatioBps = 1000; // 10% of 10 WETH
        setHedgePolicy(p);
        uint256 tooMuch = 1e18 + 1;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.RatioExceeded.selector, tooMuch, 1e18));
        hedge.open(tooMuch, address(swapRouter), _sellData(tooMuch), block.timestamp, 0);
        _open(0.6e18, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.RatioExceeded.selector, 1.1e18, 1e18));
        hedge.open(0.5e18, address(swapRouter), _sellData(0.5e18), block.timestamp, 0); // growing past it too
        _open(0.4e18, 0); // up to exactly the ratio
        (, uint256 debt,) = hedge.position();
        assertEq(debt, 1e18);
    }

    function test_open_isRefusedWhenTheHedgeWouldEndOverItsTarget() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.triggerLtvBps = 3000;
        p.targetLtvBps = 2000;
        setHedgePolicy(p);
        vm.prank(keeper);
        vm.expectPartialRevert(UnwindHedge.AboveTarget.selector);
        hedge.open(SHORT, address(swapRouter), _sellData(SHORT), block.timestamp, 0);
        _open(1e18, 0); // a smaller short fits
        assertLe(hedgeLtv(), 0.2e18);
    }

    function test_open_aFeeOverTheCapIsRefused() public {
        uint256 size = 0.5e18; // small enough for the pool to leave room for the fee over the floor
        uint256 cap = LtvMath.collateralValue(size, oraclePrice()) * 50 / 10_000;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.FeeTooHigh.selector, cap + 1, cap));
        hedge.open(size, address(swapRouter), _sellData(size), block.timestamp, cap + 1);
        _open(size, cap);
        assertEq(loanToken.balanceOf(keeper), cap);
    }

    function test_open_proceedsMustCoverTheFloorAndTheFee() public {
        // 4 WETH through the local pool come out ~0.9% under the oracle: over the 1% floor, but not with a 60 USDC fee.
        uint256 proceeds = quoteV3(SHORT);
        uint256 floor = LtvMath.oracleFloor(SHORT, oraclePrice(), 100);
        uint256 fee = proceeds - floor + 1;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.InsufficientProceeds.selector, proceeds, floor + fee));
        hedge.open(SHORT, address(swapRouter), _sellData(SHORT), block.timestamp, fee);
    }

    function test_theCooldownSpacesTheKeepersOpensAndCloses() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.cooldown = 1 hours;
        setHedgePolicy(p);
        _open(1e18, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.Cooldown.selector, block.timestamp + 1 hours));
        hedge.open(1e18, address(swapRouter), _sellData(1e18), block.timestamp, 0);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.Cooldown.selector, block.timestamp + 1 hours));
        hedge.close(1000e6, address(swapRouter), _buyData(1000e6), block.timestamp, 0);
        skip(1 hours);
        _open(1e18, 0);
    }

    function test_aBuyBackOfAHedgeAtItsTriggerIsNotHeldByTheCooldown() public {
        UnwindHedge.HedgePolicy memory p = defaultHedgePolicy();
        p.cooldown = 1 hours;
        setHedgePolicy(p);
        _open(SHORT, 0);
        // The price rises: the short's LTV passes its 75% trigger. (Its 20,000 + ~11,900 USDC against 4 WETH.)
        movePrice(6000e8);
        assertGe(hedgeLtv(), 0.75e18);
        // A dust buy-back right after the open would have been held; this one protects the short, so it goes through.
        _close(2000e6, 0);
        assertEq(hedge.lastActionAt(), block.timestamp);
        // Under the trigger again, the cooldown holds the next one.
        assertLt(hedgeLtv(), 0.75e18);
        bytes memory data = _buyData(1000e6);
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.Cooldown.selector, block.timestamp + 1 hours));
        hedge.close(1000e6, address(swapRouter), data, block.timestamp, 0);
    }

    // ---- close and profit ----

    function test_close_afterAFallBuysBackCheaperRepaysAllAndLeavesAProfit() public {
        _open(SHORT, 0);
        int256 equityAfterOpen = ownerEquity();
        movePrice(CRASH_PRICE); // 3000 -> 2700
        // The hedge gained about 4 x 300 while the vault's 10 WETH lost 3000.
        uint256 quote = 11_000e6;
        uint256 repaid = _close(quote, 0);

        (uint256 coll, uint256 debt, uint256 held) = hedge.position();
        assertEq(debt, 0);
        assertEq(repaid, SHORT);
        assertGt(held, 0); // bought a little more than the debt: loose, the owner's
        uint256 profit = coll + LtvMath.collateralValue(held, oraclePrice()) - hedge.principal();
        // 4 x 300 less the two swaps through the local pool (0.3% fee each, and price impact).
        assertGt(profit, 900e6);
        assertLt(profit, 1200e6);
        // Since the open, the hedge offset the fall on 4 of the vault's 10 WETH, less the buy-back's cost.
        int256 change = ownerEquity() - equityAfterOpen;
        assertGt(change, -int256(3000e6) + int256(1100e6));
        assertLt(change, -int256(3000e6) + int256(1200e6));
    }

    function test_close_partialLowersTheHedgesLtv() public {
        _open(SHORT, 0);
        uint256 before = hedgeLtv();
        _close(3000e6, 3e6);
        (, uint256 debt,) = hedge.position();
        assertGt(debt, 0);
        assertLt(hedgeLtv(), before);
        assertEq(loanToken.balanceOf(keeper), 3e6);
        assertEq(loanToken.allowance(address(hedge), address(swapRouter)), 0);
    }

    function test_close_withNoShortIsRefused() public {
        vm.prank(keeper);
        vm.expectRevert(UnwindHedge.NoShort.selector);
        hedge.close(1000e6, address(swapRouter), _buyData(1000e6), block.timestamp, 0);
    }

    function test_close_aFeeOverTheCapIsRefused() public {
        _open(SHORT, 0);
        uint256 quote = 2000e6;
        uint256 cap = quote * 50 / 10_000;
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.FeeTooHigh.selector, cap + 1, cap));
        hedge.close(quote, address(swapRouter), _buyData(quote - cap - 1), block.timestamp, cap + 1);
    }

    function test_releaseProfit_sendsOnlyTheProfitToTheVaultWhoseReserveThenRepaysItsDebt() public {
        _open(SHORT, 0);
        movePrice(CRASH_PRICE); // the vault is over its 80% trigger
        _close(11_000e6, 0);
        (uint256 coll,, uint256 held) = hedge.position();
        uint256 profit = coll + LtvMath.collateralValue(held, oraclePrice()) - hedge.principal();

        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.ProfitExceeded.selector, profit + 1, profit));
        hedge.releaseProfit(profit + 1, block.timestamp);

        uint256 principalBefore = hedge.principal();
        int256 equityBefore = ownerEquity();
        vm.prank(keeper);
        hedge.releaseProfit(profit, block.timestamp);
        assertEq(loanToken.balanceOf(address(vault)), profit);
        assertEq(hedge.principal(), principalBefore);
        assertEq(ownerEquity(), equityBefore); // one pocket to another

        // The vault's reserve now repays its debt: a top-up funded by the hedge.
        uint256 ltvBefore = ltvOf(address(vault));
        assertGe(ltvBefore, 0.8e18);
        vm.prank(keeper);
        vault.topUp(profit, block.timestamp, 0);
        assertLt(ltvOf(address(vault)), ltvBefore);
    }

    function test_releaseProfit_nothingWithoutAProfit() public {
        _open(SHORT, 0); // the swap cost a little: the hedge is slightly under its principal
        vm.prank(keeper);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.ProfitExceeded.selector, 1, 0));
        hedge.releaseProfit(1, block.timestamp);
    }

    // ---- the owner's exits ----

    function test_theOwnerExitsWhilePausedWithTheVaultsPriceUnreadable() public {
        _open(SHORT, 0);
        vm.startPrank(owner);
        vault.setPaused(true);
        vm.stopPrank();
        vm.mockCallRevert(address(oracle), abi.encodeWithSignature("price()"), "stale");

        // The keeper cannot act on a price it cannot read...
        vm.prank(keeper);
        vm.expectRevert();
        hedge.close(1000e6, address(swapRouter), _buyData(1000e6), block.timestamp, 0);

        // ...the owner repays with their own WETH (no health check, no price) and takes everything out.
        collateralToken.mint(owner, SHORT + 1);
        vm.startPrank(owner);
        collateralToken.approve(address(hedge), SHORT + 1);
        hedge.repayWithAsset(type(uint256).max);
        hedge.withdraw(type(uint256).max, owner);
        vm.stopPrank();
        (uint256 coll, uint256 debt,) = hedge.position();
        assertEq(coll, 0);
        assertEq(debt, 0);
        assertEq(hedge.principal(), 0);
        assertGt(loanToken.balanceOf(owner), 20_000e6);
    }

    function test_theOwnerSweepsWhatTheHedgeHoldsLoose() public {
        _open(SHORT, 0);
        movePrice(CRASH_PRICE);
        _close(11_000e6, 0);
        (,, uint256 held) = hedge.position();
        vm.prank(owner);
        hedge.sweep(address(collateralToken), held, owner);
        assertEq(collateralToken.balanceOf(owner), held);
    }

    function test_depositAndWithdrawKeepThePrincipal() public {
        assertEq(hedge.principal(), 20_000e6);
        depositToHedge(5000e6);
        assertEq(hedge.principal(), 25_000e6);
        vm.prank(owner);
        hedge.withdraw(7000e6, owner);
        assertEq(hedge.principal(), 18_000e6);
    }

    // ---- helpers ----

    function _sellData(uint256 assets) internal view returns (bytes memory) {
        return v3Swap(address(collateralToken), assets, 0);
    }

    function _buyData(uint256 quoteIn) internal view returns (bytes memory) {
        return v3Swap(address(loanToken), quoteIn, 0);
    }

    function _open(uint256 assets, uint256 fee) internal returns (uint256) {
        vm.prank(keeper);
        return hedge.open(assets, address(swapRouter), _sellData(assets), block.timestamp, fee);
    }

    function _close(uint256 quote, uint256 fee) internal returns (uint256) {
        vm.prank(keeper);
        return hedge.close(quote, address(swapRouter), _buyData(quote - fee), block.timestamp, fee);
    }

    function _expectPolicyRefused(UnwindHedge.HedgePolicy memory p, string memory reason) internal {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(UnwindHedge.InvalidPolicy.selector, reason));
        hedge.setPolicy(p);
    }
}
