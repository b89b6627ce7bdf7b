package dev.offload.archive;

import static dev.offload.archive.Fixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each backend, serial and parallel, writes an archive that commons-compress, our reader and the system's own tools
 * read back entry for entry. About 10 MiB of content, so every parallel stream has several blocks (xz two streams).
 */
class ArchiveRoundTripTest {

    static final Instant MODIFIED = Instant.parse("2025-01-02T03:04:05Z");
    static final String LONG_PATH = "deep/" + "d".repeat(90) + "/" + "n".repeat(96) + ".txt";
    static final Map<String, byte[]> ENTRIES = new TreeMap<>();
    private static final CompressionPool PARALLEL = new CompressionPool(2);
    private static final CompressionPool SERIAL = CompressionPool.serial();
    private static final Map<String, byte[]> WRITTEN = new HashMap<>();

    static {
        ENTRIES.put("empty.txt", new byte[0]);
        ENTRIES.put("small/one.txt", Fixtures.text(1, 1000));
        ENTRIES.put(LONG_PATH, Fixtures.text(2, 5000));
        ENTRIES.put("unicode/résumé 日本.txt", Fixtures.text(3, 3000));
        ENTRIES.put("random.bin", Fixtures.random(4, 3 * 1024 * 1024 + 17));
        ENTRIES.put("big/text.log", Fixtures.text(5, 6 * 1024 * 1024 + 5));
    }

    @TempDir
    Path dir;

    @AfterAll
    static void shutdown() {
        PARALLEL.shutdown();
    }

    static Stream<Arguments> cases() {
        return Fixtures.IDS.stream().flatMap(id -> Stream.of(Arguments.of(id, false), Arguments.of(id, true)));
    }

    static byte[] archive(String id, boolean parallel) throws IOException {
        String key = id + (parallel ? " parallel" : " serial");
        if (!WRITTEN.containsKey(key)) {
            ArchiveBackend backend = Fixtures.backends(parallel ? PARALLEL : SERIAL).get(id);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArchiveWriter writer = backend.open(out)) {
                for (Map.Entry<String, byte[]> entry : ENTRIES.entrySet()) {
                    writer.add(entry.getKey(), entry.getValue().length, MODIFIED, Fixtures.content(entry.getValue()));
                }
                writer.finish();
            }
            WRITTEN.put(key, out.toByteArray());
        }
        return WRITTEN.get(key);
    }

    static Map<String, String> expected() {
        Map<String, String> digests = new TreeMap<>();
        ENTRIES.forEach((path, bytes) -> digests.put(path, sha256(bytes)));
        return digests;
    }

    @ParameterizedTest(name = "{0}, parallel {1}")
    @MethodSource("cases")
    void shouldBeReadBackByCommonsCompress(String id, boolean parallel) throws IOException {
        assertEquals(expected(), readWithCommonsCompress(id, archive(id, parallel)));
    }

    @ParameterizedTest(name = "{0}, parallel {1}")
    @MethodSource("cases")
    void shouldBeReadBackByOurReaderUnderItsRules(String id, boolean parallel) throws IOException {
        ArchiveReader reader = new ArchiveReader(Fixtures.backends(SERIAL), ExtractionLimits.DEFAULT);
        Map<String, String> digests = new TreeMap<>();
        List<ArchiveReader.ListedEntry> files = reader.extract("upload", new ByteArrayInputStream(archive(id, parallel)),
                (path, content) -> digests.put(path, sha256(content)));
        assertEquals(expected(), digests);
        assertEquals(ENTRIES.size(), files.size());
        files.forEach(file -> assertEquals(ENTRIES.get(file.path()).length, file.size(), file.path()));
    }

    @ParameterizedTest(name = "{0}, parallel {1}")
    @MethodSource("cases")
    void shouldBeListedAndExtractedByTheSystemsTools(String id, boolean parallel) throws Exception {
        String tool = id.equals("zip") ? "unzip" : "tar";
        assumeTrue(Fixtures.hasTool(tool), tool + " is not installed");
        Path archive = dir.resolve("archive." + id);
        Files.write(archive, archive(id, parallel));
        Path listing = dir.resolve("listing.txt");
        Path out = Files.createDirectory(dir.resolve("out"));
        if (id.equals("zip")) {
            assertEquals(0, Fixtures.run(dir, listing, "unzip", "-t", archive.toString()), () -> read(listing));
            assertTrue(read(listing).contains("No errors detected"), read(listing));
            assertEquals(0, Fixtures.run(dir, listing, "unzip", "-q", archive.toString(), "-d", out.toString()),
                    () -> read(listing));
        } else {
            String flag = switch (id) {
                case "tar.gz" -> "z";
                case "tar.bz2" -> "j";
                case "tar.xz" -> "J";
                default -> "";
            };
            assertEquals(0, Fixtures.run(dir, listing, "tar", "t" + flag + "f", archive.toString()), () -> read(listing));
            assertEquals(ENTRIES.keySet(), new TreeSet<>(read(listing).lines().toList()));
            assertEquals(0, Fixtures.run(dir, listing, "tar", "x" + flag + "f", archive.toString(), "-C", out.toString()),
                    () -> read(listing));
        }
        Map<String, String> extracted = new TreeMap<>();
        for (Path file : Fixtures.files(out)) {
            extracted.put(file.toString(), sha256(Files.readAllBytes(out.resolve(file))));
        }
        assertEquals(expected(), extracted);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void shouldWriteTheSameContentInParallelAsSerially(String id) throws IOException {
        byte[] serial = archive(id, false);
        byte[] parallel = archive(id, true);
        if (id.startsWith("tar")) {
            // The same tar stream inside, byte for byte; only its compression differs.
            assertArrayEquals(decompress(id, serial), decompress(id, parallel));
        }
        assertEquals(readWithCommonsCompress(id, serial), readWithCommonsCompress(id, parallel));
    }

    static Stream<String> ids() {
        return Fixtures.IDS.stream();
    }

    @Test
    void shouldCutParallelStreamsIntoSeveralMembers() throws IOException {
        // The content spans more than one block of each codec: several bzip2 and xz streams, one gzip member.
        assertTrue(count(archive("tar.bz2", true), new byte[] {'B', 'Z', 'h', '9'}) >= 3);
        assertTrue(count(archive("tar.xz", true), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}) >= 2);
        assertEquals(1, count(archive("tar.bz2", false), new byte[] {'B', 'Z', 'h', '9'}));
        assertEquals(1, count(archive("tar.xz", false), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}));
        // pigz-style: one member, so even a reader that stops after the first member sees everything.
        try (InputStream single = new GzipCompressorInputStream(new ByteArrayInputStream(archive("tar.gz", true)))) {
            assertArrayEquals(decompress("tar.gz", archive("tar.gz", false)), single.readAllBytes());
        }
    }

    static Map<String, String> readWithCommonsCompress(String id, byte[] archive) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        if (id.equals("zip")) {
            try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
                for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        digests.put(entry.getName(), sha256(in));
                    }
                }
            }
            return digests;
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(decompress(id, archive)),
                StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null;) {
                assertEquals(MODIFIED, entry.getLastModifiedTime().toInstant(), entry.getName());
                digests.put(entry.getName(), sha256(tar));
            }
        }
        return digests;
    }

    static byte[] decompress(String id, byte[] archive) throws IOException {
        InputStream in = new ByteArrayInputStream(archive);
        InputStream plain = switch (id) {
            case "tar.gz" -> new GzipCompressorInputStream(in, true);
            case "tar.bz2" -> new BZip2CompressorInputStream(in, true);
            case "tar.xz" -> new XZCompressorInputStream(in, true);
            default -> in;
        };
        try (plain) {
            return plain.readAllBytes();
        }
    }

    private static int count(byte[] data, byte[] magic) {
        int count = 0;
        outer:
        for (int i = 0; i + magic.length <= data.length; i++) {
            for (int j = 0; j < magic.length; j++) {
                if (data[i + j] != magic[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
