/**
 * Statistics for comparing searches and metrics: confidence intervals of means and of paired
 * differences, bootstrap intervals on explicit seeds, rank correlations (Kendall tau-b, Spearman
 * rho, ties by average rank) and Pareto fronts.
 *
 * <p>Distributions (Student's t quantiles) and ranking come from Apache Commons Statistics; the
 * estimators are written here. Layering: depends on nothing else of the engine.
 */
package org.spidernet.stats;
