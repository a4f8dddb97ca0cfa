package dev.mote.exporter;

import dev.mote.dsl.ModelParameters;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;

/**
 * Stand-in parameters for sizing a model before it is trained: small non-zero weights (so every scale is positive),
 * zero biases, and the range [-1, 1] everywhere. Only tensor sizes and the graph matter for the arena and the file
 * size, not the values.
 *
 * <pre>{@code
 * ExportedModel sized = TfliteExporter.export(spec, PlaceholderParameters.of(spec));
 * }</pre>
 */
public final class PlaceholderParameters implements ModelParameters {
    private static final ValueRange UNIT = new ValueRange(-1f, 1f);
    private final ModelSpec spec;

    private PlaceholderParameters(ModelSpec spec) {
        this.spec = spec;
    }

    public static PlaceholderParameters of(ModelSpec spec) {
        return new PlaceholderParameters(spec);
    }

    @Override
    public float[] weights(int nodeIndex) {
        int[] shape = spec.weightShape(nodeIndex);
        if (shape == null) {
            return null;
        }
        int count = 1;
        for (int d : shape) {
            count *= d;
        }
        float[] w = new float[count];
        for (int k = 0; k < count; k++) {
            w[k] = (k % 7 - 3) * 0.01f + 0.005f;
        }
        return w;
    }

    @Override
    public float[] bias(int nodeIndex) {
        return spec.weightShape(nodeIndex) == null ? null : new float[spec.biasLength(nodeIndex)];
    }

    @Override
    public ValueRange outputRange(int nodeIndex) {
        return UNIT;
    }
}
