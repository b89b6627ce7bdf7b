package dev.offload.db;

import dev.offload.ApplicationCommand;
import dev.offload.HelpOption;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code offload migrate}: brings the schema up to this build's and exits. Every process migrates at start too
 * (Flyway holds a PostgreSQL advisory lock while it does, so processes starting together wait for one another:
 * a test starts several on an empty database at once); this command lets a deployment migrate first, as the
 * compose file's one-shot {@code migrate} service does before the api and the workers start.
 */
@Command(name = MigrateCommand.NAME,
        description = {"Migrates the database schema to this build's version and exits (every process also does at start)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the schema is at this build's version", "1:the migration failed", "2:a usage error"})
@Dependent
@Unremovable // made at run time by dev.offload.Commands, which the build cannot see as a use
public class MigrateCommand implements ApplicationCommand {

    static final String NAME = "migrate";

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Inject
    Flyway flyway;

    @Override
    public Integer call() {
        flyway.migrate(); // a no-op after the migration at start; kept so the command says what it does
        MigrationInfo current = flyway.info().current();
        spec.commandLine().getOut().println(NAME + ": schema at version "
                + (current == null ? "none" : current.getVersion() + " (" + current.getDescription() + ")"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
