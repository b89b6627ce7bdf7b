package dev.offload.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.web.Problem;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every {@link ReportGenerator} bean by type: exactly one per type, checked at start-up so two generators
 * claiming one type stop the service with both class names. Checks submitted options before a row exists.
 */
@Startup
@ApplicationScoped
public class ReportGeneratorRegistry {

    private final Map<String, ReportGenerator> byType = new TreeMap<>();

    @Inject
    public ReportGeneratorRegistry(Instance<ReportGenerator> generators) {
        this((Iterable<ReportGenerator>) generators);
    }

    /** A registry of exactly these generators (for tests and tools). */
    public ReportGeneratorRegistry(Iterable<? extends ReportGenerator> generators) {
        for (Iterator<? extends ReportGenerator> it = generators.iterator(); it.hasNext();) {
            ReportGenerator generator = it.next();
            ReportGenerator previous = byType.putIfAbsent(generator.type(), generator);
            if (previous != null) {
                throw new IllegalStateException("report generator type '" + generator.type() + "' is declared by both "
                        + className(previous) + " and " + className(generator) + "; each type needs exactly one generator");
            }
        }
    }

    public Collection<ReportGenerator> all() {
        return byType.values();
    }

    public Optional<ReportGenerator> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The generator of {@code type}; {@link UnknownGeneratorException} names the known types. */
    public ReportGenerator get(String type) {
        return find(type).orElseThrow(() -> new UnknownGeneratorException(type, List.copyOf(byType.keySet())));
    }

    /**
     * Checks submitted options against what the generator declares, then with the generator's own check.
     * Throws {@link InvalidOptionsException} with every field at fault.
     */
    public ReportOptions check(ReportGenerator generator, ObjectNode options) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, ReportOption> declared = new TreeMap<>();
        generator.options().forEach(o -> declared.put(o.name(), o));
        for (Iterator<Map.Entry<String, JsonNode>> it = options.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            ReportOption option = declared.get(entry.getKey());
            JsonNode value = entry.getValue();
            if (option == null) {
                errors.add(new Problem.FieldError(field(entry.getKey()), "is not an option of " + generator.type()
                        + (declared.isEmpty() ? ", which takes none" : "; its options: " + String.join(", ", declared.keySet()))));
            } else if (value.isNull()) {
                continue;
            } else if (!value.isTextual()) {
                errors.add(new Problem.FieldError(field(option.name()), "must be a string"));
            } else if (option.type() == ReportOption.Type.CHOICE && !option.choices().contains(value.asText())) {
                errors.add(new Problem.FieldError(field(option.name()), "must be one of " + String.join(", ", option.choices())));
            } else if (option.type() == ReportOption.Type.DATE_TIME) {
                try {
                    ReportOptions.parseDateTime(value.asText());
                } catch (DateTimeParseException e) {
                    errors.add(new Problem.FieldError(field(option.name()),
                            "must be an ISO-8601 date (2025-01-31) or instant (2025-01-31T12:00:00Z)"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidOptionsException(errors);
        }
        ReportOptions checked = new ReportOptions(options);
        generator.validate(checked);
        return checked;
    }

    /** How an option is named in a problem: {@code generator_options.<name>}. */
    static String field(String option) {
        return "generator_options." + option;
    }

    private static String className(Object bean) {
        // CDI client proxies are subclasses named ..._ClientProxy; name the class the developer wrote.
        Class<?> type = bean.getClass();
        while (type.getName().contains("_ClientProxy") || type.getName().contains("_Subclass")) {
            type = type.getSuperclass();
        }
        return type.getName();
    }
}
