// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

import {AaveVault} from "./AaveVault.sol";
import {AaveOracleAdapter} from "./oracle/AaveOracleAdapter.sol";
import {
    IAavePool,
    IAavePoolAddressesProvider,
    IAaveOracle,
    AaveReserveData,
    AaveEModeCategory,
    AaveReserveConfig
} from "./interfaces/IAaveV3.sol";

/// @title AaveVaultFactory
/// @notice Creates Unwind vaults on an Aave V3 pool (cheap clones of one implementation) and lists them exactly as
/// `VaultFactory` lists Morpho vaults, so that a keeper watches both the same way. One market id per (pool, loan,
/// collateral, e-mode category); one `AaveOracleAdapter` per (Aave oracle, collateral, loan), created on first use.
contract AaveVaultFactory {
    using AaveReserveConfig for uint256;

    IAavePoolAddressesProvider public immutable PROVIDER;
    /// The vault code every vault delegates to; each vault is a clone with its market as immutable arguments.
    address public immutable IMPLEMENTATION;
    address[] internal _vaults;
    mapping(address => address[]) internal _vaultsOf;
    mapping(address => bool) public isVault;
    /// The market id of each vault (0 for an address that is not one of this factory's vaults).
    mapping(address => bytes32) public marketOf;
    /// The adapter of keccak256(abi.encode(aaveOracle, collateral, loan)).
    mapping(bytes32 => address) internal _adapters;

    event VaultCreated(address indexed vault, address indexed owner, bytes32 indexed marketId);
    event AdapterCreated(address indexed adapter, address indexed oracle, address collateral, address loan);

    /// The reserve cannot serve as this vault's collateral or loan, and why.
    error UnsupportedReserve(address asset, string reason);
    error UnsupportedEMode(uint8 category, string reason);

    constructor(IAavePoolAddressesProvider provider) {
        PROVIDER = provider;
        IMPLEMENTATION = address(new AaveVault());
    }

    /// @notice The provider's current pool (the proxy, which does not change when the pool is upgraded).
    function pool() public view returns (address) {
        return PROVIDER.getPool();
    }

    /// @notice The adapter for `collateral` priced in `loan` by the provider's current Aave oracle (0 if none yet).
    function adapterOf(address collateral, address loan) external view returns (address) {
        return _adapters[keccak256(abi.encode(PROVIDER.getPriceOracle(), collateral, loan))];
    }

    /// @notice Creates a vault owned by the caller for `collateral` against variable debt in `loan`, in e-mode
    /// `eModeCategory` (0 = none). Both must be active, unpaused, unfrozen reserves; the collateral usable as
    /// collateral outside isolation mode; the loan borrowable, flash-loanable and not siloed; an e-mode category
    /// must exist, hold the loan asset and use the assets' own prices.
    function createVault(address collateral, address loan, uint8 eModeCategory) external returns (AaveVault vault) {
        address owner = msg.sender;
        IAavePool p = IAavePool(pool());
        if (collateral == loan) revert UnsupportedReserve(loan, "collateral and loan are the same asset");
        uint256 c = _usable(p, collateral);
        if (c.liquidationThreshold() == 0 || c.ltv() == 0) revert UnsupportedReserve(collateral, "not collateral");
        if (c.debtCeiling() != 0) revert UnsupportedReserve(collateral, "isolation mode");
        uint256 l = _usable(p, loan);
        if (!l.borrowingEnabled()) revert UnsupportedReserve(loan, "borrowing disabled");
        if (!l.flashLoanEnabled()) revert UnsupportedReserve(loan, "flash loans disabled");
        if (l.siloedBorrowing()) revert UnsupportedReserve(loan, "siloed borrowing");
        if (eModeCategory != 0) {
            AaveEModeCategory memory e = p.getEModeCategoryData(eModeCategory);
            if (e.liquidationThreshold == 0) revert UnsupportedEMode(eModeCategory, "no such category");
            if (e.priceSource != address(0)) revert UnsupportedEMode(eModeCategory, "category has its own price source");
            if (l.eModeCategory() != eModeCategory) revert UnsupportedEMode(eModeCategory, "loan asset not in category");
        }

        address adapter = _adapter(collateral, loan);
        AaveReserveData memory cr = p.getReserveData(collateral);
        AaveReserveData memory lr = p.getReserveData(loan);
        bytes32 id = keccak256(abi.encode(address(p), loan, collateral, eModeCategory));
        // The layout AaveVault reads: VaultCore's three words, then the pool, e-mode, the two Aave tokens, the id.
        bytes memory args = abi.encode(
            loan, collateral, adapter, address(p), uint256(eModeCategory), cr.aTokenAddress, lr.variableDebtTokenAddress, id
        );
        vault = AaveVault(Clones.cloneWithImmutableArgs(IMPLEMENTATION, args));
        vault.initialize(owner);
        _vaults.push(address(vault));
        _vaultsOf[owner].push(address(vault));
        isVault[address(vault)] = true;
        marketOf[address(vault)] = id;
        emit VaultCreated(address(vault), owner, id);
    }

    function _usable(IAavePool p, address asset) internal view returns (uint256 c) {
        c = p.getConfiguration(asset);
        if (!c.active()) revert UnsupportedReserve(asset, "not an active reserve");
        if (c.paused()) revert UnsupportedReserve(asset, "paused");
        if (c.frozen()) revert UnsupportedReserve(asset, "frozen");
    }

    function _adapter(address collateral, address loan) internal returns (address adapter) {
        address oracle = PROVIDER.getPriceOracle();
        bytes32 key = keccak256(abi.encode(oracle, collateral, loan));
        adapter = _adapters[key];
        if (adapter == address(0)) {
            adapter = address(new AaveOracleAdapter(IAaveOracle(oracle), collateral, loan));
            _adapters[key] = adapter;
            emit AdapterCreated(adapter, oracle, collateral, loan);
        }
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
