package dev.offload.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Every declared workflow, by name: those of every {@link WorkflowSource} bean. */
@ApplicationScoped
public class WorkflowRegistry {

    private final Map<String, Workflow> byName = new TreeMap<>();

    public WorkflowRegistry(Instance<WorkflowSource> sources) {
        for (WorkflowSource source : sources) {
            for (Workflow w : source.workflows()) {
                Workflow previous = byName.putIfAbsent(w.name(), w);
                if (previous != null && previous != w) {
                    throw new IllegalStateException("two workflows are named " + w.name());
                }
            }
        }
    }

    public Collection<Workflow> all() {
        return byName.values();
    }

    public Optional<Workflow> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
