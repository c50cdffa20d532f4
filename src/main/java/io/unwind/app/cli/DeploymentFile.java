package io.unwind.app.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.unwind.app.cli.ExitCodes.UserError;
import io.unwind.domain.chain.Address;
import io.unwind.local.MarketDeployment;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code deployment.json}: the addresses of a deployed market, as {@code unwind devnet} writes them. The keeper's
 * config takes contract addresses from it ({@code contracts.deployment}), and the CLI takes the market of {@code vault
 * create} and the price feed of {@code devnet price} from it. Addresses are hex strings and big numbers strings, so
 * that any JSON reader gets them exactly.
 */
final class DeploymentFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("unwind-deployment")
                    .addSerializer(Address.class, ToStringSerializer.instance)
                    .addSerializer(BigInteger.class, ToStringSerializer.instance)
                    .addDeserializer(Address.class, new JsonDeserializer<>() {
                        @Override
                        public Address deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return Address.of(p.getValueAsString());
                        }
                    }));

    private DeploymentFile() {}

    static void write(Path file, MarketDeployment d) {
        try {
            Files.writeString(file, JSON.writeValueAsString(d) + "\n");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * The deployment with Aave V3 beside it: the market's fields, then {@code aaveVaultFactory} (the Unwind factory of
     * Aave vaults, which the keeper's config takes as contracts.aaveFactory) and {@code aave} (the pool's contracts).
     */
    static void write(Path file, MarketDeployment d, Address aaveVaultFactory, io.unwind.local.AaveDeployment aave) {
        try {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(d);
            node.put("aaveVaultFactory", aaveVaultFactory.hex());
            node.set("aave", JSON.valueToTree(aave));
            Files.writeString(file, JSON.writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * The deployment file of {@code unwind deploy}: Unwind's contracts on a chain (chainId, deployer, morpho,
     * vaultFactory, vaultLens, and with Aave aaveVaultFactory, aavePoolAddressesProvider, aavePool), with how they were
     * made ({@code create2Deployer}, {@code salt}). Its names are the ones the CLI and the keeper's config read from
     * the devnet's file; it names no market, pools or tokens (a real chain's are the protocols' own).
     */
    static void writeUnwind(
            Path file,
            long chainId,
            Address deployer,
            Address morpho,
            List<io.unwind.chain.deploy.UnwindContracts.Checked> contracts,
            Address aaveProvider,
            java.util.Optional<Address> aavePool,
            String salt) {
        var node = JSON.createObjectNode();
        node.put("chainId", chainId);
        node.put("deployer", deployer.hex());
        node.put("morpho", morpho.hex());
        for (var c : contracts) {
            String name = switch (c.planned().name()) {
                case "VaultFactory" -> "vaultFactory";
                case "VaultLens" -> "vaultLens";
                case "AaveVaultFactory" -> "aaveVaultFactory";
                default ->
                    throw new IllegalArgumentException(
                            "unknown contract " + c.planned().name());
            };
            node.put(name, c.planned().address().hex());
        }
        if (aaveProvider != null) node.put("aavePoolAddressesProvider", aaveProvider.hex());
        aavePool.ifPresent(p -> node.put("aavePool", p.hex()));
        node.put("create2Deployer", io.unwind.chain.deploy.UnwindContracts.CREATE2_DEPLOYER.hex());
        node.put("salt", salt);
        node.putArray("pools");
        try {
            Files.writeString(file, JSON.writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * Where {@code unwind devnet --fork} replaced a market's oracle, so that {@code devnet price} moves it: the
     * market's fields, then {@code fork} with the forked chain's block and the {@code oracle} now settable. The fork's
     * URL is not written: providers put their API key in it.
     */
    record Fork(long block, Address oracle) {}

    static void writeFork(Path file, MarketDeployment d, Fork fork) {
        try {
            var node = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.valueToTree(d);
            node.putObject("fork")
                    .put("block", fork.block())
                    .put("oracle", fork.oracle().hex());
            Files.writeString(file, JSON.writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILED, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The fork part of a deployment file, if {@code unwind devnet --fork} wrote it. */
    static java.util.Optional<Fork> readFork(Path file) {
        try {
            var node = JSON.readTree(file.toFile());
            if (!node.hasNonNull("fork")) return java.util.Optional.empty();
            return java.util.Optional.of(new Fork(
                    node.get("fork").get("block").asLong(),
                    Address.of(node.get("fork").get("oracle").asText())));
        } catch (IOException | RuntimeException e) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "cannot read the fork part of the deployment file " + file + ": " + firstLine(e.getMessage()));
        }
    }

    /** The Aave V3 part of a deployment file, if it has one. */
    static java.util.Optional<io.unwind.local.AaveDeployment> readAave(Path file) {
        try {
            var node = JSON.readTree(file.toFile());
            if (!node.hasNonNull("aave")) return java.util.Optional.empty();
            return java.util.Optional.of(JSON.treeToValue(node.get("aave"), io.unwind.local.AaveDeployment.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "cannot read the Aave part of the deployment file " + file + ": " + firstLine(e.getMessage()));
        }
    }

    /** The Aave vault factory of a deployment file, if it has one. */
    static java.util.Optional<Address> readAaveFactory(Path file) {
        try {
            var node = JSON.readTree(file.toFile());
            return node.hasNonNull("aaveVaultFactory")
                    ? java.util.Optional.of(
                            Address.of(node.get("aaveVaultFactory").asText()))
                    : java.util.Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(
                    ExitCodes.USAGE, "cannot read the deployment file " + file + ": " + firstLine(e.getMessage()));
        }
    }

    static MarketDeployment read(Path file) {
        try {
            return JSON.readValue(file.toFile(), MarketDeployment.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(
                    ExitCodes.USAGE,
                    "cannot read the deployment file " + file + ": " + firstLine(e.getMessage())
                            + ". Pass the deployment.json that `unwind devnet` wrote.");
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
