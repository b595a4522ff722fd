package org.spidernet.cli;

import org.spidernet.jobs.EvaluationService;
import org.spidernet.jobs.EvaluationServices;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --spark MASTER} and {@code --spark-conf KEY=VALUE}: where a run's batches of independent
 * jobs run. Where they run changes no result (jobs carry all they depend on and come back in
 * order), so a resumed run may be given them too.
 */
final class DistributionOptions {
    static final String SPARK = "--spark";
    static final String SPARK_CONF = "--spark-conf";

    @Option(names = SPARK, paramLabel = "MASTER", description = "Run batches of independent work (candidate scoring) on Apache "
            + "Spark: local[N] embedded in this process, spark://HOST:PORT a standalone cluster. Needs the Spark module: run "
            + "scripts/spidernet-spark instead of scripts/spidernet (default: in-process).")
    String spark;

    @Option(names = SPARK_CONF, paramLabel = "KEY=VALUE", description = "A Spark setting for --spark, e.g. "
            + "spark.executor.memory=4g or spark.executor.resource.gpu.amount=1; repeatable.")
    Map<String, String> sparkConf;

    /**
     * The distributed service the flags ask for, opened; null for in-process. A bad master, a
     * setting without {@code --spark}, or the module missing is a flag error.
     */
    EvaluationService open(CommandLine cl) {
        if (spark == null) {
            if (sparkConf != null && !sparkConf.isEmpty()) {
                throw new CommandLine.ParameterException(cl, SPARK_CONF + " needs " + SPARK + " MASTER");
            }
            return null;
        }
        try {
            return EvaluationServices.open("spark", spark, sparkConf == null ? Map.of() : new TreeMap<>(sparkConf));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }
}
