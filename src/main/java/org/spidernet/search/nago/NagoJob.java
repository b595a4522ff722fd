package org.spidernet.search.nago;

/**
 * One training run of a NAGO search: network {@code sample} of {@code configuration} (a global
 * index), trained from scratch for {@code epochs} at rung {@code rung} of bracket {@code bracket}.
 * {@code proposes} is true for a rung-0 job whose configuration BOHB has yet to propose.
 */
public record NagoJob(int bracket, int rung, int configuration, int sample, int epochs, boolean proposes) {
}
