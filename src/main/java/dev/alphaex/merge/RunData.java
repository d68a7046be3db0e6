package dev.alphaex.merge;

/** One merged run as stored: its index, its steps and, per metric, its values. Immutable by contract. */
public final class RunData {
    private final long index;
    private final double[] steps;
    private final double[][] values;

    RunData(long index, double[] steps, double[][] values) {
        this.index = index;
        this.steps = steps;
        this.values = values;
    }

    public long index() {
        return index;
    }

    /** The step values (shared: do not modify). */
    public double[] steps() {
        return steps;
    }

    /** The values of metric {@code m}, one per step (shared: do not modify). */
    public double[] values(int m) {
        return values[m];
    }
}
