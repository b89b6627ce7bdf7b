package dev.offload.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.support.ServiceProcess;
import dev.offload.support.TestServices;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged jar in its default (prod) profile: no development key, no start without a real one. */
class ProductionProfileIT {

    private static String database;

    @org.junit.jupiter.api.BeforeAll
    static void database() {
        database = TestServices.uniqueName("offload_prod");
        TestServices.createDatabase(database);
    }

    @org.junit.jupiter.api.AfterAll
    static void dropDatabase() {
        TestServices.dropDatabase(database);
    }

    /** The prod profile as deployed, on this test's own database. */
    private static Map<String, String> prod() {
        return Map.of("quarkus.http.port", "0",
                "quarkus.datasource.jdbc.url", TestServices.jdbcUrl(database),
                "quarkus.datasource.reactive.url", TestServices.reactiveUrl(database));
    }

    @Test
    void shouldRefuseToStartWithoutATokenVerificationKey() throws Exception {
        ServiceProcess.Exit exit = ServiceProcess.runToExit(prod(), Map.of());
        assertNotEquals(0, exit.status(), exit.output());
        assertTrue(exit.output().contains("mp.jwt.verify.publickey.location"), exit.output());
    }

    @Test
    void shouldRefuseTheDevelopmentKey() throws Exception {
        ServiceProcess.Exit exit = ServiceProcess.runToExit(prod(),
                Map.of("OFFLOAD_JWT_PUBLIC_KEY_LOCATION", "dev/publicKey.pem"));
        assertNotEquals(0, exit.status(), exit.output());
        assertTrue(exit.output().contains("does not accept the development key"), exit.output());
    }

    @Test
    void shouldPrintATokenWithoutStartingTheService() throws Exception {
        ServiceProcess.Exit exit = ServiceProcess.runToExit(Map.of(), Map.of(), "token", "alice", "--groups", "admin");
        assertEquals(0, exit.status(), exit.output());
        assertEquals(3, exit.output().trim().split("\\.").length, "a JWS has three parts: " + exit.output());
    }

    @Test
    void shouldExplainAMissingTokenUser() throws Exception {
        ServiceProcess.Exit exit = ServiceProcess.runToExit(Map.of(), Map.of(), "token");
        assertEquals(2, exit.status());
        assertTrue(exit.output().startsWith("Missing required parameter: '<user>'\nUsage: offload token"), exit.output());
    }
}
