package dev.offload.console;

/** The console's development sign-in: a user name and the groups its token should carry (comma-separated). */
public record DevSignInRequest(String user, String groups) {
}
