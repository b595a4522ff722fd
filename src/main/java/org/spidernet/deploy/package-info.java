/**
 * The found network leaving the engine: the model directory a finished run holds
 * ({@link org.spidernet.deploy.ModelManifest} {@code model.json}, the architecture in its space's
 * file, {@code weights.bin} and {@code weights.safetensors}), loaded by
 * {@link org.spidernet.deploy.SavedModel}; evaluation, prediction and export read it.
 */
package org.spidernet.deploy;
