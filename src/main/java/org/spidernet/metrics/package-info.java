/**
 * Train-free (zero-cost) metrics: scores of an untrained network computed from its genome, by
 * the definitions of {@code shared/spec/metrics.md}.
 *
 * <p>{@link org.spidernet.metrics.TrainFreeMetric} is the one interface; the
 * {@link org.spidernet.metrics.MetricRegistry} selects an implementation by name: {@code ntk},
 * {@code ntk_centred}, {@code lrc}, {@code naswot}, {@code naswot_v2}, {@code synflow},
 * {@code snip}, {@code grad_norm}, {@code params}, {@code macs}. A
 * {@link org.spidernet.metrics.ScoringContext} supplies the backend, the genome, an explicit seed
 * and the normalised training images. A score that is not finite comes back as a
 * {@link org.spidernet.metrics.MetricResult} with status {@code NON_FINITE}, never as 0 and never
 * as an exception.
 *
 * <p>Choices, and where they come from:
 * <ul>
 *   <li>Each metric builds its own network from the genome (re-instantiated at the metric's
 *       width) and initialises it from the context's seed; nothing is copied from a trained model.
 *       The parent of a split is the child's own network with the new edges' ops pruned
 *       ({@link org.spidernet.metrics.ChildParentScores}), so both share every other weight.</li>
 *   <li>BatchNorm runs in training mode everywhere it exists: NTK (spec), LRC (TE-NAS's
 *       {@code network_thin.train()}), NASWOT v1 and v2 and snip/grad_norm (the references score
 *       freshly built PyTorch modules, which are in training mode). synflow removes BN.</li>
 *   <li>NTK as defined is singular for every genome of this search space at initialisation (the
 *       output node's train-mode BatchNorm feeds the classifier directly, so each batch's logit
 *       sum has no gradient): {@code ntk} reports that as a failure, {@code ntk_centred} takes
 *       kappa over the batch-centred outputs. See {@link org.spidernet.metrics.NtkConditionNumber}.</li>
 *   <li>Kaiming init uses PyTorch's fans ({@code torch.nn.init}): fan_in = weight.size(1) x k^2
 *       (in/groups x k^2), fan_out = weight.size(0) x k^2 (out x k^2, groups ignored), so the NTK's
 *       fan_out init of a depthwise conv has std sqrt(2 / (C k^2)), as in the reference code.</li>
 *   <li>LRC pools the codes of its 3 batches before counting distinct codes, as TE-NAS's
 *       {@code LinearRegionCount(batch * sample_batch)} does.</li>
 *   <li>Eigenvalues: a plain-Java cyclic Jacobi solver ({@code SymmetricEigen}), chosen for the
 *       relative accuracy of small eigenvalues of positive semi-definite matrices, which the NTK
 *       condition number divides by. Log-determinants: LU with partial pivoting
 *       ({@code LogDeterminant}). No linear-algebra library is needed.</li>
 *   <li>The heavy N x N reductions run on the backend where the activations and gradients live
 *       ({@code Backend.signAgreement} for naswot_v2's Hamming kernel, {@code Backend.gram} with
 *       {@code copyInto} for the NTK's G); only the N x N matrix comes back to the host.</li>
 * </ul>
 *
 * <p>Layering: above {@code exec}, {@code backend}, {@code graph} and {@code data}; this package
 * imports nothing from {@code io}, {@code cli}, {@code train}, ND4J or JavaCPP.
 */
package org.spidernet.metrics;
