// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMorpho, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IMorphoRepayCallback} from "@morpho-blue/interfaces/IMorphoCallbacks.sol";

import {VaultFixture} from "../utils/VaultFixture.sol";
import {Guard} from "../../src/interfaces/IUnwindVault.sol";
import {IVaultPortfolio} from "../../src/interfaces/IVaultPortfolio.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";

/// @notice Gas of the keeper's calls, written to snapshots/Unwind.json. Isolated: each call runs as its
/// own transaction, so accounts and storage are cold as on chain and the figure is what the receipt
/// shows (21,000 base and calldata included, refunds deducted). `bare_v3_single_hop` is the same sale
/// without the vault: Morpho repay with callback, withdrawCollateral, the approval and the Uniswap V3
/// swap, from a borrower that checks nothing; deleverage / bare is the price of the vault's checks, all of
/// them on (the price guard and the rate limit included).
/// forge-config: default.isolate = true
contract DeleverageGasTest is VaultFixture {
    uint256 internal constant SELL_V3 = 2e18;
    uint256 internal constant SELL_V2 = 1e18;
    uint256 internal constant TOP_UP = 3000e6;

    BareBorrower internal bare;
    bytes internal v3Data;
    bytes internal v2Data;
    bytes internal bareV3Data;
    uint256 internal bareRepay;

    function setUp() public {
        setUpVault();
        // Every check on: the price guard (age and deviation against the market's own feed) and the rate limit.
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 500, 1 days, 5000));
        bare = new BareBorrower(morpho, marketParams, swapRouter);
        collateralToken.mint(address(bare), 10e18);
        bare.open(10e18, debtOf(address(vault)));
        loanToken.mint(address(vault), 5000e6);
        loanToken.mint(address(bare), TOP_UP);
        loanToken.mint(keeper, 1e6); // fees from earlier actions: paying one more does not create a balance
        movePrice(CRASH_PRICE);
        v3Data = v3SellCalldata(address(vault), SELL_V3, 0);
        v2Data = v2SellCalldata(address(vault), SELL_V2, 0);
        bareV3Data = v3SellCalldata(address(bare), SELL_V3, 0);
        bareRepay = floorOf(SELL_V3); // the same debt the vault's sale repays
    }

    function test_gas_deleverage_uniswapV3SingleHop_againstTheBareProtocolCalls() public {
        // The same sale from the bare borrower first, rolled back; then the vault's.
        uint256 snap = vm.snapshotState();
        bare.deleverage(SELL_V3, bareRepay, bareV3Data);
        uint256 bareGas = vm.snapshotGasLastCall("Unwind", "bare_v3_single_hop");
        assertEq(collateralOf(address(bare)), 10e18 - SELL_V3, "the bare borrower sold");
        vm.revertToState(snap);

        vm.prank(keeper);
        vault.deleverage(SELL_V3, address(swapRouter), v3Data, 0, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "deleverage_v3_single_hop");
        assertLt(ltvOf(address(vault)), bps(8000), "the measured call did deleverage");
        assertLe(gas, 250_000);
        assertLe(gas * 10, bareGas * 13, "the vault's checks cost at most 30% over the bare calls");
    }

    function test_gas_deleverage_uniswapV2SingleHop() public {
        vm.prank(keeper);
        vault.deleverage(SELL_V2, address(v2Router), v2Data, 0, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "deleverage_v2_single_hop");
        assertEq(collateralOf(address(vault)), 10e18 - SELL_V2, "the measured call did deleverage");
        assertLe(gas, 250_000);
    }

    function test_gas_topUp_againstTheBareRepay() public {
        // The same repayment from the bare borrower's own balance first, rolled back; then the vault's top-up.
        uint256 snap = vm.snapshotState();
        uint256 debtBefore = debtOf(address(bare));
        bare.repay(TOP_UP);
        vm.snapshotGasLastCall("Unwind", "bare_repay");
        assertLt(debtOf(address(bare)), debtBefore, "the bare borrower repaid");
        vm.revertToState(snap);

        vm.prank(keeper);
        vault.topUp(TOP_UP, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "topUp");
        assertEq(vault.reserve(), 5000e6 - TOP_UP - 1e6, "the measured call did top up");
        assertLe(gas, 150_000);
    }

    /// @notice The same top-up when the vault holds only 1,000 of the 3,001 it needs and draws the rest from the
    /// owner's shared reserve (`topUp_shared`): the shortfall branch adds the reserve's `available`, its `draw` (a
    /// cold contract, the vault's owner read back, the limit written, a token transfer) and a balance check.
    function test_gas_topUp_drawingFromTheSharedReserve() public {
        vm.startPrank(owner);
        vault.withdrawReserve(4000e6, owner);
        SharedReserve reserve = new SharedReserve(owner);
        reserve.setLimit(address(vault), address(loanToken), 10_000e6);
        IVaultPortfolio(address(vault)).setSharedReserve(address(reserve));
        vm.stopPrank();
        loanToken.mint(address(reserve), 10_000e6);

        vm.prank(keeper);
        vault.topUp(TOP_UP, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "topUp_shared");
        assertEq(loanToken.balanceOf(address(reserve)), 10_000e6 - (TOP_UP + 1e6 - 1000e6), "the shortfall was drawn");
        assertLe(gas, 200_000);
    }

    /// @notice A collateral move of 2 of 10 collateral from a second vault of the owner's (40% LTV) to the crashed
    /// vault (`moveCollateral`): the source's checks and withdrawal, the destination's checks (its price guard on),
    /// pull and supply, each side's position read before and after.
    function test_gas_moveCollateral() public {
        UnwindVault spare = openVault(owner, 10e18, 4000);
        vm.startPrank(owner);
        spare.setPolicy(defaultPolicy());
        spare.setKeeper(keeper, true);
        IVaultPortfolio(address(spare)).setMovePeer(address(vault), true);
        IVaultPortfolio(address(spare)).setMoveCap(5000);
        IVaultPortfolio(address(vault)).setMovePeer(address(spare), true);
        vm.stopPrank();

        vm.prank(keeper);
        IVaultPortfolio(address(spare)).moveCollateral(address(vault), 2e18, block.timestamp);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "moveCollateral");
        assertEq(collateralOf(address(vault)), 12e18, "the measured move went through");
        assertLe(gas, 300_000);
    }

    /// @notice The soft zone's cost: the same complete V3 sale (30% of the collateral, repaying nearly all it
    /// fetches) from over the trigger (`deleverage_v3_full_hard`) and from the soft zone, 78% with the soft trigger at
    /// 76% (`deleverage_v3_full_soft`). The hard path never reads the soft trigger's slot; the soft one pays one cold
    /// read of it and the check that the sale ended at or under the target.
    function test_gas_softZoneSale_againstTheSameHardSale() public {
        uint256 sell = 3e18;
        bytes memory data = v3SellCalldata(address(vault), sell, 0);
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);

        uint256 snap = vm.snapshotState();
        uint256 minRepaid = quoteV3(sell) - 1e6 - 1; // all the sale fetches but the fee
        vm.prank(keeper);
        vault.deleverage(sell, address(swapRouter), data, minRepaid, block.timestamp, 1e6);
        uint256 hard = vm.snapshotGasLastCall("Unwind", "deleverage_v3_full_hard");
        assertEq(collateralOf(address(vault)), 10e18 - sell, "the measured hard sale went through");
        vm.revertToState(snap);

        movePrice(2885e8); // 75% -> 78%: under the 80% trigger, over the 76% soft trigger
        assertLt(ltvOf(address(vault)), bps(8000));
        minRepaid = quoteV3(sell) - 1e6 - 1; // all it fetches but the fee
        vm.prank(keeper);
        vault.deleverage(sell, address(swapRouter), data, minRepaid, block.timestamp, 1e6);
        uint256 soft = vm.snapshotGasLastCall("Unwind", "deleverage_v3_full_soft");
        assertLe(ltvOf(address(vault)), bps(7000), "the measured soft sale ended at the target or under");
        assertLe(soft, hard + 5000, "the soft zone costs about one cold slot more");
    }

    /// @notice What each part of the guard costs: the same V3 sale and the same top-up with the guard off, the
    /// price guard alone (the feed's age and its deviation from the market oracle), the rate limit alone, and
    /// both (as in the figures above). Written as `<action>_guard_<off|feed|window|both>`.
    function test_gas_eachGuardCheck() public {
        Guard[4] memory guards = [
            Guard(address(0), 0, 0, 0, 0),
            Guard(address(feed), 1 hours, 500, 0, 0),
            Guard(address(0), 0, 0, 1 days, 5000),
            Guard(address(feed), 1 hours, 500, 1 days, 5000)
        ];
        string[4] memory names = ["off", "feed", "window", "both"];
        uint256[4] memory sale;
        uint256[4] memory topUp;
        for (uint256 i = 0; i < 4; i++) {
            uint256 snap = vm.snapshotState();
            vm.prank(owner);
            vault.setGuard(guards[i]);
            vm.prank(keeper);
            vault.deleverage(SELL_V3, address(swapRouter), v3Data, 0, block.timestamp, 1e6);
            sale[i] = vm.snapshotGasLastCall("Unwind", string.concat("deleverage_v3_guard_", names[i]));
            assertEq(collateralOf(address(vault)), 10e18 - SELL_V3, "the measured sale went through");
            vm.revertToState(snap);

            vm.prank(owner);
            vault.setGuard(guards[i]);
            vm.prank(keeper);
            vault.topUp(TOP_UP, block.timestamp, 1e6);
            topUp[i] = vm.snapshotGasLastCall("Unwind", string.concat("topUp_guard_", names[i]));
            assertEq(vault.reserve(), 5000e6 - TOP_UP - 1e6, "the measured top-up went through");
            vm.revertToState(snap);
        }
        for (uint256 i = 1; i < 4; i++) {
            assertGt(sale[i], sale[0], "a check costs something");
            assertLe(sale[i] - sale[0], 20_000, "and at most 20k gas on a sale");
            assertGt(topUp[i] + 3000, topUp[0], "a top-up does not get cheaper with a check on");
            assertLe(topUp[i] > topUp[0] ? topUp[i] - topUp[0] : 0, 20_000, "and at most 20k gas on a top-up");
        }
    }
}

/// @notice A borrower with nothing but the protocol calls of a deleverage: no policy, no checks.
contract BareBorrower is IMorphoRepayCallback {
    IMorpho internal immutable MORPHO;
    ISwapRouter internal immutable ROUTER;
    MarketParams internal params;

    constructor(IMorpho morpho, MarketParams memory params_, ISwapRouter router) {
        MORPHO = morpho;
        ROUTER = router;
        params = params_;
        IERC20(params_.loanToken).approve(address(morpho), type(uint256).max);
        IERC20(params_.collateralToken).approve(address(morpho), type(uint256).max);
    }

    function open(uint256 collateral, uint256 debt) external {
        MORPHO.supplyCollateral(params, collateral, address(this), "");
        MORPHO.borrow(params, debt, 0, address(this), address(this));
    }

    function repay(uint256 assets) external {
        MORPHO.repay(params, assets, 0, address(this), "");
    }

    function deleverage(uint256 sell, uint256 repayAssets, bytes calldata swapData) external {
        MORPHO.repay(params, repayAssets, 0, address(this), abi.encode(sell, swapData));
    }

    function onMorphoRepay(uint256, bytes calldata data) external {
        (uint256 sell, bytes memory swapData) = abi.decode(data, (uint256, bytes));
        MORPHO.withdrawCollateral(params, sell, address(this), address(this));
        IERC20(params.collateralToken).approve(address(ROUTER), sell);
        (bool ok,) = address(ROUTER).call(swapData);
        require(ok);
    }
}
