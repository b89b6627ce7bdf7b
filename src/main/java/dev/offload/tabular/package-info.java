/**
 * Tables written as files, for every kind that hands users a table: reports and exports alike.
 *
 * <p>A {@link dev.offload.tabular.Sheet} is a name, typed {@link dev.offload.tabular.Column}s and rows that
 * stream while the file is written; {@link dev.offload.tabular.XlsxWriter} makes a workbook of sheets and
 * {@link dev.offload.tabular.CsvWriter} one sheet as comma- or tab-separated text. Both keep memory flat
 * whatever the row count, write timestamps as UTC, and keep formula-like text as text
 * ({@link dev.offload.tabular.SpreadsheetText}), so a cell a user typed is never run by a spreadsheet.
 *
 * <p>The package knows nothing of jobs, workflows or kinds: a writer reports rows written and checks for
 * cancellation through a {@link dev.offload.tabular.Progress}, which a kind ties to its job. It imports no
 * other package of the service.
 */
package dev.offload.tabular;
