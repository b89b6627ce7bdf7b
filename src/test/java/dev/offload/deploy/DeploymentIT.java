package dev.offload.deploy;

import static dev.offload.deploy.Manifests.at;
import static dev.offload.deploy.Manifests.list;
import static dev.offload.deploy.Manifests.ofKind;
import static dev.offload.deploy.Manifests.podTemplate;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.OwnServices;
import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import dev.offload.support.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deployment files against the packaged jar and what it does at start: the CronJobs' commands run, the
 * checked-in broker definitions and KEDA ScaledObject are what {@code offload topology} prints and what a
 * starting service declares, the probe paths answer, and the dashboard and alerts name only exported metrics.
 */
class DeploymentIT {

    private static final Path DEFINITIONS = Path.of("deploy", "rabbitmq", "definitions.json");
    private static final Path SCALED_OBJECT = Path.of("k8s", "components", "keda", "scaledobject.yaml");
    @RegisterExtension
    static final OwnServices SERVICES = new OwnServices("deploy");

    @Test
    void shouldRunTheCommandOfEveryCronJob() throws Exception {
        for (Path file : List.of(Path.of("k8s", "base", "cronjob-gather-stats.yaml"), Path.of("k8s", "base", "cronjob-cleanup.yaml"))) {
            for (Map<String, Object> cronJob : ofKind(Manifests.documents(file), "CronJob")) {
                List<String> command = at(list(at(podTemplate(cronJob), "spec"), "containers").get(0), "command");
                String name = command.get(command.indexOf("-jar") + 2);
                ServiceProcess.Exit exit = ServiceProcess.runToExit(Map.of(), Map.of(), name, "--help");
                assertEquals(0, exit.status(), file + ": " + exit.output());
                assertTrue(exit.output().startsWith("Usage: offload " + name), exit.output());
            }
        }
    }

    @Test
    void shouldPrintTheCheckedInDefinitionsAndScaledObject() throws Exception {
        Map<String, String> config = TestServices.serviceConfig(SERVICES.database(), "/", "all");
        String definitions = ServiceProcess.runToExit(config, Map.of(), "topology", "--definitions").output();
        assertEquals(new JsonObject(Files.readString(DEFINITIONS)), new JsonObject(definitions.substring(definitions.indexOf('{'))),
                "deploy/rabbitmq/definitions.json is out of date: bin/offload topology --definitions > " + DEFINITIONS);
        String keda = ServiceProcess.runToExit(config, Map.of(), "topology", "--keda").output();
        assertEquals(Files.readString(SCALED_OBJECT), keda.substring(keda.indexOf("# Generated")),
                SCALED_OBJECT + " is out of date: bin/offload topology --keda > " + SCALED_OBJECT);
    }

    @Test
    void shouldDeclareAtStartWhatTheDefinitionsSayAnswerTheProbesAndExportWhatDashboardsName() throws Exception {
        Map<String, String> config = SERVICES.config("all");
        config.put("offload.queue.meter-every", "1s");
        try (ServiceProcess service = ServiceProcess.start("deploy", config, Duration.ofSeconds(180))) {
            // What the broker holds once the service started equals the checked-in file, the vhost aside.
            JsonObject declared = new JsonObject(TestServices.definitions(SERVICES.vhost()));
            JsonObject file = new JsonObject(Files.readString(DEFINITIONS));
            for (String part : List.of("exchanges", "queues", "bindings")) {
                assertEquals(normalized(file.getJsonArray(part), part), normalized(declared.getJsonArray(part), part),
                        part + " declared at start and in " + DEFINITIONS);
            }

            for (Map<String, Object> deployment : ofKind(Manifests.documents(Path.of("k8s", "base", "api.yaml")), "Deployment")) {
                Map<String, Object> container = list(deployment, "spec.template.spec.containers").get(0);
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    given().baseUri(service.baseUri()).get((String) at(container, probe + ".httpGet.path")).then().statusCode(200);
                }
                Map<String, Object> annotations = at(deployment, "spec.template.metadata.annotations");
                given().baseUri(service.baseUri()).get((String) annotations.get("prometheus.io/path")).then().statusCode(200);
            }

            String admin = Tokens.admin(Tokens.newUser());
            String id = given().baseUri(service.baseUri()).header("Authorization", Tokens.bearer(admin))
                    .contentType(ContentType.JSON).body(Map.of("sleep_ms", 10)).post("/api/v1/canaries")
                    .then().statusCode(202).extract().path("id");
            await().atMost(Duration.ofSeconds(30)).until(() -> "success".equals(given().baseUri(service.baseUri())
                    .header("Authorization", Tokens.bearer(admin)).get("/api/v1/jobs/" + id).then().extract().path("state")));
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics(service).lines()
                    .anyMatch(l -> l.startsWith("offload_queue_consumers{kind=\"canary\"") && l.endsWith(" 1.0")));

            Set<String> exported = exportedNames(metrics(service));
            for (Path file2 : List.of(Path.of("deploy", "grafana", "offload.json"), Path.of("deploy", "prometheus", "alerts.yaml"))) {
                Set<String> named = namedMetrics(Files.readString(file2));
                assertTrue(named.size() >= 5, file2 + " names the service's metrics: " + named);
                Set<String> missing = named.stream().filter(m -> !exported.contains(m)).collect(Collectors.toCollection(TreeSet::new));
                assertTrue(missing.isEmpty(), file2 + " names metrics the service does not export: " + missing);
            }
        }
    }

    private static String metrics(ServiceProcess service) {
        return given().baseUri(service.baseUri()).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static Set<String> exportedNames(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every {@code offload_...} metric a dashboard or a rule names. */
    static Set<String> namedMetrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(offload_[a-z_]+)\\b").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A part of the definitions without the vhost, and only the service's (not the broker's default exchanges). */
    private static Set<JsonObject> normalized(JsonArray items, String part) {
        return items.stream().map(i -> ((JsonObject) i).copy()).peek(i -> i.remove("vhost"))
                .filter(i -> part.equals("bindings") ? !i.getString("source").isEmpty() : i.getString("name").startsWith("offload"))
                .collect(Collectors.toSet());
    }
}
