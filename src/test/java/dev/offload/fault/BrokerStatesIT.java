package dev.offload.fault;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TcpProxy;
import dev.offload.support.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator reads when the broker is not there: the cause in one line, said once per change of state
 * (not at every retry, and without stack traces), and the connection's state as a gauge.
 */
class BrokerStatesIT {

    /** Three of the service's two-second retries. */
    private static final Duration SEVERAL_RETRIES = Duration.ofSeconds(7);
    private static final Pattern GAUGE = Pattern.compile("(?m)^offload_broker_connected(?:\\{[^}]*})? ([0-9.]+)$");

    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("broker-states");

    @Test
    void shouldNameAMissingVirtualHostInOneLineOnce() throws Exception {
        String missing = TestServices.uniqueName("offload-missing");
        try (ServiceProcess worker = ServiceProcess.startLive("missing-vhost",
                TestServices.serviceConfig(SERVICES.database(), missing, "worker"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> mentioning(worker, missing).size() >= 1);
            // It keeps trying every two seconds, and says nothing more while the cause stays the same.
            await().during(SEVERAL_RETRIES).atMost(SEVERAL_RETRIES.plusSeconds(5))
                    .until(() -> mentioning(worker, missing).size() == 1 && stackTraceLines(worker) == 0);
            String line = mentioning(worker, missing).get(0);
            assertEquals(true, line.contains("WARN") && line.contains("vhost"), line);
            given().baseUri(worker.baseUri()).get("/q/health/ready").then().statusCode(503);
            assertEquals(0.0, gauge(worker));
        }
    }

    @Test
    void shouldSayOnceThatTheBrokerIsLostAndOnceThatItIsBackAndShowItInTheGauge() throws Exception {
        try (TcpProxy broker = new TcpProxy(TestServices.MQ_HOST, TestServices.MQ_PORT)) {
            Map<String, String> config = SERVICES.config("worker");
            config.put("rabbitmq-port", Integer.toString(broker.port()));
            try (ServiceProcess worker = ServiceProcess.start("broker-outage", config)) {
                assertEquals(1.0, gauge(worker));
                int before = worker.logLines().size();

                broker.cut();
                await().atMost(Duration.ofSeconds(30)).until(() -> gauge(worker) == 0.0);
                await().during(SEVERAL_RETRIES).atMost(SEVERAL_RETRIES.plusSeconds(5))
                        .until(() -> since(worker, before, "ERROR").isEmpty() && stackTraceLines(worker) == 0
                                && since(worker, before, "WARN").size() == 1);
                String lost = since(worker, before, "WARN").get(0);
                assertEquals(true, lost.contains("connection to the broker lost"), lost);

                broker.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> gauge(worker) == 1.0);
                await().atMost(Duration.ofSeconds(10)).until(() -> since(worker, before, "INFO").stream()
                        .filter(l -> l.contains("connected to the broker again")).count() == 1);
                assertEquals(1, since(worker, before, "WARN").size(), "still one WARN: " + since(worker, before, "WARN"));
                assertEquals(List.of(), since(worker, before, "ERROR"));
            }
        }
    }

    private static List<String> mentioning(ServiceProcess service, String text) throws Exception {
        return service.logLines().stream().filter(l -> l.contains(text)).toList();
    }

    /** Lines of {@code level} written after the first {@code from} lines. */
    private static List<String> since(ServiceProcess service, int from, String level) throws Exception {
        List<String> lines = service.logLines();
        return lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(l -> l.contains(" " + level + " ")).toList();
    }

    private static long stackTraceLines(ServiceProcess service) throws Exception {
        return service.logLines().stream().filter(l -> l.startsWith("\tat ")).count();
    }

    private static double gauge(ServiceProcess service) {
        String metrics = given().baseUri(service.baseUri()).get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = GAUGE.matcher(metrics);
        if (!m.find()) {
            throw new AssertionError("no offload_broker_connected in the metrics");
        }
        return Double.parseDouble(m.group(1));
    }
}
