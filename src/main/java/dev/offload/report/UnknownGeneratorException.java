package dev.offload.report;

import java.util.List;

/** A {@code generator_type} no generator declares. */
public class UnknownGeneratorException extends RuntimeException {

    private final String type;
    private final List<String> known;

    public UnknownGeneratorException(String type, List<String> known) {
        super("unknown generator_type '" + type + "'; known types: " + String.join(", ", known));
        this.type = type;
        this.known = List.copyOf(known);
    }

    public String type() {
        return type;
    }

    public List<String> known() {
        return known;
    }
}
