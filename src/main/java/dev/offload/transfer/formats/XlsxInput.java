package dev.offload.transfer.formats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.openxml4j.util.ZipSecureFile;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;

/**
 * The first sheet of an xlsx workbook (or the one named), read as a stream: POI opens the package (its zip
 * reader checks every part's inflated size and ratio as it inflates: a bomb stops the reading), and the sheet
 * and shared strings are pulled with StAX from POI's hardened factory (no DTD, no entity is ever resolved).
 * Values are the cells' stored values, never formulas: a formula cell gives its cached result. No text is kept
 * longer than the cell limit, and the shared strings are held only up to a bound.
 */
public final class XlsxInput implements TableInput {

    /** Characters all shared strings together may hold in memory. */
    private static final long MAX_SHARED_CHARS = 32L * 1024 * 1024;

    private final Path file;
    private final OPCPackage pkg;
    private final XMLStreamReader sheet;
    private final InputStream sheetStream;
    private final List<String> shared;
    private final StylesTable styles;
    private final int maxCell;
    private List<String> header;

    public XlsxInput(InputStream in, String sheetName, long maxInflated, double maxRatio, int maxCell) throws IOException {
        this.maxCell = maxCell;
        // The package is read from a file: POI reads a stream whole into memory.
        file = Files.createTempFile("offload-import", ".xlsx");
        try {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            ZipSecureFile.setMinInflateRatio(1.0 / maxRatio);
            ZipSecureFile.setMaxEntrySize(maxInflated);
            try {
                pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
            } catch (OpenXML4JException | RuntimeException e) {
                throw new IOException("the file is not an xlsx workbook: " + reason(e), e);
            }
            XSSFReader reader = new XSSFReader(pkg);
            styles = reader.getStylesTable();
            shared = sharedStrings(reader);
            XSSFReader.SheetIterator sheets = reader.getSheetIterator();
            InputStream chosen = null;
            List<String> names = new ArrayList<>();
            while (sheets.hasNext()) {
                InputStream data = sheets.next();
                names.add(sheets.getSheetName());
                if (chosen == null && (sheetName == null || sheetName.equals(sheets.getSheetName()))) {
                    chosen = data;
                } else {
                    data.close();
                }
            }
            if (chosen == null) {
                throw sheetName == null ? new IOException("the workbook has no sheet")
                        : new InputProblem("sheet", "names no sheet of the workbook (" + String.join(", ", names) + ")");
            }
            sheetStream = chosen;
            sheet = factory().createXMLStreamReader(chosen);
        } catch (IOException e) {
            close();
            throw e;
        } catch (OpenXML4JException | XMLStreamException | RuntimeException e) {
            close();
            throw new IOException("the file is not an xlsx workbook: " + reason(e), e);
        }
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLHelper.newXMLInputFactory();
        factory.setProperty(XMLInputFactory.IS_COALESCING, false); // text in pieces, never a huge one at once
        return factory;
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private List<String> sharedStrings(XSSFReader reader) throws IOException, OpenXML4JException, XMLStreamException {
        List<String> strings = new ArrayList<>();
        InputStream data;
        try {
            data = reader.getSharedStringsData();
        } catch (IOException | RuntimeException | OpenXML4JException e) {
            return strings; // a workbook without shared strings
        }
        if (data == null) {
            return strings;
        }
        long total = 0;
        try (data) {
            XMLStreamReader xml = factory().createXMLStreamReader(data);
            StringBuilder text = null;
            boolean inT = false;
            int phonetic = 0;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "si" -> text = new StringBuilder();
                        case "t" -> inT = phonetic == 0;
                        case "rPh" -> phonetic++;
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "si" -> {
                            strings.add(text.toString());
                            text = null;
                        }
                        case "t" -> inT = false;
                        case "rPh" -> phonetic--;
                        default -> {
                        }
                    }
                } else if (inT && text != null && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE)) {
                    text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    total += xml.getTextLength();
                    if (text.length() > maxCell) {
                        throw new IOException("a shared string is longer than the cell limit of " + maxCell + " characters");
                    }
                    if (total > MAX_SHARED_CHARS) {
                        throw new IOException("the shared strings hold more than " + MAX_SHARED_CHARS + " characters");
                    }
                }
            }
        }
        return strings;
    }

    @Override
    public List<String> header() throws IOException {
        if (header == null) {
            header = TableInput.names(row(), "the sheet is empty: no header");
        }
        return header;
    }

    @Override
    public Object[] next() throws IOException, RowProblem {
        header();
        while (true) {
            Object[] row = row();
            if (row == null) {
                return null;
            }
            if (Arrays.stream(row).allMatch(v -> v == null)) {
                continue; // a blank row of a sheet is no row
            }
            if (row.length > header.size()) {
                throw new RowProblem(null, "has cells beyond the header's " + header.size() + " columns",
                        Arrays.copyOf(row, header.size()));
            }
            return row.length == header.size() ? row : Arrays.copyOf(row, header.size());
        }
    }

    /** The next row of the sheet as its cells' values (by column), or null after the last. */
    private Object[] row() throws IOException {
        try {
            List<Object> cells = null;
            String type = null;
            int style = -1;
            int column = -1;
            StringBuilder text = new StringBuilder();
            boolean collecting = false;
            boolean inInline = false;
            while (sheet.hasNext()) {
                int event = sheet.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = sheet.getLocalName();
                    switch (name) {
                        case "row" -> cells = new ArrayList<>();
                        case "c" -> {
                            type = sheet.getAttributeValue(null, "t");
                            String s = sheet.getAttributeValue(null, "s");
                            style = s == null ? -1 : Integer.parseInt(s);
                            String ref = sheet.getAttributeValue(null, "r");
                            column = ref == null ? (cells == null ? 0 : cells.size()) : columnOf(ref);
                            text.setLength(0);
                        }
                        case "v" -> collecting = true;
                        case "is" -> inInline = true;
                        case "t" -> collecting = inInline;
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = sheet.getLocalName();
                    switch (name) {
                        case "v", "t" -> collecting = false;
                        case "is" -> inInline = false;
                        case "c" -> {
                            if (cells != null && column >= 0) {
                                if (column > 16_384) {
                                    throw new IOException("a cell beyond the sheet's last column");
                                }
                                while (cells.size() <= column) {
                                    cells.add(null);
                                }
                                cells.set(column, value(type, style, text.toString()));
                            }
                        }
                        case "row" -> {
                            return cells == null ? new Object[0] : cells.toArray();
                        }
                        default -> {
                        }
                    }
                } else if (collecting && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE)) {
                    if (text.length() + sheet.getTextLength() > maxCell) {
                        throw new IOException("a cell is longer than the limit of " + maxCell + " characters");
                    }
                    text.append(sheet.getTextCharacters(), sheet.getTextStart(), sheet.getTextLength());
                }
            }
            return null;
        } catch (XMLStreamException | RuntimeException e) {
            throw new IOException("the sheet cannot be read: " + reason(e), e);
        }
    }

    private Object value(String type, int style, String text) throws IOException {
        if (type == null || type.equals("n")) {
            if (text.isEmpty()) {
                return null;
            }
            if (style >= 0 && isDate(style)) {
                double serial = Double.parseDouble(text);
                return new Cell.Moment(DateUtil.getLocalDateTime(serial, false, false));
            }
            return new Cell.Number(text);
        }
        return switch (type) {
            case "s" -> {
                int index = Integer.parseInt(text.strip());
                if (index < 0 || index >= shared.size()) {
                    throw new IOException("a cell names shared string " + index + ", which the workbook does not have");
                }
                yield shared.get(index);
            }
            case "b" -> "1".equals(text.strip()) ? Boolean.TRUE : Boolean.FALSE;
            case "inlineStr", "str", "e" -> text;
            case "d" -> text.isEmpty() ? null : text; // an ISO date cell
            default -> text;
        };
    }

    private boolean isDate(int style) {
        if (styles == null || style >= styles.getNumCellStyles()) {
            return false;
        }
        var cellStyle = styles.getStyleAt(style);
        return cellStyle != null && DateUtil.isADateFormat(cellStyle.getDataFormat(), cellStyle.getDataFormatString());
    }

    private static int columnOf(String ref) {
        int column = 0;
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c < 'A' || c > 'Z') {
                break;
            }
            column = column * 26 + (c - 'A' + 1);
        }
        return column - 1;
    }

    @Override
    public void close() throws IOException {
        try {
            if (sheet != null) {
                sheet.close();
            }
        } catch (XMLStreamException ignored) {
            // closing anyway
        } finally {
            if (sheetStream != null) {
                sheetStream.close();
            }
            if (pkg != null) {
                pkg.revert();
            }
            Files.deleteIfExists(file);
        }
    }
}
