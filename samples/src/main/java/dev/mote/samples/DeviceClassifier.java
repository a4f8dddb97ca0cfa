package dev.mote.samples;

import dev.mote.exporter.ExportedModel;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.MicroTensor;

/**
 * An exported int8 classifier running on micro-runtime the way it runs on a device: TFLM-exact integer arithmetic
 * in an arena of exactly the smallest size TFLM needs on the target, one example per {@code invoke()}.
 *
 * <pre>{@code
 * DeviceClassifier device = new DeviceClassifier(exported, ArenaTarget.CORTEX_M);
 * int[] predicted = device.classify(test.images());
 * }</pre>
 */
public final class DeviceClassifier {
    private final MicroInterpreter interpreter;

    /**
     * Loads the model into an arena of {@link ArenaReport#minimumArenaBytes()} for {@code target} and allocates its
     * tensors (which fails if that figure were too small).
     */
    public DeviceClassifier(ExportedModel exported, ArenaTarget target) {
        interpreter = exported.interpreter(target);
    }

    /**
     * The class with the largest output (the first on a tie) for one example, flattened in TFLite order. Each
     * example starts from reset state (an LSTM's state tensors), as it was trained.
     */
    public int classify(float[] example) {
        interpreter.resetVariableTensors();
        interpreter.input(0).setFloats(example);
        interpreter.invoke();
        MicroTensor out = interpreter.output(0);
        int best = 0;
        float bestValue = out.dequantize(0);
        for (int i = 1; i < out.elementCount(); i++) {
            float v = out.dequantize(i);
            if (v > bestValue) {
                best = i;
                bestValue = v;
            }
        }
        return best;
    }

    /** {@link #classify(float[])} for every example. */
    public int[] classify(float[][] examples) {
        int[] predicted = new int[examples.length];
        for (int i = 0; i < examples.length; i++) {
            predicted[i] = classify(examples[i]);
        }
        return predicted;
    }

    /** The arena the interpreter was given (TFLM's smallest for the target). */
    public int arenaBytes() {
        return interpreter.arenaBytes();
    }

    /** What the arena holds after allocation. */
    public int arenaUsedBytes() {
        return interpreter.arenaUsedBytes();
    }
}
