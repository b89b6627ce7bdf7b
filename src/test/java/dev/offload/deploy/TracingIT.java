package dev.offload.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tracing with an OTLP endpoint configured: a POST that carries a {@code traceparent} and the worker's run of the job
 * it submitted (an api and a worker process: the context crosses RabbitMQ in the message's headers) end up in one
 * trace at the collector, and the worker's log lines of that run carry the trace id. The collector here is an HTTP
 * server that keeps what it is sent (OTLP/HTTP protobuf: the trace id's 16 bytes and the span's name appear as they are).
 */
class TracingIT {

    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("trace");
    private static HttpServer collector;
    private static final List<byte[]> RECEIVED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void services() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            RECEIVED.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
            exchange.close();
        });
        collector.start();
    }

    @AfterAll
    static void cleanUp() {
        collector.stop(0);
    }

    private static Map<String, String> traced(String role) {
        Map<String, String> config = SERVICES.config(role);
        config.put("offload.tracing.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
        config.put("offload.tracing.protocol", "http/protobuf");
        config.put("quarkus.otel.bsp.schedule.delay", "200ms");
        config.put("quarkus.log.category.\"dev.offload\".level", "DEBUG");
        return config;
    }

    @Test
    void shouldFollowAJobFromItsPostThroughTheMessageToTheWorkersRunInOneTrace() throws Exception {
        String traceId = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        String parent = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(8));
        try (ServiceProcess worker = ServiceProcess.start("trace-worker", traced("worker"), Duration.ofSeconds(180));
                ServiceProcess api = ServiceProcess.start("trace-api", traced("api"), Duration.ofSeconds(180))) {
            String admin = Tokens.admin(Tokens.newUser());
            String id = given().baseUri(api.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .header("traceparent", "00-" + traceId + "-" + parent + "-01")
                    .contentType(ContentType.JSON).body(Map.of("sleep_ms", 50)).post("/api/v1/canaries")
                    .then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> "success".equals(given().baseUri(api.baseUri())
                    .header("Authorization", Tokens.bearer(admin)).get("/api/v1/jobs/" + id).then().extract().path("state")));

            byte[] traceBytes = HexFormat.of().parseHex(traceId);
            byte[] runName = "canary run".getBytes(StandardCharsets.UTF_8);
            byte[] jobId = id.getBytes(StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVED.stream()
                    .anyMatch(body -> contains(body, traceBytes) && contains(body, runName) && contains(body, jobId)));
            await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVED.stream()
                    .anyMatch(body -> contains(body, traceBytes) && contains(body, "POST".getBytes(StandardCharsets.UTF_8))));

            // A run that fails is a span marked as failed, with the exception recorded on it.
            String failedTrace = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
            String failed = given().baseUri(api.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .header("traceparent", "00-" + failedTrace + "-" + parent + "-01")
                    .contentType(ContentType.JSON).body(Map.of("fail", true)).post("/api/v1/canaries")
                    .then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(given().baseUri(api.baseUri())
                    .header("Authorization", Tokens.bearer(admin)).get("/api/v1/jobs/" + failed).then().extract().path("state")));
            byte[] failedBytes = HexFormat.of().parseHex(failedTrace);
            await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVED.stream().anyMatch(body -> contains(body, failedBytes)
                    && contains(body, runName) && contains(body, "exception.message".getBytes(StandardCharsets.UTF_8))
                    && contains(body, "the canary was asked to fail".getBytes(StandardCharsets.UTF_8))
                    && contains(body, "offload.job.outcome".getBytes(StandardCharsets.UTF_8))));

            Path log = Files.list(Path.of("target", "fault-logs")).filter(p -> p.getFileName().toString()
                    .startsWith("trace-worker-" + worker.port())).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(log).stream()
                    .anyMatch(line -> line.contains(traceId) && line.contains(id)));
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
