package dev.offload.report;

import java.io.OutputStream;
import java.util.List;

/**
 * Produces one type of report. A generator is a CDI bean; the registry holds exactly one per {@link #type()}.
 * {@link #generate} runs on a worker thread, writes into storage through {@code output} (never the whole
 * result in memory), reports progress and checks for cancellation between chunks of work.
 */
public interface ReportGenerator {

    /** The name clients submit as {@code generator_type}. */
    String type();

    /** One line for the generator list. */
    default String description() {
        return "";
    }

    /** The start of the download's file name: {@code <prefix>-<yyyyMMdd-HHmmss>.<extension>}. */
    default String filenamePrefix() {
        return "report";
    }

    /** The file extension of what this generator writes (without the dot). */
    String extension();

    String contentType();

    /** The options this generator takes; anything else is refused at submit. */
    default List<ReportOption> options() {
        return List.of();
    }

    /** Only admins may submit this report. */
    default boolean adminOnly() {
        return false;
    }

    /**
     * Checks options beyond what {@link #options()} declares (the registry checked names and types already);
     * throws {@link InvalidOptionsException}, which answers 400 at submit.
     */
    default void validate(ReportOptions options) {
    }

    /** What these options make this generator write: generators that write several formats override it. */
    default ReportOutput output(ReportOptions options) {
        return new ReportOutput(extension(), contentType());
    }

    /** Writes the report into {@code output}; throws to end the report in {@code error}. */
    void generate(ReportContext context, OutputStream output) throws Exception;
}
