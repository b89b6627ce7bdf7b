package dev.offload.archive;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every {@link ArchiveBackend} bean by id: exactly one per id, checked at start-up so two backends claiming one id
 * stop the service with both class names. Finds the backend of a stored archive from its first bytes or its name.
 */
@Startup
@ApplicationScoped
public class ArchiveBackends {

    private final Map<String, ArchiveBackend> byId = new TreeMap<>();

    @Inject
    public ArchiveBackends(Instance<ArchiveBackend> backends) {
        this((Iterable<ArchiveBackend>) backends);
    }

    /** A registry of exactly these backends (for tests and tools). */
    public ArchiveBackends(Iterable<? extends ArchiveBackend> backends) {
        for (ArchiveBackend backend : backends) {
            ArchiveBackend previous = byId.putIfAbsent(backend.id(), backend);
            if (previous != null) {
                throw new IllegalStateException("archive format '" + backend.id() + "' is declared by both "
                        + className(previous) + " and " + className(backend) + "; each format needs exactly one backend");
            }
        }
    }

    public Collection<ArchiveBackend> all() {
        return byId.values();
    }

    /** The ids, sorted. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public Optional<ArchiveBackend> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The backend of {@code id}; {@link UnknownArchiveBackendException} names the known ids. */
    public ArchiveBackend get(String id) {
        return find(id).orElseThrow(() -> new UnknownArchiveBackendException(id, ids()));
    }

    /**
     * The backend of an archive: by its first bytes ({@code length} of {@code head}, 512 are enough) when they are
     * a signature, else by its name's ending; empty when neither tells.
     */
    public Optional<ArchiveBackend> detect(String name, byte[] head, int length) {
        List<ArchiveBackend> matching = new ArrayList<>();
        for (ArchiveBackend backend : byId.values()) {
            if (backend.matches(head, length)) {
                matching.add(backend);
            }
        }
        Optional<ArchiveBackend> byName = byName(name);
        if (matching.size() == 1) {
            return Optional.of(matching.get(0));
        }
        if (matching.size() > 1) {
            return Optional.of(byName.filter(matching::contains).orElse(matching.get(0)));
        }
        return byName;
    }

    /** The backend whose longest suffix ends {@code name} ({@code .tar.gz} before {@code .gz}), if any. */
    public Optional<ArchiveBackend> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        ArchiveBackend best = null;
        int bestLength = 0;
        for (ArchiveBackend backend : byId.values()) {
            for (String suffix : backend.suffixes()) {
                if (lower.endsWith(suffix) && suffix.length() > bestLength) {
                    best = backend;
                    bestLength = suffix.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static String className(Object bean) {
        // CDI client proxies are subclasses named ..._ClientProxy; name the class the developer wrote.
        Class<?> type = bean.getClass();
        while (type.getName().contains("_ClientProxy") || type.getName().contains("_Subclass")) {
            type = type.getSuperclass();
        }
        return type.getName();
    }
}
