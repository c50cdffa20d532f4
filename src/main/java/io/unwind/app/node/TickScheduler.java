package io.unwind.app.node;

import io.unwind.chain.RpcOutageLog;
import io.unwind.domain.chain.BlockRef;
import io.unwind.engine.Keeper;
import io.unwind.engine.TickResult;
import io.unwind.engine.VaultOutcome;
import io.unwind.store.JournalOutageLog;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives ticks with Quartz: a tick is fired on every new head, and by an interval trigger as a fallback when heads stop
 * arriving. The job never runs twice at once for a chain ({@link DisallowConcurrentExecution}); a tick always works on
 * the newest head, so heads that arrive while a tick runs are folded into the next one. A head already ticked is
 * skipped unless its tick had errors (then the fallback retries it).
 */
public final class TickScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TickScheduler.class);

    private final Scheduler scheduler;
    private final JobKey job;

    public TickScheduler(
            long chainId,
            Keeper keeper,
            Supplier<Optional<BlockRef>> heads,
            Duration fallback,
            java.util.function.Consumer<TickResult> afterTick) {
        this(chainId, keeper, heads, fallback, afterTick, RpcOutageLog.silent(), null);
    }

    /**
     * @param outages the chain's endpoints that are down: while one is, a tick that fails (or that the fallback trigger
     *     cannot run for want of a head) is counted there instead of logged, so an outage is a few lines, not one a
     *     tick
     * @param journal the journal's database failing: a tick that fails on it is counted there (a few lines however long
     *     it lasts) instead of logged; null to log such ticks as any other failure
     */
    public TickScheduler(
            long chainId,
            Keeper keeper,
            Supplier<Optional<BlockRef>> heads,
            Duration fallback,
            java.util.function.Consumer<TickResult> afterTick,
            RpcOutageLog outages,
            JournalOutageLog journal) {
        try {
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "unwind-" + chainId);
            p.setProperty("org.quartz.threadPool.threadCount", "2");
            p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            this.scheduler = new StdSchedulerFactory(p).getScheduler();
            TickState state = new TickState(keeper, heads, afterTick, outages, journal);
            scheduler.setJobFactory((bundle, s) -> new TickJob(state));
            this.job = JobKey.jobKey("tick", "chain-" + chainId);
            JobDetail detail = JobBuilder.newJob(TickJob.class)
                    .withIdentity(job)
                    .storeDurably()
                    .build();
            Trigger interval = TriggerBuilder.newTrigger()
                    .withIdentity("interval", "chain-" + chainId)
                    .forJob(job)
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(fallback.toMillis())
                            .repeatForever()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .startNow()
                    .build();
            scheduler.addJob(detail, false);
            scheduler.scheduleJob(interval);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot set up the scheduler: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
        }
    }

    /** Asks for a tick now (on a new head). If one is running, the next runs right after it. */
    public void fire() {
        try {
            scheduler.triggerJob(job);
        } catch (SchedulerException e) {
            log.warn("cannot fire a tick: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("scheduler shutdown: {}", e.getMessage());
        }
    }

    /** What ticks share: the engine, where heads come from, the last head ticked. */
    static final class TickState {
        final Keeper keeper;
        final Supplier<Optional<BlockRef>> heads;
        final java.util.function.Consumer<TickResult> afterTick;
        final RpcOutageLog outages;
        final JournalOutageLog journal;
        BlockRef lastTicked;
        boolean lastHadErrors;

        TickState(
                Keeper keeper,
                Supplier<Optional<BlockRef>> heads,
                java.util.function.Consumer<TickResult> afterTick,
                RpcOutageLog outages,
                JournalOutageLog journal) {
            this.keeper = keeper;
            this.heads = heads;
            this.afterTick = afterTick;
            this.outages = outages;
            this.journal = journal;
        }
    }

    @DisallowConcurrentExecution
    public static final class TickJob implements Job {
        private final TickState state;

        TickJob(TickState state) {
            this.state = state;
        }

        @Override
        public void execute(JobExecutionContext context) {
            Optional<BlockRef> head = state.heads.get();
            if (head.isEmpty()) return;
            BlockRef h = head.get();
            synchronized (state) {
                if (h.equals(state.lastTicked) && !state.lastHadErrors) {
                    // No new head: the chain is quiet, or no endpoint can say what its head is (then it is a lost
                    // tick).
                    if (state.outages.anyDown()) state.outages.tickFailed();
                    return;
                }
            }
            try {
                TickResult r = state.keeper.tick(h);
                synchronized (state) {
                    state.lastTicked = h;
                    state.lastHadErrors = !r.of(VaultOutcome.Kind.ERROR).isEmpty();
                }
                if (state.journal != null && r.of(VaultOutcome.Kind.ERROR).isEmpty()) state.journal.tickWorked();
                state.afterTick.accept(r);
            } catch (RuntimeException e) {
                // A tick that cannot even read the chain: retried on the next head or by the fallback trigger.
                synchronized (state) {
                    state.lastTicked = h;
                    state.lastHadErrors = true;
                }
                if (state.journal != null && state.journal.failed(e)) {
                    // Said once by the journal's outage log; the fallback trigger tries again until it answers.
                    log.debug("tick at block {} failed on the journal: {}", h.number(), e.getMessage());
                } else if (state.outages.tickFailed()) {
                    log.debug("tick at block {} failed while an RPC endpoint is down: {}", h.number(), e.getMessage());
                } else {
                    log.warn("tick at block {} failed: {}", h.number(), e.getMessage());
                }
            }
        }
    }
}
