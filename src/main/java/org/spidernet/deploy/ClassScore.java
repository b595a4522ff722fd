package org.spidernet.deploy;

/** One of a prediction's top classes: its index, its name and its softmax probability. */
public record ClassScore(int index, String name, double probability) {
}
