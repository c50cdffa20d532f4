// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AaveHandler} from "./AaveHandler.sol";
import {AaveVault} from "../../src/AaveVault.sol";

uint256 constant AAVE_N = 21;

/// @notice The threat invariants on the Aave vault over the real Aave V3 pool (see AaveHandler): no allowance
/// left to any router, no loose collateral in the vault, collateral 0 implies debt 0, and the ghosts (every keeper
/// action lowered debt and LTV, repaid the oracle floor, left HF >= 1, kept the owner's equity within the
/// allowance with the flash premium counted; no attacker or keeper gained more than its fee; no hostile move went
/// through; the owner's repay never failed) stay 0, checked after every call. Reach is asserted like the Morpho
/// campaigns': counts added to a ledger in cache/invariant-reach/ and, after the profile's last run, required to
/// reach their floors per 10,000 handler calls (a third of the least seen in the default profile).
abstract contract AaveVaultInvariantsBase is Test {
    string internal constant LEDGER_DIR = "cache/invariant-reach";
    AaveHandler internal h;
    AaveVault internal vault;

    function world() internal pure virtual returns (AaveHandler.World memory);
    function _name() internal pure virtual returns (string memory);

    function setUp() public {
        h = new AaveHandler(world());
        vault = AaveVault(h.vaultAddress());
        bytes4[] memory s = new bytes4[](17);
        s[0] = AaveHandler.deleverageUniswap.selector;
        s[1] = AaveHandler.deleverageUniswap.selector;
        s[2] = AaveHandler.deleverageHostile.selector;
        s[3] = AaveHandler.deleverageHostile.selector;
        s[4] = AaveHandler.deleverageHostile.selector;
        s[5] = AaveHandler.topUp.selector;
        s[6] = AaveHandler.strangerKeeperCall.selector;
        s[7] = AaveHandler.fakeCallback.selector;
        s[8] = AaveHandler.movePriceBy.selector;
        s[9] = AaveHandler.passTime.selector;
        s[10] = AaveHandler.feedGoesStale.selector;
        s[11] = AaveHandler.ownerRepay.selector;
        s[12] = AaveHandler.ownerWithdraw.selector;
        s[13] = AaveHandler.ownerSetPaused.selector;
        s[14] = AaveHandler.deleverageHostile.selector;
        s[15] = AaveHandler.deleverageUniswap.selector;
        s[16] = AaveHandler.keeperAfterDeadline.selector;
        targetContract(address(h));
        targetSelector(FuzzSelector({addr: address(h), selectors: s}));
        vm.createDir(LEDGER_DIR, true);
        if (vm.exists(_ledger())) vm.removeFile(_ledger());
    }

    function invariant_aaveThreatsHold() public view {
        (address loan, address coll, address aColl, address debtToken) = h.tokens();
        address[3] memory routers = h.routers();
        for (uint256 i = 0; i < 3; i++) {
            assertEq(IERC20(coll).allowance(address(vault), routers[i]), 0, "allowance to a router");
            assertEq(IERC20(aColl).allowance(address(vault), routers[i]), 0, "aToken allowance to a router");
        }
        assertEq(IERC20(coll).balanceOf(address(vault)), 0, "loose collateral in the vault");
        if (IERC20(aColl).balanceOf(address(vault)) == 0) assertEq(IERC20(debtToken).balanceOf(address(vault)), 0, "debt without collateral");
        assertEq(h.ghostEquityLoss(), 0, "owner's equity over the allowance");
        assertEq(h.ghostNotDeleveraged(), 0, "an action that did not deleverage");
        assertEq(h.ghostUnderFloor(), 0, "a sale under the oracle floor");
        assertEq(h.ghostUnhealthy(), 0, "a keeper action left the position liquidatable, or less healthy than it found it");
        assertEq(h.ghostAttackerGain(), 0, "an attack went through or a sender gained more than its fee");
        assertEq(h.ghostOwnerBlocked(), 0, "the owner could not repay");
        assertTrue(loan != address(0));
    }

    function _floors() internal pure returns (string[AAVE_N] memory names, uint256[AAVE_N] memory per10k) {
        names = [
            "sale.direct",
            "sale.flash",
            "hostile.fill",
            "hostile.fillAsKeeper",
            "topUp",
            "refused.mode0",
            "refused.mode1",
            "refused.mode2",
            "refused.mode3",
            "refused.mode4",
            "refused.mode6",
            "refused.mode7",
            "refused.mode8",
            "refused.stranger",
            "refused.fakeCallback",
            "refused.paused",
            "refused.priceStale",
            "refused.wouldTrigger",
            "owner.repay",
            "owner.withdraw",
            "refused.expired"
        ];
        // A third (rounded down) of the least seen per 10,000 calls in the two worlds of the default profile, over two
        // versions of the handler (each changes the campaign's sequences).
        per10k = [uint256(16), 25, 4, 4, 19, 10, 4, 3, 4, 4, 3, 3, 4, 170, 212, 98, 9, 19, 193, 183, 186];
    }

    function afterInvariant() external {
        (string[AAVE_N] memory names, uint256[AAVE_N] memory per10k) = _floors();
        uint256 runs;
        uint256 steps;
        uint256[AAVE_N] memory total;
        if (vm.exists(_ledger())) {
            (runs, steps, total) = abi.decode(vm.readFileBinary(_ledger()), (uint256, uint256, uint256[21]));
        }
        runs++;
        steps += h.steps();
        for (uint256 i = 0; i < AAVE_N; i++) {
            total[i] += h.calls(keccak256(bytes(names[i])));
        }
        vm.writeFileBinary(_ledger(), abi.encode(runs, steps, total));
        if (runs < _configuredRuns()) return;
        console2.log(string.concat("reach of Aave world ", _name(), " after runs, handler calls:"), runs, steps);
        for (uint256 i = 0; i < AAVE_N; i++) {
            console2.log(string.concat(names[i], ": total, per 10k calls, floor per 10k"), total[i], total[i] * 10_000 / steps, per10k[i]);
            // As in VaultInvariants: a floor under one hit in this campaign is asserted only in longer ones.
            if (per10k[i] * steps < 10_000) continue;
            assertGe(total[i], Math.ceilDiv(per10k[i] * steps, 10_000), string.concat("reach: too few ", names[i]));
        }
    }

    function _ledger() internal pure returns (string memory) {
        return string.concat(LEDGER_DIR, "/aave-", _name(), ".abi");
    }

    function _configuredRuns() internal view returns (uint256) {
        uint256 fromEnv = vm.envOr("FOUNDRY_INVARIANT_RUNS", uint256(0));
        if (fromEnv != 0) return fromEnv;
        string memory toml = vm.readFile("foundry.toml");
        string memory key = string.concat(".profile.", vm.envOr("FOUNDRY_PROFILE", string("default")), ".invariant.runs");
        return vm.keyExistsToml(toml, key) ? vm.parseTomlUint(toml, key) : vm.parseTomlUint(toml, ".invariant.runs");
    }
}

/// WETH-like collateral against a USDC-like loan token.
contract AaveVaultInvariant18x6Test is AaveVaultInvariantsBase {
    function world() internal pure override returns (AaveHandler.World memory) {
        return AaveHandler.World(18, 6, 3000e8);
    }

    function _name() internal pure override returns (string memory) {
        return "18x6";
    }
}

/// WBTC-like collateral against a USDC-like loan token.
contract AaveVaultInvariant8x6Test is AaveVaultInvariantsBase {
    function world() internal pure override returns (AaveHandler.World memory) {
        return AaveHandler.World(8, 6, 60_000e8);
    }

    function _name() internal pure override returns (string memory) {
        return "8x6";
    }
}
