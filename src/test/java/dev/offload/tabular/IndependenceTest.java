package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reports and exports share this package, so it must not lean on either, nor on the engine. */
class IndependenceTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "offload", "tabular");
    private static final Pattern SERVICE_NAME = Pattern.compile("dev\\.offload\\.(\\w+)");

    @Test
    void shouldNameNoOtherPackageOfTheService() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(SOURCES)) {
            files = listed.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(files.size() > 5, "the package's sources are found: " + files);
        List<String> foreign = new java.util.ArrayList<>();
        for (Path file : files) {
            Matcher m = SERVICE_NAME.matcher(Files.readString(file));
            while (m.find()) {
                if (!m.group(1).equals("tabular")) {
                    foreign.add(file.getFileName() + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), foreign);
    }
}
