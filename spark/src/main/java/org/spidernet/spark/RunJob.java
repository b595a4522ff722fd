package org.spidernet.spark;

import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

/**
 * The task an executor runs for one job ({@link ExecutorEnvironment#run}): its wire form in, its
 * outcome's wire form out, the batch index carried along so the driver can put outcomes back in
 * batch order. A typed failure
 * is an outcome; anything else thrown fails the task, which Spark retries.
 */
final class RunJob implements Function<Tuple2<Integer, String>, Tuple2<Integer, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Integer, String> call(Tuple2<Integer, String> job) {
        return new Tuple2<>(job._1(), ExecutorEnvironment.run(job._2()));
    }
}
