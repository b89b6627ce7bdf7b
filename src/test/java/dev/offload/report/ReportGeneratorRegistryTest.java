package dev.offload.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.offload.web.Problem;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry on its own: one generator per type, unknown types named, options checked. */
class ReportGeneratorRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static class Alpha extends Named {
        Alpha() {
            super("alpha");
        }
    }

    static class AnotherAlpha extends Named {
        AnotherAlpha() {
            super("alpha");
        }
    }

    static class Beta extends Named {
        Beta() {
            super("beta");
        }

        @Override
        public List<ReportOption> options() {
            return List.of(ReportOption.dateTime("from", "start"),
                    ReportOption.choice("format", "what", "xlsx", "xlsx", "csv"));
        }
    }

    abstract static class Named implements ReportGenerator {
        private final String type;

        Named(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
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
        public void generate(ReportContext context, OutputStream output) {
        }
    }

    @Test
    void shouldRefuseTwoGeneratorsOfOneTypeNamingBothClasses() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> new ReportGeneratorRegistry(List.of(new Alpha(), new Beta(), new AnotherAlpha())));
        assertTrue(refused.getMessage().contains("'alpha'"), refused.getMessage());
        assertTrue(refused.getMessage().contains(Alpha.class.getName()), refused.getMessage());
        assertTrue(refused.getMessage().contains(AnotherAlpha.class.getName()), refused.getMessage());
    }

    @Test
    void shouldNameTheKnownTypesWhenAskedForAnUnknownOne() {
        ReportGeneratorRegistry registry = new ReportGeneratorRegistry(List.of(new Beta(), new Alpha()));
        UnknownGeneratorException unknown = assertThrows(UnknownGeneratorException.class, () -> registry.get("gamma"));
        assertEquals(List.of("alpha", "beta"), unknown.known());
    }

    @Test
    void shouldNameEveryInvalidOptionWithItsReason() throws Exception {
        ReportGeneratorRegistry registry = new ReportGeneratorRegistry(List.of(new Beta()));
        ObjectNode options = (ObjectNode) JSON.readTree("{\"from\": \"yesterday\", \"format\": \"pdf\", \"colour\": \"red\"}");
        InvalidOptionsException invalid = assertThrows(InvalidOptionsException.class,
                () -> registry.check(registry.get("beta"), options));
        assertEquals(List.of("generator_options.colour", "generator_options.format", "generator_options.from"),
                invalid.errors().stream().map(Problem.FieldError::field).sorted().toList());
    }

    @Test
    void shouldAcceptDeclaredOptionsOfTheRightShape() throws Exception {
        ReportGeneratorRegistry registry = new ReportGeneratorRegistry(List.of(new Beta()));
        ObjectNode options = (ObjectNode) JSON.readTree("{\"from\": \"2025-01-31\", \"format\": \"csv\"}");
        ReportOptions checked = registry.check(registry.get("beta"), options);
        assertEquals("2025-01-31T00:00Z", checked.dateTime("from").orElseThrow().toString());
    }
}
