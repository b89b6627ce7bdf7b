package dev.offload.job;

/** Which page of a listing a client asked for, checked: page ≥ 0, 1 ≤ size ≤ the largest page. */
public record PageRequest(int page, int size) {

    /** The rows before this page. */
    public long offset() {
        return (long) page * size;
    }
}
