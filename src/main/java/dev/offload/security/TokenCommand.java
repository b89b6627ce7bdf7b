package dev.offload.security;

import dev.offload.DurationOption;
import dev.offload.HelpOption;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code offload token <user> [--groups g1,g2] [--ttl 1h]}: prints a bearer token signed with the development
 * key, which the dev and test profiles accept. Production verifies with its own key and refuses this one.
 * Signing needs only the key: it runs without the application (no database, no broker, no port).
 */
@Command(name = "token", description = {"Prints a bearer token signed with the development key.",
        "A bin/run instance (dev profile) and the tests accept it; the prod profile refuses it."})
public class TokenCommand implements Callable<Integer> {

    public static final String DEV_ISSUER = "offload-dev";
    static final String DEV_PUBLIC_KEY = "dev/publicKey.pem";
    private static final String DEV_PRIVATE_KEY = "dev/privateKey.pem";

    @Parameters(paramLabel = "<user>", description = "The token's subject: the owner of what it submits.")
    String user;

    @Option(names = "--groups", paramLabel = "GROUP", split = ",",
            description = "Its groups, comma-separated: admin sees and acts on everyone's jobs.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationOption.class,
            description = "How long it is valid: 90s, 15m, 1h, 7d or ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (user.isBlank()) {
            throw new ParameterException(spec.commandLine(), "The user name is blank");
        }
        Set<String> named = new LinkedHashSet<>();
        groups.stream().map(String::trim).filter(g -> !g.isEmpty()).forEach(named::add);
        spec.commandLine().getOut().println(sign(user, named, ttl));
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

    private static PrivateKey devKey() {
        try (InputStream in = TokenCommand.class.getClassLoader().getResourceAsStream(DEV_PRIVATE_KEY)) {
            if (in == null) {
                throw new IllegalStateException("the development key " + DEV_PRIVATE_KEY + " is not on the class path");
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the development key", e);
        }
    }
}
