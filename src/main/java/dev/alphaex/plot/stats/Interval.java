package dev.alphaex.plot.stats;

/** A point estimate with its confidence interval [lo, hi] and the number of runs behind it. */
public record Interval(double estimate, double lo, double hi, int n) {
}
