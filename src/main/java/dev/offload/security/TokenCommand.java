package dev.offload.security;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code token <user> [--groups g1,g2] [--ttl 1h]}: prints a bearer token signed with the development key,
 * which the dev and test profiles accept. Production verifies with its own key and refuses this one.
 */
public final class TokenCommand {

    public static final String DEV_ISSUER = "offload-dev";
    public static final String DEV_PRIVATE_KEY = "dev/privateKey.pem";
    public static final String DEV_PUBLIC_KEY = "dev/publicKey.pem";

    private TokenCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String user = null;
        Set<String> groups = new LinkedHashSet<>();
        Duration ttl = Duration.ofHours(1);
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--groups" -> groups.addAll(Arrays.stream(args[++i].split(",")).map(String::trim)
                            .filter(g -> !g.isEmpty()).toList());
                    case "--ttl" -> ttl = parseDuration(args[++i]);
                    default -> {
                        if (args[i].startsWith("--") || user != null) {
                            throw new IllegalArgumentException("unexpected argument: " + args[i]);
                        }
                        user = args[i];
                    }
                }
            }
            if (user == null || user.isBlank()) {
                throw new IllegalArgumentException("a user name is required");
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            err.println("token: " + (e instanceof ArrayIndexOutOfBoundsException ? "an option lacks its value" : e.getMessage()));
            err.println("usage: offload token <user> [--groups g1,g2] [--ttl 1h]");
            return 2;
        }
        out.println(sign(user, groups, ttl));
        return 0;
    }

    /** A development token for {@code user}; tests use it too. */
    public static String sign(String user, Set<String> groups, Duration ttl) {
        return Jwt.issuer(DEV_ISSUER)
                .subject(user)
                .upn(user)
                .groups(groups)
                .expiresIn(ttl)
                .jws().keyId("offload-dev")
                .sign(devKey());
    }

    static PrivateKey devKey() {
        try (InputStream in = TokenCommand.class.getClassLoader().getResourceAsStream(DEV_PRIVATE_KEY)) {
            if (in == null) {
                throw new IllegalStateException("the development key " + DEV_PRIVATE_KEY + " is not on the class path");
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development key", e);
        }
    }

    /** "90s", "15m", "1h", "7d", or an ISO-8601 duration. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase();
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase());
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("bad duration " + text);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--ttl takes a duration such as 90s, 15m, 1h or 7d, not '" + text + "'");
        }
    }
}
