package dev.offload.stats;

/**
 * An endpoint's answer cannot be stored as statistics (not JSON, an error page, too large, too deep,
 * ...): the message says why, in a form fit for the command's one line per endpoint.
 */
public class StatsInputException extends RuntimeException {

    public StatsInputException(String message) {
        super(message, null, false, false);
    }
}
