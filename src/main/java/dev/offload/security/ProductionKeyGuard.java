package dev.offload.security;

import dev.offload.config.OffloadConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The prod profile refuses to serve the API without its own token verification key, or with the development one. */
@ApplicationScoped
public class ProductionKeyGuard {

    void check(@Observes StartupEvent event, OffloadConfig config,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey) {
        if (!ConfigUtils.getProfiles().contains("prod") || !config.role().servesApi()) {
            return;
        }
        if (location.isEmpty() && inlineKey.isEmpty()) {
            throw new IllegalStateException("no token verification key: set OFFLOAD_JWT_PUBLIC_KEY_LOCATION "
                    + "(mp.jwt.verify.publickey.location) to the public key that verifies your tokens");
        }
        if (location.filter(l -> l.endsWith(TokenCommand.DEV_PUBLIC_KEY)).isPresent()) {
            throw new IllegalStateException("the prod profile does not accept the development key " + TokenCommand.DEV_PUBLIC_KEY);
        }
    }
}
