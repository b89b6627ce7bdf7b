package dev.offload.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.offload.support.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The engine's two parts measured on their own, in the same run: PostgreSQL (pgbench) and RabbitMQ. */
final class Baselines {

    /** One job's submit transaction, as the engine writes it: job row, the kind's row, the first log row. */
    static final String SUBMIT_TX = """
            SELECT gen_random_uuid() AS id \\gset
            BEGIN;
            INSERT INTO job (id, kind, owner, state, attempt, max_attempts, progress_done, created_at, queued_at) VALUES (':id', 'canary', 'pgbench', 'created', 0, 3, 0, now(), now());
            INSERT INTO canary_job (job_id, sleep_ms, fail, progress_steps) VALUES (':id', 0, false, 0);
            INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) VALUES (':id', 'canary', 'create', NULL, 'created', now(), 'pgbench');
            COMMIT;
            """;

    /** A job's whole durable life, each step committed: submit, claim (running), finish (success). */
    static final String LIFE_TX = SUBMIT_TX + """
            BEGIN;
            UPDATE job SET state = 'running', attempt = 1, lease_owner = 'pgbench', lease_expires_at = now() + interval '30 seconds', started_at = now() WHERE id = ':id' AND state = 'created' AND attempt = 0;
            INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) VALUES (':id', 'canary', 'start', 'created', 'running', now(), 'pgbench');
            COMMIT;
            BEGIN;
            UPDATE job SET state = 'success', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() WHERE id = ':id' AND state = 'running' AND attempt = 1 AND lease_owner = 'pgbench';
            INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) VALUES (':id', 'canary', 'succeed', 'running', 'success', now(), 'pgbench');
            COMMIT;
            """;

    /**
     * The same three commits with one statement each (the job, its kind row and log row in one; each
     * transition with its log row in one), as the engine sends them: PostgreSQL's floor for a job's life.
     */
    static final String LIFE_ONE_STATEMENT_TX = """
            WITH j AS (INSERT INTO job (id, kind, owner, state, attempt, max_attempts, progress_done, created_at, queued_at) VALUES (gen_random_uuid(), 'canary', 'pgbench', 'created', 0, 3, 0, now(), now()) RETURNING id), k AS (INSERT INTO canary_job (job_id, sleep_ms, fail, progress_steps) SELECT id, 0, false, 0 FROM j) INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) SELECT id, 'canary', 'create', NULL, 'created', now(), 'pgbench' FROM j RETURNING subject_id AS id \\gset
            WITH m AS (UPDATE job SET state = 'running', attempt = 1, lease_owner = 'pgbench', lease_expires_at = now() + interval '30 seconds', started_at = now() WHERE id = ':id' AND state = 'created' AND attempt = 0 RETURNING id) INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) SELECT id, 'canary', 'start', 'created', 'running', now(), 'pgbench' FROM m;
            WITH m AS (UPDATE job SET state = 'success', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() WHERE id = ':id' AND state = 'running' AND attempt = 1 AND lease_owner = 'pgbench' RETURNING id) INSERT INTO transition_log (subject_id, workflow, transition, from_state, to_state, at, actor) SELECT id, 'canary', 'succeed', 'running', 'success', now(), 'pgbench' FROM m;
            """;

    private Baselines() {
    }

    /** pgbench running {@code script} from {@code clients} connections: scripts per second. */
    static double pgbench(BenchEnv env, String script, int clients, Duration duration) throws Exception {
        return runPgbench(env, script, clients, duration, List.of());
    }

    /**
     * pgbench running {@code script} at {@code perSecond} (4 connections, Poisson arrivals): p50 and p99 of
     * each script's time from its scheduled start to its end, in ms: PostgreSQL's own latency for the work.
     */
    static Map<String, Double> pgbenchLatency(BenchEnv env, String script, int perSecond, Duration duration)
            throws Exception {
        Path logs = Files.createTempDirectory("offload-pgbench");
        try {
            runPgbench(env, script, 4, duration, List.of("-R", Integer.toString(perSecond), "-l",
                    "--log-prefix=" + logs.resolve("tx")));
            List<Long> micros = new java.util.ArrayList<>();
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    for (String line : Files.readAllLines(log)) {
                        String[] fields = line.trim().split("\\s+");
                        // client, transaction, latency µs, script, epoch s, µs, schedule lag µs
                        micros.add(Long.parseLong(fields[2]) + (fields.length > 6 ? Long.parseLong(fields[6]) : 0));
                    }
                }
            }
            long[] nanos = micros.stream().mapToLong(us -> us * 1000).toArray();
            return Map.of("p50_ms", Stats.percentileMs(nanos, 50), "p99_ms", Stats.percentileMs(nanos, 99));
        } finally {
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    Files.deleteIfExists(log);
                }
            }
            Files.deleteIfExists(logs);
        }
    }

    private static double runPgbench(BenchEnv env, String script, int clients, Duration duration, List<String> extra) throws Exception {
        Path file = Files.createTempFile("offload-bench", ".sql");
        Files.writeString(file, script);
        try {
            List<String> command = new java.util.ArrayList<>(List.of("pgbench", "-h", TestServices.DB_HOST, "-p",
                    TestServices.DB_PORT, "-U", TestServices.DB_USER, "-n", "-M", "simple", "-c", Integer.toString(clients),
                    "-j", "2", "-T", Long.toString(duration.toSeconds()), "-f", file.toString()));
            command.addAll(extra);
            command.add(env.database());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
            if (p.exitValue() != 0 || !m.find()) {
                throw new IllegalStateException("pgbench failed: " + out);
            }
            return Double.parseDouble(m.group(1));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Connections to the test broker, in the scenario's own virtual host. */
    static ConnectionFactory rabbitFactory(BenchEnv env) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(TestServices.MQ_HOST);
        factory.setPort(TestServices.MQ_PORT);
        factory.setUsername(TestServices.MQ_USER);
        factory.setPassword(TestServices.MQ_PASSWORD);
        factory.setVirtualHost(env.virtualHost());
        return factory;
    }

    /** Publishing with confirms (and, if {@code consume}, consuming with acks) on a quorum queue like the engine's. */
    static Map<String, Double> rabbit(BenchEnv env, Duration duration, boolean consume) throws Exception {
        ConnectionFactory factory = rabbitFactory(env);
        byte[] payload = ("{\"kind\":\"canary\",\"id\":\"" + java.util.UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        String queue = "baseline." + System.nanoTime();
        try (Connection publisherConnection = factory.newConnection("baseline-publisher");
                Connection consumerConnection = factory.newConnection("baseline-consumer")) {
            Channel publisher = publisherConnection.createChannel();
            publisher.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            publisher.confirmSelect();
            Semaphore window = new Semaphore(1000);
            AtomicLong confirmed = new AtomicLong();
            publisher.addConfirmListener((tag, multiple) -> {
                long n = multiple ? tag - confirmed.get() : 1;
                confirmed.addAndGet(n);
                window.release((int) n);
            }, (tag, multiple) -> {
                throw new IllegalStateException("the broker refused a message");
            });
            AtomicLong consumed = new AtomicLong();
            if (consume) {
                Channel consumer = consumerConnection.createChannel();
                consumer.basicQos(250);
                consumer.basicConsume(queue, false, new DefaultConsumer(consumer) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                            throws java.io.IOException {
                        consumed.incrementAndGet();
                        consumer.basicAck(envelope.getDeliveryTag(), false);
                    }
                });
            }
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            while (System.nanoTime() < end) {
                window.acquire();
                publisher.basicPublish("", queue, MessageProperties.PERSISTENT_BASIC, payload);
            }
            window.acquire(1000);
            double seconds = (System.nanoTime() - start) / 1e9;
            double consumedPerSecond = consumed.get() / seconds;
            publisher.queueDelete(queue);
            return consume
                    ? Map.of("rabbit_confirmed_per_s", confirmed.get() / seconds, "rabbit_consumed_per_s", consumedPerSecond)
                    : Map.of("rabbit_confirmed_per_s", confirmed.get() / seconds);
        }
    }

    /** The Celery baseline's script, run with the Python that has Debian's python3-celery (bin/bench installs it). */
    private static final Path CELERY_SCRIPT = Path.of("src", "bench", "celery", "celery_baseline.py");

    /**
     * A Celery worker with RabbitMQ doing the same durable work per job, in the scenario's database and
     * virtual host (see {@code celery_baseline.py}): with {@code saturate} &gt; 0, jobs accepted per second
     * and completed per second at saturation; with {@code latency} &gt; 0, the client's submit → success
     * p50/p99 at 200 jobs/s (the second of two periods). Figures are named {@code celery_*}.
     */
    static Map<String, Double> celery(BenchEnv env, Duration saturate, Duration latency) throws Exception {
        try (Celery celery = Celery.start(env, saturate, latency, false)) {
            return celery.figures();
        }
    }

    /**
     * The Celery baseline as a process: its figures (as {@link #celery}), then, when started to serve,
     * periods at 200 jobs/s on demand, so that a scenario can interleave them with the engine's.
     */
    static final class Celery implements AutoCloseable {

        private final Process process;
        private final java.io.BufferedReader out;
        private final java.io.BufferedWriter in;
        private final Path log;
        private final Map<String, Double> figures;

        private Celery(Process process, Path log) throws Exception {
            this.process = process;
            this.out = process.inputReader(StandardCharsets.UTF_8);
            this.in = process.outputWriter(StandardCharsets.UTF_8);
            this.log = log;
            this.figures = next();
        }

        /**
         * Starts the worker and measures as {@link #celery}; with {@code serve}, the worker stays up for
         * {@link #period}s of {@code latency} each.
         */
        static Celery start(BenchEnv env, Duration saturate, Duration latency, boolean serve) throws Exception {
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            String db = "host=%s port=%s user=%s dbname=%s".formatted(TestServices.DB_HOST, TestServices.DB_PORT,
                    TestServices.DB_USER, env.database())
                    + (TestServices.DB_PASSWORD.isEmpty() ? "" : " password=" + TestServices.DB_PASSWORD);
            String broker = "amqp://%s:%s@%s:%d/%s".formatted(TestServices.MQ_USER, TestServices.MQ_PASSWORD,
                    TestServices.MQ_HOST, TestServices.MQ_PORT,
                    java.net.URLEncoder.encode(env.virtualHost(), StandardCharsets.UTF_8));
            List<String> command = new java.util.ArrayList<>(List.of(python, CELERY_SCRIPT.toString(), "--db", db,
                    "--broker", broker, "--saturate", Long.toString(saturate.toSeconds()), "--latency",
                    Long.toString(latency.toSeconds()), "--rate", "200"));
            if (serve) {
                command.add("--serve");
            }
            Path log = Path.of("target", "bench", "celery-" + env.virtualHost() + ".log");
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            Process p = builder.start();
            if (!serve) {
                p.getOutputStream().close();
            }
            try {
                return new Celery(p, log);
            } catch (Exception e) {
                p.destroyForcibly();
                throw e;
            }
        }

        Map<String, Double> figures() {
            return figures;
        }

        /**
         * One measured period at 200 jobs/s: {@code p50_ms} and {@code p99_ms} of submit → success, and
         * {@code machine_cpu_ms_per_job}, the whole machine's CPU time during the period per job of it.
         */
        Map<String, Double> period(String label) throws Exception {
            double machineCpu = BenchEnv.machineCpuMs();
            in.append("period ").append(label).append('\n').flush();
            Map<String, Double> figures = next();
            figures.put("machine_cpu_ms_per_job", (BenchEnv.machineCpuMs() - machineCpu) / figures.get("jobs"));
            return figures;
        }

        /** The next line of figures the script prints (one JSON object). */
        private Map<String, Double> next() throws Exception {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("{")) {
                    Map<String, Double> m = new java.util.LinkedHashMap<>();
                    new io.vertx.core.json.JsonObject(line).forEach(e -> m.put(e.getKey(),
                            ((Number) e.getValue()).doubleValue()));
                    return m;
                }
            }
            throw new IllegalStateException("the Celery baseline failed (see " + log + ")");
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the Celery baseline did not stop (see " + log + ")");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the Celery baseline failed (see " + log + ")");
            }
        }
    }
}
