package dev.offload.workflow;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A state machine declared as data: its states, the initial state and the named transitions.
 * The {@code entity} names the persistent type whose {@code state} attribute the workflow guards, and
 * {@code table} its table (columns are the attributes in snake_case).
 */
public final class Workflow {

    private final String name;
    private final String entity;
    private final String table;
    private final String initial;
    private final List<String> states;
    private final Map<String, Transition> transitions;

    private Workflow(String name, String entity, String table, String initial, List<String> states,
            List<Transition> transitions) {
        this.name = name;
        this.entity = entity;
        this.table = table;
        this.initial = initial;
        this.states = List.copyOf(states);
        this.transitions = transitions.stream().collect(Collectors.toMap(Transition::name, Function.identity(),
                (a, b) -> { throw new IllegalArgumentException("transition " + a.name() + " declared twice in " + name); },
                java.util.LinkedHashMap::new));
        if (!this.states.contains(initial)) {
            throw new IllegalArgumentException("initial state " + initial + " is not a state of " + name);
        }
        for (Transition t : transitions) {
            Set<String> used = new LinkedHashSet<>(t.from());
            used.add(t.to());
            for (String s : used) {
                if (!this.states.contains(s)) {
                    throw new IllegalArgumentException("transition " + t.name() + " of " + name + " uses unknown state " + s);
                }
            }
        }
    }

    public static Builder builder(String name, String entity, String table) {
        return new Builder(name, entity, table);
    }

    public String name() {
        return name;
    }

    public String entity() {
        return entity;
    }

    public String table() {
        return table;
    }

    public String initial() {
        return initial;
    }

    public List<String> states() {
        return states;
    }

    public List<Transition> transitions() {
        return List.copyOf(transitions.values());
    }

    public Optional<Transition> transition(String transitionName) {
        return Optional.ofNullable(transitions.get(transitionName));
    }

    /** Names of the transitions that may be applied from {@code state}, in declaration order. */
    public List<String> available(String state) {
        return transitions.values().stream().filter(t -> t.availableFrom(state)).map(Transition::name).toList();
    }

    /** A state is final when no transition leaves it. */
    public boolean isFinal(String state) {
        return available(state).isEmpty();
    }

    /** The state {@code transitionName} leads to from {@code state}, or the reason it may not be applied. */
    public String target(String state, String transitionName) {
        Transition t = transitions.get(transitionName);
        if (t == null || !t.availableFrom(state)) {
            throw new IllegalTransitionException(name, transitionName, state, available(state));
        }
        return t.to();
    }

    /** A Mermaid state diagram, so documentation shows the declared machine rather than a drawing of it. */
    public String toMermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        out.append("    [*] --> ").append(initial).append('\n');
        for (Transition t : transitions.values()) {
            for (String from : states) {
                if (t.availableFrom(from)) {
                    out.append("    ").append(from).append(" --> ").append(t.to()).append(" : ").append(t.name()).append('\n');
                }
            }
        }
        for (String s : states) {
            if (isFinal(s)) {
                out.append("    ").append(s).append(" --> [*]\n");
            }
        }
        return out.toString();
    }

    public static final class Builder {
        private final String name;
        private final String entity;
        private final String table;
        private String initial;
        private final List<String> states = new ArrayList<>();
        private final List<Transition> transitions = new ArrayList<>();

        private Builder(String name, String entity, String table) {
            this.name = name;
            this.entity = entity;
            this.table = table;
        }

        public Builder states(String... names) {
            states.addAll(List.of(names));
            return this;
        }

        public Builder initial(String state) {
            this.initial = state;
            return this;
        }

        public Builder transition(String transitionName, String to, String... from) {
            transitions.add(Transition.of(transitionName, to, from));
            return this;
        }

        public Workflow build() {
            return new Workflow(name, entity, table, initial, states, transitions);
        }
    }
}
