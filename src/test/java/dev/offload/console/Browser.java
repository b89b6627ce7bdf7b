package dev.offload.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one scenario of src/test/console/console-e2e.mjs in headless Chromium with Node and playwright-core, both
 * installed by bin/services (Chromium from Debian's packages, playwright-core under tools/console-e2e).
 */
final class Browser {

    static final Path TOOLS = Path.of("tools", "console-e2e");
    static final Path SCRIPT = Path.of("src", "test", "console", "console-e2e.mjs");
    static final Path OUT = Path.of("target", "console-e2e");

    private Browser() {
    }

    /** Runs {@code scenario} against {@code baseUrl} with {@code input}; fails the test with what the browser saw. */
    static void run(String baseUrl, String scenario, Map<String, Object> input) throws Exception {
        String node = onPath("node").orElseThrow(() -> new IllegalStateException("node is missing: run bin/services"));
        String chromium = Optional.ofNullable(System.getenv("OFFLOAD_CHROMIUM"))
                .or(() -> onPath("chromium")).or(() -> onPath("chromium-browser"))
                .orElseThrow(() -> new IllegalStateException("chromium is missing: run bin/services"));
        if (!Files.isDirectory(TOOLS.resolve("node_modules").resolve("playwright-core"))) {
            throw new IllegalStateException("playwright-core is missing from " + TOOLS + ": run bin/services");
        }
        Map<String, Object> all = new LinkedHashMap<>(input);
        all.put("baseUrl", baseUrl.replaceAll("/$", ""));
        all.put("chromium", chromium);
        all.put("toolsDir", TOOLS.toAbsolutePath().toString());
        all.put("outDir", OUT.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(node, SCRIPT.toString(), scenario).redirectErrorStream(true);
        builder.environment().put("OFFLOAD_E2E", new ObjectMapper().writeValueAsString(all));
        Files.createDirectories(OUT);
        Path log = OUT.resolve(scenario + ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(150, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("scenario " + scenario + " did not end within 150 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> "scenario " + scenario + " failed:\n" + output);
    }

    private static Optional<String> onPath(String name) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
