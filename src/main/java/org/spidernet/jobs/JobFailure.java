package org.spidernet.jobs;

/** A job's typed failure (see {@link FailureKind}): it becomes the job's outcome, wherever the job ran. */
public final class JobFailure extends Exception {
    private final FailureKind kind;

    public JobFailure(FailureKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public JobFailure(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public FailureKind kind() {
        return kind;
    }
}
