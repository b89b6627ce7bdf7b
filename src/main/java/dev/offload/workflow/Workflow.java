package dev.offload.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A state machine declared as data: its states, the initial state and the named transitions, with
 * checks (a condition a transition needs besides its from-state), hooks (work done inside the
 * transition's own transaction) and the extra attributes each log row keeps. {@code table} is the table
 * whose {@code state} column the workflow guards (its other columns are the attributes in snake_case).
 *
 * <p>Checks see the subject as whoever applies the workflow holds it (for jobs: the engine's view of the
 * job and its kind's row); the kind that declares a check knows that type.
 */
public final class Workflow {

    private final String name;
    private final String table;
    private final String initial;
    private final List<String> states;
    private final Map<String, Transition> transitions;
    private final Map<String, List<Check>> checks;
    private final Map<String, List<TransitionHook>> hooks;
    private final List<String> logAttributes;

    /** A condition {@code transition} needs; {@code reason} says why it is refused when unmet. */
    public record Check(String transition, String reason, Predicate<Object> allows) {
    }

    private Workflow(Builder b) {
        this(b.name, b.table, b.initial, b.states, b.transitions, b.checks, b.hooks, b.logAttributes);
    }

    private Workflow(String name, String table, String initial, List<String> states,
            List<Transition> transitions, List<Check> checks, Map<String, List<TransitionHook>> hooks,
            List<String> logAttributes) {
        this.name = name;
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
        Map<String, List<Check>> byTransition = new LinkedHashMap<>();
        for (Check check : checks) {
            if (!this.transitions.containsKey(check.transition())) {
                throw new IllegalArgumentException("a check of " + name + " names unknown transition " + check.transition());
            }
            byTransition.computeIfAbsent(check.transition(), k -> new ArrayList<>()).add(check);
        }
        this.checks = byTransition;
        hooks.keySet().forEach(key -> {
            String[] point = key.split(":", 2);
            boolean known = point[0].equals(BEFORE) || point[0].equals(AFTER)
                    ? this.transitions.containsKey(point[1]) : this.states.contains(point[1]);
            if (!known) {
                throw new IllegalArgumentException("a hook of " + name + " names unknown " + key);
            }
        });
        this.hooks = Map.copyOf(hooks);
        this.logAttributes = List.copyOf(logAttributes);
    }

    private static final String BEFORE = "before";
    private static final String AFTER = "after";
    private static final String ENTER = "enter";
    private static final String LEAVE = "leave";

    public static Builder builder(String name, String table) {
        return new Builder(name, table);
    }

    public String name() {
        return name;
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

    /**
     * Names of the transitions that may be applied from {@code state} to {@code subject}: those available from
     * the state whose checks all allow it.
     */
    public List<String> available(String state, Object subject) {
        return available(state).stream().filter(t -> refusal(t, subject).isEmpty()).toList();
    }

    /** Why {@code transitionName} may not be applied to {@code subject} (its first unmet check), if it may not. */
    public Optional<String> refusal(String transitionName, Object subject) {
        for (Check check : checks.getOrDefault(transitionName, List.of())) {
            if (!check.allows().test(subject)) {
                return Optional.of(check.reason());
            }
        }
        return Optional.empty();
    }

    /** The declared checks, by transition. */
    public List<Check> checks(String transitionName) {
        return checks.getOrDefault(transitionName, List.of());
    }

    /**
     * The hooks a move by {@code transitionName} from {@code from} runs, in order: before the transition,
     * on leaving {@code from}, on entering the target, after the transition.
     */
    public List<TransitionHook> hooks(String transitionName, String from) {
        Transition t = transitions.get(transitionName);
        if (t == null || hooks.isEmpty()) {
            return List.of();
        }
        List<TransitionHook> run = new ArrayList<>();
        run.addAll(hooks.getOrDefault(BEFORE + ":" + transitionName, List.of()));
        run.addAll(hooks.getOrDefault(LEAVE + ":" + from, List.of()));
        run.addAll(hooks.getOrDefault(ENTER + ":" + t.to(), List.of()));
        run.addAll(hooks.getOrDefault(AFTER + ":" + transitionName, List.of()));
        return run;
    }

    /** Whether applying {@code transitionName} from any of its states runs a hook. */
    public boolean hasHooks(String transitionName) {
        Transition t = transitions.get(transitionName);
        return t != null && t.from().stream().anyMatch(from -> !hooks(transitionName, from).isEmpty());
    }

    /** The request attributes (the client's address, its client id, ...) each log row keeps, by name. */
    public List<String> logAttributes() {
        return logAttributes;
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

    /** As {@link #target(String, String)}, also refusing a transition whose checks do not allow {@code subject}. */
    public String target(String state, String transitionName, Object subject) {
        String to = target(state, transitionName);
        Optional<String> refused = refusal(transitionName, subject);
        if (refused.isPresent()) {
            throw new IllegalTransitionException(name, transitionName, state, available(state, subject), refused.get());
        }
        return to;
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
        private final String table;
        private String initial;
        private final List<String> states = new ArrayList<>();
        private final List<Transition> transitions = new ArrayList<>();
        private final List<Check> checks = new ArrayList<>();
        private final Map<String, List<TransitionHook>> hooks = new LinkedHashMap<>();
        private final List<String> logAttributes = new ArrayList<>();

        private Builder(String name, String table) {
            this.name = name;
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

        /**
         * A condition {@code transitionName} needs besides its from-state: unmet, the transition is not among
         * the available ones and a try is refused with {@code reason}. {@code S} is the type of the subject the
         * workflow's user holds (a kind knows its own).
         */
        @SuppressWarnings("unchecked")
        public <S> Builder check(String transitionName, String reason, Predicate<S> allows) {
            checks.add(new Check(transitionName, reason, subject -> allows.test((S) subject)));
            return this;
        }

        /** Runs {@code hook} in the transaction of every application of {@code transitionName}, first. */
        public Builder before(String transitionName, TransitionHook hook) {
            return hook(BEFORE + ":" + transitionName, hook);
        }

        /** Runs {@code hook} in the transaction of every application of {@code transitionName}, last. */
        public Builder after(String transitionName, TransitionHook hook) {
            return hook(AFTER + ":" + transitionName, hook);
        }

        /** Runs {@code hook} in the transaction of every transition into {@code state}. */
        public Builder onEnter(String state, TransitionHook hook) {
            return hook(ENTER + ":" + state, hook);
        }

        /** Runs {@code hook} in the transaction of every transition out of {@code state}. */
        public Builder onLeave(String state, TransitionHook hook) {
            return hook(LEAVE + ":" + state, hook);
        }

        /** Request attributes each log row of this workflow keeps (when the transition came with them). */
        public Builder logAttributes(String... names) {
            logAttributes.addAll(List.of(names));
            return this;
        }

        private Builder hook(String point, TransitionHook hook) {
            hooks.computeIfAbsent(point, k -> new ArrayList<>()).add(hook);
            return this;
        }

        public Workflow build() {
            return new Workflow(this);
        }
    }
}
