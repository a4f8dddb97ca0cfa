package dev.mote.trainer;

import dev.mote.exporter.ExportedModel;
import dev.mote.exporter.TfliteExporter;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Exports a {@link TrainedModel} to int8 TFLite bytes and runs them in micro-runtime, example by example. */
final class MicroRuntimeRunner {

    private final ExportedModel exported;
    private final MicroInterpreter interpreter;

    MicroRuntimeRunner(TrainedModel model) {
        this(model, dev.mote.exporter.ExportOptions.int8());
    }

    /** The export of {@code model} with {@code options} (e.g. {@code ExportOptions.int16x8().withFloatIo(true)}). */
    MicroRuntimeRunner(TrainedModel model, dev.mote.exporter.ExportOptions options) {
        exported = TfliteExporter.export(model.spec(), model, options);
        interpreter = new MicroInterpreter(exported.bytes(), OpResolver.allBuiltins(), 1 << 20);
        interpreter.allocateTensors();
    }

    ExportedModel exported() {
        return exported;
    }

    /** Outputs {@code [n, outputs]} (dequantized) for features {@code [n, ...]} in TFLite layout. */
    INDArray predict(INDArray features) {
        int n = (int) features.size(0);
        INDArray flat = features.reshape('c', new long[] {n, features.length() / n});
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            interpreter.input(0).setFloats(flat.getRow(i).dup('c').toFloatVector());
            interpreter.invoke();
            out[i] = interpreter.output(0).toFloatArray();
        }
        return Nd4j.create(out);
    }

    double accuracy(TrainingData data) {
        INDArray out = predict(data.features());
        INDArray labels = data.targets().reshape('c', new long[] {data.size(), -1});
        return Nd4j.argMax(out, 1).eq(Nd4j.argMax(labels, 1)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .meanNumber().doubleValue();
    }

    double meanAbsoluteError(TrainingData data) {
        INDArray out = predict(data.features());
        INDArray t = data.targets().reshape('c', new long[] {data.size(), -1});
        return org.nd4j.linalg.ops.transforms.Transforms.abs(out.sub(t)).meanNumber().doubleValue();
    }
}
