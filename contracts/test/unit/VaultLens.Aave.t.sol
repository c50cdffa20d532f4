// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AaveVaultFixture} from "../utils/AaveVaultFixture.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {VaultLens} from "../../src/VaultLens.sol";
import {
    VaultHealth, PROTOCOL_AAVE_V3, PROTOCOL_MORPHO_BLUE, READ_VAULT_FAILED, READ_MARKET_FAILED
} from "../../src/interfaces/IUnwindVault.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The lens reads Aave V3 vaults beside Morpho vaults in one call: each Aave vault's position from the pool's
/// aToken and variable debt token (interest accrued to the block), its market id from the vault, its live liquidation
/// threshold as LLTV, the adapter's price, and protocol = Aave V3; a Morpho vault in the same batch reads as before.
contract VaultLensAaveTest is AaveVaultFixture {
    VaultLens internal both;
    UnwindVault internal morphoVault;

    function setUp() public {
        setUpAaveVault();
        both = new VaultLens(morpho, address(aavePool));
        morphoVault = openVault(makeAddr("morpho-owner"), 10e18, 6000);
    }

    function _read(address[] memory vs) internal view returns (VaultHealth[] memory) {
        return both.healthOf(vs, keeper);
    }

    function test_readsAnAaveVaultAsTheVaultAndThePoolSeeIt() public {
        vm.warp(block.timestamp + 30 days); // interest accrues: the lens must read it to the block
        address[] memory vs = new address[](2);
        vs[0] = address(vault);
        vs[1] = address(morphoVault);
        VaultHealth[] memory h = _read(vs);

        assertEq(h[0].vault, address(vault));
        assertEq(h[0].owner, owner);
        assertEq(h[0].protocol, PROTOCOL_AAVE_V3);
        assertEq(h[0].marketId, vault.marketId());
        assertEq(h[0].collateral, aaveCollateralOf(address(vault)));
        assertEq(h[0].debt, aaveDebtOf(address(vault)));
        assertGt(h[0].debt, 0);
        assertEq(h[0].borrowShares, 0);
        assertEq(h[0].price, aavePrice(vault));
        assertEq(h[0].lltv, 0.825e18);
        assertEq(h[0].ltv, LtvMath.ltv(h[0].collateral, h[0].debt, h[0].price));
        assertEq(h[0].loanDecimals, loanToken.decimals());
        assertEq(h[0].collateralDecimals, collateralToken.decimals());
        assertEq(h[0].policy.triggerLtvBps, defaultPolicy().triggerLtvBps);
        assertTrue(h[0].keeperAllowed);
        assertEq(h[0].readFlags, 0);

        // The Morpho vault in the same batch: as the Morpho-only lens reads it, protocol Morpho Blue.
        VaultHealth[] memory alone = lens.healthOf(_one(address(morphoVault)), keeper);
        assertEq(h[1].protocol, PROTOCOL_MORPHO_BLUE);
        assertEq(h[1].debt, alone[0].debt);
        assertEq(h[1].collateral, alone[0].collateral);
        assertEq(h[1].ltv, alone[0].ltv);
        assertEq(h[1].marketId, alone[0].marketId);
    }

    function test_followsThePriceAndTheLiveThreshold() public {
        movePrice(CRASH_PRICE);
        VaultHealth[] memory h = _read(_one(address(vault)));
        assertEq(h[0].price, aavePrice(vault));
        assertGt(h[0].ltv, 0.8e18);
        // Governance lowers the threshold: the lens reports the new one at once.
        vm.prank(deployer);
        aaveConfigurator.configureReserveAsCollateral(address(collateralToken), 7800, 8100, 10_500);
        h = _read(_one(address(vault)));
        assertEq(h[0].lltv, 0.81e18);
    }

    function test_reportsThePoolsFlashPremiumForAaveVaultsOnlyAndFollowsGovernance() public {
        address[] memory vs = new address[](2);
        vs[0] = address(vault);
        vs[1] = address(morphoVault);
        VaultHealth[] memory h = _read(vs);
        assertEq(h[0].flashPremiumBps, aavePool.FLASHLOAN_PREMIUM_TOTAL());
        assertEq(h[0].flashPremiumBps, 9);
        assertEq(h[1].flashPremiumBps, 0, "a Morpho sale takes no flash loan");

        vm.prank(deployer);
        aaveConfigurator.updateFlashloanPremiumTotal(30);
        h = _read(vs);
        assertEq(h[0].flashPremiumBps, 30);
        assertEq(h[0].readFlags, 0);
    }

    function test_aPoolThatDoesNotTellItsPremiumMakesTheMarketUnreadableNotFree() public {
        vm.mockCallRevert(address(aavePool), abi.encodeWithSelector(aavePool.FLASHLOAN_PREMIUM_TOTAL.selector), "");
        VaultHealth[] memory h = _read(_one(address(vault)));
        assertEq(h[0].readFlags & READ_MARKET_FAILED, READ_MARKET_FAILED);
        assertEq(h[0].flashPremiumBps, 0);

        vm.clearMockedCalls();
        vm.mockCall(
            address(aavePool), abi.encodeWithSelector(aavePool.FLASHLOAN_PREMIUM_TOTAL.selector), abi.encode(10_001)
        );
        h = _read(_one(address(vault)));
        assertEq(h[0].readFlags & READ_MARKET_FAILED, READ_MARKET_FAILED);
    }

    function test_anUnreadableAccountBesideAnAaveVaultHidesNothing() public {
        address[] memory vs = new address[](3);
        vs[0] = makeAddr("nobody");
        vs[1] = address(vault);
        vs[2] = address(morphoVault);
        VaultHealth[] memory r = _read(vs);
        assertEq(r[0].readFlags, READ_VAULT_FAILED);
        assertEq(r[1].protocol, PROTOCOL_AAVE_V3);
        assertEq(r[1].debt, aaveDebtOf(address(vault)));
        assertEq(r[2].protocol, PROTOCOL_MORPHO_BLUE);
        assertEq(r[2].owner, morphoVault.owner());
    }

    function _one(address v) internal pure returns (address[] memory vs) {
        vs = new address[](1);
        vs[0] = v;
    }
}
