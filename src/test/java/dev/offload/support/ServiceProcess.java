package dev.offload.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The packaged service run as a child process, as a pod runs it, so a test can SIGKILL it. */
public final class ServiceProcess implements AutoCloseable {

    /** The jar {@code mvn package} builds from this working tree. */
    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts this tree's jar with {@code properties} as system properties and waits until it is ready. */
    public static ServiceProcess start(String name, Map<String, String> properties) throws Exception {
        return start(JAR, name, properties);
    }

    /**
     * As {@link #start(String, Map)}, allowing {@code readyWithin} to become ready: several JVMs starting at once on
     * a busy 2-core machine have taken over a minute.
     */
    public static ServiceProcess start(String name, Map<String, String> properties, Duration readyWithin) throws Exception {
        return start(JAR, name, properties, readyWithin);
    }

    /** Starts {@code jar} (another build's, for a comparison) as {@link #start(String, Map)} does. */
    public static ServiceProcess start(Path jar, String name, Map<String, String> properties) throws Exception {
        return start(jar, name, properties, Duration.ofSeconds(60));
    }

    /**
     * Starts this tree's jar and waits only until it is live (started), not ready: for a service that cannot become
     * ready (its broker's virtual host is missing, say).
     */
    public static ServiceProcess startLive(String name, Map<String, String> properties) throws Exception {
        return start(JAR, name, properties, Duration.ofSeconds(60), "/q/health/live");
    }

    /** The lines the process has written to its log so far. */
    public List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    private static ServiceProcess start(Path jar, String name, Map<String, String> properties, Duration readyWithin)
            throws Exception {
        return start(jar, name, properties, readyWithin, "/q/health/ready");
    }

    private static ServiceProcess start(Path jar, String name, Map<String, String> properties, Duration readyWithin,
            String probe) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' first (mvn verify does)");
        }
        int port = freePort();
        Map<String, String> props = new TreeMap<>(properties);
        props.put("quarkus.http.port", Integer.toString(port));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Path log = Path.of("target", "fault-logs", name + "-" + port + ".log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        service.awaitUp(readyWithin, probe);
        return service;
    }

    /** What a run of the jar that ends by itself printed, and its exit status. */
    public record Exit(int status, String output) {
    }

    /** Runs the jar (a command, or a service that must refuse to start) to its end. */
    public static Exit runToExit(Map<String, String> properties, Map<String, String> environment, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("OFFLOAD_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the jar did not end within 60 s: " + output);
        }
        return new Exit(process.exitValue(), output);
    }

    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no clean-up, as when a node dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void awaitUp(Duration limit, String probe) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
        try {
            org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
                        }
                        return http.send(HttpRequest.newBuilder(URI.create(baseUri() + probe))
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new IllegalStateException("the service did not answer " + probe + " within " + limit + "; see " + log, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
