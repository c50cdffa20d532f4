package io.unwind.chain.vault;

import io.unwind.chain.deploy.UnwindContracts;
import io.unwind.contracts.InverseOracle;
import io.unwind.contracts.Morpho;
import io.unwind.domain.chain.Address;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.utils.Numeric;

/**
 * The reverse Morpho market a vault's hedge shorts in (docs/HEDGE.md): loan = the vault's collateral C, collateral =
 * its loan token L, priced by an {@code InverseOracle} over the vault market's oracle, on the vault market's rate model
 * and LLTV (both enabled on Morpho, since the vault's market uses them).
 *
 * <p>The inverse oracle is created through the deterministic deployment proxy with a fixed salt, so one base oracle has
 * one inverse oracle at one address on every chain, and so one reverse market: a second `unwind hedge market` finds the
 * first one's, and `unwind hedge create` finds the market without being told where it is.
 */
public final class ReverseMarket {
    /** The CREATE2 salt of every inverse oracle (keccak256 of "unwind:inverse-oracle"). */
    private static final byte[] SALT = UnwindContracts.salt("inverse-oracle");

    private ReverseMarket() {}

    /** The InverseOracle's creation code over {@code baseOracle}. */
    public static byte[] inverseOracleInitCode(Address baseOracle) {
        String args = FunctionEncoder.encodeConstructor(List.of(VaultCalls.addr(baseOracle)));
        return Numeric.hexStringToByteArray(InverseOracle.BINARY + Numeric.cleanHexPrefix(args));
    }

    /** Where the inverse oracle over {@code baseOracle} is, or will be once deployed. */
    public static Address inverseOracle(Address baseOracle) {
        return UnwindContracts.create2Address(SALT, inverseOracleInitCode(baseOracle));
    }

    /** Deploys the inverse oracle over {@code baseOracle} through the deterministic deployment proxy. */
    public static ContractCall deployInverseOracle(Address baseOracle) {
        return new ContractCall(
                "deploy InverseOracle",
                UnwindContracts.CREATE2_DEPLOYER,
                UnwindContracts.deployerInput(SALT, inverseOracleInitCode(baseOracle)));
    }

    /** The reverse market's parameters for the vault market {@code vaultMarket}. */
    public static MarketParams of(MarketParams vaultMarket) {
        return new MarketParams(
                vaultMarket.collateralToken(),
                vaultMarket.loanToken(),
                inverseOracle(vaultMarket.oracle()),
                vaultMarket.irm(),
                vaultMarket.lltv());
    }

    /** Morpho's createMarket(params): permissionless, for an enabled rate model and LLTV. */
    public static ContractCall createMarket(Address morpho, MarketParams params) {
        return new ContractCall(
                Morpho.FUNC_CREATEMARKET, morpho, VaultCalls.encode(Morpho.FUNC_CREATEMARKET, morphoStruct(params)));
    }

    static Morpho.MarketParams morphoStruct(MarketParams p) {
        return new Morpho.MarketParams(
                p.loanToken().hex(),
                p.collateralToken().hex(),
                p.oracle().hex(),
                p.irm().hex(),
                p.lltv());
    }
}
