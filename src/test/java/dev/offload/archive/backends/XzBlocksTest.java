package dev.offload.archive.backends;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The parallel xz writer's dictionary follows the heap, so a small worker compresses instead of running out. */
class XzBlocksTest {

    private static final long MIB = 1 << 20;

    @Test
    void shouldUseThePresetsDictionaryWhenTheHeapHasRoom() {
        assertEquals(8 * MIB, XzBlocks.dictionary(6, 2, 2048 * MIB));
        assertEquals(4 * MIB, XzBlocks.dictionary(3, 2, 2048 * MIB), "preset 3's own dictionary is 4 MiB");
    }

    @Test
    void shouldHalveTheDictionaryUntilTheWriterFitsHalfTheHeap() {
        for (long heap : new long[] {192 * MIB, 256 * MIB, 512 * MIB}) {
            int dictionary = XzBlocks.dictionary(6, 2, heap);
            assertTrue(XzBlocks.need(6, 2, dictionary) <= heap / 2, heap + ": " + dictionary);
            assertTrue(dictionary == 8 * MIB || XzBlocks.need(6, 2, dictionary * 2) > heap / 2,
                    "the largest that fits: " + dictionary);
        }
        assertTrue(XzBlocks.dictionary(6, 2, 256 * MIB) < 8 * MIB, "a 256 MB heap cannot hold two 8 MiB encoders");
        assertEquals(1 * MIB, XzBlocks.dictionary(6, 16, 64 * MIB), "never below 1 MiB");
    }
}
