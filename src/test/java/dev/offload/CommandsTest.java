package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The jar's command line before anything starts: help, usage errors and the token. None of these
 * runs the application, so none needs the database or the broker.
 */
class CommandsTest {

    /** What a run printed and its exit status. */
    record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Commands.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void shouldListTheCommandsForHelpAndForTheHelpOption() {
        for (String help : new String[] {"help", "--help", "-h"}) {
            Run run = run(help);
            assertEquals(0, run.status(), run.toString());
            assertTrue(run.out().startsWith("Usage: offload [-h] COMMAND"), run.out());
            for (String command : new String[] {"token", "gather-stats", "cleanup", "help"}) {
                assertTrue(run.out().contains("\n  " + command + " "), command + " in " + run.out());
            }
            assertEquals("", run.err());
        }
    }

    @Test
    void shouldPrintOnlyTheCommandsUsageForItsHelpOption() {
        Run cleanup = run("cleanup", "--help");
        assertEquals(0, cleanup.status(), cleanup.toString());
        assertTrue(cleanup.out().startsWith("Usage: offload cleanup [-h]"), cleanup.out());
        assertTrue(cleanup.out().contains("Exit status:"), cleanup.out());

        Run gather = run("help", "gather-stats");
        assertEquals(0, gather.status(), gather.toString());
        assertTrue(gather.out().startsWith("Usage: offload gather-stats"), gather.out());
        for (String option : new String[] {"--endpoint=URL", "--header=HEADER", "--timeout=DURATION", "--at=TIME"}) {
            assertTrue(gather.out().contains(option), option + " in " + gather.out());
        }

        Run token = run("token", "-h");
        assertEquals(0, token.status(), token.toString());
        assertTrue(token.out().startsWith("Usage: offload token"), token.out());
    }

    @Test
    void shouldExitWithTwoAndSayWhatIsWrongForAUsageError() {
        Run unknownOption = run("cleanup", "--everything");
        assertEquals(2, unknownOption.status(), unknownOption.toString());
        assertTrue(unknownOption.err().startsWith("Unknown option: '--everything'\nUsage: offload cleanup"),
                unknownOption.err());
        assertEquals("", unknownOption.out());

        Run badValue = run("gather-stats", "--timeout", "soon");
        assertEquals(2, badValue.status(), badValue.toString());
        assertTrue(badValue.err().startsWith("Invalid value for option '--timeout': 'soon' is not a positive duration"),
                badValue.err());

        assertEquals(2, run("gather-stats", "--timeout", "0s").status());
        assertEquals(2, run("gather-stats", "--at", "yesterday").status());
        assertEquals(2, run("gather-stats", "--endpoint").status());
        assertEquals(2, run("gather-stats", "http://localhost/").status(), "an endpoint is an option's value");
        assertEquals(2, run("token").status(), "a token needs a user");
        assertEquals(2, run("token", "alice", "--ttl", "forever").status());
        assertEquals(2, run("frobnicate").status());
    }

    @Test
    void shouldPrintADevelopmentTokenWithoutTheApplication() {
        Run run = run("token", "alice", "--groups", "admin, ops", "--ttl", "15m");
        assertEquals(0, run.status(), run.toString());
        assertEquals(3, run.out().trim().split("\\.").length, "a JWS has three parts: " + run.out());
        String claims = new String(java.util.Base64.getUrlDecoder().decode(run.out().trim().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"sub\":\"alice\""), claims);
        assertTrue(claims.contains("\"groups\":[\"admin\",\"ops\"]"), claims);
    }
}
