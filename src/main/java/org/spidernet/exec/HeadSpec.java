package org.spidernet.exec;

/** A classifier head: the cell it reads, its logits buffers and its weight in the loss. */
public record HeadSpec(int cell, int logits, int logitsGrad, double lossWeight) {
}
