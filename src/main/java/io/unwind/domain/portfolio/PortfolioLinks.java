package io.unwind.domain.portfolio;

import io.unwind.domain.chain.Address;
import java.util.Objects;
import java.util.Set;

/**
 * What an owner set on one vault to join it to the owner's other vaults, as read from the vault: the shared reserve its
 * top-ups may draw from ({@link Address#ZERO} when none), the most one move may take out of it (basis points of its
 * collateral; 0: no moves out) and the vaults it lists as move peers (a move needs both ends to list each other).
 */
public record PortfolioLinks(Address sharedReserve, int maxMoveBps, Set<Address> movePeers) {
    public static final PortfolioLinks NONE = new PortfolioLinks(Address.ZERO, 0, Set.of());

    public PortfolioLinks {
        Objects.requireNonNull(sharedReserve, "sharedReserve");
        movePeers = Set.copyOf(movePeers);
        if (maxMoveBps < 0 || maxMoveBps > 10_000) throw new IllegalArgumentException("maxMoveBps: " + maxMoveBps);
    }

    public boolean hasSharedReserve() {
        return !sharedReserve.equals(Address.ZERO);
    }

    public boolean linked() {
        return hasSharedReserve() || !movePeers.isEmpty();
    }
}
