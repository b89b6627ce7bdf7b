package dev.offload.deploy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** The deployment files as the tests read them: rendered overlays, YAML documents, what the service reads. */
final class Manifests {

    static final Path K8S = Path.of("k8s");
    static final List<String> OVERLAYS = List.of("dev", "prod");

    private Manifests() {
    }

    /** kubectl on the PATH (or KUBECTL), or empty: the rendering tests then say so and are skipped. */
    static Optional<String> kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    /** {@code kubectl kustomize k8s/overlays/<overlay>}: every document it renders. */
    static List<Map<String, Object>> render(String kubectl, String overlay) {
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectErrorStream(false).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize k8s/overlays/" + overlay + " failed: " + err);
            }
            return documents(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    static List<Map<String, Object>> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value at a dotted path of maps, or null. */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String path) {
        Object current = node;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return (T) current;
    }

    static List<Map<String, Object>> list(Object node, String path) {
        List<Map<String, Object>> value = at(node, path);
        return value == null ? List.of() : value;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    static String name(Map<String, Object> doc) {
        return at(doc, "metadata.name");
    }

    /** The pod template of a Deployment or a CronJob. */
    static Map<String, Object> podTemplate(Map<String, Object> doc) {
        return "CronJob".equals(doc.get("kind")) ? at(doc, "spec.jobTemplate.spec.template") : at(doc, "spec.template");
    }

    /** Deployments and CronJobs: everything that runs the image. */
    static List<Map<String, Object>> workloads(List<Map<String, Object>> docs) {
        return docs.stream().filter(d -> "Deployment".equals(d.get("kind")) || "CronJob".equals(d.get("kind"))).toList();
    }

    /** application.properties of the service, as text. */
    static String applicationProperties() {
        try {
            return Files.readString(Path.of("src", "main", "resources", "application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key's value in application.properties (the default profile), or null. */
    static String property(String key) {
        for (String line : applicationProperties().split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return null;
    }

    /** A value without its {@code ${NAME:default}} indirection: the default. */
    static String defaultOf(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z_]+:([^}]*)}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    /**
     * The environment variables the service reads: those application.properties names ({@code ${OFFLOAD_DB_HOST:...}}),
     * the environment form of every {@code offload.*} key of the service's {@link ConfigMapping}s and of every
     * {@code offload.*} key its sources name ({@code @Scheduled(every = "${offload.relay.every:5s}")}), as patterns.
     */
    static List<Pattern> variablesTheServiceReads() throws Exception {
        Set<String> keys = new TreeSet<>();
        Matcher placeholders = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(applicationProperties());
        Set<String> names = new TreeSet<>();
        while (placeholders.find()) {
            names.add(placeholders.group(1));
        }
        Path sources = Path.of("src", "main", "java");
        // ${offload.relay.every:5s}, getValue("offload.role"), @ConfigProperty(name = "offload.x"), and any key a
        // configuration source of the service's own (dev.offload.config) names.
        Pattern read = Pattern.compile("(?:\\$\\{|getValue\\(\"|name = \")(offload\\.[a-z0-9.-]*[a-z0-9])");
        Pattern named = Pattern.compile("\"(offload\\.[a-z0-9.-]*[a-z0-9])\"");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher m = (file.getParent().endsWith("config") ? named : read).matcher(text);
                while (m.find()) {
                    keys.add(m.group(1));
                }
                if (text.contains("@ConfigMapping")) {
                    String className = sources.relativize(file).toString().replace(java.io.File.separatorChar, '.')
                            .replaceAll("\\.java$", "");
                    Class<?> mapping = Class.forName(className);
                    ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
                    if (annotation != null) {
                        mappingKeys(annotation.prefix(), mapping, keys);
                    }
                }
            }
        }
        List<Pattern> patterns = new ArrayList<>();
        names.forEach(n -> patterns.add(Pattern.compile(Pattern.quote(n))));
        for (String key : keys) {
            String env = key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9*]", "_");
            patterns.add(Pattern.compile(Pattern.quote(env).replace("*", "\\E[A-Z0-9_]+\\Q")));
        }
        return patterns;
    }

    private static void mappingKeys(String prefix, Class<?> type, Set<String> keys) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String key = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> raw = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (raw == Map.class && generic instanceof ParameterizedType p && p.getActualTypeArguments()[1] instanceof Class<?> value
                    && value.isInterface() && value.getName().startsWith("dev.offload")) {
                mappingKeys(key + ".*", value, keys);
            } else if (raw == Map.class) {
                keys.add(key + ".*");
            } else if (raw.isInterface() && raw.getName().startsWith("dev.offload")) {
                mappingKeys(key, raw, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
