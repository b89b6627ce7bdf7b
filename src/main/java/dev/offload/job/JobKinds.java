package dev.offload.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Every {@link JobKind} bean by name: what the engine derives queues, consumers and routes from. */
@ApplicationScoped
public class JobKinds implements dev.offload.workflow.WorkflowSource {

    /** A kind's name is a queue's routing key, a settings key and a path segment. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Map<String, JobKind<?>> byName = new TreeMap<>();

    public JobKinds(Instance<JobKind<?>> kinds) {
        for (JobKind<?> kind : kinds) {
            if (!NAME.matcher(kind.name()).matches()) {
                throw new IllegalStateException("job kind name " + kind.name() + " must match " + NAME);
            }
            if (!TABLE.matcher(kind.table()).matches()) {
                throw new IllegalStateException("job kind " + kind.name() + ": table " + kind.table() + " must match " + TABLE);
            }
            if (!kind.rowType().isRecord()) {
                throw new IllegalStateException("job kind " + kind.name() + ": its row type must be a record");
            }
            JobKind<?> previous = byName.putIfAbsent(kind.name(), kind);
            if (previous != null) {
                throw new IllegalStateException("job kind " + kind.name() + " is declared by both "
                        + previous.getClass().getName() + " and " + kind.getClass().getName());
            }
            if (!kind.workflow().name().equals(kind.name())) {
                throw new IllegalStateException("job kind " + kind.name() + " must use the workflow of the same name");
            }
        }
    }

    @Override
    public Collection<dev.offload.workflow.Workflow> workflows() {
        return byName.values().stream().map(JobKind::workflow).toList();
    }

    public Collection<JobKind<?>> all() {
        return byName.values();
    }

    public Optional<JobKind<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public JobKind<?> get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("unknown job kind " + name));
    }
}
