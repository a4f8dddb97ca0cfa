package dev.mote.exporter;

import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.runtime.testing.TfliteOracle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

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
        Random random = new Random(seed);
        int inputCount = (int) spec.inputShape().elementCount();
        try (TfliteOracle tflite = TfliteOracle.loadPreservingAllTensors(floats.bytes())) {
            for (int s = 0; s < samples; s++) {
                ByteBuffer in = ByteBuffer.allocate(4 * inputCount).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < inputCount; i++) {
                    in.putFloat(lo + random.nextFloat() * (hi - lo));
                }
                tflite.setInput(0, in.array());
                tflite.invoke();
                for (int node = 0; node < n; node++) {
                    int t = floats.tensorOfNode(node);
                    ByteBuffer data = ByteBuffer.wrap(tflite.tensor(t)).order(ByteOrder.LITTLE_ENDIAN);
                    while (data.remaining() >= 4) {
                        float v = data.getFloat();
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
