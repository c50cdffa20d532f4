package io.unwind.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.domain.chain.Address;
import io.unwind.local.MarketSpec;
import io.unwind.local.VaultSetup;
import io.unwind.testing.MarketFixture;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which vaults a keeper watches, read from a real factory on anvil. */
@Tag("chain")
class VaultDirectoryTest {
    private static MarketFixture f;

    @BeforeAll
    static void market() {
        f = new MarketFixture(MarketSpec.wethUsdc());
    }

    @AfterAll
    static void close() {
        f.close();
    }

    @Test
    void withoutAListTheFactoryIsListedAtTheFirstHeadAndAgainWhenItIsDue() {
        Address first = f.vaults.open(VaultSetup.Request.of(MarketFixture.OWNER, "1", "0.5"), f.price());
        VaultDirectory d = new VaultDirectory(f.client, List.of(), Optional.of(f.market.vaultFactory()), 3);

        var head = f.client.latestBlock();
        assertThat(d.vaults(head))
                .as("the first head lists the factory, at any block number")
                .contains(first);

        Address later = f.vaults.open(VaultSetup.Request.of(MarketFixture.STRANGER, "1", "0.5"), f.price());
        assertThat(d.vaults(head)).as("not re-listed at the same head").doesNotContain(later);
        f.chain.mine(3);
        var next = f.client.latestBlock();
        assertThat(d.vaults(next))
                .as("a vault created after start is seen at the next listing")
                .contains(first, later);
    }

    @Test
    void aListedSetIsWatchedExactlyEvenWithAFactory() {
        Address mine = f.vaults.open(VaultSetup.Request.of(MarketFixture.OWNER, "1", "0.5"), f.price());
        f.vaults.open(VaultSetup.Request.of(MarketFixture.STRANGER, "1", "0.5"), f.price());
        VaultDirectory d = new VaultDirectory(f.client, List.of(mine), Optional.of(f.market.vaultFactory()), 1);
        assertThat(d.vaults(f.client.latestBlock())).containsExactly(mine);
    }

    @Test
    void withAMarketListVaultsOnOtherMarketsAreSkippedBeforeTheLensAndNamed() {
        Address v = f.vaults.open(VaultSetup.Request.of(MarketFixture.OWNER, "1", "0.5"), f.price());
        String local = f.market.marketId().toLowerCase(java.util.Locale.ROOT);
        var head = f.client.latestBlock();

        VaultDirectory listed = new VaultDirectory(
                f.client, List.of(), Optional.of(f.market.vaultFactory()), 1, java.util.Set.of(local.toUpperCase()));
        assertThat(listed.vaults(head))
                .as("the factory's marketOf, compared case-blind")
                .contains(v);
        assertThat(listed.skipped()).isEmpty();

        String other = "0x" + "ab".repeat(32);
        VaultDirectory elsewhere = new VaultDirectory(
                f.client, List.of(), Optional.of(f.market.vaultFactory()), 1, java.util.Set.of(other));
        assertThat(elsewhere.vaults(head)).doesNotContain(v);
        assertThat(elsewhere.watched()).doesNotContain(v);
        assertThat(elsewhere.skipped()).containsEntry(v, local);

        // A configured vault is judged by its own marketId().
        VaultDirectory fixed = new VaultDirectory(f.client, List.of(v), Optional.empty(), 1, java.util.Set.of(other));
        assertThat(fixed.vaults(head)).isEmpty();
        assertThat(fixed.skipped()).containsEntry(v, local);
    }
}
