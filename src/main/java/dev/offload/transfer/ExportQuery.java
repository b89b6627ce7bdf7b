package dev.offload.transfer;

import dev.offload.transfer.formats.Cell;
import dev.offload.web.InvalidParameterException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rows an export reads: its columns, filter and order, checked against the resource (an unknown column or a
 * value of the wrong type is an {@link InvalidParameterException} naming it) and turned into SQL. Filter values
 * go through the input rules ({@link Values}) and into the statement as literals of the column's type (a
 * {@code COPY} takes no parameters).
 *
 * <p>Filter: {@code {"col": value}} (equal; null: IS NULL) or {@code {"col": {"gte": v, "lt": v, "in": [..],
 * "like": "a%"}}} (also {@code gt}, {@code lte}, {@code eq}, {@code ne}).
 */
final class ExportQuery {

    private static final Set<String> OPERATORS = Set.of("eq", "ne", "gt", "gte", "lt", "lte", "in", "like");

    final List<ResourceColumn> columns;
    final String where;
    final String orderBy;

    private ExportQuery(List<ResourceColumn> columns, String where, String orderBy) {
        this.columns = columns;
        this.where = where;
        this.orderBy = orderBy;
    }

    static ExportQuery of(TransferResource resource, List<String> columns, Map<String, Object> filter,
            List<String> orderBy) {
        List<ResourceColumn> chosen = new ArrayList<>();
        if (columns == null || columns.isEmpty()) {
            chosen.addAll(resource.columns());
        } else {
            for (int i = 0; i < columns.size(); i++) {
                String name = columns.get(i);
                ResourceColumn column = column(resource, name, "columns[" + i + "]");
                if (chosen.contains(column)) {
                    throw new InvalidParameterException("columns[" + i + "]", "names " + name + " twice");
                }
                chosen.add(column);
            }
        }
        List<String> conditions = new ArrayList<>();
        if (filter != null) {
            for (var entry : filter.entrySet()) {
                String field = "filter." + entry.getKey();
                ResourceColumn column = column(resource, entry.getKey(), field);
                Object value = entry.getValue();
                if (value instanceof Map<?, ?> ops) {
                    if (ops.isEmpty()) {
                        throw new InvalidParameterException(field, "has no operator (" + String.join(", ", OPERATORS) + ")");
                    }
                    for (var op : ops.entrySet()) {
                        String name = String.valueOf(op.getKey());
                        conditions.add(condition(resource, column, name, op.getValue(), field + "." + name));
                    }
                } else {
                    conditions.add(condition(resource, column, "eq", value, field));
                }
            }
        }
        List<String> order = new ArrayList<>();
        if (orderBy != null) {
            for (int i = 0; i < orderBy.size(); i++) {
                String spec = orderBy.get(i) == null ? "" : orderBy.get(i);
                boolean descending = spec.startsWith("-");
                ResourceColumn column = column(resource, descending ? spec.substring(1) : spec, "order_by[" + i + "]");
                order.add(column.sql() + (descending ? " DESC" : " ASC"));
            }
        }
        for (String key : resource.key()) {
            String sql = ResourceColumn.quote(key);
            if (order.stream().noneMatch(o -> o.startsWith(sql + " "))) {
                order.add(sql + " ASC"); // a stable order: the same export twice gives the same file
            }
        }
        return new ExportQuery(List.copyOf(chosen), conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions),
                order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
    }

    private static ResourceColumn column(TransferResource resource, String name, String field) {
        return resource.column(name).orElseThrow(() -> new InvalidParameterException(field, "is not a column of "
                + resource.name() + " (" + resource.columns().stream().map(ResourceColumn::name)
                .collect(Collectors.joining(", ")) + ")"));
    }

    private static String condition(TransferResource resource, ResourceColumn column, String op, Object value,
            String field) {
        String c = column.sql();
        switch (op) {
            case "eq", "ne" -> {
                if (value == null) {
                    return c + (op.equals("eq") ? " IS NULL" : " IS NOT NULL");
                }
                return c + (op.equals("eq") ? " = " : " <> ") + literal(resource, column, value, field);
            }
            case "gt", "gte", "lt", "lte" -> {
                String sign = switch (op) {
                    case "gt" -> " > ";
                    case "gte" -> " >= ";
                    case "lt" -> " < ";
                    default -> " <= ";
                };
                return c + sign + literal(resource, column, value, field);
            }
            case "in" -> {
                if (!(value instanceof Collection<?> values) || values.isEmpty()) {
                    throw new InvalidParameterException(field, "must be a non-empty array");
                }
                List<String> literals = new ArrayList<>();
                int i = 0;
                for (Object v : values) {
                    literals.add(literal(resource, column, v, field + "[" + i++ + "]"));
                }
                return c + " IN (" + String.join(", ", literals) + ")";
            }
            case "like" -> {
                if (column.type() != ColumnType.TEXT) {
                    throw new InvalidParameterException(field, "applies to text columns only; " + column.name()
                            + " is " + column.sqlType());
                }
                if (!(value instanceof String)) {
                    throw new InvalidParameterException(field, "must be a string");
                }
                return c + " LIKE " + literal(resource, column, value, field);
            }
            default -> throw new InvalidParameterException(field, "is not an operator (" + String.join(", ",
                    OPERATORS.stream().sorted().toList()) + ")");
        }
    }

    /** A filter value as a literal of the column's type, checked by the input rules. */
    private static String literal(TransferResource resource, ResourceColumn column, Object value, String field) {
        if (value == null || value instanceof Map<?, ?> || value instanceof Collection<?>) {
            throw new InvalidParameterException(field, "must be a single value of type " + column.type().value());
        }
        Object cell = value instanceof Number n ? new Cell.Number(n.toString()) : value;
        ResourceColumn lenient = new ResourceColumn(column.name(), column.header(), column.sqlType(), column.type(),
                false, false, 0, 0, 0, false, false, false);
        String text;
        try {
            text = Values.convert(lenient, cell, resource.zone().or(() -> Optional.empty()));
        } catch (Values.Refused r) {
            throw new InvalidParameterException(field, r.getMessage() + " (" + column.name() + " is "
                    + column.sqlType() + ")");
        }
        // The base type: a cast to varchar(n) or numeric(p,s) would cut or round the value.
        String type = switch (column.type()) {
            case TEXT -> "text";
            case NUMERIC -> "numeric";
            default -> column.sqlType();
        };
        return "'" + text.replace("'", "''") + "'::" + type;
    }
}
