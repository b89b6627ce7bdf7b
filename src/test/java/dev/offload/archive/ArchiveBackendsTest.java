package dev.offload.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.archive.backends.TarGzBackend;
import dev.offload.archive.backends.ZipBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveBackendsTest {

    private static final CompressionPool SERIAL = CompressionPool.serial();
    private static final ArchiveBackends BACKENDS = Fixtures.backends(SERIAL);

    /** A second backend claiming an id already taken. */
    static class OtherZipBackend extends ZipBackend {
        OtherZipBackend() {
            super(SERIAL);
        }
    }

    @Test
    void shouldOfferTheFiveBuiltInFormats() {
        assertEquals(List.of("tar", "tar.bz2", "tar.gz", "tar.xz", "zip"), BACKENDS.ids());
        assertEquals("application/zip", BACKENDS.get("zip").contentType());
        assertEquals("tar.xz", BACKENDS.get("tar.xz").extension());
    }

    @Test
    void shouldStopStartUpWhenTwoBackendsClaimOneIdNamingBoth() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new ArchiveBackends(List.of(new ZipBackend(SERIAL), new OtherZipBackend())));
        assertEquals("archive format 'zip' is declared by both " + ZipBackend.class.getName() + " and "
                + OtherZipBackend.class.getName() + "; each format needs exactly one backend", e.getMessage());
    }

    @Test
    void shouldNameTheKnownIdsForAnUnknownOne() {
        UnknownArchiveBackendException e = assertThrows(UnknownArchiveBackendException.class, () -> BACKENDS.get("rar"));
        assertEquals("rar", e.id());
        assertEquals(List.of("tar", "tar.bz2", "tar.gz", "tar.xz", "zip"), e.known());
        assertEquals("unknown archive format 'rar'; known formats: tar, tar.bz2, tar.gz, tar.xz, zip", e.getMessage());
    }

    @Test
    void shouldDetectEachFormatByItsFirstBytesWhateverItsName() throws IOException {
        for (String id : Fixtures.IDS) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArchiveWriter writer = BACKENDS.get(id).open(out)) {
                writer.add("a.txt", 1, Fixtures.content(new byte[] {'a'}));
                writer.finish();
            }
            byte[] head = Arrays.copyOf(out.toByteArray(), 512);
            assertEquals(id, BACKENDS.detect("misnamed.bin", head, head.length).orElseThrow().id());
            assertEquals(id, BACKENDS.detect(null, head, head.length).orElseThrow().id());
        }
    }

    @Test
    void shouldDetectByNameWhenTheBytesSayNothing() {
        byte[] nothing = new byte[16];
        assertEquals(TarGzBackend.ID, BACKENDS.detect("Results.TGZ", nothing, nothing.length).orElseThrow().id());
        assertEquals("tar.bz2", BACKENDS.detect("a.tar.bz2", nothing, nothing.length).orElseThrow().id());
        assertEquals("tar", BACKENDS.detect("a.tar", nothing, nothing.length).orElseThrow().id());
        assertEquals("tar.xz", BACKENDS.detect("a.txz", nothing, nothing.length).orElseThrow().id());
        assertTrue(BACKENDS.detect("a.gz", nothing, nothing.length).isEmpty());
    }
}
