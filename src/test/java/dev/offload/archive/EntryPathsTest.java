package dev.offload.archive;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntryPathsTest {

    /** Every path a writer and a reader must refuse; the hostile archives' tests use the same list. */
    static final String[] HOSTILE = {"/etc/passwd", "../up.txt", "a/../../up.txt", "a/..", "a\\b.txt", "a//b.txt",
            "a/", "./a.txt", "a/./b.txt", "nul\0.txt", "bell\u0007.txt", "line\nbreak.txt", "del\u007f.txt",
            "c1\u0085.txt", "C:/windows/x.txt", "c:x.txt", "", "x".repeat(1025), "é".repeat(513)};

    @ParameterizedTest
    @ValueSource(strings = {"a.txt", "dir/sub/file.bin", "é/ü/日本.txt", "..a/b..", "a/...", "c/d:e", ".hidden",
            "space in name.txt"})
    void shouldAcceptRelativeNormalisedPaths(String path) {
        assertEquals(path, EntryPaths.check(path));
    }

    @Test
    void shouldRefuseEveryHostilePathNamingTheEntry() {
        for (String path : HOSTILE) {
            InvalidEntryPathException e = assertThrows(InvalidEntryPathException.class, () -> EntryPaths.check(path),
                    () -> "accepted " + path);
            assertEquals(path, e.path());
            assertTrue(e.getMessage().startsWith("entry '"), e.getMessage());
        }
    }

    @Test
    void shouldSayWhatIsWrong() {
        assertEquals("is absolute", EntryPaths.problem("/a"));
        assertEquals("has a '..' segment", EntryPaths.problem("a/../b"));
        assertEquals("contains a backslash", EntryPaths.problem("a\\b"));
        assertEquals("has an empty segment", EntryPaths.problem("a//b"));
        assertEquals("contains a NUL character", EntryPaths.problem("a\0b"));
        assertEquals("starts with a drive letter", EntryPaths.problem("C:/b"));
        assertEquals("is longer than 1024 bytes in UTF-8 (1026)", EntryPaths.problem("é".repeat(513)));
    }

    @Test
    void shouldAcceptExactly1024Bytes() {
        assertDoesNotThrow(() -> EntryPaths.check("a/" + "x".repeat(1022)));
    }

    @Test
    void shouldQuoteControlCharactersInMessages() {
        InvalidEntryPathException e = assertThrows(InvalidEntryPathException.class, () -> EntryPaths.check("a\nb"));
        assertEquals("entry 'a\\u000ab' contains a control character (U+000A)", e.getMessage());
    }
}
