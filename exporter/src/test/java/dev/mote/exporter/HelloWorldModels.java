package dev.mote.exporter;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import dev.mote.dsl.ValueRange;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.testing.ReferenceModels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The Hello World sine architecture (1 → 16 relu → 16 relu → 1) and its real weights from the reference models. */
final class HelloWorldModels {
    /** DSL node indices of the three Dense layers and their activations. */
    static final int[] DENSE_NODES = {1, 3, 5};

    private HelloWorldModels() {
    }

    static ModelSpec spec() {
        return TestSpecs.input("hello_world", 1)
                .then(new LayerSpec.Dense(16, true))
                .then(LayerSpec.Activation.of(ActivationKind.RELU))
                .then(new LayerSpec.Dense(16, true))
                .then(LayerSpec.Activation.of(ActivationKind.RELU))
                .then(new LayerSpec.Dense(1, true))
                .build();
    }

    /** The trained float weights of hello_world_float.tflite (ranges left at [-1, 1]). */
    static RandomParameters trainedWeights(ModelSpec spec) {
        Model floats = ModelReader.read(ReferenceModels.bytes("hello_world_float.tflite"));
        Subgraph sg = floats.mainSubgraph();
        RandomParameters p = new RandomParameters(spec, 1);
        for (int layer = 0; layer < 3; layer++) {
            Operator op = sg.operators().get(layer);
            p.setWeights(DENSE_NODES[layer], floats(floats, sg.tensor(op.input(1))));
            p.setBias(DENSE_NODES[layer], floats(floats, sg.tensor(op.input(2))));
        }
        return p;
    }

    /**
     * The float weights behind the TF converter's hello_world_int8.tflite, recovered by dequantizing its int8
     * weights and int32 biases ({@code real = scale * q}).
     */
    static RandomParameters converterWeights(ModelSpec spec) {
        Model int8 = ModelReader.read(ReferenceModels.bytes("hello_world_int8.tflite"));
        Subgraph sg = int8.mainSubgraph();
        RandomParameters p = new RandomParameters(spec, 1);
        for (int layer = 0; layer < 3; layer++) {
            Operator op = sg.operators().get(layer);
            Tensor w = sg.tensor(op.input(1));
            byte[] q = int8.buffer(w.buffer()).toByteArray();
            float[] weights = new float[q.length];
            for (int i = 0; i < q.length; i++) {
                weights[i] = q[i] * w.quantization().scale();
            }
            Tensor b = sg.tensor(op.input(2));
            ByteBuffer bb = ByteBuffer.wrap(int8.buffer(b.buffer()).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            float[] bias = new float[(int) b.elementCount()];
            for (int i = 0; i < bias.length; i++) {
                bias[i] = bb.getInt() * b.quantization().scale();
            }
            p.setWeights(DENSE_NODES[layer], weights);
            p.setBias(DENSE_NODES[layer], bias);
        }
        converterRanges(p);
        return p;
    }

    /**
     * The ranges behind the TF converter's hello_world_int8.tflite, recovered from its quantization parameters
     * ({@code [scale * (-128 - zp), scale * (127 - zp)]}) and assigned to the DSL nodes whose outputs they are.
     */
    static void converterRanges(RandomParameters p) {
        Model int8 = ModelReader.read(ReferenceModels.bytes("hello_world_int8.tflite"));
        Subgraph sg = int8.mainSubgraph();
        p.setRange(0, range(sg.tensor(sg.inputs()[0])));
        int[] outputNodes = {2, 4, 5};
        for (int layer = 0; layer < 3; layer++) {
            ValueRange r = range(sg.tensor(sg.operators().get(layer).output(0)));
            p.setRange(outputNodes[layer], r);
            p.setRange(DENSE_NODES[layer], r);
        }
    }

    private static ValueRange range(Tensor t) {
        Quantization q = t.quantization();
        return new ValueRange((float) (q.scale() * (-128.0 - q.zeroPoint())), (float) (q.scale() * (127.0 - q.zeroPoint())));
    }

    private static float[] floats(Model model, Tensor t) {
        ByteBuffer bb = ByteBuffer.wrap(model.buffer(t.buffer()).toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getFloat();
        }
        return out;
    }
}
