package dev.offload.archive;

import dev.offload.archive.backends.TarBackend;
import dev.offload.archive.backends.TarBz2Backend;
import dev.offload.archive.backends.TarGzBackend;
import dev.offload.archive.backends.TarXzBackend;
import dev.offload.archive.backends.ZipBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** What the archive tests share: the backends on a pool, generated content, digests and the system's tools. */
final class Fixtures {

    static final List<String> IDS = List.of("zip", "tar", "tar.gz", "tar.bz2", "tar.xz");
    private static final String[] WORDS = ("the of and to in archive job report export import worker queue lease "
            + "compress stream block entry file owner result storage chunk progress cancel offload deflate "
            + "zip tar gzip bzip2 xz header trailer dictionary window member").split(" ");

    private Fixtures() {
    }

    static ArchiveBackends backends(CompressionPool pool) {
        return new ArchiveBackends(List.of(new ZipBackend(pool), new TarBackend(pool), new TarGzBackend(pool),
                new TarBz2Backend(pool), new TarXzBackend(pool)));
    }

    /** Text-like bytes: words and numbers in lines, compressing about 3 to 4 times, as logs and reports do. */
    static byte[] text(long seed, int size) {
        Random random = new Random(seed);
        byte[] out = new byte[size];
        int i = 0;
        while (i < size) {
            byte[] word = (random.nextInt(8) == 0 ? Integer.toString(random.nextInt(100_000))
                    : WORDS[random.nextInt(WORDS.length)]).getBytes(StandardCharsets.US_ASCII);
            for (int j = 0; j < word.length && i < size; j++) {
                out[i++] = word[j];
            }
            if (i < size) {
                out[i++] = (byte) (random.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
        return out;
    }

    /** Incompressible bytes. */
    static byte[] random(long seed, int size) {
        byte[] out = new byte[size];
        new Random(seed).nextBytes(out);
        return out;
    }

    static EntryContent content(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(InputStream in) throws IOException {
        return sha256(in.readAllBytes());
    }

    static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command, its output to a file; returns the exit code. */
    static int run(Path dir, Path output, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return process.exitValue();
    }

    /** Every regular file under {@code root}, as relative paths with '/'. */
    static List<Path> files(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p)));
        }
        return files;
    }
}
