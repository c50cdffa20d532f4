// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {ISwapRouter} from "../utils/UniswapInterfaces.sol";
import {Guard} from "../../src/interfaces/IUnwindVault.sol";
import {IAavePool, IFlashLoanSimpleReceiver} from "../../src/interfaces/IAaveV3.sol";

/// @notice Gas of the Aave vault's keeper calls, written to snapshots/Unwind.json beside the Morpho vault's.
/// Isolated (each call its own transaction: cold accounts and storage, the receipt's figure). The bare figures
/// are the same sales without the vault, from a borrower that checks nothing: `aave_bare_v3_direct` withdraws,
/// sells through Uniswap V3 and repays; `aave_bare_v3_flash` flash-borrows the repayment, repays, withdraws and
/// sells. Every check of the vault is on (the price guard and the rate limit included); vault / bare is the price
/// of those checks and must stay under 1.3.
/// forge-config: default.isolate = true
contract AaveDeleverageGasTest is AaveVaultFixture {
    uint256 internal constant TOP_UP = 3000e6;

    AaveBareBorrower internal bare;

    function setUp() public {
        setUpAaveVault();
        vm.prank(owner);
        vault.setGuard(Guard(address(feed), 1 hours, 500, 1 days, 5000));
        bare = new AaveBareBorrower(aavePool, address(collateralToken), address(loanToken), swapRouter);
        collateralToken.mint(address(bare), 10e18);
        bare.open(10e18, debtOf(address(vault)));
        loanToken.mint(address(vault), 5000e6);
        loanToken.mint(address(bare), 5000e6);
        loanToken.mint(keeper, 1e6); // fees from earlier actions: paying one more does not create a balance
        movePrice(CRASH_PRICE);
    }

    function test_gas_aaveDirect_againstTheBareProtocolCalls() public {
        assertTrue(directPathFor(DIRECT_SELL));
        uint256 repay = requiredOf(DIRECT_SELL);
        uint256 snap = vm.snapshotState();
        bare.deleverageDirect(DIRECT_SELL, repay, v3SellCalldata(address(bare), DIRECT_SELL, 0));
        uint256 bareGas = vm.snapshotGasLastCall("Unwind", "aave_bare_v3_direct");
        assertEq(aaveCollateralOf(address(bare)), 10e18 - DIRECT_SELL, "the bare borrower sold");
        vm.revertToState(snap);

        bytes memory data = v3SellCalldata(address(vault), DIRECT_SELL, 0);
        vm.prank(keeper);
        vault.deleverage(DIRECT_SELL, address(swapRouter), data, 0, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "aave_deleverage_v3_direct");
        assertEq(collateralOf(address(vault)), 10e18 - DIRECT_SELL, "the measured call did deleverage");
        assertLe(gas * 10, bareGas * 13, "the vault's checks cost at most 30% over the bare calls");
    }

    function test_gas_aaveFlash_againstTheBareProtocolCalls() public {
        assertFalse(directPathFor(FLASH_SELL));
        uint256 repay = requiredOf(FLASH_SELL);
        uint256 snap = vm.snapshotState();
        bare.deleverageFlash(FLASH_SELL, repay, v3SellCalldata(address(bare), FLASH_SELL, 0));
        uint256 bareGas = vm.snapshotGasLastCall("Unwind", "aave_bare_v3_flash");
        assertEq(aaveCollateralOf(address(bare)), 10e18 - FLASH_SELL, "the bare borrower sold");
        vm.revertToState(snap);

        bytes memory data = v3SellCalldata(address(vault), FLASH_SELL, 0);
        vm.prank(keeper);
        vault.deleverage(FLASH_SELL, address(swapRouter), data, 0, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "aave_deleverage_v3_flash");
        assertLt(ltvOf(address(vault)), bps(8000), "the measured call did deleverage");
        assertLe(gas * 10, bareGas * 13, "the vault's checks cost at most 30% over the bare calls");
    }

    function test_gas_aaveTopUp_againstTheBareRepay() public {
        uint256 snap = vm.snapshotState();
        bare.repay(TOP_UP);
        uint256 bareGas = vm.snapshotGasLastCall("Unwind", "aave_bare_repay");
        vm.revertToState(snap);

        vm.prank(keeper);
        vault.topUp(TOP_UP, block.timestamp, 1e6);
        uint256 gas = vm.snapshotGasLastCall("Unwind", "aave_topUp");
        assertEq(vault.reserve(), 5000e6 - TOP_UP - 1e6, "the measured call did top up");
        assertLe(gas * 10, bareGas * 20, "a top-up's checks cost at most the bare repay again");
    }
}

/// @notice A borrower with nothing but the Aave calls of a deleverage: no policy, no checks.
contract AaveBareBorrower is IFlashLoanSimpleReceiver {
    IAavePool internal immutable POOL;
    address internal immutable COLL;
    address internal immutable LOAN;
    address internal immutable ROUTER;

    constructor(IAavePool pool, address coll, address loan, ISwapRouter router) {
        (POOL, COLL, LOAN, ROUTER) = (pool, coll, loan, address(router));
        IERC20(loan).approve(address(pool), type(uint256).max);
        IERC20(coll).approve(address(pool), type(uint256).max);
    }

    function open(uint256 collateral, uint256 debt) external {
        POOL.supply(COLL, collateral, address(this), 0);
        POOL.borrow(LOAN, debt, 2, 0, address(this));
    }

    function repay(uint256 assets) external {
        POOL.repay(LOAN, assets, 2, address(this));
    }

    function deleverageDirect(uint256 sell, uint256 repayAssets, bytes calldata swapData) external {
        POOL.withdraw(COLL, sell, address(this));
        _swap(sell, swapData);
        POOL.repay(LOAN, repayAssets, 2, address(this));
    }

    function deleverageFlash(uint256 sell, uint256 repayAssets, bytes calldata swapData) external {
        POOL.flashLoanSimple(address(this), LOAN, repayAssets, abi.encode(sell, swapData), 0);
    }

    function executeOperation(address, uint256 amount, uint256, address, bytes calldata params)
        external
        returns (bool)
    {
        (uint256 sell, bytes memory swapData) = abi.decode(params, (uint256, bytes));
        POOL.repay(LOAN, amount, 2, address(this));
        POOL.withdraw(COLL, sell, address(this));
        _swap(sell, swapData);
        return true;
    }

    function _swap(uint256 sell, bytes memory swapData) internal {
        IERC20(COLL).approve(ROUTER, sell);
        (bool ok,) = ROUTER.call(swapData);
        require(ok);
    }
}
