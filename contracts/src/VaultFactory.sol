// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IMorpho, Id, MarketParams} from "@morpho-blue/interfaces/IMorpho.sol";
import {MarketParamsLib} from "@morpho-blue/libraries/MarketParamsLib.sol";

import {UnwindVault} from "./UnwindVault.sol";

/// @title VaultFactory
/// @notice Creates Unwind vaults on existing Morpho Blue markets (cheap clones of one implementation) and lists
/// them, so that a keeper can watch every vault of a deployment without being told about each one.
contract VaultFactory {
    using MarketParamsLib for MarketParams;

    IMorpho public immutable MORPHO;
    /// The vault code every vault delegates to; each vault is a clone with its market as immutable arguments.
    address public immutable IMPLEMENTATION;
    address[] internal _vaults;
    mapping(address => address[]) internal _vaultsOf;
    mapping(address => bool) public isVault;
    /// The Morpho market id of each vault (0 for an address that is not one of this factory's vaults), so that a
    /// keeper can skip vaults on markets it does not serve before reading them.
    mapping(address => bytes32) public marketOf;

    event VaultCreated(address indexed vault, address indexed owner, bytes32 indexed marketId);

    error MarketNotCreated(bytes32 marketId);

    constructor(IMorpho morpho) {
        MORPHO = morpho;
        IMPLEMENTATION = address(new UnwindVault());
    }

    /// @notice Creates a vault owned by the caller on the market `params`, which must exist. Nobody can create a
    /// vault in another's name: a vault listed under an owner is one that owner created (or accepted by transfer).
    function createVault(MarketParams calldata params) external returns (UnwindVault vault) {
        address owner = msg.sender;
        Id id = params.id();
        if (MORPHO.market(id).lastUpdate == 0) revert MarketNotCreated(Id.unwrap(id));
        // The layout UnwindVault.Args reads: the market params, then Morpho and the market id.
        bytes memory args = abi.encode(params.loanToken, params.collateralToken, params.oracle, params.irm, params.lltv,
            MORPHO, Id.unwrap(id));
        vault = UnwindVault(Clones.cloneWithImmutableArgs(IMPLEMENTATION, args));
        vault.initialize(owner);
        _vaults.push(address(vault));
        _vaultsOf[owner].push(address(vault));
        isVault[address(vault)] = true;
        marketOf[address(vault)] = Id.unwrap(id);
        emit VaultCreated(address(vault), owner, Id.unwrap(id));
    }

    function vaultCount() external view returns (uint256) {
        return _vaults.length;
    }

    /// @notice Vaults `[start, start + count)`, clipped to the list.
    function vaults(uint256 start, uint256 count) external view returns (address[] memory out) {
        uint256 n = _vaults.length;
        if (start >= n) return out;
        uint256 end = count > n - start ? n : start + count; // start + count could overflow
        out = new address[](end - start);
        for (uint256 i = start; i < end; i++) {
            out[i - start] = _vaults[i];
        }
    }

    function vaultsOf(address owner) external view returns (address[] memory) {
        return _vaultsOf[owner];
    }
}
