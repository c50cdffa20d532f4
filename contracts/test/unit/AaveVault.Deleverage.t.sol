// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {HostileRouter} from "../utils/HostileRouter.sol";
import {IUnwindVault, Policy} from "../../src/interfaces/IUnwindVault.sol";
import {IAavePool} from "../../src/interfaces/IAaveV3.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Both of the Aave vault's sale paths through the real Uniswap V3 and V2 routers and the real Aave V3
/// pool: direct (withdraw, sell, repay: no flash loan, no premium) when the health factor stays >= 1 without the
/// collateral sold, flash (`flashLoanSimple`, repay, withdraw, sell, the pool pulls loan + premium) otherwise;
/// what each repays, keeps and pays, and the premium as the owner's cost inside the equity bound.
contract AaveVaultDeleverageTest is AaveVaultFixture {
    function setUp() public {
        setUpAaveVault();
        movePrice(CRASH_PRICE); // 75% -> 80.9%, HF 1.019
    }

    // ---- the direct path ----

    function test_direct_smallSale_withdrawsSellsAndRepaysWithoutAFlashLoan() public {
        assertTrue(directPathFor(DIRECT_SELL), "the fixture's small sale keeps HF >= 1 after the withdrawal");
        uint256 quote = quoteV3(DIRECT_SELL);
        uint256 required = requiredOf(DIRECT_SELL);
        uint256 debtBefore = debtOf(address(vault));
        uint256 ltvBefore = ltvOf(address(vault));

        vm.expectCall(address(aavePool), abi.encodeWithSelector(IAavePool.flashLoanSimple.selector), 0);
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(
            DIRECT_SELL, address(swapRouter), v3SellCalldata(address(vault), DIRECT_SELL, 0), 0, block.timestamp, 0
        );

        assertEq(repaid, required, "repays exactly what the vault requires");
        assertEq(proceeds, quote);
        assertEq(collateralOf(address(vault)), 10e18 - DIRECT_SELL);
        assertApproxEqAbs(debtOf(address(vault)), debtBefore - required, 1, "debt down by the repayment (Aave rounding)");
        assertEq(vault.reserve(), quote - required, "the surplus stays as reserve: no premium paid");
        assertLt(ltvOf(address(vault)), ltvBefore);
        assertGe(healthFactorOf(address(vault)), 1e18);
    }

    function test_direct_v2() public {
        assertTrue(directPathFor(DIRECT_SELL));
        vm.expectCall(address(aavePool), abi.encodeWithSelector(IAavePool.flashLoanSimple.selector), 0);
        vm.prank(keeper);
        (uint256 repaid,) = vault.deleverage(
            DIRECT_SELL, address(v2Router), v2SellCalldata(address(vault), DIRECT_SELL, 0), 0, block.timestamp, 0
        );
        assertGt(repaid, 0);
        assertEq(collateralOf(address(vault)), 10e18 - DIRECT_SELL);
    }

    // ---- the flash path ----

    function test_flash_largeSale_flashBorrowsTheRepaymentAndPaysThePremiumFromTheProceeds() public {
        assertFalse(directPathFor(FLASH_SELL), "the fixture's large sale needs the debt repaid first");
        uint256 quote = quoteV3(FLASH_SELL);
        uint256 required = requiredOf(FLASH_SELL);
        uint256 premium = premiumOf(required);
        assertGt(premium, 0);
        uint256 fee = 10e6; // under the 0.5% cap; the pool's 0.3% fee and the premium leave room for it
        uint256 debtBefore = debtOf(address(vault));
        uint256 ltvBefore = ltvOf(address(vault));

        vm.expectCall(
            address(aavePool),
            abi.encodeWithSelector(IAavePool.flashLoanSimple.selector, address(vault), address(loanToken), required),
            1
        );
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(
            FLASH_SELL, address(swapRouter), v3SellCalldata(address(vault), FLASH_SELL, 0), 0, block.timestamp, fee
        );

        assertEq(repaid, required);
        assertEq(proceeds, quote);
        assertEq(collateralOf(address(vault)), 10e18 - FLASH_SELL);
        assertApproxEqAbs(debtOf(address(vault)), debtBefore - required, 1);
        assertEq(vault.reserve(), quote - required - premium - fee, "premium and fee paid from the proceeds");
        assertEq(loanBalance(keeper), fee);
        assertLt(ltvOf(address(vault)), bps(8000), "under the trigger");
        assertLt(ltvOf(address(vault)), ltvBefore);
        assertGe(healthFactorOf(address(vault)), 1e18);
    }

    function test_flash_emitsDeleveragedWithWhatHappened() public {
        uint256 quote = quoteV3(FLASH_SELL);
        uint256 required = requiredOf(FLASH_SELL);
        uint256 ltvBefore = ltvOf(address(vault));
        vm.recordLogs();
        vm.prank(keeper);
        vault.deleverage(FLASH_SELL, address(swapRouter), v3SellCalldata(address(vault), FLASH_SELL, 0), 0, block.timestamp, 0);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 topic = IUnwindVault.Deleveraged.selector;
        uint256 found;
        for (uint256 i = 0; i < logs.length; i++) {
            if (logs[i].emitter != address(vault) || logs[i].topics[0] != topic) continue;
            found++;
            assertEq(address(uint160(uint256(logs[i].topics[1]))), keeper);
            assertEq(address(uint160(uint256(logs[i].topics[2]))), address(swapRouter));
            (uint256 sold, uint256 repaid, uint256 proceeds, uint256 fee, uint256 before, uint256 afterLtv) =
                abi.decode(logs[i].data, (uint256, uint256, uint256, uint256, uint256, uint256));
            assertEq(sold, FLASH_SELL);
            assertEq(repaid, required);
            assertEq(proceeds, quote, "proceeds are the swap's output, premium not deducted");
            assertEq(fee, 0);
            assertEq(before, ltvBefore);
            assertEq(afterLtv, ltvOf(address(vault)));
        }
        assertEq(found, 1);
    }

    function test_flash_v2() public {
        uint256 sell = 1e18; // the V2 pool is shallower
        assertFalse(directPathFor(sell));
        uint256 required = requiredOf(sell);
        vm.prank(keeper);
        (uint256 repaid,) =
            vault.deleverage(sell, address(v2Router), v2SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);
        assertEq(repaid, required);
        assertEq(collateralOf(address(vault)), 9e18);
    }

    function test_flash_fullRepayment_closesTheDebtExactly() public {
        Policy memory p = defaultPolicy();
        p.bandBps = p.targetLtvBps; // no oversell floor: the sale may close the position
        p.maxSlippageBps = 1000; // selling 90% of the collateral at once needs the widest equity allowance
        setPolicy(p);
        uint256 sell = 9e18; // worth more than the whole debt
        assertGe(requiredOf(sell), debtOf(address(vault)));
        vm.prank(keeper);
        (uint256 repaid,) =
            vault.deleverage(sell, address(swapRouter), v3SellCalldata(address(vault), sell, 0), 0, block.timestamp, 0);
        assertEq(debtOf(address(vault)), 0, "no dust of debt left");
        assertGt(repaid, 0);
        assertEq(collateralOf(address(vault)), 1e18);
    }

    // ---- the premium is the owner's cost ----

    function test_flash_proceedsMustCoverThePremiumOnTopOfTheRepaymentAndTheFee() public {
        HostileRouter router = _hostileRouter();
        uint256 required = requiredOf(FLASH_SELL);
        uint256 premium = premiumOf(required);
        uint256 fee = 1e6;
        // Pays the repayment and the fee, one unit short of the premium.
        router.setPlan(_plan(FLASH_SELL, required + fee + premium - 1));
        vm.prank(keeper);
        vm.expectRevert(
            abi.encodeWithSelector(IUnwindVault.InsufficientProceeds.selector, required + fee + premium - 1, required + fee + premium)
        );
        vault.deleverage(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, fee);

        // Exactly enough goes through, and the owner's equity falls by at most the allowance.
        router.setPlan(_plan(FLASH_SELL, required + fee + premium));
        uint256 price = priceNow();
        uint256 equityBefore = equityOf(address(vault), price);
        uint256 allowance = equityAllowanceOf(vault, price);
        vm.prank(keeper);
        vault.deleverage(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, fee);
        assertGe(equityOf(address(vault), price) + allowance, equityBefore, "equity bound, premium included");
        assertEq(vault.reserve(), 0, "nothing left over: the proceeds paid repayment, premium and fee");
    }

    function test_direct_proceedsNeedNoPremium() public {
        HostileRouter router = _hostileRouter();
        uint256 required = requiredOf(DIRECT_SELL);
        router.setPlan(_plan(DIRECT_SELL, required));
        vm.prank(keeper);
        (uint256 repaid, uint256 proceeds) = vault.deleverage(
            DIRECT_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0
        );
        assertEq(repaid, required);
        assertEq(proceeds, required);
    }

    function test_routerTakingPartOfTheCollateral_unsoldGoesBackToAave() public {
        HostileRouter router = _hostileRouter();
        uint256 half = FLASH_SELL / 2;
        uint256 required = requiredOf(FLASH_SELL);
        router.setPlan(_plan(half, required + premiumOf(required)));
        vm.prank(keeper);
        vault.deleverage(FLASH_SELL, address(router), abi.encodeCall(HostileRouter.swap, (0, 0)), 0, block.timestamp, 0);
        assertEq(collateralOf(address(vault)), 10e18 - half, "the half not taken is supplied again");
        assertEq(collateralToken.allowance(address(vault), address(router)), 0, "no allowance left");
        assertEq(collateralToken.balanceOf(address(vault)), 0);
    }

    function _hostileRouter() internal returns (HostileRouter router) {
        router = new HostileRouter(address(collateralToken));
        vm.prank(owner);
        vault.setRoute(address(router), HostileRouter.swap.selector, true);
    }

    function _plan(uint256 pull, uint256 pay) internal view returns (HostileRouter.Plan memory p) {
        (p.pull, p.payToken, p.pay) = (pull, address(loanToken), pay);
    }
}
