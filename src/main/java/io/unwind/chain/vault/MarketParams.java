package io.unwind.chain.vault;

import io.unwind.contracts.VaultFactory;
import io.unwind.domain.chain.Address;
import java.math.BigInteger;
import org.web3j.abi.TypeEncoder;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/** A Morpho Blue market's parameters, as the factory's createVault and Morpho's idToMarketParams have them. */
public record MarketParams(Address loanToken, Address collateralToken, Address oracle, Address irm, BigInteger lltv) {
    /** Morpho's market id: keccak256 of the ABI-encoded parameters, 0x-hex. */
    public String id() {
        return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(TypeEncoder.encode(struct()))));
    }

    /** Whether Morpho knows the market: an unknown id reads back as all zeros. */
    public boolean exists() {
        return lltv.signum() != 0;
    }

    VaultFactory.MarketParams struct() {
        return new VaultFactory.MarketParams(loanToken.hex(), collateralToken.hex(), oracle.hex(), irm.hex(), lltv);
    }
}
