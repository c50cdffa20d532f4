package io.unwind.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.unwind.app.sim.SimulationReport;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** simulate's exit status: a run that stopped early is a failure (1) whatever it saw before it stopped. */
@Tag("pure")
class SimulateExitCodeTest {

    @Test
    void aStoppedRunExitsWithOneEvenAfterALiquidation() {
        assertThat(SimulateCommand.exitCode(report(0, null))).isEqualTo(ExitCodes.OK);
        assertThat(SimulateCommand.exitCode(report(1, null))).isEqualTo(ExitCodes.PROTECTED_VAULT_LIQUIDATED);
        assertThat(SimulateCommand.exitCode(report(0, "stopped at block 4: no receipt")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(SimulateCommand.exitCode(report(1, "stopped at block 4: no receipt")))
                .isEqualTo(ExitCodes.FAILED);
    }

    private static SimulationReport report(int protectedLiquidated, String error) {
        var keeper = new SimulationReport.Keeper(
                "0x90f79bf6eb2c4f870365e785982e1f101e93b906",
                new SimulationReport.ReactionBlocks(null, null, 0),
                0,
                1,
                protectedLiquidated,
                0,
                0,
                0,
                0,
                null);
        return new SimulationReport("s", 3, "WETH", "USDC", List.of(), keeper, List.of(), error);
    }
}
