package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte writer under the xlsx and csv writers: numbers, decimals, UTF-8 and XML escaping. */
class TextBytesTest {

    private static String written(ThrowingWriter writes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextBytes bytes = new TextBytes(out);
        writes.write(bytes);
        bytes.flush();
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingWriter {
        void write(TextBytes bytes) throws Exception;
    }

    @Test
    void shouldWriteNumbersAndDecimalsWithoutTrailingZeros() throws Exception {
        assertEquals("0 7 42 -13 9223372036854775807 -9223372036854775808", written(b -> b.number(0).raw(' ').number(7)
                .raw(' ').number(42).raw(' ').number(-13).raw(' ').number(Long.MAX_VALUE).raw(' ').number(Long.MIN_VALUE)));
        assertEquals("45292.5 1 -1.5 0.000000001", written(b -> b.decimal(45_292_500_000_000L, 9).raw(' ')
                .decimal(1_000, 3).raw(' ').decimal(-1_500, 3).raw(' ').decimal(1, 9)));
    }

    @Test
    void shouldEncodeUtf8AndEscapeXml() throws Exception {
        assertEquals("plain ünïcode 😀 €", written(b -> b.utf8("plain ünïcode 😀 €")));
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot;\tok&#13;\n é😀", written(b -> b.text("a <b> & \"c\"\tok\r\n\u0001 é😀")));
    }

    @Test
    void shouldSpanTheBufferForLongText() throws Exception {
        String longText = "x".repeat(200_000) + "é";
        assertEquals(longText, written(b -> b.utf8(longText)));
        assertEquals(longText, written(b -> b.text(longText)));
        assertEquals("y".repeat(100_000), written(b -> b.raw("y".repeat(100_000))));
    }
}
