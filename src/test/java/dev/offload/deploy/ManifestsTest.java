package dev.offload.deploy;

import static dev.offload.deploy.Manifests.at;
import static dev.offload.deploy.Manifests.list;
import static dev.offload.deploy.Manifests.name;
import static dev.offload.deploy.Manifests.ofKind;
import static dev.offload.deploy.Manifests.podTemplate;
import static dev.offload.deploy.Manifests.workloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.Commands;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Renders each overlay with {@code kubectl kustomize} and checks what would break a deployment against the
 * service's own configuration: selectors, probes and ports, the keys of the ConfigMap and the example Secrets,
 * the environment variables set, the CronJobs' commands, the KEDA triggers, the pods' security. Skipped, saying
 * why, where kubectl is missing. (DeploymentIT checks the same files against the running jar.)
 */
class ManifestsTest {

    private static final Map<String, List<Map<String, Object>>> RENDERED = new TreeMap<>();
    /** Quarkus's own variables the manifests may set (the rest of what they set must be the service's). */
    private static final Set<String> QUARKUS_VARIABLES = Set.of("QUARKUS_PROFILE", "QUARKUS_LOG_LEVEL");
    /** What a stopping worker may take to hand its jobs back (JobRunner's wait, then closing its connections). */
    private static final long HAND_BACK_SECONDS = dev.offload.job.JobRunner.STOP_WAIT.toSeconds() + 2 + 2;

    @BeforeAll
    static void render() {
        String kubectl = Manifests.kubectl().orElse(null);
        Assumptions.assumeTrue(kubectl != null,
                "kubectl is not on the PATH (nor KUBECTL set): the overlays cannot be rendered here, so they are not checked");
        for (String overlay : Manifests.OVERLAYS) {
            RENDERED.put(overlay, Manifests.render(kubectl, overlay));
        }
    }

    @Test
    void shouldRenderEveryPieceOfTheDeploymentInEachOverlay() {
        RENDERED.forEach((overlay, docs) -> {
            Set<String> kinds = docs.stream().map(d -> d.get("kind") + "/" + name(d)).collect(Collectors.toSet());
            for (String expected : List.of("ServiceAccount/offload", "ConfigMap/offload-config", "Deployment/offload-api",
                    "Service/offload", "Deployment/offload-worker", "HorizontalPodAutoscaler/offload-api",
                    "PodDisruptionBudget/offload-api", "PodDisruptionBudget/offload-worker",
                    "CronJob/offload-gather-stats", "CronJob/offload-cleanup")) {
                assertTrue(kinds.contains(expected), overlay + " renders " + expected + ": " + kinds);
            }
        });
        assertTrue(ofKind(RENDERED.get("prod"), "ScaledObject").size() == 1, "prod scales the workers with KEDA");
        assertTrue(ofKind(RENDERED.get("dev"), "ScaledObject").isEmpty(), "dev works without KEDA");
        Object workerReplicas = at(ofKind(RENDERED.get("prod"), "Deployment").stream()
                .filter(d -> name(d).equals("offload-worker")).findFirst().orElseThrow(), "spec.replicas");
        assertTrue(workerReplicas == null, "KEDA owns the worker count in prod: an apply must not reset it");
    }

    @Test
    void shouldSelectThePodsEachObjectIsMeantFor() {
        RENDERED.forEach((overlay, docs) -> {
            Map<String, Map<String, Object>> podLabels = new HashMap<>();
            for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
                Map<String, Object> selector = at(deployment, "spec.selector.matchLabels");
                Map<String, Object> labels = at(deployment, "spec.template.metadata.labels");
                assertTrue(labels.entrySet().containsAll(selector.entrySet()),
                        overlay + ": " + name(deployment) + " selects " + selector + " but its pods carry " + labels);
                podLabels.put(name(deployment), labels);
            }
            List<Map<String, Object>> selecting = new ArrayList<>();
            selecting.addAll(ofKind(docs, "Service"));
            selecting.addAll(ofKind(docs, "PodDisruptionBudget"));
            for (Map<String, Object> doc : selecting) {
                Map<String, Object> selector = at(doc, "Service".equals(doc.get("kind")) ? "spec.selector" : "spec.selector.matchLabels");
                long matched = podLabels.values().stream().filter(l -> l.entrySet().containsAll(selector.entrySet())).count();
                assertEquals(1, matched, overlay + ": " + doc.get("kind") + " " + name(doc) + " selects the pods of one Deployment");
            }
            for (Map<String, Object> doc : docs) {
                String target = "HorizontalPodAutoscaler".equals(doc.get("kind")) || "ScaledObject".equals(doc.get("kind"))
                        ? at(doc, "spec.scaleTargetRef.name") : null;
                if (target != null) {
                    assertTrue(podLabels.containsKey(target), overlay + ": " + name(doc) + " scales " + target + ", a Deployment");
                }
            }
        });
    }

    @Test
    void shouldProbeThePathsAndThePortTheServiceServes() {
        String root = "/" + orDefault("quarkus.http.non-application-root-path", "q");
        String health = root + "/" + orDefault("quarkus.smallrye-health.root-path", "health");
        Map<String, String> probes = Map.of(
                "livenessProbe", health + "/" + orDefault("quarkus.smallrye-health.liveness-path", "live"),
                "readinessProbe", health + "/" + orDefault("quarkus.smallrye-health.readiness-path", "ready"),
                "startupProbe", health + "/" + orDefault("quarkus.smallrye-health.startup-path", "started"));
        String metrics = root + "/" + orDefault("quarkus.micrometer.export.prometheus.path", "metrics");
        int defaultPort = Integer.parseInt(Manifests.defaultOf(Manifests.property("quarkus.http.port")));
        RENDERED.forEach((overlay, docs) -> {
            for (Map<String, Object> deployment : ofKind(docs, "Deployment")) {
                Map<String, Object> container = list(deployment, "spec.template.spec.containers").get(0);
                String where = overlay + ": " + name(deployment);
                String portSetting = env(container).get("PORT");
                int port = portSetting != null ? Integer.parseInt(portSetting) : defaultPort;
                Map<String, Object> http = list(container, "ports").stream().filter(p -> "http".equals(p.get("name")))
                        .findFirst().orElseThrow(() -> new AssertionError(where + " names its port http"));
                assertEquals(port, http.get("containerPort"), where + ": the port the service listens on");
                probes.forEach((probe, path) -> {
                    assertEquals(path, at(container, probe + ".httpGet.path"), where + ": " + probe);
                    Object probePort = at(container, probe + ".httpGet.port");
                    assertTrue("http".equals(probePort) || Integer.valueOf(port).equals(probePort), where + ": " + probe + " port");
                });
                Map<String, Object> annotations = at(deployment, "spec.template.metadata.annotations");
                assertEquals(metrics, annotations.get("prometheus.io/path"), where + ": scrape path");
                assertEquals(Integer.toString(port), annotations.get("prometheus.io/port"), where + ": scrape port");
            }
            for (Map<String, Object> service : ofKind(docs, "Service")) {
                for (Map<String, Object> port : list(service, "spec.ports")) {
                    assertEquals("http", port.get("targetPort"), overlay + ": the Service targets the pods' http port");
                }
            }
        });
    }

    @Test
    void shouldReferenceOnlyConfigMapAndSecretKeysTheExamplesHave() {
        RENDERED.forEach((overlay, docs) -> {
            Map<String, Set<String>> configMaps = keysByName(ofKind(docs, "ConfigMap"));
            Map<String, Set<String>> secrets = secretsOf(overlay, docs);
            for (Map<String, Object> workload : workloads(docs)) {
                Map<String, Object> pod = at(podTemplate(workload), "spec");
                String where = overlay + ": " + name(workload);
                for (Map<String, Object> container : list(pod, "containers")) {
                    for (Map<String, Object> from : list(container, "envFrom")) {
                        String configMap = at(from, "configMapRef.name");
                        String secret = at(from, "secretRef.name");
                        assertTrue(configMap == null || configMaps.containsKey(configMap), where + " reads ConfigMap " + configMap);
                        assertTrue(secret == null || secrets.containsKey(secret), where + " reads Secret " + secret);
                    }
                    for (Map<String, Object> env : list(container, "env")) {
                        checkKey(where, configMaps, at(env, "valueFrom.configMapKeyRef"));
                        checkKey(where, secrets, at(env, "valueFrom.secretKeyRef"));
                    }
                }
                for (Map<String, Object> volume : list(pod, "volumes")) {
                    String secret = at(volume, "secret.secretName");
                    if (secret != null) {
                        assertTrue(secrets.containsKey(secret), where + " mounts Secret " + secret);
                        for (Map<String, Object> item : list(volume, "secret.items")) {
                            assertTrue(secrets.get(secret).contains(item.get("key")), where + " mounts key " + item.get("key")
                                    + " of Secret " + secret + ", which has " + secrets.get(secret));
                        }
                    }
                }
            }
            for (Map<String, Object> auth : ofKind(docs, "TriggerAuthentication")) {
                for (Map<String, Object> ref : list(auth, "spec.secretTargetRef")) {
                    checkKey(overlay + ": " + name(auth), secrets, ref);
                }
            }
        });
    }

    @Test
    void shouldSetOnlyEnvironmentVariablesTheServiceReads() throws Exception {
        List<Pattern> known = Manifests.variablesTheServiceReads();
        RENDERED.forEach((overlay, docs) -> {
            Map<String, Set<String>> configMaps = keysByName(ofKind(docs, "ConfigMap"));
            Map<String, Set<String>> secrets = secretsOf(overlay, docs);
            Set<String> unknown = new TreeSet<>();
            for (Map<String, Object> workload : workloads(docs)) {
                for (Map<String, Object> container : list(at(podTemplate(workload), "spec"), "containers")) {
                    Set<String> set = new TreeSet<>(env(container).keySet());
                    for (Map<String, Object> from : list(container, "envFrom")) {
                        String configMap = at(from, "configMapRef.name");
                        set.addAll(configMap != null ? configMaps.get(configMap) : secrets.get((String) at(from, "secretRef.name")));
                    }
                    set.stream().filter(v -> !QUARKUS_VARIABLES.contains(v) && known.stream().noneMatch(p -> p.matcher(v).matches()))
                            .forEach(v -> unknown.add(name(workload) + ": " + v));
                }
            }
            assertTrue(unknown.isEmpty(), overlay + " sets variables the service does not read: " + unknown);
        });
    }

    @Test
    void shouldRunOnlyCommandsTheJarHasFromTheImagesJar() throws Exception {
        Set<String> commands = new CommandLine(Commands.class).getSubcommands().keySet();
        String dockerfile = Files.readString(Path.of("Dockerfile.jvm"));
        java.util.regex.Matcher appJar = Pattern.compile("JAVA_APP_JAR=\"([^\"]+)\"").matcher(dockerfile);
        assertTrue(appJar.find(), "Dockerfile.jvm names the jar");
        RENDERED.forEach((overlay, docs) -> {
            for (Map<String, Object> cronJob : ofKind(docs, "CronJob")) {
                List<String> command = at(list(at(podTemplate(cronJob), "spec"), "containers").get(0), "command");
                int jar = command.indexOf("-jar");
                assertTrue(jar > 0 && command.size() > jar + 2, overlay + ": " + name(cronJob) + " runs the jar with a command");
                assertEquals(appJar.group(1), command.get(jar + 1), overlay + ": " + name(cronJob) + " runs the image's jar");
                assertTrue(commands.contains(command.get(jar + 2)),
                        overlay + ": " + name(cronJob) + " runs '" + command.get(jar + 2) + "', not a command of " + commands);
            }
        });
    }

    @Test
    void shouldScaleTheWorkersOnTheQueueOfEveryKindTheServiceDeclares() throws Exception {
        // The definitions file is the service's own topology (DeploymentIT checks it against the jar and the broker).
        JsonObject definitions = new JsonObject(Files.readString(Path.of("deploy", "rabbitmq", "definitions.json")));
        Set<String> queues = definitions.getJsonArray("queues").stream().map(q -> ((JsonObject) q).getString("name"))
                .filter(q -> !q.endsWith(".dlq")).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(queues.isEmpty());
        Map<String, Object> scaledObject = ofKind(RENDERED.get("prod"), "ScaledObject").get(0);
        List<Map<String, Object>> triggers = list(scaledObject, "spec.triggers");
        Set<String> triggered = triggers.stream().map(t -> (String) at(t, "metadata.queueName"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(queues, triggered, "one trigger per kind's queue: regenerate k8s/components/keda/scaledobject.yaml"
                + " with 'bin/offload topology --keda'");
        assertEquals(triggers.size(), triggered.size(), "no queue twice");
        for (Map<String, Object> trigger : triggers) {
            assertEquals("rabbitmq", trigger.get("type"));
            assertNotNull(at(trigger, "authenticationRef.name"));
            assertTrue(ofKind(RENDERED.get("prod"), "TriggerAuthentication").stream()
                    .anyMatch(a -> name(a).equals(at(trigger, "authenticationRef.name"))), "its TriggerAuthentication is rendered");
        }
    }

    @Test
    void shouldRunEveryPodUnprivilegedOnAReadOnlyRootWithAWritableTmp() {
        RENDERED.forEach((overlay, docs) -> {
            for (Map<String, Object> workload : workloads(docs)) {
                Map<String, Object> pod = at(podTemplate(workload), "spec");
                String where = overlay + ": " + name(workload);
                assertEquals(true, at(pod, "securityContext.runAsNonRoot"), where);
                assertEquals("offload", pod.get("serviceAccountName"), where);
                Set<String> tmpVolumes = list(pod, "volumes").stream().filter(v -> v.containsKey("emptyDir"))
                        .map(v -> (String) v.get("name")).collect(Collectors.toSet());
                for (Map<String, Object> container : list(pod, "containers")) {
                    assertEquals(false, at(container, "securityContext.allowPrivilegeEscalation"), where);
                    assertEquals(true, at(container, "securityContext.readOnlyRootFilesystem"), where);
                    assertEquals(List.of("ALL"), at(container, "securityContext.capabilities.drop"), where);
                    assertTrue(list(container, "volumeMounts").stream()
                            .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && tmpVolumes.contains(m.get("name"))),
                            where + " mounts a writable /tmp");
                    assertNotNull(at(container, "resources.requests.memory"), where + " requests memory");
                    assertNotNull(at(container, "resources.limits.memory"), where + " limits memory");
                }
            }
            Map<String, Object> worker = ofKind(docs, "Deployment").stream().filter(d -> name(d).equals("offload-worker"))
                    .findFirst().orElseThrow();
            int grace = at(worker, "spec.template.spec.terminationGracePeriodSeconds");
            assertTrue(grace > HAND_BACK_SECONDS, overlay + ": a stopping worker has the time to hand its jobs back");
        });
    }

    @Test
    void shouldLogJsonAndRunAReleasedImageInProd() {
        List<Map<String, Object>> prod = RENDERED.get("prod");
        Map<String, Object> config = ofKind(prod, "ConfigMap").stream().filter(c -> name(c).equals("offload-config"))
                .findFirst().orElseThrow();
        assertEquals("true", at(config, "data.OFFLOAD_LOG_JSON"));
        for (Map<String, Object> workload : workloads(prod)) {
            String image = at(list(at(podTemplate(workload), "spec"), "containers").get(0), "image");
            assertTrue(image.matches(".+/offload:\\d+\\.\\d+\\.\\d+"), name(workload) + " runs a released image: " + image);
        }
    }

    private static String orDefault(String key, String fallback) {
        String value = Manifests.property(key);
        return value == null ? fallback : value.replaceAll("^/+|/+$", "");
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new TreeMap<>();
        list(container, "env").forEach(e -> env.put((String) e.get("name"), e.get("value") == null ? null : e.get("value").toString()));
        return env;
    }

    private static Map<String, Set<String>> keysByName(List<Map<String, Object>> docs) {
        Map<String, Set<String>> keys = new TreeMap<>();
        for (Map<String, Object> doc : docs) {
            Set<String> names = new TreeSet<>();
            for (String field : List.of("data", "stringData")) {
                Map<String, Object> data = at(doc, field);
                if (data != null) {
                    names.addAll(data.keySet());
                }
            }
            keys.merge(name(doc), names, (a, b) -> {
                a.addAll(b);
                return a;
            });
        }
        return keys;
    }

    /** The Secrets an overlay may use: those it renders, and the examples an operator creates them from. */
    private static Map<String, Set<String>> secretsOf(String overlay, List<Map<String, Object>> docs) {
        Map<String, Set<String>> secrets = keysByName(ofKind(docs, "Secret"));
        List<Map<String, Object>> examples = new ArrayList<>(Manifests.documents(Manifests.K8S.resolve("base/secret.example.yaml")));
        examples.addAll(Manifests.documents(Manifests.K8S.resolve("components/keda/secret.example.yaml")));
        keysByName(examples).forEach(secrets::putIfAbsent);
        return secrets;
    }

    private static void checkKey(String where, Map<String, Set<String>> keys, Map<String, Object> ref) {
        if (ref == null) {
            return;
        }
        String name = (String) ref.get("name");
        assertTrue(keys.containsKey(name), where + " refers to " + name + ", which no example defines");
        assertTrue(keys.get(name).contains(ref.get("key")), where + " refers to key " + ref.get("key") + " of " + name
                + ", which has " + keys.get(name));
    }
}
