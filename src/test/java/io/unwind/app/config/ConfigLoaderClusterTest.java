package io.unwind.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cluster} section: off by default, defaults when on, PostgreSQL required, every mistake named by its field.
 */
@Tag("pure")
class ConfigLoaderClusterTest {
    private static final String BASE = MinimalConfig.YAML;
    private static final String PG =
            "journal: {url: \"jdbc:postgresql://db:5432/unwind\", user: unwind, passwordEnv: JOURNAL_PW}\n";

    @TempDir
    Path dir;

    @Test
    void withoutASectionTheKeeperRunsAlone() throws IOException {
        assertThat(load(BASE, Map.of()).cluster().enabled()).isFalse();
    }

    @Test
    void aClusterNodeGetsDefaultsAndANameOfItsOwn() throws IOException {
        UnwindConfig.Cluster c =
                load(BASE + PG + "cluster: {enabled: true}\n", Map.of()).cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.partitions()).isEqualTo(16);
        assertThat(c.tickInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.checkinInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.deadAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.nodeId()).endsWith("-" + ProcessHandle.current().pid()).matches("[A-Za-z0-9._-]+");
    }

    @Test
    void settingsAndEnvironmentOverridesAreRead() throws IOException {
        UnwindConfig.Cluster c = load(
                        BASE + PG + "cluster: {enabled: true, nodeId: keeper-a, partitions: 32, checkinInterval: 2s}\n",
                        Map.of("UNWIND_CLUSTER_DEADAFTER", "9s", "UNWIND_CLUSTER_NODEID", "keeper-b"))
                .cluster();
        assertThat(c.nodeId()).isEqualTo("keeper-b");
        assertThat(c.partitions()).isEqualTo(32);
        assertThat(c.checkinInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.deadAfter()).isEqualTo(Duration.ofSeconds(9));
        assertThat(load(BASE + PG, Map.of("UNWIND_CLUSTER_ENABLED", "true"))
                        .cluster()
                        .enabled())
                .isTrue();
    }

    @Test
    void aClusterNeedsItsJournalOnPostgres() {
        assertThatThrownBy(() -> load(BASE + "cluster: {enabled: true}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("journal.url")
                .hasMessageContaining("PostgreSQL");
    }

    @Test
    void mistakesNameTheirField() {
        assertThatThrownBy(() -> load(BASE + PG + "cluster: {enabled: true, partitions: 0}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.partitions");
        assertThatThrownBy(() -> load(BASE + PG + "cluster: {enabled: true, nodeId: \"a b\"}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.nodeId");
        assertThatThrownBy(() -> load(BASE + PG + "cluster: {checkinInterval: 100ms}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.checkinInterval");
        assertThatThrownBy(() -> load(BASE + PG + "cluster: {checkinInterval: 5s, deadAfter: 6s}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.deadAfter");
        assertThatThrownBy(() -> load(BASE + PG + "cluster: {enabled: true, partiton: 4}\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster");
    }

    private UnwindConfig load(String yaml, Map<String, String> env) throws IOException {
        return MinimalConfig.load(dir, yaml, env);
    }
}
