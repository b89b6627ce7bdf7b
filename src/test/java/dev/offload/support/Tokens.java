package dev.offload.support;

import dev.offload.security.TokenCommand;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** Development tokens for test users; each test makes up its own users so tests need no order. */
public final class Tokens {

    private Tokens() {
    }

    public static String newUser() {
        return "user-" + UUID.randomUUID();
    }

    public static String user(String name) {
        return TokenCommand.sign(name, Set.of(), Duration.ofMinutes(10));
    }

    public static String admin(String name) {
        return TokenCommand.sign(name, Set.of("admin"), Duration.ofMinutes(10));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
