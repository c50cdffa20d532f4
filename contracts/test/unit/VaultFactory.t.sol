// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Id, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {LocalMarket} from "../utils/LocalMarket.sol";
import {UnwindVault} from "../../src/UnwindVault.sol";
import {VaultFactory} from "../../src/VaultFactory.sol";

contract VaultFactoryTest is LocalMarket {
    using MarketParamsLib for MarketParams;

    event VaultCreated(address indexed vault, address indexed owner, bytes32 indexed marketId);

    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        deployMarket(defaultConfig());
    }

    function test_createVault_deploysAVaultForTheCallerAndLists() public {
        address predicted = vm.computeCreateAddress(address(factory), vm.getNonce(address(factory)));
        vm.expectEmit(address(factory));
        emit VaultCreated(predicted, alice, Id.unwrap(marketParams.id()));
        vm.prank(alice); // the vault belongs to whoever creates it
        UnwindVault v = factory.createVault(marketParams);

        assertEq(address(v), predicted);
        assertEq(v.owner(), alice);
        assertEq(v.marketId(), Id.unwrap(marketParams.id()));
        assertEq(address(v.MORPHO()), address(morpho));
        assertEq(address(factory.MORPHO()), address(morpho));
        assertTrue(factory.isVault(address(v)));
        assertEq(factory.vaultCount(), 1);
        address[] memory mine = factory.vaultsOf(alice);
        assertEq(mine.length, 1);
        assertEq(mine[0], address(v));
        assertEq(factory.vaultsOf(bob).length, 0);
    }

    function test_createVault_nobodyCreatesAVaultInAnothersName() public {
        vm.prank(alice);
        UnwindVault mine = factory.createVault(marketParams);
        // A stranger's call makes a vault of the stranger's, never one listed under alice.
        vm.prank(bob);
        UnwindVault lure = factory.createVault(marketParams);
        assertEq(lure.owner(), bob);
        address[] memory alices = factory.vaultsOf(alice);
        assertEq(alices.length, 1);
        assertEq(alices[0], address(mine));
        assertEq(factory.vaultsOf(bob)[0], address(lure));
    }

    function test_marketOf_recordsEachVaultsMarket() public {
        vm.prank(deployer);
        morpho.enableLltv(0.5e18);
        MarketParams memory other = marketParams;
        other.lltv = 0.5e18;
        morpho.createMarket(other);
        vm.prank(alice);
        UnwindVault a = factory.createVault(marketParams);
        vm.prank(alice);
        UnwindVault b = factory.createVault(other);
        assertEq(factory.marketOf(address(a)), Id.unwrap(marketParams.id()));
        assertEq(factory.marketOf(address(b)), Id.unwrap(other.id()));
        assertEq(factory.marketOf(alice), bytes32(0));
    }

    function test_createVault_revertsOnAMarketThatDoesNotExist() public {
        MarketParams memory p = marketParams;
        p.lltv = 0.5e18;
        vm.expectRevert(abi.encodeWithSelector(VaultFactory.MarketNotCreated.selector, Id.unwrap(p.id())));
        vm.prank(alice);
        factory.createVault(p);
        assertEq(factory.vaultCount(), 0);
    }

    function test_isVault_falseForAnythingElse() public view {
        assertFalse(factory.isVault(address(morpho)));
        assertFalse(factory.isVault(alice));
        assertFalse(factory.isVault(address(0)));
    }

    function test_vaults_listsInCreationOrderAndSlices() public {
        address[] memory made = _create(5);
        assertEq(factory.vaultCount(), 5);

        _assertSlice(factory.vaults(0, 5), made, 0, 5);
        _assertSlice(factory.vaults(1, 2), made, 1, 2);
        _assertSlice(factory.vaults(3, 10), made, 3, 2); // clipped to the list
        assertEq(factory.vaults(5, 1).length, 0);
        assertEq(factory.vaults(99, 1).length, 0);
        assertEq(factory.vaults(2, 0).length, 0);
        _assertSlice(factory.vaults(0, type(uint256).max), made, 0, 5);
    }

    function test_vaults_largeCountFromAnOffsetIsClipped() public {
        address[] memory made = _create(3);
        _assertSlice(factory.vaults(1, type(uint256).max), made, 1, 2);
    }

    function test_vaultsOf_groupsByOwner() public {
        vm.prank(alice);
        UnwindVault a1 = factory.createVault(marketParams);
        vm.prank(bob);
        UnwindVault b1 = factory.createVault(marketParams);
        vm.prank(alice);
        UnwindVault a2 = factory.createVault(marketParams);
        address[] memory a = factory.vaultsOf(alice);
        address[] memory b = factory.vaultsOf(bob);
        assertEq(a.length, 2);
        assertEq(a[0], address(a1));
        assertEq(a[1], address(a2));
        assertEq(b.length, 1);
        assertEq(b[0], address(b1));
    }

    function testFuzz_vaults_sliceIsAlwaysTheClippedWindow(uint256 start, uint256 count) public {
        address[] memory made = _create(4);
        address[] memory got = factory.vaults(start, count);
        uint256 expected = start >= 4 ? 0 : (count > 4 - start ? 4 - start : count);
        _assertSlice(got, made, start, expected);
    }

    function _create(uint256 n) internal returns (address[] memory made) {
        made = new address[](n);
        for (uint256 i = 0; i < n; i++) {
            vm.prank(i % 2 == 0 ? alice : bob);
            made[i] = address(factory.createVault(marketParams));
        }
    }

    function _assertSlice(address[] memory got, address[] memory all, uint256 start, uint256 len) internal pure {
        assertEq(got.length, len);
        for (uint256 i = 0; i < len; i++) {
            assertEq(got[i], all[start + i]);
        }
    }
}
