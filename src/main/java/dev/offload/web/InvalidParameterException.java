package dev.offload.web;

/** A query or path parameter the API refuses: 400 naming it. */
public class InvalidParameterException extends RuntimeException {

    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(parameter + " " + message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }

    public String reason() {
        return getMessage().substring(parameter.length() + 1);
    }
}
