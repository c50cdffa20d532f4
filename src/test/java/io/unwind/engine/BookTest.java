package io.unwind.engine;

import static io.unwind.domain.testing.Fixtures.USDC;
import static io.unwind.domain.testing.Fixtures.WETH;
import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.chain.vault.SequenceSimulator;
import io.unwind.domain.chain.Address;
import io.unwind.domain.fee.Eip1559Fees;
import io.unwind.domain.money.Wei;
import io.unwind.domain.position.VaultHealth;
import io.unwind.domain.risk.Urgency;
import io.unwind.domain.testing.Fixtures;
import io.unwind.domain.tx.TxKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The block's book against a model of venues that fill up: each venue takes sales in the order they run until its
 * capacity is used, as a pool's price moves with each sale until the next one falls under its oracle floor.
 */
@Tag("pure")
class BookTest {
    private static final Eip1559Fees FEES = new Eip1559Fees(Wei.gwei(30), Wei.gwei(2));
    private static final long BLOCK = 30_000_000;

    /** Venues with a capacity each; a call's data is "venue:size". Records every sequence it was asked to run. */
    static final class Venues implements Book.Sequencer {
        final Map<String, Integer> capacity = new HashMap<>();
        final List<List<String>> runs = new ArrayList<>();

        Venues with(String venue, int cap) {
            capacity.put(venue, cap);
            return this;
        }

        @Override
        public List<SequenceSimulator.Step> run(List<SequenceSimulator.Call> calls) {
            Map<String, Integer> used = new HashMap<>();
            List<String> run = new ArrayList<>();
            List<SequenceSimulator.Step> steps = new ArrayList<>();
            for (SequenceSimulator.Call c : calls) {
                String[] d = new String(c.data(), StandardCharsets.UTF_8).split(":");
                run.add(c.target().hex().substring(40) + "@" + d[0]);
                int size = Integer.parseInt(d[1]);
                int now = used.getOrDefault(d[0], 0);
                if (now + size <= capacity.getOrDefault(d[0], 0)) {
                    used.put(d[0], now + size);
                    steps.add(new SequenceSimulator.Step(true, 200_000, new byte[0]));
                } else {
                    steps.add(new SequenceSimulator.Step(false, 80_000, new byte[0]));
                }
            }
            runs.add(run);
            return steps;
        }
    }

    /** A vault {@code tag} at LTV {@code ltvBps} (LLTV 86%) with {@code debt} USDC, selling {@code size} on venues. */
    private static Proposal sale(String tag, int ltvBps, String collateral, int size, String... venues) {
        VaultHealth h = Fixtures.vault(WETH, USDC)
                .address(Address.of("0x" + "0".repeat(38) + tag))
                .collateral(collateral)
                .price("3000")
                .ltvBps(ltvBps)
                .build();
        List<Proposal.Option> options = new ArrayList<>();
        for (String v : venues) {
            options.add(new Proposal.Option(
                    v, (v + ":" + size).getBytes(StandardCharsets.UTF_8), OptionalLong.of(250_000), "sell via " + v));
        }
        return new Proposal(h, TxKind.DELEVERAGE, options, FEES, Urgency.NONE);
    }

    private static List<String> sent(Book.Result r) {
        return r.send().stream()
                .map(e -> e.proposal().vault().vault().hex().substring(40) + "@"
                        + e.option().route())
                .toList();
    }

    @Test
    void theMostUrgentGoesFirstAndWhatTheVenueCannotTakeWaits() {
        Venues v = new Venues().with("v3", 2);
        Book.Result r = Book.settle(
                List.of(sale("01", 8100, "2", 1, "v3"), sale("02", 8400, "2", 1, "v3"), sale("03", 8200, "2", 1, "v3")),
                BLOCK,
                v);

        // 02 is closest to its LLTV, then 03: the venue takes two sales, the third (01) would revert after them.
        assertThat(sent(r)).containsExactly("02@v3", "03@v3");
        assertThat(r.waiting()).singleElement().satisfies(w -> {
            assertThat(w.proposal().vault().vault().hex()).endsWith("01");
            assertThat(w.why()).contains("would revert after the 2 actions before it");
        });
        assertThat(r.sequenced()).isTrue();
        assertThat(r.simulations()).isEqualTo(1);
    }

    @Test
    void atTheSameLtvTheLargerDebtGoesFirst() {
        Venues v = new Venues().with("v3", 1);
        Book.Result r = Book.settle(List.of(sale("01", 8200, "2", 1, "v3"), sale("02", 8200, "20", 1, "v3")), BLOCK, v);

        assertThat(sent(r)).containsExactly("02@v3");
    }

    @Test
    void vaultsWithinATenthOfAPointOfEachOtherAreLevelAndTheLargerDebtGoesFirst() {
        // A large vault a rounding below a fleet of small ones must not wait behind all of them.
        Venues v = new Venues().with("v3", 1);
        Book.Result r =
                Book.settle(List.of(sale("01", 8200, "2", 1, "v3"), sale("02", 8199, "400", 1, "v3")), BLOCK, v);
        assertThat(sent(r)).containsExactly("02@v3");

        // A tenth of a point or more closer to the LLTV still comes first, whatever its size.
        Book.Result apart =
                Book.settle(List.of(sale("01", 8210, "2", 1, "v3"), sale("02", 8199, "400", 1, "v3")), BLOCK, v);
        assertThat(sent(apart)).containsExactly("01@v3");
    }

    @Test
    void aSaleTheBestVenueCannotTakeMovesToTheNextAndTheSequenceIsCheckedAgain() {
        Venues v = new Venues().with("v3-500", 1).with("v2", 5);
        Book.Result r = Book.settle(
                List.of(sale("01", 8400, "2", 1, "v3-500", "v2"), sale("02", 8300, "2", 1, "v3-500", "v2")), BLOCK, v);

        assertThat(sent(r)).containsExactly("01@v3-500", "02@v2");
        assertThat(r.waiting()).isEmpty();
        assertThat(r.simulations()).isEqualTo(2);
        // What is sent is what the last simulation ran.
        assertThat(v.runs.getLast()).containsExactly("01@v3-500", "02@v2");
    }

    @Test
    void whatIsSentIsExactlyTheLastSimulatedSequenceWithoutItsFailures() {
        // Three rounds are not enough for everyone: whatever is left failing after the last round waits, and the rest
        // is the last simulated sequence (a failed call changes no state).
        Venues v = new Venues().with("a", 1).with("b", 1).with("c", 1);
        List<Proposal> book = new ArrayList<>();
        for (int i = 1; i <= 5; i++) book.add(sale("0" + i, 8500 - i * 10, "2", 1, "a", "b", "c", "d"));
        Book.Result r = Book.settle(book, BLOCK, v);

        assertThat(r.simulations()).isEqualTo(Book.ROUNDS);
        List<String> last = v.runs.getLast();
        assertThat(sent(r)).hasSize(3).allSatisfy(s -> assertThat(last).contains(s));
        assertThat(r.waiting()).hasSize(2);
        // Replaying exactly what is sent succeeds throughout.
        Venues replay = new Venues().with("a", 1).with("b", 1).with("c", 1);
        var calls = r.send().stream()
                .map(e -> new SequenceSimulator.Call(
                        e.proposal().vault().vault(), e.option().data()))
                .toList();
        assertThat(replay.run(calls)).allMatch(SequenceSimulator.Step::ok);
    }

    @Test
    void theKeepersShareOfTheBlockIsKeptAndTheMostUrgentIsAlwaysTaken() {
        Venues v = new Venues().with("v3", 100);
        long oneSale = 250_000; // what each sale measured alone
        Book.Result r = Book.settle(
                List.of(sale("01", 8100, "2", 1, "v3"), sale("02", 8400, "2", 1, "v3"), sale("03", 8200, "2", 1, "v3")),
                2 * oneSale,
                v);
        assertThat(sent(r)).containsExactly("02@v3", "03@v3");
        assertThat(r.waiting())
                .singleElement()
                .satisfies(w -> assertThat(w.why()).contains("share of this block"));

        Book.Result tiny = Book.settle(List.of(sale("01", 8100, "2", 1, "v3")), 1, v);
        assertThat(sent(tiny)).containsExactly("01@v3");
    }

    @Test
    void theGasLimitCoversTheSaleInTheSequenceAndItsOwnTransaction() {
        Venues v = new Venues().with("v3", 10);
        Book.Result r = Book.settle(List.of(sale("01", 8100, "2", 1, "v3"), sale("02", 8200, "2", 1, "v3")), BLOCK, v);
        // Alone 250,000 measured; in the sequence 200,000 + 21,000 + 16 a byte: the larger, under the keeper's margin.
        assertThat(r.send())
                .allSatisfy(e -> assertThat(e.gasLimit().longValueExact()).isEqualTo(250_000 * 5 / 4 + 25_000));
    }

    @Test
    void aNodeWithoutOverridesSendsEachActionCheckedAloneInUrgencyOrder() {
        Book.Result r =
                Book.settle(List.of(sale("01", 8100, "2", 1, "v3"), sale("02", 8400, "2", 1, "v3")), BLOCK, calls -> {
                    throw new SequenceSimulator.SequenceUnavailable("no overrides");
                });
        assertThat(sent(r)).containsExactly("02@v3", "01@v3");
        assertThat(r.sequenced()).isFalse();
        assertThat(r.simulations()).isZero();
    }

    @Test
    void aSaleBehindOthersIsSentWithTheMinimumsSettledOnWhatItDeliveredInTheSequence() {
        // Sale 02's first form fails behind 01 (its quote was made on the pool before 01 moved it); its second form
        // asks
        // only the vault's floors, succeeds, delivering 1234, and is settled on that before it is sent.
        Proposal first = sale("01", 8400, "2", 1, "v3");
        Proposal behind = new Proposal(
                sale("02", 8300, "2", 1, "v3").vault(),
                TxKind.DELEVERAGE,
                List.of(
                        new Proposal.Option(
                                "v3", "tight".getBytes(StandardCharsets.UTF_8), OptionalLong.of(250_000), ""),
                        new Proposal.Option(
                                "v3",
                                "relaxed".getBytes(StandardCharsets.UTF_8),
                                OptionalLong.of(250_000),
                                "",
                                java.util.Optional.of(
                                        delivered -> ("settled:" + delivered).getBytes(StandardCharsets.UTF_8)))),
                FEES,
                Urgency.NONE);
        List<List<String>> runs = new ArrayList<>();
        Book.Result r = Book.settle(List.of(behind, first), BLOCK, calls -> {
            List<String> run = new ArrayList<>();
            List<SequenceSimulator.Step> steps = new ArrayList<>();
            for (SequenceSimulator.Call c : calls) {
                String d = new String(c.data(), StandardCharsets.UTF_8);
                run.add(d);
                byte[] ret = new byte[64];
                ret[63] = (byte) 0xd2; // proceeds 1234 = 0x04d2
                ret[62] = 0x04;
                steps.add(new SequenceSimulator.Step(!d.equals("tight"), 200_000, ret));
            }
            runs.add(run);
            return steps;
        });

        assertThat(runs).containsExactly(List.of("v3:1", "tight"), List.of("v3:1", "relaxed"));
        assertThat(r.send()).hasSize(2);
        assertThat(new String(r.send().get(1).data(), StandardCharsets.UTF_8)).isEqualTo("settled:1234");
        assertThat(new String(r.send().get(0).data(), StandardCharsets.UTF_8)).isEqualTo("v3:1");
    }

    @Test
    void oneActionAloneIsNotSimulatedAgain() {
        Venues v = new Venues().with("v3", 0);
        Book.Result r = Book.settle(List.of(sale("01", 8100, "2", 1, "v3")), BLOCK, v);
        // Routing already simulated it alone at this head: the same check, not repeated.
        assertThat(sent(r)).containsExactly("01@v3");
        assertThat(v.runs).isEmpty();
    }
}
