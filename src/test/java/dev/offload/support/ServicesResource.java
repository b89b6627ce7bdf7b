package dev.offload.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The test application's own database and virtual host on the real PostgreSQL and RabbitMQ; the
 * broker is reached through a {@link TcpProxy} so a test can make it unreachable for this service alone.
 */
public class ServicesResource implements QuarkusTestResourceLifecycleManager {

    private static TcpProxy broker;
    private String database;
    private String vhost;

    /** The proxy in front of the broker, for tests that cut it. */
    public static TcpProxy broker() {
        return broker;
    }

    private static String currentDatabase;

    /** Whether the broker confirmed the job's wake-up: the job has no {@code job_unconfirmed} row. */
    public static boolean confirmed(java.util.UUID id) {
        try (var c = TestServices.connect(currentDatabase);
                var s = c.prepareStatement("SELECT NOT EXISTS (SELECT 1 FROM job_unconfirmed WHERE job_id = j.id)"
                        + " FROM job j WHERE j.id = ?")) {
            s.setObject(1, id);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no job row " + id);
                }
                return rs.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connection to the test application's database (to LISTEN, say); the caller closes it. */
    public static java.sql.Connection connection() throws java.sql.SQLException {
        return TestServices.connect(currentDatabase);
    }

    /** The single number a query on the test database returns (a count, say). */
    public static long number(String sql, Object... args) {
        try (var c = TestServices.connect(currentDatabase); var s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        database = TestServices.uniqueName("offload_test");
        vhost = TestServices.uniqueName("offload-test");
        TestServices.createDatabase(database);
        TestServices.createVirtualHost(vhost);
        currentDatabase = database;
        try {
            broker = new TcpProxy(TestServices.MQ_HOST, TestServices.MQ_PORT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", TestServices.jdbcUrl(database),
                "quarkus.datasource.reactive.url", TestServices.reactiveUrl(database),
                "quarkus.datasource.username", TestServices.DB_USER,
                "quarkus.datasource.password", TestServices.DB_PASSWORD,
                "rabbitmq-host", "127.0.0.1",
                "rabbitmq-port", Integer.toString(broker.port()),
                "rabbitmq-virtual-host", vhost);
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
        TestServices.deleteVirtualHost(vhost);
        TestServices.dropDatabase(database);
    }
}
