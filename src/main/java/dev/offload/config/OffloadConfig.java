package dev.offload.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;

/** Offload's own settings; every key can also be given as an environment variable (OFFLOAD_LEASE_DURATION, ...). */
@ConfigMapping(prefix = "offload")
public interface OffloadConfig {

    /**
     * Which parts run in this process: {@code all} (API and workers), {@code api} or {@code worker};
     * {@code command} is set by command mode.
     */
    @WithDefault("all")
    Role role();

    Lease lease();

    Reaper reaper();

    Relay relay();

    Publisher publisher();

    Batching batching();

    Queue queue();

    Results results();

    Tracing tracing();

    /** Shortest time between two progress writes of one job. */
    @WithDefault("500ms")
    Duration progressInterval();

    /** Per job kind: how many jobs of that kind one worker process runs at once. */
    Map<String, Kind> kinds();

    /** Largest page a list call returns. */
    @WithDefault("200")
    int maxPageSize();

    enum Role {
        ALL, API, WORKER, COMMAND;

        public boolean servesApi() {
            return this == ALL || this == API;
        }

        public boolean runsWorkers() {
            return this == ALL || this == WORKER;
        }

        /** A long-running process (not a command), which declares the broker topology and listens for job events. */
        public boolean isService() {
            return this != COMMAND;
        }
    }

    interface Lease {
        /** How long a claim holds without renewal; a worker that dies is noticed after this. */
        @WithDefault("30s")
        Duration duration();

        /** How often a worker renews the leases of the jobs it runs (well below the duration). */
        @WithDefault("10s")
        Duration renewEvery();
    }

    interface Reaper {
        /** How often expired leases are looked for. */
        @WithDefault("5s")
        String every();

        /** Attempts a job gets before a lost worker ends it in error. */
        @WithDefault("3")
        int maxAttempts();

        /** Jobs handled per reaper pass. */
        @WithDefault("100")
        int batch();
    }

    interface Publisher {
        /** How often confirmed wake-ups are recorded: their {@code job_unconfirmed} rows deleted, in one statement. */
        @WithDefault("1s")
        String markEvery();
    }

    interface Relay {
        /** How often unpublished jobs are looked for. */
        @WithDefault("5s")
        String every();

        /** How long a job may wait for its publish confirmation before the relay publishes it again. */
        @WithDefault("10s")
        Duration after();

        /**
         * How long a job may wait for a worker, its wake-up confirmed, before the relay wakes it again: its
         * message may have been dead-lettered, lost or purged. A job is woken again at most once per period.
         */
        @WithDefault("5m")
        Duration staleAfter();

        /** Jobs republished per relay pass. */
        @WithDefault("500")
        int batch();
    }

    /**
     * Group commit of the hot statements (submit, claim, finish): items that arrive while earlier
     * batches are being written share one statement. Alone, an item is written at once.
     */
    interface Batching {
        /** Most items in one statement. */
        @WithDefault("256")
        int maxBatch();

        /**
         * Statements of one batcher running at once (each takes a pooled connection). One gave the
         * largest batches and the most jobs per second in the benchmarks; alone, an item never waits.
         */
        @WithDefault("1")
        int maxInFlight();
    }

    /** The kinds' queues (declared by dev.offload.job.Topology). */
    interface Queue {
        /** Deliveries of a message before it is dead-lettered (quorum queues). */
        @WithDefault("10")
        int deliveryLimit();

        /** {@code quorum} (replicated, with the delivery limit) or {@code classic}; fixed when a queue is first declared. */
        @WithDefault("quorum")
        String type();

        /** How often a service process reads its kinds' queue depth, consumers and dead letters for its gauges. */
        @WithDefault("15s")
        String meterEvery();
    }

    /** OpenTelemetry traces (read by TracingConfigSourceFactory, which turns the SDK on only with an endpoint). */
    interface Tracing {
        /** The OTLP collector's traces endpoint (e.g. http://otel-collector:4317); without one, tracing is off. */
        java.util.Optional<String> endpoint();

        /** {@code grpc} (the default, port 4317) or {@code http/protobuf} (port 4318). */
        java.util.Optional<String> protocol();
    }

    /** The files jobs produce. */
    interface Results {
        /** How long a job's result stays downloadable; {@code cleanup} then deletes it. */
        @WithDefault("7d")
        Duration expireAfter();
    }

    interface Kind {
        int DEFAULT_CONCURRENCY = 4;

        /**
         * Jobs of this kind one worker process runs at once (also its queue's prefetch); 0: this process does
         * not consume the kind's queue (workers dedicated to other kinds).
         */
        @WithDefault("4")
        int concurrency();
    }
}
