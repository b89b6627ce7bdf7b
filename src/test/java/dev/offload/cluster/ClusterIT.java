package dev.offload.cluster;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code bin/cluster 2}: one api and two worker processes of the packaged jar on one database and broker. Jobs
 * spread over the workers (by the lease owner that claimed them), a worker added later takes work, a worker
 * killed with SIGKILL mid-job loses nothing (the reaper retries its jobs on another), a worker stopped with
 * SIGTERM hands its jobs back itself. The tests run in order on the one cluster, each on jobs of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Pattern LINE = Pattern.compile("^(\\S+)\\s+pid (\\d+)\\s+port (\\d+)\\s+log (.+)$");
    private static final String LEASE = "8s";
    private static final String RENEW_EVERY = "2s";
    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("cluster");
    private static Process cluster;
    private static Path output;
    /** name → pid, in start order: api, worker-1, worker-2. */
    private static final Map<String, Long> PIDS = new LinkedHashMap<>();
    private static String api;
    private static ServiceProcess late;
    private final String admin = Tokens.admin(Tokens.newUser());

    @BeforeAll
    static void startCluster() throws Exception {
        int port = freePorts(3);
        output = Path.of("target", "cluster-it", "bin-cluster.out");
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder("bin/cluster", "2").redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("OFFLOAD_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(leases(Map.of(
                "PORT", Integer.toString(port),
                "OFFLOAD_CLUSTER_LOGS", output.getParent().toAbsolutePath().toString(),
                "OFFLOAD_DB_HOST", TestServices.DB_HOST, "OFFLOAD_DB_PORT", TestServices.DB_PORT,
                "OFFLOAD_DB_NAME", SERVICES.database(), "OFFLOAD_DB_USER", TestServices.DB_USER,
                "OFFLOAD_DB_PASSWORD", TestServices.DB_PASSWORD,
                "OFFLOAD_RABBITMQ_HOST", TestServices.MQ_HOST, "OFFLOAD_RABBITMQ_PORT", Integer.toString(TestServices.MQ_PORT),
                "OFFLOAD_RABBITMQ_VHOST", SERVICES.vhost())));
        builder.environment().put("JAVA_OPTS", "-Xmx256m");
        cluster = builder.start();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertTrue(cluster.isAlive(), "bin/cluster exited: " + Files.readString(output));
            return Files.readString(output).contains("ready: 1 api and 2 workers");
        });
        for (String line : Files.readAllLines(output)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                PIDS.put(m.group(1), Long.parseLong(m.group(2)));
                assertTrue(Files.exists(Path.of(m.group(4))), "its log file: " + line);
                if (m.group(1).equals("api")) {
                    api = "http://127.0.0.1:" + m.group(3);
                }
            }
        }
        assertEquals(List.of("api", "worker-1", "worker-2"), List.copyOf(PIDS.keySet()), Files.readString(output));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (late != null) {
                late.close();
            }
            if (cluster != null && cluster.isAlive()) {
                cluster.destroy(); // SIGTERM, as Ctrl-C would: the script stops every process it started
                assertTrue(cluster.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "bin/cluster stopped");
                for (long pid : PIDS.values()) {
                    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " stopped");
                }
                assertTrue(Files.readString(output).contains("stopped"));
            }
        } finally {
            PIDS.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /**
     * Short leases, so a killed worker's jobs come back within seconds; long enough that a stopping worker's own
     * hand-back comes before the reaper would, even on a loaded machine.
     */
    private static Map<String, String> leases(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("OFFLOAD_LEASE_DURATION", LEASE);
        all.put("OFFLOAD_LEASE_RENEW_EVERY", RENEW_EVERY);
        all.put("OFFLOAD_REAPER_EVERY", "1s");
        all.put("OFFLOAD_RELAY_EVERY", "1s");
        all.put("OFFLOAD_RELAY_AFTER", "2s");
        return all;
    }

    @Test
    @Order(1)
    void shouldSpreadJobsOverTheWorkers() {
        List<String> ids = submit(24, 300);
        awaitAll(ids, "success", Duration.ofSeconds(60));
        Map<Long, Integer> byPid = new HashMap<>();
        ids.forEach(id -> byPid.merge(pidOf(startedBy(id)), 1, Integer::sum));
        assertEquals(Set.of(PIDS.get("worker-1"), PIDS.get("worker-2")), byPid.keySet(),
                "both workers ran jobs, and only they (the api runs none): " + byPid);
    }

    @Test
    @Order(2)
    void shouldGiveWorkToAWorkerAddedLater() throws Exception {
        Map<String, String> config = SERVICES.config("worker");
        config.put("offload.lease.duration", LEASE);
        config.put("offload.lease.renew-every", RENEW_EVERY);
        config.put("offload.reaper.every", "1s");
        late = ServiceProcess.start("cluster-late-worker", config);
        List<String> ids = submit(24, 300);
        awaitAll(ids, "success", Duration.ofSeconds(60));
        assertTrue(ids.stream().anyMatch(id -> pidOf(startedBy(id)) == late.pid()), "the late worker ran some");
    }

    @Test
    @Order(3)
    void shouldLoseNothingWhenAWorkerIsKilledMidJob() throws Exception {
        List<String> ids = submit(12, 4000);
        long victim = PIDS.get("worker-1");
        // Killed while it holds leases: SIGKILL, no hand-back, as when a node dies.
        Set<String> held = awaitLeasesHeldBy(victim);
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        awaitAll(ids, "success", Duration.ofSeconds(90));
        for (String id : held) {
            List<Map<String, Object>> log = transitions(id);
            assertEquals(List.of("create", "start", "retry", "start", "succeed"), log.stream().map(t -> t.get("transition")).toList(),
                    "job " + id + " was retried after its worker was killed");
            assertEquals("worker lost", ((Map<?, ?>) log.get(2).get("extra")).get("reason"));
            assertTrue(pidOf((String) log.get(3).get("actor")) != victim, "another worker ran it");
        }
    }

    @Test
    @Order(4)
    void shouldHandBackItsJobsWhenAWorkerIsStoppedWithSigterm() throws Exception {
        List<String> ids = submit(8, 6000);
        long stopping = PIDS.get("worker-2");
        Set<String> held = awaitLeasesHeldBy(stopping);
        ProcessHandle.of(stopping).orElseThrow().destroy(); // SIGTERM: a rolling deploy, a scale-in
        awaitAll(ids, "success", Duration.ofSeconds(90));
        for (String id : held) {
            List<Map<String, Object>> log = transitions(id);
            Map<String, Object> retry = log.stream().filter(t -> "retry".equals(t.get("transition"))).findFirst()
                    .orElseThrow(() -> new AssertionError("job " + id + " was handed back: " + log));
            assertEquals("worker stopping", ((Map<?, ?>) retry.get("extra")).get("reason"), "job " + id + ": " + log);
            assertEquals(stopping, pidOf((String) retry.get("actor")), "the stopping worker handed it back itself");
        }
    }

    private List<String> submit(int count, int sleepMs) {
        return IntStream.range(0, count).mapToObj(i -> given().baseUri(api).header("Authorization", Tokens.bearer(admin))
                .contentType(ContentType.JSON).body(Map.of("sleep_ms", sleepMs)).post("/api/v1/canaries")
                .then().statusCode(202).extract().<String>path("id")).toList();
    }

    private void awaitAll(List<String> ids, String state, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> ids.stream().allMatch(id -> state.equals(
                given().baseUri(api).header("Authorization", Tokens.bearer(admin)).get("/api/v1/jobs/" + id)
                        .then().statusCode(200).extract().path("state"))));
    }

    private List<Map<String, Object>> transitions(String id) {
        return given().baseUri(api).header("Authorization", Tokens.bearer(admin)).get("/api/v1/jobs/" + id + "/transitions")
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    private String startedBy(String id) {
        return (String) transitions(id).stream().filter(t -> "start".equals(t.get("transition"))).findFirst().orElseThrow()
                .get("actor");
    }

    /** The pid in a lease owner or actor, {@code worker:<host>:<pid>:<suffix>}. */
    private static long pidOf(String owner) {
        String[] parts = owner.split(":");
        return Long.parseLong(parts[parts.length - 2]);
    }

    /** The running jobs whose lease the process holds, once it holds at least one. */
    private static Set<String> awaitLeasesHeldBy(long pid) {
        Set<String> held = new TreeSet<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            held.clear();
            try (Connection c = TestServices.connect(SERVICES.database());
                    PreparedStatement s = c.prepareStatement("SELECT id, lease_owner FROM job WHERE lease_owner IS NOT NULL"
                            + " AND finished_at IS NULL");
                    ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    if (pidOf(rows.getString(2)) == pid) {
                        held.add(rows.getObject(1, UUID.class).toString());
                    }
                }
            }
            return !held.isEmpty();
        });
        return new TreeSet<>(held);
    }

    private static int freePorts(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base;
            try (ServerSocket socket = new ServerSocket(0)) {
                base = socket.getLocalPort();
            }
            if (base + count > 65535) {
                continue;
            }
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < count; i++) {
                    held.add(new ServerSocket(base + i));
                }
                return base;
            } catch (IOException taken) {
                // try another base
            } finally {
                for (ServerSocket s : held) {
                    s.close();
                }
            }
        }
        throw new IOException("no " + count + " consecutive free ports");
    }
}
