package dev.offload.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip64 by entry count, progress and cancelling, and the temporary files of parallel zips. */
class ZipLimitsAndProgressTest {

    private static final CompressionPool PARALLEL = new CompressionPool(2);
    private static final ArchiveBackends BACKENDS = Fixtures.backends(PARALLEL);
    private static final byte[] ZIP64_END = {'P', 'K', 6, 6};

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        PARALLEL.shutdown();
    }

    @Test
    void shouldUseZip64ForMoreThan65535EntriesAndStayReadable() throws Exception {
        int count = 65_600;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArchiveWriter writer = BACKENDS.get("zip").open(out)) {
            for (int i = 0; i < count; i++) {
                byte[] content = ("entry " + i + "\n").getBytes();
                writer.add("d" + (i / 1000) + "/f" + i + ".txt", content.length, Fixtures.content(content));
            }
            writer.finish();
        }
        byte[] archive = out.toByteArray();
        assertTrue(contains(archive, ZIP64_END), "no Zip64 end of central directory");
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
            assertEquals(count, java.util.Collections.list(zip.getEntries()).size());
        }
        ArchiveReader reader = new ArchiveReader(BACKENDS, ExtractionLimits.DEFAULT);
        List<ArchiveReader.ListedEntry> files = reader.list("many.zip", new ByteArrayInputStream(archive));
        assertEquals(count, files.size());
        assertEquals(new ArchiveReader.ListedEntry("d65/f65599.txt", 12), files.get(count - 1));
        if (Fixtures.hasTool("unzip")) {
            Path file = dir.resolve("many.zip");
            Files.write(file, archive);
            Path output = dir.resolve("unzip.txt");
            assertEquals(0, Fixtures.run(dir, output, "unzip", "-tq", file.toString()), () -> tail(output));
            assertTrue(tail(output).contains("No errors detected"), () -> tail(output));
        }
    }

    @Test
    void shouldTellProgressInBytesAndEntries() throws IOException {
        for (String id : Fixtures.IDS) {
            List<long[]> updates = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] content = Fixtures.text(1, 1 << 20);
            try (ArchiveWriter writer = BACKENDS.get(id).open(out, (bytes, entries) -> updates.add(new long[] {bytes, entries}))) {
                for (int i = 0; i < 3; i++) {
                    writer.add("f" + i, content.length, Fixtures.content(content));
                }
                writer.finish();
                assertEquals(3, writer.entries());
                assertEquals(3L << 20, writer.bytes());
            }
            long[] last = updates.get(updates.size() - 1);
            assertEquals(3L << 20, last[0], id);
            assertEquals(3, last[1], id);
            for (int i = 1; i < updates.size(); i++) {
                assertTrue(updates.get(i)[0] >= updates.get(i - 1)[0], id + ": progress went back");
            }
        }
    }

    @Test
    void shouldStopWhenProgressThrowsAndLeaveNoTemporaryFiles() throws IOException {
        RuntimeException cancelled = new IllegalStateException("cancelled");
        for (String id : Fixtures.IDS) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] content = Fixtures.random(2, 3 << 20); // over the 1 MiB a waiting zip entry keeps in memory
            RuntimeException thrown;
            try (ArchiveWriter writer = BACKENDS.get(id).open(out, (bytes, entries) -> {
                if (bytes > 4 << 20) {
                    throw cancelled;
                }
            })) {
                thrown = assertThrows(RuntimeException.class, () -> {
                    for (int i = 0; i < 20; i++) {
                        writer.add("f" + i, content.length, Fixtures.content(content));
                    }
                    writer.finish();
                });
                assertThrows(IllegalStateException.class, () -> writer.add("late", 1, Fixtures.content(new byte[1])));
            }
            assertSame(cancelled, thrown, id);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> temporaryZipFiles() == 0);
    }

    private static long temporaryZipFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("offload-zip-")).count();
        }
    }

    private static boolean contains(byte[] data, byte[] pattern) {
        outer:
        for (int i = data.length - 200; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.substring(Math.max(0, text.length() - 500));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
