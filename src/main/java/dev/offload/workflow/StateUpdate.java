package dev.offload.workflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What else a transition writes in the same compare-and-set statement (assignments), and what else
 * must still hold for it to apply (guards), both by attribute name of the workflow's entity.
 */
public final class StateUpdate {

    private final Map<String, Object> assignments = new LinkedHashMap<>();
    private final Map<String, Object> guards = new LinkedHashMap<>();

    public static StateUpdate none() {
        return new StateUpdate();
    }

    public static StateUpdate set(String attribute, Object value) {
        return new StateUpdate().and(attribute, value);
    }

    public StateUpdate and(String attribute, Object value) {
        assignments.put(attribute, value);
        return this;
    }

    public StateUpdate when(String attribute, Object value) {
        guards.put(attribute, value);
        return this;
    }

    /** What statements this update can share: its assigned attributes, and its guarded ones with whether each is null. */
    String shape() {
        StringBuilder shape = new StringBuilder(String.join(",", assignments.keySet())).append('|');
        guards.forEach((attribute, value) -> shape.append(attribute).append(value == null ? "=null," : ","));
        return shape.toString();
    }

    Map<String, Object> assignments() {
        return assignments;
    }

    Map<String, Object> guards() {
        return guards;
    }
}
