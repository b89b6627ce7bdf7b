package dev.offload.support;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL database and a RabbitMQ virtual host of a test class's own, created before its first test and
 * removed after its last, so the processes it starts share nothing with other tests or earlier runs:
 * {@code @RegisterExtension static final OwnServices SERVICES = new OwnServices("fault");}.
 */
public final class OwnServices implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private String database;
    private String vhost;

    /** {@code name}: a word for the names ({@code offload_<name>_…}, {@code offload-<name>-…}). */
    public OwnServices(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestServices.uniqueName("offload_" + name.replace('-', '_'));
        vhost = TestServices.uniqueName("offload-" + name.replace('_', '-'));
        TestServices.createDatabase(database);
        TestServices.createVirtualHost(vhost);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestServices.deleteVirtualHost(vhost);
        TestServices.dropDatabase(database);
    }

    public String database() {
        return database;
    }

    public String vhost() {
        return vhost;
    }

    /** The configuration of a service process in {@code role} on this database and virtual host. */
    public Map<String, String> config(String role) {
        return TestServices.serviceConfig(database, vhost, role);
    }
}
