package dev.offload;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A command's duration option, written as a setting is: {@code 90s}, {@code 500ms}, {@code 15m}, {@code 1h}, {@code 7d} or ISO-8601. */
public class DurationOption implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration duration;
        try {
            duration = DurationConverter.parseDuration(value.trim());
        } catch (RuntimeException e) {
            duration = null;
        }
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is not a positive duration such as 90s, 500ms, 15m, 1h or 7d");
        }
        return duration;
    }
}
