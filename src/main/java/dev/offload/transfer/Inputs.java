package dev.offload.transfer;

import dev.offload.transfer.formats.CsvInput;
import dev.offload.transfer.formats.JsonInput;
import dev.offload.transfer.formats.TableInput;
import dev.offload.transfer.formats.XlsxInput;
import java.io.IOException;
import java.io.InputStream;

/** The reader of a format, with the import's options and the limits. */
final class Inputs {

    private Inputs() {
    }

    static TableInput open(TransferFormat format, InputStream in, TransferResource resource, ImportRow row,
            TransferConfig.Transfer limits) throws IOException {
        return switch (format) {
            case CSV -> new CsvInput(in, row.delimiter() == null ? ',' : row.delimiter().charAt(0), limits.maxCellLength());
            case TSV -> new CsvInput(in, '\t', limits.maxCellLength());
            case JSON -> new JsonInput(in, resource.columns().stream().map(ResourceColumn::header).toList(),
                    limits.maxJsonDepth(), limits.maxCellLength());
            case XLSX -> new XlsxInput(in, row.sheet(), limits.maxXlsxInflated().asLongValue(), limits.maxXlsxRatio(),
                    limits.maxCellLength());
        };
    }
}
