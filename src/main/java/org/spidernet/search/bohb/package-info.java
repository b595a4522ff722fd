/**
 * The algorithmic parts of BOHB (Falkner et al. 2018), for NAGO's search over its ~8 generator
 * parameters: a {@link org.spidernet.search.bohb.ParameterSpace} of bounded continuous and integer
 * parameters seen by the samplers as points of [0, 1]^d, the
 * {@link org.spidernet.search.bohb.TpeSampler} that proposes configurations from a density ratio
 * l(x) / g(x) (Bergstra et al. 2011), and Hyperband's schedule of
 * {@link org.spidernet.search.bohb.Bracket}s and {@link org.spidernet.search.bohb.Rung}s with the
 * pure promotion step of {@link org.spidernet.search.bohb.SuccessiveHalving} (Li et al. 2017).
 *
 * <p>No training happens here: a search strategy drives these values, evaluates each proposal at
 * its rung's budget and hands the losses back. Every random choice takes a java.util.Random;
 * Commons Statistics supplies the normal CDF and its inverse. Layering: depends on nothing else of
 * the engine.
 */
package org.spidernet.search.bohb;
