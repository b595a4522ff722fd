package org.spidernet.exec;

/** Affine BatchNorm: batch statistics in training, running statistics in evaluation. */
final class BatchNormLayer extends Layer {
    static final double MOMENTUM = 0.1;
    static final double EPS = ExecutionPlan.BATCH_NORM_EPSILON;

    private final Activation x;
    private final Activation y;
    private final ParamSpec gamma;
    private final ParamSpec beta;
    private final int saveMean;
    private final int saveInvStd;
    private final int runMean;
    private final int runVar;

    BatchNormLayer(Activation x, Activation y, ParamSpec gamma, ParamSpec beta, int saveMean, int saveInvStd,
                   int runMean, int runVar, int gate) {
        super(gate);
        this.x = x;
        this.y = y;
        this.gamma = gamma;
        this.beta = beta;
        this.saveMean = saveMean;
        this.saveInvStd = saveInvStd;
        this.runMean = runMean;
        this.runVar = runVar;
    }

    @Override
    void forward(RunContext c) {
        if (c.training) {
            c.backend.batchNormTrain(c.t(x.value()), c.t(gamma.value()), c.t(beta.value()), c.t(y.value()),
                    c.t(saveMean), c.t(saveInvStd), c.t(runMean), c.t(runVar), MOMENTUM, EPS);
        } else {
            c.backend.batchNormEval(c.t(x.value()), c.t(gamma.value()), c.t(beta.value()), c.t(runMean),
                    c.t(runVar), c.t(y.value()), EPS);
        }
    }

    @Override
    void backward(RunContext c) {
        if (!c.backwardActive(gate)) {
            return;
        }
        c.backend.batchNormBackward(c.t(x.value()), c.t(y.grad()), c.t(gamma.value()), c.t(saveMean),
                c.t(saveInvStd), c.t(x.grad()), c.t(gamma.grad()), c.t(beta.grad()));
    }

    @Override
    int[] buffers() {
        return new int[]{x.value(), x.grad(), y.value(), y.grad(), gamma.value(), gamma.grad(), beta.value(),
                beta.grad(), saveMean, saveInvStd, runMean, runVar};
    }
}
