package dev.offload.transfer;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * An import's own row ({@code transfer_import_job}): the file, the resource, the options, and what the parse and
 * the import counted. {@code committed} is set in the transaction that writes the rows; {@code parsedAt} and
 * {@code importedAt} by the workflow's hooks, in the transition that ends the parse or the import.
 */
public record ImportRow(String resource, String format, UUID fileId, String filename, String delimiter, String sheet,
        boolean forceImport, boolean skipUnchanged, boolean skipParseStep, List<String> header, Long rowsTotal,
        Long rowsNew, Long rowsUpdate, Long rowsSkip, Long rowsError, String problem, boolean committed,
        OffsetDateTime parsedAt, OffsetDateTime importedAt) {

    ImportRow with(ImportRun.Outcome outcome, boolean committed) {
        return new ImportRow(resource, format, fileId, filename, delimiter, sheet, forceImport, skipUnchanged,
                skipParseStep, outcome.header(), outcome.total(), outcome.created(), outcome.updated(),
                outcome.skipped(), outcome.errors(), outcome.problem(), committed, parsedAt, importedAt);
    }
}
