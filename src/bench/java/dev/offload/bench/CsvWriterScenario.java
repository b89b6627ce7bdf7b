package dev.offload.bench;

import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategy;
import dev.offload.tabular.Column;
import dev.offload.tabular.CsvWriter;
import dev.offload.tabular.Progress;
import dev.offload.tabular.Sheet;
import dev.offload.tabular.SpreadsheetText;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The csv writer ({@link CsvWriter}: written straight to bytes) against FastCSV 4.0.0 on the same table:
 * 1,000,000 rows (200,000 with --quick) of an 8-column order table (an int, three texts of which some need
 * quotes, non-ASCII or a formula escape, two booleans, a decimal, a timestamp), cycled from 10,000 generated
 * rows. They take turns, after a warm-up turn each: ours, FastCSV, FastCSV into a null Writer (what is left
 * without the UTF-8 encoding), ours, ... (5 rounds; 3 with --quick), each into a stream that counts the
 * bytes and drops them. The figures are each one's median turn, and the median of the rounds' FastCSV to
 * ours ratios (turns next to each other share the machine's load best). Before the clock starts both write
 * the first 50,000 rows and must give the same bytes, so they do the same work. Needs neither the service
 * nor the database.
 */
public final class CsvWriterScenario implements Scenario {

    private static final List<Column> COLUMNS = List.of(Column.integer("id", 10), Column.text("sku", 12),
            Column.text("customer", 30), Column.text("note", 60), Column.bool("paid", 6), Column.bool("shipped", 6),
            Column.decimal("amount", 12), Column.timestamp("ordered (UTC)"));
    private static final int POOL = 10_000;
    private static final int CHECKED_ROWS = 50_000;
    private static final String OURS = "handwritten";
    private static final String FASTCSV = "fastcsv";
    private static final String FASTCSV_NO_OUTPUT = "fastcsv_no_output";

    /** A way of writing the table. */
    private interface Variant {
        void write(Sheet sheet, OutputStream out) throws Exception;
    }

    private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put(OURS, (sheet, out) -> CsvWriter.write(sheet, Progress.NONE, out));
        VARIANTS.put(FASTCSV,
                (sheet, out) -> FastCsvTable.write(sheet, new OutputStreamWriter(out, StandardCharsets.UTF_8)));
        VARIANTS.put(FASTCSV_NO_OUTPUT, (sheet, out) -> FastCsvTable.write(sheet, Writer.nullWriter()));
    }

    @Override
    public String name() {
        return "tabular-csv";
    }

    @Override
    public String description() {
        return "csv writing of an 8-column table: our byte writer against FastCSV 4.0.0, taking turns (rows/s, MB/s)";
    }

    @Override
    public List<Ratio> ratios() {
        return List.of(new Ratio("rows/s fastcsv / handwritten", FASTCSV + "_rows_per_s", OURS + "_rows_per_s"),
                new Ratio("rows/s fastcsv_no_output / handwritten", FASTCSV_NO_OUTPUT + "_rows_per_s",
                        OURS + "_rows_per_s"));
    }

    @Override
    public Map<String, Double> run(BenchEnv env) throws Exception {
        int rows = env.size(200_000, 1_000_000);
        int rounds = env.quick() ? 3 : 5;
        Object[][] pool = pool();
        checkSameBytes(pool);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> turns = new LinkedHashMap<>();
        long fileBytes = 0;
        for (int round = 0; round <= rounds; round++) {
            for (Map.Entry<String, Variant> variant : VARIANTS.entrySet()) {
                Counting out = new Counting();
                long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                variant.getValue().write(sheet(pool, rows), out);
                double seconds = (System.nanoTime() - start) / 1e9;
                double allocatedMb = (threads.getCurrentThreadAllocatedBytes() - allocatedBefore) / 1048576.0;
                double mb = out.bytes / 1048576.0;
                fileBytes = Math.max(fileBytes, out.bytes);
                System.out.printf("   %-7s %-18s %,11.0f rows/s %7.1f MB/s (%.1f MB in %.3f s, %,.0f MB allocated)%n",
                        round == 0 ? "warm-up" : "turn " + round, variant.getKey(), rows / seconds, mb / seconds, mb,
                        seconds, allocatedMb);
                if (round > 0) {
                    turns.computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
                            .add(new double[] {rows / seconds, mb / seconds, allocatedMb});
                }
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("rows", (double) rows);
        figures.put("file_mb", fileBytes / 1048576.0);
        turns.forEach((name, measured) -> {
            figures.put(name + "_rows_per_s", median(measured, 0));
            if (!name.equals(FASTCSV_NO_OUTPUT)) {
                figures.put(name + "_mb_per_s", median(measured, 1));
            }
            figures.put(name + "_allocated_mb", median(measured, 2));
        });
        // Turns next to each other share the machine's load best: the ratio of each round, then their median.
        List<double[]> paired = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            paired.add(new double[] {turns.get(FASTCSV).get(round)[0] / turns.get(OURS).get(round)[0]});
        }
        figures.put("fastcsv_to_handwritten_by_round", median(paired, 0));
        return figures;
    }

    private static double median(List<double[]> turns, int index) {
        double[] sorted = turns.stream().mapToDouble(t -> t[index]).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** A comparison of two writers that write different files would say nothing: they must agree first. */
    private static void checkSameBytes(Object[][] pool) throws Exception {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        VARIANTS.get(OURS).write(sheet(pool, CHECKED_ROWS), ours);
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        VARIANTS.get(FASTCSV).write(sheet(pool, CHECKED_ROWS), theirs);
        byte[] a = ours.toByteArray();
        byte[] b = theirs.toByteArray();
        int at = Arrays.mismatch(a, b);
        if (at >= 0) {
            throw new IllegalStateException("the writers disagree at byte " + at + ": " + around(a, at) + " | "
                    + around(b, at));
        }
        System.out.printf("   both write the same %,d bytes for the first %,d rows%n", a.length, CHECKED_ROWS);
    }

    private static String around(byte[] bytes, int at) {
        int from = Math.max(0, at - 40);
        return new String(bytes, from, Math.min(80, bytes.length - from), StandardCharsets.UTF_8);
    }

    private static Sheet sheet(Object[][] pool, int rows) {
        return new Sheet("Orders", COLUMNS, rows, sink -> {
            for (int i = 0; i < rows; i++) {
                sink.row(pool[i % POOL]);
            }
        });
    }

    /**
     * Orders: 10% of customers with a comma, 3% with quotes, names with accents and other scripts, notes of
     * 3 to 12 words with a comma or a line break now and then, 3% of notes starting like a formula.
     */
    private static Object[][] pool() {
        Random random = new Random(17);
        String[] first = {"Anna", "Bjørn", "Zoë", "Łukasz", "José", "Mia", "Noah", "Øystein", "Chloé", "Kenji",
            "Liam", "Ava", "Дмитрий", "美咲"};
        String[] last = {"Müller", "Smith", "O'Brien", "García", "Nakamura", "Dubois", "Kowalski", "Jensen", "Rossi",
            "Lee"};
        String[] words = {"deliver", "to", "the", "back", "door", "please", "call", "before", "arrival", "fragile",
            "gift", "wrap", "no", "invoice", "in", "box", "leave", "with", "neighbour", "thanks"};
        OffsetDateTime start = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Object[][] rows = new Object[POOL][];
        for (int i = 0; i < POOL; i++) {
            String customer = first[random.nextInt(first.length)] + " " + last[random.nextInt(last.length)];
            int suffix = random.nextInt(100);
            if (suffix < 10) {
                customer += ", Jr.";
            } else if (suffix < 13) {
                customer += " \"the client\"";
            }
            StringBuilder note = new StringBuilder();
            int formula = random.nextInt(100);
            note.append(formula == 0 ? "=" : formula == 1 ? "-" : formula == 2 ? "@" : "");
            int count = 3 + random.nextInt(10);
            for (int w = 0; w < count; w++) {
                if (w > 0) {
                    int separator = random.nextInt(100);
                    note.append(separator < 4 ? ", " : separator < 6 ? "\n" : " ");
                }
                note.append(words[random.nextInt(words.length)]);
            }
            rows[i] = new Object[] {random.nextInt(10_000_000), "SKU-" + (100_000 + random.nextInt(900_000)), customer,
                note.toString(), random.nextBoolean(), random.nextInt(10) < 8, random.nextInt(10_000_000) / 100.0,
                start.plusSeconds(10L * i).plusNanos(random.nextInt(1000) * 1_000_000L)};
        }
        return rows;
    }

    /** Counts what is written and keeps none of it. */
    private static final class Counting extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /**
     * The table written with FastCSV as the service would write it: the same rules as {@link CsvWriter}
     * (formula escape, three decimals, ISO-8601 UTC with milliseconds, a progress check every 4096 rows),
     * each value made a String for FastCSV, which quotes what RFC 4180 requires and encodes through the Writer.
     */
    private static final class FastCsvTable {

        /** What our writer also quotes: an escaped formula that started with a tab. */
        private static final QuoteStrategy ESCAPED_TAB = new QuoteStrategy() {
            @Override
            public boolean quoteValue(int lineNo, int fieldIdx, String value) {
                return value.length() > 1 && value.charAt(0) == '\'' && value.charAt(1) == '\t';
            }
        };

        static void write(Sheet sheet, Writer output) throws Exception {
            List<Column> columns = sheet.columns();
            Column.Type[] types = columns.stream().map(Column::type).toArray(Column.Type[]::new);
            de.siegmar.fastcsv.writer.CsvWriter csv = de.siegmar.fastcsv.writer.CsvWriter.builder()
                    .quoteStrategy(ESCAPED_TAB).lineDelimiter(LineDelimiter.CRLF).build(output);
            String[] fields = new String[types.length];
            for (int i = 0; i < types.length; i++) {
                fields[i] = text(columns.get(i).header());
            }
            csv.writeRecord(fields);
            Iso iso = new Iso();
            long[] written = {0};
            sheet.rows().write(values -> {
                for (int i = 0; i < types.length; i++) {
                    Object value = values[i];
                    fields[i] = value == null ? null : switch (types[i]) {
                        case TEXT -> text(value.toString());
                        case INTEGER -> Long.toString(((Number) value).longValue());
                        case DECIMAL -> decimal(((Number) value).doubleValue());
                        case TIMESTAMP -> iso.format(value instanceof OffsetDateTime t ? t.toInstant().toEpochMilli()
                                : ((Instant) value).toEpochMilli());
                        case BOOLEAN -> (Boolean) value ? "true" : "false";
                    };
                }
                csv.writeRecord(fields);
                if (++written[0] % 4096 == 0) {
                    Progress.NONE.checkCancelled();
                    Progress.NONE.progress(written[0], sheet.expectedRows());
                }
            });
            csv.flush();
        }

        private static String text(String value) {
            return SpreadsheetText.looksLikeFormula(value) ? "'" + value : value;
        }

        private static String decimal(double value) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return null;
            }
            long thousandths = Math.round(value * 1000);
            StringBuilder out = new StringBuilder(24);
            if (thousandths < 0) {
                out.append('-');
                thousandths = -thousandths;
            }
            out.append(thousandths / 1000).append('.');
            long fraction = thousandths % 1000;
            return out.append((char) ('0' + fraction / 100)).append((char) ('0' + fraction / 10 % 10))
                    .append((char) ('0' + fraction % 10)).toString();
        }

        /** ISO-8601 UTC with milliseconds, the date part cached as consecutive rows mostly share a day. */
        private static final class Iso {
            private static final long MILLIS_PER_DAY = 86_400_000L;
            private final char[] chars = new char[40];
            private long cachedDay = Long.MIN_VALUE;
            private int dateLength;

            String format(long epochMillis) {
                long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
                if (day != cachedDay) {
                    cachedDay = day;
                    String date = LocalDate.ofEpochDay(day).toString();
                    dateLength = date.length();
                    date.getChars(0, dateLength, chars, 0);
                    chars[dateLength] = 'T';
                }
                int millisOfDay = (int) (epochMillis - day * MILLIS_PER_DAY);
                int seconds = millisOfDay / 1000;
                int p = two(seconds / 3600, dateLength + 1);
                chars[p++] = ':';
                p = two(seconds / 60 % 60, p);
                chars[p++] = ':';
                p = two(seconds % 60, p);
                chars[p++] = '.';
                int millis = millisOfDay % 1000;
                chars[p++] = (char) ('0' + millis / 100);
                chars[p++] = (char) ('0' + millis / 10 % 10);
                chars[p++] = (char) ('0' + millis % 10);
                chars[p++] = 'Z';
                return new String(chars, 0, p);
            }

            private int two(int n, int p) {
                chars[p] = (char) ('0' + n / 10);
                chars[p + 1] = (char) ('0' + n % 10);
                return p + 2;
            }
        }
    }
}
