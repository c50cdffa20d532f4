package io.unwind.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.tx.TxKind;
import io.unwind.store.Database;
import io.unwind.store.Journal;
import io.unwind.store.NewTx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the status page's API gives the page to show: states and kinds in words next to their names. */
@Tag("pure")
class StatusPageTest {
    @Test
    void transactionsCarryTheirStateAndKindInWords() {
        try (Database db = Database.open(Database.inMemoryUrl("status-" + UUID.randomUUID()), "sa", "")) {
            Journal journal = new Journal(db.dataSource(), Clock.systemUTC());
            Address keeper = Address.of("0x" + "3".repeat(40));
            Address vault = Address.of("0x" + "4".repeat(40));
            journal.insert(new NewTx(
                    "sell:1",
                    31337,
                    keeper,
                    vault,
                    vault,
                    "0x00",
                    Wei.ZERO,
                    300_000,
                    new Eip1559Fees(Wei.gwei(2), Wei.gwei(1)),
                    TxKind.DELEVERAGE,
                    0.1,
                    Optional.of("sell 1.5 WETH via uniswap-v3-3000"),
                    OptionalLong.of(7)));
            StatusPage page = new StatusPage(new VaultHistory(10, 10, 10), journal, keeper, 31337, Clock.systemUTC());

            // As /api/status writes it.
            JsonNode txs =
                    new ObjectMapper().valueToTree(page.snapshot(Map.of())).get("transactions");
            assertThat(txs).hasSize(1);
            JsonNode t = txs.get(0);
            assertThat(t.get("state").asText()).isEqualTo("UNSTARTED");
            assertThat(t.get("stateText").asText()).isEqualTo("queued");
            assertThat(t.get("kind").asText()).isEqualTo("DELEVERAGE");
            assertThat(t.get("kindText").asText()).isEqualTo("sale");
        }
    }
}
