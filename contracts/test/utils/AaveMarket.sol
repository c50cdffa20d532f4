// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {IACLManager} from "@aave/core-v3/contracts/interfaces/IACLManager.sol";
import {IPoolConfigurator} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {ConfiguratorInputTypes} from "@aave/core-v3/contracts/protocol/libraries/types/ConfiguratorInputTypes.sol";

import {LocalMarket} from "./LocalMarket.sol";
import {ISwapRouter, IUniswapV2Router02} from "./UniswapInterfaces.sol";
import {AaveVault} from "../../src/AaveVault.sol";
import {AaveVaultFactory} from "../../src/AaveVaultFactory.sol";
import {VaultCore} from "../../src/VaultCore.sol";
import {IAavePool, IAavePoolAddressesProvider, IAaveOracle} from "../../src/interfaces/IAaveV3.sol";
import {AaveOracleAdapter} from "../../src/oracle/AaveOracleAdapter.sol";
import {IPriceFeed} from "../../src/oracle/IPriceFeed.sol";
import {LatestAnswerFeed} from "../../src/local/LatestAnswerFeed.sol";
import {SettablePriceFeed} from "../../src/local/SettablePriceFeed.sol";
import {LtvMath} from "../../src/libraries/LtvMath.sol";

/// @notice The local market with a real Aave V3 (core 1.19.3) beside Morpho, over the same two tokens and the same
/// Uniswap V3/V2 pools: deployed from the npm package's Hardhat artifacts, its libraries linked by replacing the
/// `__$<keccak256("path:Name")[:34]>$__` placeholders, in the order of reference/aave-v3-local.md (44 transactions).
/// Aave's oracle prices each asset in USD with 8 decimals: the collateral's source is the local market's own feed
/// (so `movePrice` moves Morpho, Aave and both pools together), the loan token's a settable feed at $1. Both are
/// read through `LatestAnswerFeed`, as Aave reads `latestAnswer()`.
abstract contract AaveMarket is LocalMarket {
    string internal constant AAVE = "node_modules/@aave/core-v3/artifacts/contracts/";
    string internal constant LOGIC = "contracts/protocol/libraries/logic/";

    struct AaveConfig {
        uint16 ltvBps;
        uint16 liquidationThresholdBps;
        uint16 liquidationBonusBps;
        /// Loan-token base units a lender supplies to the pool.
        uint256 liquidity;
        /// The pool's flash-loan premium (Aave's default is 0 until governance sets it; mainnet uses 5-9).
        uint128 flashPremiumBps;
    }

    IPoolAddressesProvider internal aaveProvider;
    IACLManager internal aaveAcl;
    IAavePool internal aavePool;
    IPoolConfigurator internal aaveConfigurator;
    IAaveOracle internal aaveOracle;
    SettablePriceFeed internal loanUsdFeed;
    AaveVaultFactory internal aaveFactory;
    IERC20 internal aCollateral;
    IERC20 internal variableDebtLoan;
    address internal aaveTreasury = makeAddr("aaveTreasury");
    address internal aaveLender = makeAddr("aaveLender");

    function defaultAaveConfig() internal pure returns (AaveConfig memory) {
        return AaveConfig({
            ltvBps: 8000,
            liquidationThresholdBps: 8250,
            liquidationBonusBps: 10_500,
            liquidity: 10_000_000e6,
            flashPremiumBps: 9
        });
    }

    /// @notice The local market (tokens, Morpho, Uniswap) and Aave V3 over its two tokens, with `a.liquidity` of the
    /// loan token supplied by a lender (scaled to the loan token's decimals from a 6-decimal amount).
    function deployAaveMarket(MarketConfig memory c, AaveConfig memory a) internal {
        deployMarket(c);
        deployAave(a);
    }

    function deployAave(AaveConfig memory a) internal {
        vm.startPrank(deployer);
        // 1. Libraries; FlashLoanLogic calls BorrowLogic; the configurator's own.
        address borrowLogic = _deploy("BorrowLogic", "");
        string[] memory names = new string[](7);
        address[] memory libs = new address[](7);
        (names[0], libs[0]) = ("BorrowLogic", borrowLogic);
        (names[1], libs[1]) = ("BridgeLogic", _deploy("BridgeLogic", ""));
        (names[2], libs[2]) = ("EModeLogic", _deploy("EModeLogic", ""));
        (names[3], libs[3]) = ("LiquidationLogic", _deploy("LiquidationLogic", ""));
        (names[4], libs[4]) = ("PoolLogic", _deploy("PoolLogic", ""));
        (names[5], libs[5]) = ("SupplyLogic", _deploy("SupplyLogic", ""));
        string[] memory one = new string[](1);
        address[] memory oneLib = new address[](1);
        (one[0], oneLib[0]) = ("BorrowLogic", borrowLogic);
        (names[6], libs[6]) = ("FlashLoanLogic", _deployLinked(_logic("FlashLoanLogic"), "", one, oneLib));
        (one[0], oneLib[0]) = ("ConfiguratorLogic", _deploy("ConfiguratorLogic", ""));

        // 2-3. Provider and access control: the deployer is ACL admin and pool admin.
        aaveProvider = IPoolAddressesProvider(
            _deployLinked(
                "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
                abi.encode("Unwind local", deployer),
                new string[](0),
                new address[](0)
            )
        );
        aaveProvider.setACLAdmin(deployer);
        aaveAcl = IACLManager(
            _deployLinked("protocol/configuration/ACLManager.sol/ACLManager.json", abi.encode(aaveProvider), new string[](0), new address[](0))
        );
        aaveProvider.setACLManager(address(aaveAcl));
        aaveAcl.addPoolAdmin(deployer);

        // 4-5. Pool and configurator implementations; the provider deploys and initialises the proxies.
        aaveProvider.setPoolImpl(_deployLinked("protocol/pool/Pool.sol/Pool.json", abi.encode(aaveProvider), names, libs));
        aavePool = IAavePool(aaveProvider.getPool());
        aaveProvider.setPoolConfiguratorImpl(
            _deployLinked("protocol/pool/PoolConfigurator.sol/PoolConfigurator.json", "", one, oneLib)
        );
        aaveConfigurator = IPoolConfigurator(aaveProvider.getPoolConfigurator());

        // 6. Prices: USD, 8 decimals.
        loanUsdFeed = new SettablePriceFeed(FEED_DECIMALS, "USDC / USD", 1e8);
        address[] memory assets = new address[](2);
        address[] memory sources = new address[](2);
        (assets[0], sources[0]) = (address(collateralToken), address(new LatestAnswerFeed(IPriceFeed(address(feed)))));
        (assets[1], sources[1]) = (address(loanToken), address(new LatestAnswerFeed(IPriceFeed(address(loanUsdFeed)))));
        aaveOracle = IAaveOracle(
            _deployLinked(
                "misc/AaveOracle.sol/AaveOracle.json",
                abi.encode(aaveProvider, assets, sources, address(0), address(0), uint256(1e8)),
                new string[](0),
                new address[](0)
            )
        );
        aaveProvider.setPriceOracle(address(aaveOracle));

        // 7. Data provider.
        aaveProvider.setPoolDataProvider(
            _deployLinked(
                "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json",
                abi.encode(aaveProvider),
                new string[](0),
                new address[](0)
            )
        );

        // 8-9. Token implementations, one rate strategy (80% optimal usage, 4% / 75% slopes), both reserves.
        _initReserves();

        // 10. Risk parameters; flash loans of the loan token (the vault's flash path) and their premium.
        aaveConfigurator.configureReserveAsCollateral(
            address(collateralToken), a.ltvBps, a.liquidationThresholdBps, a.liquidationBonusBps
        );
        aaveConfigurator.setReserveBorrowing(address(loanToken), true);
        aaveConfigurator.setReserveFlashLoaning(address(loanToken), true);
        aaveConfigurator.updateFlashloanPremiumTotal(a.flashPremiumBps);
        aaveFactory = new AaveVaultFactory(IAavePoolAddressesProvider(address(aaveProvider)));
        vm.stopPrank();

        aCollateral = IERC20(aavePool.getReserveData(address(collateralToken)).aTokenAddress);
        variableDebtLoan = IERC20(aavePool.getReserveData(address(loanToken)).variableDebtTokenAddress);

        if (a.liquidity > 0) {
            loanToken.mint(aaveLender, a.liquidity);
            vm.startPrank(aaveLender);
            loanToken.approve(address(aavePool), a.liquidity);
            aavePool.supply(address(loanToken), a.liquidity, aaveLender, 0);
            vm.stopPrank();
        }
    }

    function _initReserves() private {
        address aToken = _deployLinked(
            "protocol/tokenization/AToken.sol/AToken.json", abi.encode(aavePool), new string[](0), new address[](0)
        );
        address stableDebt = _deployLinked(
            "protocol/tokenization/StableDebtToken.sol/StableDebtToken.json",
            abi.encode(aavePool),
            new string[](0),
            new address[](0)
        );
        address variableDebt = _deployLinked(
            "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json",
            abi.encode(aavePool),
            new string[](0),
            new address[](0)
        );
        address strategy = _deployLinked(
            "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json",
            abi.encode(aaveProvider, 0.8e27, uint256(0), 0.04e27, 0.75e27, uint256(0), uint256(0), uint256(0), uint256(0), uint256(0)),
            new string[](0),
            new address[](0)
        );
        ConfiguratorInputTypes.InitReserveInput[] memory input = new ConfiguratorInputTypes.InitReserveInput[](2);
        input[0] = _reserveInput(aToken, stableDebt, variableDebt, strategy, address(collateralToken), "C");
        input[1] = _reserveInput(aToken, stableDebt, variableDebt, strategy, address(loanToken), "L");
        aaveConfigurator.initReserves(input);
    }

    function _reserveInput(
        address aToken,
        address stableDebt,
        address variableDebt,
        address strategy,
        address asset,
        string memory tag
    ) private view returns (ConfiguratorInputTypes.InitReserveInput memory) {
        return ConfiguratorInputTypes.InitReserveInput({
            aTokenImpl: aToken,
            stableDebtTokenImpl: stableDebt,
            variableDebtTokenImpl: variableDebt,
            underlyingAssetDecimals: TestTokenDecimals(asset).decimals(),
            interestRateStrategyAddress: strategy,
            underlyingAsset: asset,
            treasury: aaveTreasury,
            incentivesController: address(0),
            aTokenName: string.concat("Aave ", tag),
            aTokenSymbol: string.concat("a", tag),
            variableDebtTokenName: string.concat("Variable debt ", tag),
            variableDebtTokenSymbol: string.concat("vd", tag),
            stableDebtTokenName: string.concat("Stable debt ", tag),
            stableDebtTokenSymbol: string.concat("sd", tag),
            params: ""
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Artifacts and linking
    // ---------------------------------------------------------------------------------------------

    function _logic(string memory name) private pure returns (string memory) {
        return string.concat("protocol/libraries/logic/", name, ".sol/", name, ".json");
    }

    function _deploy(string memory logicName, bytes memory args) private returns (address) {
        return _deployLinked(_logic(logicName), args, new string[](0), new address[](0));
    }

    /// @dev Deploys the artifact at AAVE/`path` with `args`, each library `names[i]` (a logic library) linked at
    /// `libs[i]`: Hardhat leaves `__$` + the first 34 hex digits of keccak256("<source path>:<name>") + `$__` where
    /// the address goes.
    function _deployLinked(string memory path, bytes memory args, string[] memory names, address[] memory libs)
        internal
        returns (address addr)
    {
        string memory code = vm.parseJsonString(vm.readFile(string.concat(AAVE, path)), ".bytecode");
        for (uint256 i = 0; i < names.length; i++) {
            string memory fq = string.concat(LOGIC, names[i], ".sol:", names[i]);
            string memory placeholder = string.concat("__$", _slice(vm.toString(keccak256(bytes(fq))), 2, 36), "$__");
            require(vm.indexOf(code, placeholder) != type(uint256).max, string.concat("no link reference: ", fq));
            code = vm.replace(code, placeholder, _slice(vm.toString(libs[i]), 2, 42));
        }
        require(vm.indexOf(code, "__$") == type(uint256).max, string.concat("unlinked library in ", path));
        bytes memory init = bytes.concat(vm.parseBytes(code), args);
        assembly ("memory-safe") {
            addr := create(0, add(init, 0x20), mload(init))
        }
        require(addr != address(0), string.concat("deploy failed: ", path));
    }

    function _slice(string memory s, uint256 start, uint256 end) private pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(end - start);
        for (uint256 i = start; i < end; i++) {
            out[i - start] = b[i];
        }
        return string(out);
    }

    // ---------------------------------------------------------------------------------------------
    // Aave vaults and positions
    // ---------------------------------------------------------------------------------------------

    /// @notice An Aave vault owned by `owner_` (e-mode `category`) with `collateral` supplied and variable debt at
    /// `ltvBps` of its value.
    function openAaveVault(address owner_, uint256 collateral, uint256 ltvBps, uint8 category)
        internal
        returns (AaveVault v)
    {
        vm.prank(owner_);
        v = aaveFactory.createVault(address(collateralToken), address(loanToken), category);
        collateralToken.mint(owner_, collateral);
        vm.startPrank(owner_);
        collateralToken.approve(address(v), collateral);
        v.supplyCollateral(collateral);
        (, int256 answer,,,) = feed.latestRoundData();
        uint256 debt = valueOf(collateral, answer) * ltvBps / 10_000;
        if (debt > 0) v.borrow(debt, owner_);
        vm.stopPrank();
    }

    function allowUniswapOn(VaultCore v) internal {
        vm.startPrank(v.owner());
        v.setRoute(address(swapRouter), ISwapRouter.exactInputSingle.selector, true);
        v.setRoute(address(v2Router), IUniswapV2Router02.swapExactTokensForTokens.selector, true);
        vm.stopPrank();
    }

    function aaveCollateralOf(address v) internal view returns (uint256) {
        return aCollateral.balanceOf(v);
    }

    function aaveDebtOf(address v) internal view returns (uint256) {
        return variableDebtLoan.balanceOf(v);
    }

    function aavePrice(AaveVault v) internal view returns (uint256) {
        return AaveOracleAdapter(v.marketParams().oracle).price();
    }

    function aaveLtvOf(AaveVault v) internal view returns (uint256) {
        return LtvMath.ltv(aaveCollateralOf(address(v)), aaveDebtOf(address(v)), aavePrice(v));
    }

    function healthFactorOf(address user) internal view returns (uint256 hf) {
        (,,,,, hf) = aavePool.getUserAccountData(user);
    }
}

interface TestTokenDecimals {
    function decimals() external view returns (uint8);
}
