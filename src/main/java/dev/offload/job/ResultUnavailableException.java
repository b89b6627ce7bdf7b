package dev.offload.job;

import java.util.UUID;

/** A job's result cannot be downloaded: not there yet (409), or no more (expired or removed: 410). */
public class ResultUnavailableException extends RuntimeException {

    private final boolean gone;

    public ResultUnavailableException(UUID id, String state, boolean gone) {
        super(gone ? "the result of job " + id + " has expired or was removed"
                : "job " + id + " has no result in state " + state);
        this.gone = gone;
    }

    public boolean gone() {
        return gone;
    }
}
