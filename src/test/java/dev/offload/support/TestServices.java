package dev.offload.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.UUID;

/**
 * Gives each test run a database and a RabbitMQ virtual host of its own on the real services, and
 * removes them afterwards, so no run sees another's leftovers.
 */
public final class TestServices {

    public static final String DB_HOST = env("OFFLOAD_DB_HOST", "127.0.0.1");
    public static final String DB_PORT = env("OFFLOAD_DB_PORT", "5432");
    public static final String DB_USER = env("OFFLOAD_DB_USER", "postgres");
    public static final String DB_PASSWORD = env("OFFLOAD_DB_PASSWORD", "");
    public static final String MQ_HOST = env("OFFLOAD_RABBITMQ_HOST", "127.0.0.1");
    public static final int MQ_PORT = Integer.parseInt(env("OFFLOAD_RABBITMQ_PORT", "5672"));
    public static final String MQ_USER = env("OFFLOAD_RABBITMQ_USER", "guest");
    public static final String MQ_PASSWORD = env("OFFLOAD_RABBITMQ_PASSWORD", "guest");
    public static final String MQ_MANAGEMENT = env("OFFLOAD_RABBITMQ_MANAGEMENT_URL", "http://" + MQ_HOST + ":15672");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestServices() {
    }

    public static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + database;
    }

    public static String reactiveUrl(String database) {
        return "postgresql://" + DB_HOST + ":" + DB_PORT + "/" + database;
    }

    /** Settings for the packaged service as a child process on this database and virtual host (dev tokens). */
    public static java.util.Map<String, String> serviceConfig(String database, String vhost, String role) {
        java.util.Map<String, String> config = new java.util.HashMap<>();
        config.put("quarkus.profile", "dev"); // accepts the development tokens the tests sign
        config.put("quarkus.datasource.jdbc.url", jdbcUrl(database));
        config.put("quarkus.datasource.reactive.url", reactiveUrl(database));
        config.put("quarkus.datasource.username", DB_USER);
        config.put("quarkus.datasource.password", DB_PASSWORD);
        config.put("rabbitmq-host", MQ_HOST);
        config.put("rabbitmq-port", Integer.toString(MQ_PORT));
        config.put("rabbitmq-virtual-host", vhost);
        config.put("offload.role", role);
        return config;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), DB_USER, DB_PASSWORD);
    }

    public static void createDatabase(String name) {
        admin("CREATE DATABASE \"" + name + "\"");
    }

    public static void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    public static void createVirtualHost(String name) {
        management("PUT", "/api/vhosts/" + encode(name), "{}");
        management("PUT", "/api/permissions/" + encode(name) + "/" + encode(MQ_USER),
                "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}");
    }

    public static void deleteVirtualHost(String name) {
        management("DELETE", "/api/vhosts/" + encode(name), null);
    }

    /** Messages ready in a queue of a virtual host, per the management API. */
    public static String queueInfo(String vhost, String queue) {
        return management("GET", "/api/queues/" + encode(vhost) + "/" + encode(queue), null);
    }

    /** The exchanges, queues and bindings of a virtual host, per the management API (RabbitMQ's definitions format). */
    public static String definitions(String vhost) {
        return management("GET", "/api/definitions/" + encode(vhost), null);
    }

    private static void admin(String sql) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + DB_HOST + ":" + DB_PORT + ": " + e.getMessage()
                    + " (bin/services makes it reachable)", e);
        }
    }

    private static String management(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(MQ_MANAGEMENT + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((MQ_USER + ":" + MQ_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300 && !(method.equals("DELETE") && response.statusCode() == 404)) {
                throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("RabbitMQ management API at " + MQ_MANAGEMENT + " is unreachable: "
                    + e.getMessage() + " (bin/services enables it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
