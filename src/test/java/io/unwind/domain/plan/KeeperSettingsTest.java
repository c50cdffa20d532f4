package io.unwind.domain.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unwind.domain.position.Policy;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The keeper's fee is bounded where the vault bounds it: a fee above the vault's cap could never be taken. */
@Tag("pure")
class KeeperSettingsTest {
    @Test
    void theKeeperFeeStopsAtTheVaultsCap() {
        assertThat(fee(Policy.MAX_FEE_BPS).keeperFeeBps()).isEqualTo(500);
        assertThatThrownBy(() -> fee(Policy.MAX_FEE_BPS + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keeperFeeBps must be in [0, 500]");
        assertThatThrownBy(() -> fee(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static KeeperSettings fee(int bps) {
        return new KeeperSettings(bps, 50, 5, 2, Duration.ofMinutes(2), 20);
    }
}
