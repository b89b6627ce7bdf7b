package dev.offload.workflow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What else a transition writes in the same compare-and-set statement (assignments), and what else
 * must still hold for it to apply (guards), both by attribute name of the workflow's entity.
 */
public final class StateUpdate {

    /** The value of an assignment that adds one to the attribute's current value. */
    private static final Object INCREMENT = new Object() {
        @Override
        public String toString() {
            return "+1";
        }
    };

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

    /** Adds one to the attribute's current value (a counter, such as a job's attempt). */
    public StateUpdate increment(String attribute) {
        assignments.put(attribute, INCREMENT);
        return this;
    }

    static boolean isIncrement(Object value) {
        return value == INCREMENT;
    }

    public StateUpdate when(String attribute, Object value) {
        guards.put(attribute, value);
        return this;
    }

    /** What statements this update can share: its assigned attributes, and its guarded ones with whether each is null. */
    String shape() {
        StringBuilder shape = new StringBuilder();
        assignments.forEach((attribute, value) -> shape.append(attribute).append(isIncrement(value) ? "+1," : ","));
        shape.append('|');
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
