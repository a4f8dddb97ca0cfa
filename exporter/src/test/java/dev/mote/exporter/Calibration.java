package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.TfliteOracle;

/**
 * Calibrates ranges the way post-training quantization does: runs Mote's float32 export of the model in the real
 * TFLite interpreter on seeded random inputs and records every layer's min and max.
 */
final class Calibration {
    private Calibration() {
    }

    static void calibrate(ModelSpec spec, RandomParameters parameters, float lo, float hi, int samples, long seed) {
        ExportedModel floats = TfliteExporter.export(spec, parameters, ExportOptions.float32());
        int n = spec.nodes().size();
        float[] min = new float[n];
        float[] max = new float[n];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        RandomCases random = new RandomCases(seed);
        int inputCount = (int) spec.inputShape().elementCount();
        try (TfliteOracle tflite = TfliteOracle.loadPreservingAllTensors(floats.bytes())) {
            for (int s = 0; s < samples; s++) {
                tflite.setInput(0, LittleEndian.floats(random.floats(inputCount, lo, hi)));
                tflite.invoke();
                for (int node = 0; node < n; node++) {
                    int t = floats.tensorOfNode(node);
                    for (float v : LittleEndian.toFloats(tflite.tensor(t))) {
                        min[node] = Math.min(min[node], v);
                        max[node] = Math.max(max[node], v);
                    }
                }
            }
        }
        for (int node = 0; node < n; node++) {
            parameters.setRange(node, new ValueRange(min[node], max[node]));
        }
    }
}
