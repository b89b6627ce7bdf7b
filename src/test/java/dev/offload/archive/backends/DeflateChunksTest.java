package dev.offload.archive.backends;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class DeflateChunksTest {

    @Test
    void shouldTellRandomBytesFromTextAndZeros() {
        byte[] random = new byte[1 << 20];
        new Random(1).nextBytes(random);
        byte[] text = "the quick brown fox jumps over the lazy dog 12345\n".repeat(30_000).getBytes();
        assertTrue(DeflateChunks.incompressible(random, random.length));
        assertFalse(DeflateChunks.incompressible(text, text.length));
        assertFalse(DeflateChunks.incompressible(new byte[1 << 20], 1 << 20));
        assertFalse(DeflateChunks.incompressible(random, 1000), "too small to judge: deflated as usual");
    }

    @Test
    void shouldMakeOneDeflateStreamOfChunksStoredOrDeflated() throws DataFormatException {
        byte[] random = new byte[DeflateChunks.CHUNK];
        new Random(2).nextBytes(random);
        byte[] text = "archive entries and their chunks, deflated apart and read as one\n".repeat(20_000).getBytes();
        byte[] first = Arrays.copyOf(text, DeflateChunks.CHUNK);
        byte[] tail = Arrays.copyOf(text, 1000);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(DeflateChunks.compress(first, first.length, null, false, 6).toByteArray());
        stream.writeBytes(DeflateChunks.compress(random, random.length, first, false, 6).toByteArray());
        stream.writeBytes(DeflateChunks.compress(tail, tail.length, random, true, 6).toByteArray());

        Inflater inflater = new Inflater(true);
        inflater.setInput(stream.toByteArray());
        byte[] out = new byte[first.length + random.length + tail.length + 1];
        int n = 0;
        while (!inflater.finished()) {
            n += inflater.inflate(out, n, out.length - n);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(random);
        expected.writeBytes(tail);
        assertArrayEquals(expected.toByteArray(), Arrays.copyOf(out, n));
        assertTrue(stream.size() < random.length + random.length / 500 + 5000, "random chunk stored, not grown");
    }
}
