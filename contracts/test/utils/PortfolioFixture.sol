// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {IOracle} from "@morpho-blue/interfaces/IOracle.sol";

import {VaultFixture} from "./VaultFixture.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {SharedReserve} from "../../src/SharedReserve.sol";
import {IVaultPortfolio} from "../../src/interfaces/IVaultPortfolio.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice One owner with two vaults on the local market and a shared reserve, and a stranger's vault: `vault` (10
/// collateral at 75% LTV, the fixture's), `spare` (10 collateral at 40%, far from its trigger) and `strangers` (owned
/// by `stranger`, 75%). Both of the owner's vaults list each other as move peers, `spare` may give half its
/// collateral per move; `reserve` is the owner's, linked to both vaults with `LIMIT` each and `RESERVE_FUNDS` in it.
abstract contract PortfolioFixture is VaultFixture {
    uint256 internal constant LIMIT = 5_000e6;
    uint256 internal constant RESERVE_FUNDS = 20_000e6;

    UnwindVault internal spare;
    UnwindVault internal strangers;
    SharedReserve internal reserve;

    function setUpPortfolio() internal {
        setUpPortfolio(defaultConfig(), 10e18);
    }

    /// @param collateral each vault's collateral, in base units of the market's collateral token.
    function setUpPortfolio(MarketConfig memory c, uint256 collateral) internal {
        setUpVault(c, collateral, 7500);
        spare = openVault(owner, collateral, 4000);
        strangers = openVault(stranger, collateral, 7500);
        vm.startPrank(owner);
        spare.setPolicy(defaultPolicy());
        spare.setKeeper(keeper, true);
        pf(vault).setMovePeer(address(spare), true);
        pf(spare).setMovePeer(address(vault), true);
        pf(spare).setMoveCap(5000);
        pf(vault).setMoveCap(5000);
        reserve = new SharedReserve(owner);
        reserve.setLimit(address(vault), address(loanToken), LIMIT * 10 ** c.loanDecimals / 1e6);
        reserve.setLimit(address(spare), address(loanToken), LIMIT * 10 ** c.loanDecimals / 1e6);
        pf(vault).setSharedReserve(address(reserve));
        pf(spare).setSharedReserve(address(reserve));
        vm.stopPrank();
        vm.startPrank(stranger);
        strangers.setPolicy(defaultPolicy());
        strangers.setKeeper(keeper, true);
        vm.stopPrank();
        loanToken.mint(address(reserve), RESERVE_FUNDS * 10 ** c.loanDecimals / 1e6);
    }

    /// @notice The portfolio functions of a vault (VaultCore's fallback runs VaultPortfolio's code).
    function pf(UnwindVault v) internal pure returns (IVaultPortfolio) {
        return IVaultPortfolio(address(v));
    }

    /// @notice The owner's equity over `vaults` (all on the fixture's market) and the shared reserve, at the oracle
    /// price: the value of all their collateral together (so that a move, which only shifts collateral between them,
    /// is not blurred by per-vault rounding) plus every loan-token balance minus every debt.
    function ownerEquity(UnwindVault[] memory vaults) internal view returns (int256) {
        uint256 collateral;
        uint256 cash = IERC20(marketParams.loanToken).balanceOf(address(reserve));
        uint256 debt;
        for (uint256 i = 0; i < vaults.length; i++) {
            collateral += collateralOf(address(vaults[i]));
            cash += IERC20(marketParams.loanToken).balanceOf(address(vaults[i]));
            debt += debtOf(address(vaults[i]));
        }
        uint256 value = LtvMath.collateralValue(collateral, IOracle(marketParams.oracle).price());
        return int256(value + cash) - int256(debt);
    }

    function ownersVaults() internal view returns (UnwindVault[] memory vs) {
        vs = new UnwindVault[](2);
        vs[0] = vault;
        vs[1] = spare;
    }
}
