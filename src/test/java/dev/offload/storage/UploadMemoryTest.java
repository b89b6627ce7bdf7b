package dev.offload.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServicesResource;
import dev.offload.support.Tokens;
import io.netty.util.internal.PlatformDependent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A large upload and its download stream through with memory flat: the live heap (after a collection) and
 * Netty's direct memory are sampled while {@value #SIZE_MIB} MiB, made up as they are sent, go into the store and
 * back out, and may grow by a few buffers, never by the file. Client and server share this JVM, so the client
 * streams too (the JDK client, which does not buffer a body; REST-assured would).
 */
@QuarkusTest
@QuarkusTestResource(ServicesResource.class)
class UploadMemoryTest {

    static final int SIZE_MIB = 300;
    static final long SIZE = SIZE_MIB * 1024L * 1024;
    /** Far below the file, far above what streaming holds (a few MiB of buffers and chunks). */
    static final long ALLOWED_GROWTH = 64L * 1024 * 1024;

    @TestHTTPResource("/api/v1/files")
    URI files;

    @Test
    void shouldKeepMemoryFlatWhileALargeUploadStreamsInAndOut() throws Exception {
        String token = Tokens.user(Tokens.newUser());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long baseline = liveMemory();
        AtomicLong peak = new AtomicLong(baseline);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        // A full collection per sample stops everything a moment: one a second keeps the run quick enough.
        sampler.scheduleWithFixedDelay(() -> peak.accumulateAndGet(liveMemory(), Math::max), 0, 1, TimeUnit.SECONDS);
        GeneratedContent sent = new GeneratedContent(SIZE);
        long start = System.nanoTime();
        HttpResponse<String> created;
        String id;
        String received;
        long uploaded = 0;
        try {
            created = http.send(HttpRequest.newBuilder(files).header("Authorization", Tokens.bearer(token))
                    .header("X-Filename", "large.bin").header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> sent), SIZE))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            uploaded = System.nanoTime();
            id = created.body().replaceAll("(?s).*\"id\":\"([0-9a-f-]+)\".*", "$1");
            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(URI.create(files + "/" + id + "/content"))
                    .header("Authorization", Tokens.bearer(token)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            received = digest(download.body());
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        long end = System.nanoTime();

        System.out.printf("upload memory: %d MiB up in %.1f s, down in %.1f s; live memory %d MiB before, %d MiB at most%n",
                SIZE_MIB, (uploaded - start) / 1e9, (end - uploaded) / 1e9, baseline >> 20, peak.get() >> 20);
        assertTrue(created.body().contains("\"size\":" + SIZE), created.body());
        assertTrue(created.body().contains("\"sha256\":\"" + sent.sha256() + "\""), created.body());
        assertEquals(sent.sha256(), received, "the download is the upload, byte for byte");
        assertTrue(peak.get() - baseline < ALLOWED_GROWTH, "live memory grew by " + ((peak.get() - baseline) >> 20)
                + " MiB while " + SIZE_MIB + " MiB streamed through");
        java.net.http.HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(files + "/" + id))
                .header("Authorization", Tokens.bearer(token)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode());
        assertEquals(0, ServicesResource.number("SELECT count(*) FROM stored_file_chunk WHERE file_id = ?::uuid", id));
    }

    /** The heap's live objects (after a full collection) and the direct memory Netty holds. */
    private static long liveMemory() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = PlatformDependent.usedDirectMemory();
        return heap + Math.max(0, direct);
    }

    private static String digest(InputStream in) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                sha256.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Pseudo-random bytes made as they are read, with their SHA-256 computed on the way. */
    private static final class GeneratedContent extends InputStream {
        private final long size;
        private final SplittableRandom random = new SplittableRandom(42);
        private final MessageDigest sha256;
        private final byte[] block = new byte[64 * 1024];
        private int position = block.length;
        private long produced;

        GeneratedContent(long size) throws Exception {
            this.size = size;
            this.sha256 = MessageDigest.getInstance("SHA-256");
        }

        private String hex;

        /** Once everything was read. */
        String sha256() {
            if (hex == null) {
                hex = HexFormat.of().formatHex(sha256.digest());
            }
            return hex;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (produced == size) {
                return -1;
            }
            if (position == block.length) {
                random.nextBytes(block);
                position = 0;
            }
            int n = (int) Math.min(Math.min(length, block.length - position), size - produced);
            System.arraycopy(block, position, into, offset, n);
            sha256.update(block, position, n);
            position += n;
            produced += n;
            return n;
        }
    }
}
