package dev.offload.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.archive.ArchiveRefusedException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Hostile and broken archives, built here with commons-compress, are refused naming the entry; the same paths are
 * refused when writing.
 */
@Timeout(120)
class HostileArchivesTest {

    private static final ArchiveBackends BACKENDS = Fixtures.backends(CompressionPool.serial());
    private static final ArchiveReader READER = new ArchiveReader(BACKENDS, ExtractionLimits.DEFAULT);
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

    /** An entry of a hostile archive: a name, content, and for zip a unix mode or for tar a link flag. */
    record Spec(String name, byte[] content, int zipMode, byte tarFlag) {
        static Spec file(String name, byte[] content) {
            return new Spec(name, content, 0100644, TarConstants.LF_NORMAL);
        }
    }

    // ---- writing

    @Test
    void shouldRefuseEveryHostilePathWhenWritingAndStayUsable() throws IOException {
        for (String id : Fixtures.IDS) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArchiveWriter writer = BACKENDS.get(id).open(out)) {
                for (String path : EntryPathsTest.HOSTILE) {
                    InvalidEntryPathException e = assertThrows(InvalidEntryPathException.class,
                            () -> writer.add(path, HELLO.length, Fixtures.content(HELLO)), () -> id + " took " + path);
                    assertEquals(path, e.path());
                }
                writer.add("good.txt", HELLO.length, Fixtures.content(HELLO));
                writer.finish();
            }
            assertEquals(List.of(new ArchiveReader.ListedEntry("good.txt", 5)),
                    READER.list(BACKENDS.get(id), new ByteArrayInputStream(out.toByteArray())), id);
        }
    }

    @Test
    void shouldRefuseARepeatedPathOrAFileThatIsAlsoADirectoryWhenWriting() throws IOException {
        try (ArchiveWriter writer = BACKENDS.get("tar").open(new ByteArrayOutputStream())) {
            writer.add("a/b.txt", 5, Fixtures.content(HELLO));
            assertEquals("entry 'a/b.txt' is already in the archive",
                    assertThrows(InvalidEntryPathException.class, () -> writer.add("a/b.txt", 5, Fixtures.content(HELLO)))
                            .getMessage());
            assertEquals("entry 'a' is already a directory of the archive",
                    assertThrows(InvalidEntryPathException.class, () -> writer.add("a", 5, Fixtures.content(HELLO)))
                            .getMessage());
            assertEquals("entry 'a/b.txt/c' is inside 'a/b.txt', which is a file of the archive",
                    assertThrows(InvalidEntryPathException.class, () -> writer.add("a/b.txt/c", 5, Fixtures.content(HELLO)))
                            .getMessage());
        }
    }

    @Test
    void shouldFailWhenContentDiffersFromItsDeclaredSize() throws IOException {
        CompressionPool pool = new CompressionPool(2);
        try {
            for (ArchiveBackends backends : List.of(BACKENDS, Fixtures.backends(pool))) {
                for (String id : Fixtures.IDS) {
                    try (ArchiveWriter writer = backends.get(id).open(new ByteArrayOutputStream())) {
                        IOException e = assertThrows(IOException.class, () -> writer.add("short.txt", 6, Fixtures.content(HELLO)));
                        assertEquals("entry 'short.txt' has 5 bytes of content, not the 6 declared", e.getMessage(), id);
                        assertThrows(IllegalStateException.class, writer::finish);
                    }
                    try (ArchiveWriter writer = backends.get(id).open(new ByteArrayOutputStream())) {
                        IOException e = assertThrows(IOException.class, () -> writer.add("long.txt", 4, Fixtures.content(HELLO)));
                        assertEquals("entry 'long.txt' has more content than the 4 bytes declared", e.getMessage(), id);
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    // ---- reading: paths

    @Test
    void shouldRefuseEveryHostilePathWhenReadingNamingTheEntry() throws IOException {
        List<String> notCarried = new java.util.ArrayList<>();
        for (String path : EntryPathsTest.HOSTILE) {
            if (path.equals("./a.txt") || path.endsWith("/")) {
                continue; // a leading ./ is dropped and a trailing / makes a directory: both harmless
            }
            for (String id : List.of("zip", "tar", "tar.gz")) {
                byte[] archive = id.equals("zip") ? zip(Spec.file(path, HELLO)) : tar(id, Spec.file(path, HELLO));
                String stored = storedName(id, archive);
                if (EntryPaths.problem(stored) == null) {
                    notCarried.add(id + " " + printable(path) + " -> " + printable(stored));
                    continue;
                }
                ArchiveRefusedException e = refusal(id, archive);
                assertEquals(Reason.PATH, e.reason(), () -> id + " " + path + ": " + e.getMessage());
                assertEquals(stored, e.entry());
                assertTrue(e.getMessage().startsWith("entry '"), e.getMessage());
            }
        }
        // The only name a format cannot carry: a NUL ends a tar header's name.
        assertEquals(List.of("tar nul\\u0000.txt -> nul", "tar.gz nul\\u0000.txt -> nul"), notCarried);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.length() > 40 ? out.substring(0, 40) + "…(" + s.length() + ")" : out.toString();
    }

    @Test
    void shouldAcceptALeadingDotSlashAndSkipDirectories() throws IOException {
        byte[] archive = tar("tar", new Spec("./", new byte[0], 040755, TarConstants.LF_DIR),
                new Spec("./dir/", new byte[0], 040755, TarConstants.LF_DIR), Spec.file("./dir/a.txt", HELLO));
        assertEquals(List.of(new ArchiveReader.ListedEntry("dir/a.txt", 5)), list("tar", archive));
    }

    // ---- reading: entry types

    @Test
    void shouldRefuseLinksDevicesAndFifos() throws IOException {
        assertRefused("tar", tar("tar", new Spec("link", new byte[0], 0, TarConstants.LF_SYMLINK)), Reason.LINK,
                "entry 'link' is a symbolic link");
        assertRefused("tar", tar("tar", new Spec("hard", new byte[0], 0, TarConstants.LF_LINK)), Reason.LINK,
                "entry 'hard' is a hard link");
        assertRefused("tar", tar("tar", new Spec("tty", new byte[0], 0, TarConstants.LF_CHR)), Reason.SPECIAL_FILE,
                "entry 'tty' is a device file");
        assertRefused("tar", tar("tar", new Spec("disk", new byte[0], 0, TarConstants.LF_BLK)), Reason.SPECIAL_FILE,
                "entry 'disk' is a device file");
        assertRefused("tar", tar("tar", new Spec("pipe", new byte[0], 0, TarConstants.LF_FIFO)), Reason.SPECIAL_FILE,
                "entry 'pipe' is a FIFO");
        byte[] target = "/etc/passwd".getBytes(StandardCharsets.UTF_8);
        assertRefused("zip", zip(new Spec("link", target, 0120777, (byte) 0)), Reason.LINK, "entry 'link' is a symbolic link");
        assertRefused("zip", zip(new Spec("pipe", new byte[0], 0010644, (byte) 0)), Reason.SPECIAL_FILE, "entry 'pipe' is a FIFO");
        assertRefused("zip", zip(new Spec("tty", new byte[0], 0020644, (byte) 0)), Reason.SPECIAL_FILE,
                "entry 'tty' is a device file");
    }

    @Test
    void shouldRefuseDuplicatesAndFilesThatAreAlsoDirectories() throws IOException {
        assertRefused("zip", zip(Spec.file("a.txt", HELLO), Spec.file("a.txt", HELLO)), Reason.DUPLICATE,
                "entry 'a.txt' occurs more than once");
        assertRefused("tar", tar("tar", Spec.file("a.txt", HELLO), Spec.file("./a.txt", HELLO)), Reason.DUPLICATE,
                "entry './a.txt' occurs more than once");
        assertRefused("tar", tar("tar", Spec.file("a", HELLO), Spec.file("a/b", HELLO)), Reason.DUPLICATE,
                "entry 'a/b' is inside 'a', which is a file of the archive");
        assertRefused("zip", zip(Spec.file("a/b", HELLO), Spec.file("a", HELLO)), Reason.DUPLICATE,
                "entry 'a' is both a file and a directory");
    }

    @Test
    void shouldRefuseEncryptedZipEntries() throws IOException {
        byte[] archive = zip(Spec.file("secret.txt", HELLO));
        // commons-compress writes no encryption: set the flag by hand, in the local and the central header.
        setEncryptionFlag(archive, new byte[] {'P', 'K', 3, 4}, 6);
        setEncryptionFlag(archive, new byte[] {'P', 'K', 1, 2}, 8);
        assertRefused("zip", archive, Reason.ENCRYPTED, "entry 'secret.txt' is encrypted");
    }

    // ---- reading: limits

    @Test
    void shouldRefuseMoreEntriesThanTheLimit() throws IOException {
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            specs.add(Spec.file("f" + i, HELLO));
        }
        ArchiveReader reader = new ArchiveReader(BACKENDS, ExtractionLimits.DEFAULT.withMaxEntries(10));
        ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class,
                () -> reader.list("x.zip", new ByteArrayInputStream(zip(specs.toArray(Spec[]::new)))));
        assertEquals(Reason.TOO_MANY_ENTRIES, e.reason());
        assertEquals("has more than 10 entries", e.getMessage());
    }

    @Test
    void shouldRefuseContentPastTheTotalLimitCountingWhatIsRead() throws IOException {
        byte[] kilobyte = Fixtures.random(1, 1000);
        ArchiveReader reader = new ArchiveReader(BACKENDS, ExtractionLimits.DEFAULT.withMaxTotalBytes(1500));
        for (String id : List.of("zip", "tar.gz")) {
            byte[] archive = id.equals("zip") ? zip(Spec.file("a", kilobyte), Spec.file("b", kilobyte))
                    : tar(id, Spec.file("a", kilobyte), Spec.file("b", kilobyte));
            ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class,
                    () -> reader.list("x", new ByteArrayInputStream(archive)));
            assertEquals(Reason.TOO_LARGE, e.reason(), e.getMessage());
            assertEquals("b", e.entry());
        }
    }

    @Test
    void shouldRefuseAZipBombCountingInflatedBytes() throws IOException {
        byte[] zeros = new byte[64 << 20];
        byte[] archive = zip(Spec.file("readme.txt", HELLO), Spec.file("zeros.bin", zeros));
        ArchiveRefusedException e = refusal("zip", archive);
        assertEquals(Reason.RATIO, e.reason(), e.getMessage());
        assertEquals("zeros.bin", e.entry());
        assertTrue(e.getMessage().contains("expands more than 1:200"), e.getMessage());
    }

    @Test
    void shouldRefuseACompressedTarBombOverTheWholeStream() throws IOException {
        byte[] archive = tar("tar.gz", Spec.file("readme.txt", HELLO), Spec.file("zeros.bin", new byte[64 << 20]));
        ArchiveRefusedException e = refusal("tar.gz", archive);
        assertEquals(Reason.RATIO, e.reason(), e.getMessage());
        assertEquals("zeros.bin", e.entry());
    }

    @Test
    void shouldAcceptSmallHighlyCompressibleFiles() throws IOException {
        byte[] zeros = new byte[512 * 1024]; // within the grace: a small file of zeros is no bomb
        assertEquals(1, list("zip", zip(Spec.file("zeros.bin", zeros))).size());
        assertEquals(1, list("tar.xz", tar("tar.xz", Spec.file("zeros.bin", zeros))).size());
    }

    // ---- reading: damage

    @Test
    void shouldRefuseTruncatedArchivesClearly() throws IOException {
        byte[] text = Fixtures.text(7, 300_000);
        for (String id : Fixtures.IDS) {
            byte[] whole = id.equals("zip") ? zip(Spec.file("a.txt", text), Spec.file("b.txt", text))
                    : tar(id, Spec.file("a.txt", text), Spec.file("b.txt", text));
            assertEquals(2, list(id, whole).size(), id);
            // A plain tar's last 30 bytes are padding after its end blocks: only compressed ones lose data there.
            int[] cuts = id.equals("tar") ? new int[] {whole.length / 2, 100} : new int[] {whole.length / 2, whole.length - 30, 100};
            for (int cut : cuts) {
                ArchiveRefusedException e = refusal(id, Arrays.copyOf(whole, cut));
                assertEquals(Reason.CORRUPT, e.reason(), () -> id + " cut at " + cut + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("corrupt or truncated"), e.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseATarCutRightAfterAnEntry() throws IOException {
        byte[] whole = tar("tar", Spec.file("a.txt", Fixtures.text(8, 1024)));
        byte[] cut = Arrays.copyOf(whole, 512 + 1024); // the header and the content, no end-of-archive blocks
        ArchiveRefusedException e = refusal("tar", cut);
        assertEquals(Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void shouldRefuseAZipEntryWhoseContentDoesNotMatchItsChecksum() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            ZipArchiveEntry entry = new ZipArchiveEntry("a.txt");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(HELLO.length);
            CRC32 crc = new CRC32();
            crc.update(HELLO);
            entry.setCrc(crc.getValue());
            zip.putArchiveEntry(entry);
            zip.write(HELLO);
            zip.closeArchiveEntry();
        }
        byte[] archive = out.toByteArray();
        int at = indexOf(archive, HELLO, 0);
        archive[at] = 'j';
        ArchiveRefusedException e = refusal("zip", archive);
        assertEquals(Reason.CORRUPT, e.reason());
        assertEquals("entry 'a.txt' is corrupt or truncated: its content does not match its checksum", e.getMessage());
    }

    @Test
    void shouldRefuseWhatIsNoArchive() {
        ArchiveRefusedException e = assertThrows(ArchiveRefusedException.class,
                () -> READER.list("notes.bin", new ByteArrayInputStream(Fixtures.random(3, 4096))));
        assertEquals(Reason.UNSUPPORTED, e.reason());
        assertEquals("is not an archive of a known format (tar, tar.bz2, tar.gz, tar.xz, zip)", e.getMessage());
    }

    // ---- helpers

    private static List<ArchiveReader.ListedEntry> list(String id, byte[] archive) throws IOException {
        return READER.list(BACKENDS.get(id), new ByteArrayInputStream(archive));
    }

    private static ArchiveRefusedException refusal(String id, byte[] archive) {
        // Detected from the bytes, as an upload would be.
        return assertThrows(ArchiveRefusedException.class,
                () -> READER.extract("upload." + id, new ByteArrayInputStream(archive), (path, content) -> content.readAllBytes()));
    }

    private static void assertRefused(String id, byte[] archive, Reason reason, String message) {
        ArchiveRefusedException e = refusal(id, archive);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    /**
     * A zip of {@code specs}, made on Unix. commons-compress turns a backslash into a slash when it names an entry,
     * so a name with backslashes is written with slashes and its bytes then put back, in the local header and the
     * central directory alike, as another tool would have written them.
     */
    static byte[] zip(Spec... specs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Spec spec : specs) {
                ZipArchiveEntry entry = new ZipArchiveEntry(spec.name().replace('\\', '/'));
                entry.setUnixMode(spec.zipMode());
                zip.putArchiveEntry(entry);
                zip.write(spec.content());
                zip.closeArchiveEntry();
            }
        }
        byte[] bytes = out.toByteArray();
        for (Spec spec : specs) {
            if (spec.name().indexOf('\\') >= 0) {
                replaceAll(bytes, spec.name().replace('\\', '/').getBytes(StandardCharsets.UTF_8),
                        spec.name().getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes;
    }

    private static void replaceAll(byte[] bytes, byte[] from, byte[] to) {
        for (int i = 0; i + from.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, bytes, i, to.length);
            }
        }
    }

    static byte[] tar(String id, Spec... specs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStream compressed = switch (id) {
            case "tar.gz" -> new GzipCompressorOutputStream(out);
            case "tar.bz2" -> new BZip2CompressorOutputStream(out);
            case "tar.xz" -> new XZOutputStream(out, new LZMA2Options(1));
            default -> out;
        };
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (Spec spec : specs) {
                TarArchiveEntry entry = new TarArchiveEntry(spec.name(), spec.tarFlag(), true);
                if (spec.tarFlag() == TarConstants.LF_SYMLINK || spec.tarFlag() == TarConstants.LF_LINK) {
                    entry.setLinkName("/etc/passwd");
                }
                if (spec.tarFlag() == TarConstants.LF_NORMAL) {
                    entry.setSize(spec.content().length);
                }
                tar.putArchiveEntry(entry);
                if (spec.tarFlag() == TarConstants.LF_NORMAL) {
                    tar.write(spec.content());
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    /** The name commons-compress reads back for the archive's only entry. */
    private static String storedName(String id, byte[] archive) throws IOException {
        if (id.equals("zip")) {
            try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(archive)).get()) {
                return zip.getEntries().nextElement().getName();
            }
        }
        byte[] plain = ArchiveRoundTripTest.decompress(id, archive);
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(plain), "UTF-8")) {
            return tar.getNextEntry().getName();
        }
    }

    private static void setEncryptionFlag(byte[] archive, byte[] signature, int offset) {
        int at = indexOf(archive, signature, 0);
        archive[at + offset] |= 1;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("pattern not found");
    }
}
