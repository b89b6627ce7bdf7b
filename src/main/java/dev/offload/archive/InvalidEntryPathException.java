package dev.offload.archive;

/** An entry's path an archive cannot hold (see {@link EntryPaths}), or one it already holds. */
public class InvalidEntryPathException extends IllegalArgumentException {

    private final String path;
    private final String problem;

    public InvalidEntryPathException(String path, String problem) {
        super("entry " + EntryPaths.quote(path) + " " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** The path as given. */
    public String path() {
        return path;
    }

    /** What is wrong with it ("is absolute", "has a '..' segment", ...). */
    public String problem() {
        return problem;
    }
}
