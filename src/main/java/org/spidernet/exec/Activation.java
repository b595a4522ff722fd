package org.spidernet.exec;

/** A planned activation: buffer ids of its value and of its gradient (-1 when none is needed). */
record Activation(int value, int grad, int[] shape) {
}
