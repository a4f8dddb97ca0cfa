package dev.mote.exporter;

import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.dsl.plan.PlannedWeights;
import dev.mote.dsl.plan.TensorPlan;

/**
 * Stand-in parameters for sizing a model before it is trained: small non-zero weights (so every scale is positive),
 * zero biases, and the range [-1, 1] everywhere (an LSTM's cell state too). Only tensor sizes and the graph matter for the arena and the file
 * size, not the values.
 *
 * <pre>{@code
 * ExportedModel sized = TfliteExporter.export(spec, PlaceholderParameters.of(spec));
 * }</pre>
 */
public final class PlaceholderParameters implements ModelParameters {
    private static final ValueRange UNIT = new ValueRange(-1f, 1f);
    private final TensorPlan plan;

    private PlaceholderParameters(TensorPlan plan) {
        this.plan = plan;
    }

    public static PlaceholderParameters of(ModelSpec spec) {
        return new PlaceholderParameters(ExportFailures.planOf(spec));
    }

    @Override
    public float[] weights(int nodeIndex) {
        PlannedWeights planned = plan.weights(nodeIndex);
        if (planned == null) {
            return null;
        }
        int count = (int) planned.weightCount();
        float[] w = new float[count];
        for (int k = 0; k < count; k++) {
            w[k] = (k % 7 - 3) * 0.01f + 0.005f;
        }
        return w;
    }

    @Override
    public float[] bias(int nodeIndex) {
        PlannedWeights planned = plan.weights(nodeIndex);
        return planned == null ? null : new float[planned.outputChannels()];
    }

    @Override
    public ValueRange outputRange(int nodeIndex) {
        return UNIT;
    }

    @Override
    public ValueRange cellStateRange(int nodeIndex) {
        return UNIT;
    }
}
