package dev.offload.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both writers count their rows into a {@link Progress} and stop when it says so. */
class ProgressTest {

    private static final int ROWS = 10_000;

    interface Writer {
        void write(Sheet sheet, Progress progress, OutputStream output) throws Exception;
    }

    static Stream<Writer> writers() {
        return Stream.of((sheet, progress, out) -> XlsxWriter.write(List.of(sheet), progress, out), CsvWriter::write);
    }

    private static Sheet numbers(int rows, long expected) {
        return new Sheet("Numbers", List.of(Column.integer("n", 8)), expected, sink -> {
            for (int i = 0; i < rows; i++) {
                sink.row(i);
            }
        });
    }

    /** Records what it is told; cancelled once it has seen {@code cancelAfter} rows. */
    private static final class Recorded implements Progress {
        final List<long[]> calls = new ArrayList<>();
        final long cancelAfter;
        long lastDone;

        Recorded(long cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void progress(long done, long total) {
            calls.add(new long[] {done, total});
            lastDone = done;
        }

        @Override
        public void checkCancelled() {
            if (lastDone >= cancelAfter) {
                throw new IllegalStateException("cancelled");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("writers")
    void shouldReportRowsWrittenOfTheExpectedTotalEndingWithAll(Writer writer) throws Exception {
        Recorded progress = new Recorded(Long.MAX_VALUE);
        writer.write(numbers(ROWS, ROWS), progress, OutputStream.nullOutputStream());

        assertEquals(List.of("4096/10000", "8192/10000", "10000/10000"), shown(progress));
    }

    @ParameterizedTest
    @MethodSource("writers")
    void shouldNeverShowATotalBelowTheRowsWrittenWhenTheTableOutgrowsItsEstimate(Writer writer) throws Exception {
        Recorded progress = new Recorded(Long.MAX_VALUE);
        writer.write(numbers(ROWS, 5_000), progress, OutputStream.nullOutputStream());

        assertEquals(List.of("4096/5000", "8192/8192", "10000/10000"), shown(progress));
    }

    @ParameterizedTest
    @MethodSource("writers")
    void shouldStopBetweenRowsOnceCancelled(Writer writer) {
        Recorded progress = new Recorded(1);
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> writer.write(numbers(ROWS, ROWS), progress, OutputStream.nullOutputStream()));

        assertEquals("cancelled", stopped.getMessage());
        assertEquals(List.of("4096/10000"), shown(progress), "stopped at the first check after the cancel");
    }

    private static List<String> shown(Recorded progress) {
        return progress.calls.stream().map(c -> c[0] + "/" + c[1]).toList();
    }
}
