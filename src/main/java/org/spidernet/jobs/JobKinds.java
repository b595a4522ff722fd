package org.spidernet.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds job kinds ({@link JobKind}) on the class path and runs wire-form jobs: what an executor calls. */
public final class JobKinds {
    private JobKinds() {
    }

    /** Every job kind on the class path. Two with one name are an error: which one ran would be unclear. */
    public static List<JobKind> all() {
        List<JobKind> list = new ArrayList<>();
        for (JobKind k : ServiceLoader.load(JobKind.class, JobKinds.class.getClassLoader())) {
            for (JobKind other : list) {
                if (other.name().equals(k.name())) {
                    throw new IllegalStateException("two job kinds are named '" + k.name() + "': "
                            + other.getClass().getName() + " and " + k.getClass().getName());
                }
            }
            list.add(k);
        }
        return List.copyOf(list);
    }

    public static JobKind byName(String name) {
        return all().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown job kind '" + name + "' (known: " + String.join(", ", all().stream().map(JobKind::name).toList()) + ")"));
    }

    /** Runs one job; a typed failure becomes the outcome, any other exception propagates (a fault). */
    public static JobOutcome run(Job job, JobEnvironment env) {
        try {
            return JobOutcome.of(byName(job.kind()).run(job.spec(), env));
        } catch (JobFailure f) {
            return JobOutcome.failed(f.kind(), f.getMessage());
        }
    }

    /** {@link #run(Job, JobEnvironment)} on the wire forms. */
    public static String run(String jobJson, JobEnvironment env) {
        return run(Job.fromJson(jobJson), env).toJson();
    }
}
