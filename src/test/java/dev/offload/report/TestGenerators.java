package dev.offload.report;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Generators that exist only in the tests, registered beside the built-in ones under types of their own:
 * one that fails half-way, one that runs until cancelled (or for a minute), one that waits to be cancelled.
 */
public final class TestGenerators {

    public static final String FAILING = "test-failing";
    public static final String SLOW = "test-slow";
    public static final String WAITING = "test-waiting";
    public static final String FAILURE_MESSAGE = "the test generator failed on purpose";

    private TestGenerators() {
    }

    /** Writes a little, then throws. */
    @ApplicationScoped
    public static class Failing implements ReportGenerator {
        @Override
        public String type() {
            return FAILING;
        }

        @Override
        public String extension() {
            return "txt";
        }

        @Override
        public String contentType() {
            return "text/plain";
        }

        @Override
        public void generate(ReportContext context, OutputStream output) throws Exception {
            output.write("half a report".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException(FAILURE_MESSAGE);
        }
    }

    /** Writes a line every 20 ms for up to a minute, and stops as soon as it is cancelled. */
    @ApplicationScoped
    public static class Slow implements ReportGenerator {
        static final int STEPS = 3000;
        private static final java.time.Duration STEP = java.time.Duration.ofMillis(20);

        @Override
        public String type() {
            return SLOW;
        }

        @Override
        public String extension() {
            return "txt";
        }

        @Override
        public String contentType() {
            return "text/plain";
        }

        @Override
        public void generate(ReportContext context, OutputStream output) throws Exception {
            for (int step = 1; step <= STEPS; step++) {
                context.checkCancelled();
                output.write(("line " + step + "\n").getBytes(StandardCharsets.UTF_8));
                output.flush();
                context.progress(step, STEPS);
                context.awaitCancelled(STEP); // the work being simulated, which a cancel ends at once
            }
        }
    }

    /** Writes a line, then waits up to five minutes for a cancel, as work waiting on something outside would. */
    @ApplicationScoped
    public static class Waiting implements ReportGenerator {
        @Override
        public String type() {
            return WAITING;
        }

        @Override
        public String extension() {
            return "txt";
        }

        @Override
        public String contentType() {
            return "text/plain";
        }

        @Override
        public void generate(ReportContext context, OutputStream output) throws Exception {
            output.write("waiting\n".getBytes(StandardCharsets.UTF_8));
            context.progress(1, 2);
            context.awaitCancelled(java.time.Duration.ofMinutes(5));
            context.checkCancelled();
            context.progress(2, 2);
        }
    }
}
