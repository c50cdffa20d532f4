// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {PortfolioFixture} from "../utils/PortfolioFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {IUnwindVault} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice Collateral moves and shared top-ups fuzzed on markets of every 6/8/18 decimals pairing (a ninth of the
/// runs each), positions worth 10 to 10^6 loan tokens, any move size and cap, any own reserve, shared limit, top-up
/// and fee. Checked like an invariant on the owner's total equity at the oracle price (both vaults plus the shared
/// reserve): a move changes it by exactly 0, a shared top-up lowers it by at most the fee; whatever does not go
/// through fails with one of the rules' errors.
abstract contract PortfolioFuzzBase is PortfolioFixture {
    uint8 internal immutable collateralDecimals;
    uint8 internal immutable loanDecimals;
    int256 internal immutable startAnswer;

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, int256 price) {
        (collateralDecimals, loanDecimals, startAnswer) = (collateralDecimals_, loanDecimals_, price);
    }

    /// @dev The owner's two vaults and the stranger's, `sizeSeed` picking their size; then a 10% fall: `vault` at
    /// 83.3%, over its trigger, `spare` at 44.4%.
    function _open(uint256 sizeSeed) internal {
        uint256 oneLoan = 10 ** loanDecimals;
        uint256 valueTokens = 10 ** _bound(sizeSeed, 1, 6) * _bound(sizeSeed >> 8, 1, 9);
        uint256 collateral = Math.mulDiv(valueTokens * 1e8, 10 ** collateralDecimals, uint256(startAnswer));
        setUpPortfolio(
            MarketConfig(collateralDecimals, loanDecimals, startAnswer, 0.86e18, 1e8 * oneLoan, 1e7 * oneLoan, 1e6 * oneLoan),
            collateral
        );
        movePrice(startAnswer * 9 / 10);
    }

    function testFuzz_move_keepsTheOwnersEquityAndTheSourceUnderItsTrigger(uint256 sizeSeed, uint256 amountSeed, uint16 capBps)
        public
    {
        _open(sizeSeed);
        capBps = uint16(_bound(capBps, 1, 10_000));
        vm.prank(owner);
        pf(spare).setMoveCap(capBps);
        uint256 collateral = collateralOf(address(spare));
        uint256 amount = _bound(amountSeed, 1, collateral);
        uint256 destLtv = ltvOf(address(vault));
        int256 equity = ownerEquity(ownersVaults());

        vm.prank(keeper);
        try pf(spare).moveCollateral(address(vault), amount, block.timestamp) {
            assertEq(ownerEquity(ownersVaults()), equity, "a move changes the owner's equity by nothing");
            assertEq(collateralOf(address(spare)), collateral - amount);
            assertLt(ltvOf(address(spare)), bps(8000), "the source ends under its trigger");
            assertLt(ltvOf(address(vault)), destLtv, "the destination's LTV went down");
            assertLe(amount, collateral * capBps / 10_000, "within the cap");
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            bool known = s == IUnwindVault.MoveTooLarge.selector || s == IUnwindVault.WouldTrigger.selector
                || s == IUnwindVault.NotDeleveraged.selector || _isMorphoHealthRefusal(err);
            assertTrue(known, "refused by a rule");
            if (s == IUnwindVault.MoveTooLarge.selector) assertGt(amount, collateral * capBps / 10_000);
        }
    }

    function testFuzz_sharedTopUp_costsTheOwnerAtMostTheFee(
        uint256 sizeSeed,
        uint256 ownSeed,
        uint256 limitSeed,
        uint256 amountSeed,
        uint256 feeSeed
    ) public {
        _open(sizeSeed);
        uint256 debt = debtOf(address(vault));
        loanToken.mint(address(vault), debt * _bound(ownSeed, 0, 2000) / 10_000);
        vm.prank(owner);
        reserve.setLimit(address(vault), address(loanToken), debt * _bound(limitSeed, 0, 3000) / 10_000);
        uint256 available = pf(vault).topUpAvailable();
        uint256 amount = _bound(amountSeed, 1, Math.max(debt * 3000 / 10_000, 1));
        // Up to 10% over the fee cap, so the cap itself is tested.
        uint256 fee = _bound(feeSeed, 0, amount * 55 / 10_000);
        int256 equity = ownerEquity(ownersVaults());
        uint256 limitBefore = reserve.limit(address(vault), address(loanToken));
        uint256 ownBefore = vault.reserve();

        vm.prank(keeper);
        try vault.topUp(amount, block.timestamp, fee) returns (uint256 repaid) {
            assertGt(repaid, 0);
            assertLe(amount + fee, available, "never more than own + shared");
            int256 loss = equity - ownerEquity(ownersVaults());
            assertLe(loss, int256(fee), "the owner loses at most the fee");
            uint256 drawn = limitBefore - reserve.limit(address(vault), address(loanToken));
            assertEq(drawn, amount + fee > ownBefore ? amount + fee - ownBefore : 0, "only the shortfall is drawn");
        } catch (bytes memory err) {
            bytes4 s = bytes4(err);
            assertTrue(
                s == IUnwindVault.InsufficientReserve.selector || s == IUnwindVault.FeeTooHigh.selector
                    || s == IUnwindVault.Oversold.selector || s == IUnwindVault.NotDeleveraged.selector
                    || s == IUnwindVault.EquityLoss.selector,
                "refused by a rule"
            );
            if (s == IUnwindVault.InsufficientReserve.selector) assertGt(amount + fee, available);
        }
    }

    /// @dev Morpho's own health check on the source's withdrawal (over its LLTV, before the trigger check runs).
    function _isMorphoHealthRefusal(bytes memory err) internal pure returns (bool) {
        return keccak256(err) == keccak256(abi.encodeWithSignature("Error(string)", "insufficient collateral"));
    }
}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz18x6 is PortfolioFuzzBase(18, 6, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz18x8 is PortfolioFuzzBase(18, 8, 0.05e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz18x18 is PortfolioFuzzBase(18, 18, 3000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz8x6 is PortfolioFuzzBase(8, 6, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz8x8 is PortfolioFuzzBase(8, 8, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz8x18 is PortfolioFuzzBase(8, 18, 60_000e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz6x6 is PortfolioFuzzBase(6, 6, 1e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz6x8 is PortfolioFuzzBase(6, 8, 20e8) {}

/// forge-config: default.fuzz.runs = 30
/// forge-config: deep.fuzz.runs = 280
contract PortfolioFuzz6x18 is PortfolioFuzzBase(6, 18, 1e8) {}
