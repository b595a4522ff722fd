/**
 * The engine as a library: {@link org.spidernet.api.SpiderNetEngine} opens a backend and runs
 * searches ({@link org.spidernet.api.SearchSettings}, reported to a
 * {@link org.spidernet.search.SearchRun.Observer}), training (reported to a
 * {@link org.spidernet.train.TrainingListener}) and evaluations of and predictions by saved models
 * ({@link org.spidernet.deploy.SavedModel}). Outcomes save as the same model directories the
 * command line writes. {@code examples/library-search} is a complete program using it.
 */
package org.spidernet.api;
