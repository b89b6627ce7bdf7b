package dev.offload.workflow;

import java.util.Collection;

/** A bean that declares workflows (the job kinds' registry, say): the registry collects them from every source. */
public interface WorkflowSource {

    Collection<Workflow> workflows();
}
