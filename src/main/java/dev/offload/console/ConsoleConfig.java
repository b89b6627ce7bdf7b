package dev.offload.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The web console's settings ({@code OFFLOAD_CONSOLE_DEV_SIGN_IN}, ...). */
@ConfigMapping(prefix = "offload.console")
public interface ConsoleConfig {

    /**
     * Whether the console's sign-in page may mint a development token for a typed user name. On in the dev and
     * test profiles only: such tokens are signed with the development key, which the prod profile refuses anyway.
     */
    @WithDefault("false")
    boolean devSignIn();

    /** How long a token minted by the development sign-in lasts. */
    @WithDefault("8h")
    Duration devTokenTtl();
}
