package org.spidernet.train;

/** The loss became NaN or infinite: training cannot continue meaningfully. */
public class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
