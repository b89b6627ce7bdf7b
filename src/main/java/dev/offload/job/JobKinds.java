package dev.offload.job;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every {@link JobKind} bean by name. */
@ApplicationScoped
public class JobKinds {

    private final Map<String, JobKind> byName = new TreeMap<>();

    public JobKinds(Instance<JobKind> kinds) {
        for (JobKind kind : kinds) {
            JobKind previous = byName.putIfAbsent(kind.name(), kind);
            if (previous != null) {
                throw new IllegalStateException("job kind " + kind.name() + " is declared by both "
                        + previous.getClass().getName() + " and " + kind.getClass().getName());
            }
            if (!kind.workflow().name().equals(kind.name())) {
                throw new IllegalStateException("job kind " + kind.name() + " must use the workflow of the same name");
            }
        }
    }

    public Collection<JobKind> all() {
        return byName.values();
    }

    public Optional<JobKind> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public JobKind get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("unknown job kind " + name));
    }
}
