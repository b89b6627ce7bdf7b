package dev.offload.workflow;

import java.util.Set;

/** A named move from any of {@code from} to {@code to}. */
public record Transition(String name, Set<String> from, String to) {

    public Transition {
        from = Set.copyOf(from);
    }

    public static Transition of(String name, String to, String... from) {
        return new Transition(name, Set.of(from), to);
    }

    public boolean availableFrom(String state) {
        return from.contains(state);
    }
}
