package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layout the platform promises, read from the sources: a kind names no other kind, the engine names no
 * kind, and the workflow component names nothing of the engine. A kind may use another's published extension
 * point only where it is listed here.
 */
class PackageRulesTest {

    private static final Path MAIN = Path.of("src", "main", "java", "dev", "offload");
    private static final Pattern NAME = Pattern.compile("dev\\.offload\\.(\\w+)(?:\\.(\\w+))?");
    private static final Set<String> KINDS = Set.of("canary", "report", "archive", "transfer", "stats");
    private static final Set<String> ENGINE = Set.of("job", "workflow", "db", "storage", "tabular", "web", "config",
            "security");
    /** Statistics store imported rows through transfer's row hooks, the extension point it offers everyone. */
    private static final Set<String> ALLOWED = Set.of("stats -> dev.offload.transfer.RowHooks");

    @Test
    void shouldKeepEveryKindToItselfAndTheEngine() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String kind : KINDS) {
            names(kind, broken, other -> KINDS.contains(other) && !other.equals(kind));
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void shouldKeepTheEngineFreeOfKinds() throws IOException {
        List<String> broken = new ArrayList<>();
        for (String engine : ENGINE) {
            names(engine, broken, KINDS::contains);
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void shouldKeepTheWorkflowComponentFreeOfTheEngine() throws IOException {
        List<String> broken = new ArrayList<>();
        names("workflow", broken, other -> other.equals("job") || KINDS.contains(other));
        assertEquals(List.of(), broken);
    }

    /** Adds to {@code broken} every name in the package's sources of a package {@code forbidden} accepts. */
    private static void names(String pkg, List<String> broken, java.util.function.Predicate<String> forbidden)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN.resolve(pkg))) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(!files.isEmpty(), "the sources of " + pkg + " are found");
        for (Path file : files) {
            Matcher m = NAME.matcher(Files.readString(file));
            while (m.find()) {
                String named = m.group(2) == null ? m.group() : "dev.offload." + m.group(1) + "." + m.group(2);
                if (forbidden.test(m.group(1)) && !ALLOWED.contains(pkg + " -> " + named)) {
                    broken.add(MAIN.relativize(file) + " names " + named);
                }
            }
        }
    }
}
