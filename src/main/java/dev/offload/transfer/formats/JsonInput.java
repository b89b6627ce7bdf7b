package dev.offload.transfer.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JSON array of objects, read with Jackson's streaming parser, one object at a time. Keys match the headers
 * as headers do (case-insensitive, trimmed); an omitted key is NULL, an unknown key refuses the file, a
 * duplicated key refuses the row. Values keep their JSON type (a string, a number as written, a boolean).
 */
public final class JsonInput implements TableInput {

    private static final ObjectMapper TREES = new ObjectMapper();

    private final JsonParser parser;
    private final List<String> header;
    private final Map<String, Integer> positions = new HashMap<>();
    private boolean started;

    /**
     * @param header the resource's headers: what the objects' keys may be
     */
    public JsonInput(InputStream in, List<String> header, int maxDepth, int maxCell) throws IOException {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth).maxStringLength(maxCell).maxNumberLength(1000).build()).build();
        factory.setCodec(TREES);
        this.parser = factory.createParser(new StrictUtf8Reader(in));
        this.header = List.copyOf(header);
        for (int i = 0; i < header.size(); i++) {
            positions.put(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Object[] next() throws IOException, RowProblem {
        try {
            if (!started) {
                started = true;
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException("the file is not a JSON array of objects");
                }
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                if (parser.nextToken() != null) {
                    throw new IOException("the file has more after its array, at " + where());
                }
                return null;
            }
            if (token == null) {
                throw new IOException("the file ends inside its array");
            }
            if (token != JsonToken.START_OBJECT) {
                throw new IOException("an element of the array is not an object, at " + where());
            }
            Object[] values = new Object[header.size()];
            boolean[] seen = new boolean[header.size()];
            String duplicate = null;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                Integer at = positions.get(key.strip().toLowerCase(Locale.ROOT));
                if (at == null) {
                    throw new InputProblem(key, "is not a column of the resource (key \"" + key + "\" at " + where() + ")");
                }
                parser.nextToken();
                Object value = value();
                if (seen[at] && duplicate == null) {
                    duplicate = key;
                }
                seen[at] = true;
                values[at] = value;
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IOException("the file ends inside an object");
            }
            if (duplicate != null) {
                throw new RowProblem(duplicate, "is given twice in the object", values);
            }
            return values;
        } catch (InputProblem | RowProblem e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new IOException("the file is not valid JSON: " + e.getOriginalMessage() + " at " + where(), e);
        }
    }

    private Object value() throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Cell.Number(parser.getText());
            case START_OBJECT, START_ARRAY -> new Cell.Tree(TREES.writeValueAsString(parser.readValueAsTree()));
            default -> throw new IOException("unexpected " + token + " at " + where());
        };
    }

    private String where() {
        var location = parser.currentLocation();
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
