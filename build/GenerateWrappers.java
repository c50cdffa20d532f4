// Generates web3j wrappers for the Unwind contracts (forge output) and for the protocol contracts we
// deploy from the npm packages' compiled artifacts. Run by the Maven build (exec:exec, generate-sources)
// as a single-file program, with web3j codegen on the class path:
//   java -cp <classpath> build/GenerateWrappers.java <contracts dir> <output dir> <package>
// Generated code goes to target/ and is never committed.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.web3j.codegen.SolidityFunctionWrapper;
import org.web3j.protocol.core.methods.response.AbiDefinition;

public class GenerateWrappers {

    /** Contract name -> artifact path relative to the contracts directory. */
    static final Map<String, String> ARTIFACTS = new java.util.LinkedHashMap<>();

    static {
        for (String name : List.of(
                "UnwindVault",
                "VaultFactory",
                "VaultLens",
                "AaveVault",
                "AaveVaultFactory",
                "VaultPortfolio",
                "SharedReserve",
                "UnwindHedge")) {
            ARTIFACTS.put(name, "out/" + name + ".sol/" + name + ".json");
        }
        ARTIFACTS.put("InverseOracle", "out/InverseOracle.sol/InverseOracle.json");
        ARTIFACTS.put("ChainlinkOracleAdapter", "out/ChainlinkOracleAdapter.sol/ChainlinkOracleAdapter.json");
        ARTIFACTS.put("AaveOracleAdapter", "out/AaveOracleAdapter.sol/AaveOracleAdapter.json");
        ARTIFACTS.put("SettablePriceFeed", "out/SettablePriceFeed.sol/SettablePriceFeed.json");
        ARTIFACTS.put("TestToken", "out/TestToken.sol/TestToken.json");
        ARTIFACTS.put("PoolArbitrageur", "out/PoolArbitrageur.sol/PoolArbitrageur.json");
        ARTIFACTS.put("FleetBuilder", "out/FleetBuilder.sol/FleetBuilder.json");
        ARTIFACTS.put("KeeperSequence", "out/KeeperSequence.sol/KeeperSequence.json");
        ARTIFACTS.put("Create2Probe", "out/Create2Probe.sol/Create2Probe.json");
        ARTIFACTS.put("ForkOracle", "out/ForkOracle.sol/ForkOracle.json");
        // OP-stack predeploys (contracts-bedrock 0.17.3), placed at their addresses on a local chain by LocalOpStack.
        String op = "node_modules/@eth-optimism/contracts-bedrock/forge-artifacts/";
        ARTIFACTS.put("OpGasPriceOracle", op + "GasPriceOracle.sol/GasPriceOracle.json");
        ARTIFACTS.put("OpL1Block", op + "L1Block.sol/L1Block.json");
        ARTIFACTS.put("Morpho", "out-morpho/Morpho.sol/Morpho.json");
        ARTIFACTS.put("IrmMock", "out-morpho/IrmMock.sol/IrmMock.json");
        String v3core = "node_modules/@uniswap/v3-core/artifacts/contracts/";
        String v3 = "node_modules/@uniswap/v3-periphery/artifacts/contracts/";
        ARTIFACTS.put("UniswapV3Factory", v3core + "UniswapV3Factory.sol/UniswapV3Factory.json");
        ARTIFACTS.put("UniswapV3Pool", v3core + "UniswapV3Pool.sol/UniswapV3Pool.json");
        ARTIFACTS.put("SwapRouter", v3 + "SwapRouter.sol/SwapRouter.json");
        ARTIFACTS.put("QuoterV2", v3 + "lens/QuoterV2.sol/QuoterV2.json");
        // SwapRouter02 (@uniswap/swap-router-contracts): the V3 router deployed on the L2s, without a deadline in
        // exactInputSingle's struct.
        ARTIFACTS.put(
                "SwapRouter02",
                "node_modules/@uniswap/swap-router-contracts/artifacts/contracts/SwapRouter02.sol/SwapRouter02.json");
        ARTIFACTS.put(
                "NonfungiblePositionManager", v3 + "NonfungiblePositionManager.sol/NonfungiblePositionManager.json");
        ARTIFACTS.put("UniswapV2Factory", "node_modules/@uniswap/v2-core/build/UniswapV2Factory.json");
        ARTIFACTS.put("UniswapV2Pair", "node_modules/@uniswap/v2-core/build/UniswapV2Pair.json");
        ARTIFACTS.put("UniswapV2Router02", "node_modules/@uniswap/v2-periphery/build/UniswapV2Router02.json");
        ARTIFACTS.put("WETH9", "node_modules/@uniswap/v2-periphery/build/WETH9.json");
        // Aave V3 (core 1.19.3), deployed by LocalAave. Prefixed with Aave so that Pool, AToken or the logic
        // libraries are not mistaken for anything else. Pool and PoolConfigurator link libraries: their wrappers carry
        // LINK_REFERENCES.
        String aave = "node_modules/@aave/core-v3/artifacts/contracts/";
        String logic = aave + "protocol/libraries/logic/";
        for (String lib : List.of(
                "BorrowLogic",
                "BridgeLogic",
                "EModeLogic",
                "FlashLoanLogic",
                "LiquidationLogic",
                "PoolLogic",
                "SupplyLogic",
                "ConfiguratorLogic")) {
            ARTIFACTS.put("Aave" + lib, logic + lib + ".sol/" + lib + ".json");
        }
        ARTIFACTS.put("AavePool", aave + "protocol/pool/Pool.sol/Pool.json");
        ARTIFACTS.put("AavePoolConfigurator", aave + "protocol/pool/PoolConfigurator.sol/PoolConfigurator.json");
        ARTIFACTS.put(
                "AaveInterestRateStrategy",
                aave + "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json");
        ARTIFACTS.put(
                "AavePoolAddressesProvider",
                aave + "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json");
        ARTIFACTS.put("AaveACLManager", aave + "protocol/configuration/ACLManager.sol/ACLManager.json");
        ARTIFACTS.put("AaveOracle", aave + "misc/AaveOracle.sol/AaveOracle.json");
        ARTIFACTS.put(
                "AaveProtocolDataProvider", aave + "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json");
        ARTIFACTS.put("AaveAToken", aave + "protocol/tokenization/AToken.sol/AToken.json");
        ARTIFACTS.put(
                "AaveVariableDebtToken", aave + "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json");
        ARTIFACTS.put("AaveStableDebtToken", aave + "protocol/tokenization/StableDebtToken.sol/StableDebtToken.json");
        ARTIFACTS.put("AaveMockAggregator", aave + "mocks/oracle/CLAggregators/MockAggregator.sol/MockAggregator.json");
    }

    /** Contracts whose wrapper also carries the runtime code ({@code RUNTIME_BINARY}). */
    private static final java.util.Set<String> RUNTIME =
            java.util.Set.of("KeeperSequence", "Create2Probe", "ForkOracle", "OpGasPriceOracle", "OpL1Block");

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: GenerateWrappers <contracts dir> <output dir> <package>");
            System.exit(2);
        }
        Path contracts = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String pkg = args[2];
        // codegen warns about every non-view function that returns a value (all of Uniswap's): not news.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        ObjectMapper json = new ObjectMapper();
        var wrapper = new SolidityFunctionWrapper(true, false, false, 20);
        int generated = 0;
        for (var e : ARTIFACTS.entrySet()) {
            Path artifact = contracts.resolve(e.getValue());
            if (!Files.exists(artifact)) {
                throw new IllegalStateException("missing artifact " + artifact + ": run forge build first");
            }
            Path target = out.resolve(pkg.replace('.', '/')).resolve(e.getKey() + ".java");
            if (Files.exists(target)
                    && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(artifact)) > 0) {
                continue; // up to date
            }
            JsonNode root = json.readTree(artifact.toFile());
            List<AbiDefinition> abi =
                    new ArrayList<>(Arrays.asList(json.treeToValue(root.get("abi"), AbiDefinition[].class)));
            JsonNode code = root.get("bytecode");
            String bin = code.isObject() ? code.get("object").asText() : code.asText(); // forge | hardhat, waffle
            if (!bin.startsWith("0x")) bin = "0x" + bin;
            wrapper.generateJavaFiles(e.getKey(), bin, abi, out.toString(), pkg, Map.of());
            // The build compiles with warnings as errors. web3j's generated code casts its decoded results unchecked
            // (it cannot do otherwise): that warning is web3j's, not ours, so the generated classes suppress it.
            String text = Files.readString(target);
            if (!text.contains("@SuppressWarnings(\"rawtypes\")")) {
                throw new IllegalStateException("web3j's wrapper for " + e.getKey() + " changed shape: " + target);
            }
            text = text.replace("@SuppressWarnings(\"rawtypes\")", "@SuppressWarnings({\"rawtypes\", \"unchecked\"})");
            if (RUNTIME.contains(e.getKey())) {
                // Code the keeper places at an address by state override, never deploys: it needs the runtime code.
                String runtime = root.get("deployedBytecode").get("object").asText();
                if (!runtime.startsWith("0x")) runtime = "0x" + runtime;
                int end = text.lastIndexOf('}');
                text = text.substring(0, end) + "    public static final String RUNTIME_BINARY = \"" + runtime + "\";\n"
                        + text.substring(end);
            }
            String links = linkReferences(root);
            if (!links.isEmpty()) {
                int end = text.lastIndexOf('}');
                text = text.substring(0, end) + links + text.substring(end);
            }
            Files.writeString(target, text);
            generated++;
        }
        System.out.println(
                "contract wrappers: " + generated + " generated, " + (ARTIFACTS.size() - generated) + " up to date");
    }

    /**
     * The artifact's library link references (Hardhat: {@code linkReferences}; forge: {@code bytecode.linkReferences})
     * as a Java constant: "source:Library" -> the byte offsets in BINARY of its 20-byte placeholders. Empty text when
     * the contract links nothing.
     */
    static String linkReferences(JsonNode root) {
        JsonNode refs = root.get("linkReferences");
        if (refs == null && root.get("bytecode").isObject())
            refs = root.get("bytecode").get("linkReferences");
        if (refs == null || refs.isEmpty()) return "";
        List<String> entries = new ArrayList<>();
        for (var source : refs.properties()) {
            for (var lib : source.getValue().properties()) {
                List<String> starts = new ArrayList<>();
                for (JsonNode at : lib.getValue()) {
                    if (at.get("length").asInt() != 20) throw new IllegalStateException("link reference not 20 bytes");
                    starts.add(Integer.toString(at.get("start").asInt()));
                }
                entries.add("java.util.Map.entry(\"" + source.getKey() + ":" + lib.getKey() + "\", java.util.List.of("
                        + String.join(", ", starts) + "))");
            }
        }
        return "    /** Libraries to link into BINARY: \"source:Library\" -> byte offsets of its placeholders. */\n"
                + "    public static final java.util.Map<String, java.util.List<Integer>> LINK_REFERENCES ="
                + " java.util.Map.ofEntries(\n            " + String.join(",\n            ", entries) + ");\n";
    }
}
