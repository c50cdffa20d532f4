package io.unwind.app.node;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: the vaults are split into {@code partitions}, one Quartz job each, in Quartz's clustered JDBC job store
 * on the shared PostgreSQL. Each job fires on an interval; Quartz hands every firing to exactly one node, and
 * {@link DisallowConcurrentExecution} keeps a partition from running on two nodes at once. When a node stops checking
 * in, the others take its partitions over within the check-in interval (jobs request recovery).
 */
public final class ClusterTickScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterTickScheduler.class);
    static final String GROUP = "partitions";

    private final Scheduler scheduler;
    private final DataSource dataSource;
    private final String schedulerName;
    private final Duration interval;

    /**
     * @param tick runs one tick for the partition it is given, on this node (with this node's key)
     * @param othersAlive whether another node of the cluster is running (a different partition count is then refused)
     */
    public ClusterTickScheduler(
            String nodeId,
            long chainId,
            DataSource dataSource,
            int partitions,
            Duration interval,
            Duration checkin,
            java.util.function.BooleanSupplier othersAlive,
            IntConsumer tick) {
        this.dataSource = dataSource;
        this.schedulerName = "unwind-chain-" + chainId;
        this.interval = interval;
        String dsName = "unwind-" + nodeId;
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new Provider(dataSource));
        try {
            Properties p = new Properties();
            p.setProperty("org.quartz.scheduler.instanceName", "unwind-chain-" + chainId);
            p.setProperty("org.quartz.scheduler.instanceId", nodeId);
            p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
            int threads = Math.min(partitions, 4);
            p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
            // Take as many due firings per trip to the database as there are threads, and look ahead no further than
            // one interval: a node holds few firings it has not started, so a dead node strands few.
            p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", Integer.toString(threads));
            p.setProperty(
                    "org.quartz.scheduler.idleWaitTime",
                    Long.toString(Math.max(1000, interval.toMillis()))); // Quartz's floor
            p.setProperty("org.quartz.jobStore.class", PromptRecoveryJobStore.class.getName());
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            p.setProperty("org.quartz.jobStore.dataSource", dsName);
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            // Nodes check in twice per interval, and a node is failed once silent for a whole one
            // (PromptRecoveryJobStore).
            p.setProperty(
                    "org.quartz.jobStore.clusterCheckinInterval", Long.toString(Math.max(250, checkin.toMillis() / 2)));
            // After a failed trip to the database (PostgreSQL restarted or unreachable), Quartz's threads wait this
            // long
            // before they try again: to acquire or release triggers, check in, handle misfires. Its default of 15 s
            // kept
            // every partition unticked for about 15 s after the database was back; retry as often as the node checks in
            // (each try waits at most the pool's connection timeout, so this is no busy loop). It is a scheduler
            // property: the factory overwrites the job store's own dbRetryInterval with it.
            p.setProperty(
                    "org.quartz.scheduler.dbFailureRetryInterval",
                    Long.toString(Math.max(250, checkin.toMillis() / 2)));
            p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
            p.setProperty(
                    "org.quartz.jobStore.misfireThreshold", Long.toString(Math.max(1000, interval.toMillis() * 2)));
            this.scheduler = new StdSchedulerFactory(p).getScheduler();
            scheduler.setJobFactory((bundle, s) -> new PartitionJob(tick));
            // Every node must split the vaults the same way, or two nodes would tick one vault under two partitions.
            Set<org.quartz.JobKey> existing =
                    scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.jobGroupEquals(GROUP));
            if (!existing.isEmpty() && existing.size() != partitions) {
                if (othersAlive.getAsBoolean()) {
                    scheduler.shutdown(false);
                    // A configuration mistake, as any other (exit 2): the config must say what the running nodes do.
                    throw new io.unwind.app.config.ConfigException(
                            "cluster.partitions",
                            partitions + " on this node, but the running nodes split the vaults into "
                                    + existing.size()
                                    + ": set the same on every node (to change it, stop every node first)");
                }
                for (org.quartz.JobKey k : existing) {
                    if (Integer.parseInt(k.getName().substring("tick-".length())) >= partitions) scheduler.deleteJob(k);
                }
            }
            for (int k = 0; k < partitions; k++) {
                JobDetail job = JobBuilder.newJob(PartitionJob.class)
                        .withIdentity("tick-" + k, GROUP)
                        .usingJobData("partition", k)
                        .storeDurably()
                        .requestRecovery()
                        .build();
                // Every node declares the same jobs; replacing keeps the definitions in step with the newest config.
                scheduler.scheduleJob(job, Set.of(trigger(k)), true);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException(
                    "cannot set up the cluster scheduler on the journal database: " + e.getMessage(), e);
        }
    }

    private Trigger trigger(int partition) {
        return TriggerBuilder.newTrigger()
                .withIdentity("tick-" + partition, GROUP)
                .forJob("tick-" + partition, GROUP)
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .startNow()
                .build();
    }

    /**
     * Replaces the partition's trigger with a fresh one that fires now: for a partition no node has ticked for several
     * intervals although Quartz should have handed it out (a trigger left in a state no node acquires). Quartz still
     * decides which node runs it, and a firing still waits while the partition runs elsewhere (its job disallows
     * concurrent execution, so the new trigger is blocked until that run ends).
     */
    public void rearm(int partition) {
        try {
            scheduler.rescheduleJob(org.quartz.TriggerKey.triggerKey("tick-" + partition, GROUP), trigger(partition));
        } catch (SchedulerException e) {
            throw new IllegalStateException(
                    "cannot arm the trigger of partition " + partition + " again: " + e.getMessage(), e);
        }
    }

    /**
     * The nodes Quartz counts as live: those whose check-in is within the time {@link PromptRecoveryJobStore} allows
     * before it takes their partitions.
     */
    public Set<String> liveNodes() {
        try (Connection c = dataSource.getConnection();
                var ps = c.prepareStatement("SELECT instance_name, last_checkin_time, checkin_interval"
                        + " FROM qrtz_scheduler_state WHERE sched_name = ?")) {
            ps.setString(1, schedulerName);
            long now = System.currentTimeMillis(); // Quartz's check-ins are stamped with the wall clock
            Set<String> out = new java.util.TreeSet<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong("last_checkin_time") + 2 * rs.getLong("checkin_interval") >= now)
                        out.add(rs.getString("instance_name"));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new io.unwind.store.JournalException("reading Quartz's check-ins failed: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the cluster scheduler: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            log.warn("cluster scheduler shutdown: {}", e.getMessage());
        }
    }

    /** The partition of a vault: stable across nodes and restarts (it depends on the address only). */
    public static int partitionOf(io.unwind.domain.chain.Address vault, int partitions) {
        return Integer.remainderUnsigned(Integer.parseUnsignedInt(vault.digits().substring(32), 16), partitions);
    }

    @DisallowConcurrentExecution
    public static final class PartitionJob implements Job {
        private final IntConsumer tick;

        PartitionJob(IntConsumer tick) {
            this.tick = tick;
        }

        @Override
        public void execute(JobExecutionContext context) {
            int partition = context.getMergedJobDataMap().getInt("partition");
            try {
                tick.accept(partition);
            } catch (RuntimeException e) {
                log.warn("tick of partition {} failed: {}", partition, e.getMessage());
            }
        }
    }

    /**
     * Quartz declares a node failed 7.5 s after its check-in was due, a fixed grace. Here nodes check in every half
     * {@code cluster.checkinInterval} and a node is failed once it has been silent for two of those, one whole
     * interval: a dead node's partitions move between half and one and a half intervals after it died (about one on
     * average), when a live node's next check finds it. The nodes' clocks must agree to well within half an interval
     * (NTP). A node merely paused for longer is taken over too: the journal's one-transaction-in-flight-per-vault rule,
     * the shared idempotency keys and the contract's trigger check keep that from doubling an action.
     *
     * <p>A node that could not check in itself for a while (the database was down or out of reach) gives the others
     * four check-ins and {@link #GRACE_AFTER_RETURN_POOL_MILLIS} from its own return before it declares any of them
     * failed: they were most likely cut off too, and each needs a check-in of its own once the database is back (its
     * pool may first wait out a connection attempt, then Quartz waits its retry interval). Without this, after an
     * outage longer than one interval the first node back recovered the others' partitions, and each of them then found
     * itself "still active but was recovered by another instance", with firings lost or run twice.
     */
    // JobStoreTX overrides a generic method of its parent with a raw one: the unchecked warning is in Quartz's code.
    @SuppressWarnings("unchecked")
    public static final class PromptRecoveryJobStore extends org.quartz.impl.jdbcjobstore.JobStoreTX {
        /**
         * Twice the journal pool's connection timeout (5 s): a node's check-in may be waiting out a connection attempt
         * when the database comes back, and on a loaded machine the next one too (a CI run saw the second node back 5 s
         * after the first, declared failed under one timeout's grace). With four check-ins (Quartz's retry interval is
         * one), the longest a live node takes to check in again once the database answers.
         */
        static final long GRACE_AFTER_RETURN_POOL_MILLIS = 10_000;

        /** When this node's check-ins got through again after failing (epoch millis; 0: never away). */
        private volatile long backAt;

        @Override
        protected boolean doCheckin() throws org.quartz.JobPersistenceException {
            // lastCheckin is this node's last check-in that got through: long ago means it was cut off until now.
            long now = System.currentTimeMillis();
            if (now - lastCheckin > 3 * getClusterCheckinInterval()) backAt = now;
            return super.doCheckin();
        }

        @Override
        protected long calcFailedIfAfter(org.quartz.impl.jdbcjobstore.SchedulerStateRecord rec) {
            long silent = rec.getCheckinTimestamp() + 2 * rec.getCheckinInterval();
            long grace = backAt + 4 * getClusterCheckinInterval() + GRACE_AFTER_RETURN_POOL_MILLIS;
            return Math.max(silent, grace);
        }
    }

    /** Hands Quartz connections from the journal's pool. */
    private record Provider(DataSource ds) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return ds.getConnection();
        }

        @Override
        public void shutdown() {}

        @Override
        public void initialize() {}
    }
}
