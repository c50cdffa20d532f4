// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {VaultFixture} from "../utils/VaultFixture.sol";

/// @notice VaultCore's storage layout is the one UnwindVault had before the split (so deployed Morpho vaults'
/// storage reads the same): the settings word in slot 0 with the runtime fields keepers write in bytes 21..30 and
/// the pause flag in byte 31, the guard in slot 1, the owner in slot 2, the pending owner in slot 3, the keeper and
/// route sets in slots 4-7, the soft trigger in slot 8. `_writeRuntime` writes the runtime fields with one masked
/// store: this pins where it writes.
contract VaultCoreLayoutTest is VaultFixture {
    function setUp() public {
        setUpVault();
    }

    function test_settingsLayout_runtimeFieldsRoundTrip() public {
        movePrice(CRASH_PRICE);
        vm.prank(owner);
        vault.setPaused(false);
        uint256 policyBefore = uint256(vm.load(address(vault), 0)) & ((1 << 168) - 1);
        vm.prank(keeper);
        vault.deleverage(3e18, address(swapRouter), v3SellCalldata(address(vault), 3e18, 0), 0, block.timestamp, 0);
        uint256 word = uint256(vm.load(address(vault), 0));
        assertEq(word & ((1 << 168) - 1), policyBefore, "the policy's 21 bytes are untouched");
        assertEq(uint32(word >> 168), vault.lastActionAt(), "lastActionAt at bytes 21..24");
        assertEq(uint32(word >> 168), block.timestamp);
        assertEq(uint8(word >> 248), 0, "paused at byte 31");
        vm.prank(owner);
        vault.setPaused(true);
        assertEq(uint8(uint256(vm.load(address(vault), 0)) >> 248), 1);
        assertEq(uint32(uint256(vm.load(address(vault), 0)) >> 168), vault.lastActionAt(), "the pause kept the runtime fields");
    }

    function test_slots_ownerPendingOwnerSetsAndSoftTrigger() public {
        assertEq(address(uint160(uint256(vm.load(address(vault), bytes32(uint256(2)))))), owner, "owner in slot 2");
        vm.prank(owner);
        vault.transferOwnership(stranger);
        assertEq(address(uint160(uint256(vm.load(address(vault), bytes32(uint256(3)))))), stranger, "pendingOwner in slot 3");
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(4)))), 1, "one keeper: the keeper set's length in slot 4");
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(6)))), 2, "two routes: the route set's length in slot 6");
        vm.prank(owner);
        vault.setSoftTrigger(7600, 500);
        assertEq(uint256(vm.load(address(vault), bytes32(uint256(8)))), uint256(500) << 16 | 7600, "soft trigger in slot 8");
    }
}
