package dev.offload.report;

import dev.offload.web.Problem;
import java.util.List;

/** Submitted generator options a generator refuses: each with the field and the reason. */
public class InvalidOptionsException extends RuntimeException {

    private final List<Problem.FieldError> errors;

    public InvalidOptionsException(List<Problem.FieldError> errors) {
        super("invalid generator options");
        this.errors = List.copyOf(errors);
    }

    /** One invalid option, named as the client sent it ({@code from}); reported as {@code generator_options.from}. */
    public static InvalidOptionsException of(String option, String reason) {
        return new InvalidOptionsException(List.of(new Problem.FieldError(ReportGeneratorRegistry.field(option), reason)));
    }

    /** A field of the request itself (not one of the options) at fault. */
    public static InvalidOptionsException ofRequest(String field, String reason) {
        return new InvalidOptionsException(List.of(new Problem.FieldError(field, reason)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
