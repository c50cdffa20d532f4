package io.unwind.local;

import io.unwind.chain.vault.ContractCall;
import io.unwind.chain.vault.PortfolioCalls;
import io.unwind.contracts.SharedReserve;
import io.unwind.domain.chain.Address;
import io.unwind.domain.money.Token;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;

/**
 * What an owner does on a local chain to join their vaults into one portfolio, as they would with the CLI: deploy and
 * fund a {@code SharedReserve}, give each vault a limit and link it; list vaults on one collateral token as each
 * other's move peers with a move cap. Transactions are sent from the owner's wallet; the caller flushes it.
 */
public final class SharedReserveSetup {
    private SharedReserveSetup() {}

    /**
     * Deploys a SharedReserve owned by the wallet's account, mints it {@code fund} of the (test) loan token, and for
     * each vault sets a limit of {@code limit} and links it. Returns the reserve's address.
     */
    public static Address reserve(
            DevWallet owner, Token loan, BigInteger fund, BigInteger limit, List<Address> vaults) {
        Address reserve = owner.deploy(
                SharedReserve.BINARY,
                FunctionEncoder.encodeConstructor(List.of(
                        new org.web3j.abi.datatypes.Address(owner.address().hex()))));
        if (fund.signum() > 0) owner.mint(loan.address(), reserve, fund);
        for (Address vault : vaults) {
            send(owner, PortfolioCalls.setLimit(reserve, vault, loan.address(), limit));
            send(owner, PortfolioCalls.setSharedReserve(vault, reserve));
        }
        return reserve;
    }

    /** Sets {@code capBps} on each vault and lists every other vault of {@code vaults} as its move peer. */
    public static void movePeers(DevWallet owner, List<Address> vaults, int capBps) {
        for (Address vault : vaults) {
            send(owner, PortfolioCalls.setMoveCap(vault, capBps));
            for (Address peer : vaults) {
                if (!peer.equals(vault)) send(owner, PortfolioCalls.setMovePeer(vault, peer, true));
            }
        }
    }

    private static void send(DevWallet owner, ContractCall c) {
        owner.call(c.to(), c.hex());
    }
}
