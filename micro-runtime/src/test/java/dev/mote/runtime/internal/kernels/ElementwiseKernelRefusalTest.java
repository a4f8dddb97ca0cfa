package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.Quantization;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.SingleOpModel;
import org.junit.jupiter.api.Test;

/** Every prepare-time refusal of the elementwise kernels: a typed exception naming operator, op and field. */
class ElementwiseKernelRefusalTest {
    private static final int[] S = {1, 4};
    private static final Quantization Q = Quantization.perTensor(0.05f, 3);

    private static void assertRefused(SingleOpModel model, BuiltinOperator op, String field) {
        ModelRuns.assertRefused(model.bytes(), op, field);
    }

    private static SingleOpModel unary(BuiltinOperator op, BuiltinOptions options, TensorType inType,
                                       Quantization inQ, TensorType outType, int[] outShape, Quantization outQ) {
        return new SingleOpModel(op, 2, options).input(inType, S, inQ).output(outType, outShape, outQ);
    }

    private static SingleOpModel int8Unary(BuiltinOperator op, BuiltinOptions options, Quantization outQ) {
        return unary(op, options, TensorType.INT8, Q, TensorType.INT8, S, outQ);
    }

    @Test
    void softmax() {
        BuiltinOperator op = BuiltinOperator.SOFTMAX;
        Quantization out = Quantization.perTensor(1f / 256, -128);
        assertRefused(int8Unary(op, new BuiltinOptions.Softmax(1e-9f), out), op, "beta");
        assertRefused(int8Unary(op, new BuiltinOptions.Softmax(Float.NaN), out), op, "beta");
        assertRefused(int8Unary(op, new BuiltinOptions.Softmax(1f), Quantization.perTensor(1f / 255, -128)), op,
                "output.quantization");
        assertRefused(int8Unary(op, new BuiltinOptions.Softmax(1f), Quantization.perTensor(1f / 256, 0)), op,
                "output.quantization");
        assertRefused(unary(op, new BuiltinOptions.Softmax(1f), TensorType.INT32, Quantization.NONE, TensorType.INT32,
                S, Quantization.NONE), op, "input");
        assertRefused(unary(op, new BuiltinOptions.Softmax(1f), TensorType.FLOAT32, Quantization.NONE, TensorType.INT8,
                S, out), op, "output");
        assertRefused(int8Unary(op, new BuiltinOptions.Softmax(1f), out).output(TensorType.INT8, new int[] {4, 1},
                out), op, "output");
        assertRefused(unary(op, new BuiltinOptions.Softmax(1f), TensorType.INT8, Quantization.NONE, TensorType.INT8, S,
                out), op, "input.quantization");
        assertRefused(int8Unary(op, new BuiltinOptions.Add(0, false), out), op, "builtin_options");
    }

    @Test
    void logisticAndTanh() {
        assertRefused(int8Unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, Quantization.perTensor(1f / 256, 0)),
                BuiltinOperator.LOGISTIC, "output.quantization");
        assertRefused(int8Unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, Quantization.perTensor(0.01f, -128)),
                BuiltinOperator.LOGISTIC, "output.quantization");
        // TFLM's int8 TANH ignores the output quantization (RefusalsTflmTest): Mote runs it, with a warning.
        ModelRuns.assertRunsWithWarning(int8Unary(BuiltinOperator.TANH, BuiltinOptions.NONE,
                Quantization.perTensor(1f / 128, 5)).bytes(), "output.quantization");
        assertRefused(unary(BuiltinOperator.TANH, BuiltinOptions.NONE, TensorType.INT8, Q, TensorType.FLOAT32, S,
                Quantization.NONE), BuiltinOperator.TANH, "output");
        // int16 LOGISTIC is computed (16x8), symmetric only, as TFLM's prepare requires
        assertRefused(unary(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, TensorType.INT16, Q, TensorType.INT16, S,
                Q), BuiltinOperator.LOGISTIC, "input.quantization.zero_point");
    }

    @Test
    void reluFamilyAndHardSwish() {
        assertRefused(unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.INT8, Quantization.NONE,
                TensorType.INT8, S, Q), BuiltinOperator.RELU, "input.quantization");
        assertRefused(int8Unary(BuiltinOperator.RELU, BuiltinOptions.NONE,
                Quantization.perChannel(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new long[4], 1)), BuiltinOperator.RELU,
                "output.quantization");
        assertRefused(unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.INT8, Q, TensorType.INT8,
                new int[] {2, 3}, Q), BuiltinOperator.RELU, "output");
        // Same element count in another shape, and an int8 RELU6 output quantization other than the input's: TFLM
        // runs both (RefusalsTflmTest), and so does Mote, with a warning.
        ModelRuns.assertRunsWithWarning(unary(BuiltinOperator.RELU, BuiltinOptions.NONE, TensorType.INT8, Q,
                TensorType.INT8, new int[] {2, 2}, Q).bytes(), "output");
        ModelRuns.assertRunsWithWarning(int8Unary(BuiltinOperator.RELU6, BuiltinOptions.NONE,
                Quantization.perTensor(0.05f, 4)).bytes(), "output.quantization");
        assertRefused(int8Unary(BuiltinOperator.LEAKY_RELU, new BuiltinOptions.LeakyRelu(Float.NaN), Q),
                BuiltinOperator.LEAKY_RELU, "alpha");
        assertRefused(int8Unary(BuiltinOperator.HARD_SWISH, BuiltinOptions.NONE, Quantization.perTensor(1e-5f, 0)),
                BuiltinOperator.HARD_SWISH, "output.quantization.scale");
        assertRefused(new SingleOpModel(BuiltinOperator.RELU, 2, BuiltinOptions.NONE)
                .input(TensorType.INT8, S, Q).input(TensorType.INT8, S, Q).output(TensorType.INT8, S, Q),
                BuiltinOperator.RELU, "inputs");
    }

    private static SingleOpModel binary(BuiltinOperator op, BuiltinOptions options, int[] s1, int[] s2, int[] so) {
        return new SingleOpModel(op, 2, options).input(TensorType.INT8, s1, Q).input(TensorType.INT8, s2, Q)
                .output(TensorType.INT8, so, Q);
    }

    @Test
    void addSubMul() {
        BuiltinOperator add = BuiltinOperator.ADD;
        assertRefused(binary(add, new BuiltinOptions.Add(7, false), S, S, S), add, "fused_activation_function");
        assertRefused(binary(add, new BuiltinOptions.Add(4, false), S, S, S), add, "fused_activation_function");
        assertRefused(binary(add, new BuiltinOptions.Add(0, false), new int[] {2, 3}, new int[] {2, 4},
                new int[] {2, 4}), add, "inputs");
        assertRefused(binary(add, new BuiltinOptions.Add(0, false), new int[] {2, 1}, new int[] {1, 3},
                new int[] {2, 1}), add, "output");
        assertRefused(new SingleOpModel(add, 2, new BuiltinOptions.Add(0, false)).input(TensorType.INT8, S, Q)
                .input(TensorType.FLOAT32, S, Quantization.NONE).output(TensorType.INT8, S, Q), add, "input2");
        assertRefused(new SingleOpModel(add, 2, new BuiltinOptions.Add(0, false)).input(TensorType.INT8, S, Q)
                .input(TensorType.INT8, S, Q).output(TensorType.INT8, S, Quantization.perTensor(1e-8f, 0)), add,
                "output.quantization.scale");
        BuiltinOperator sub = BuiltinOperator.SUB;
        int[] rank7 = {1, 1, 1, 1, 1, 2, 2};
        assertRefused(binary(sub, new BuiltinOptions.Sub(0, false), rank7, rank7, rank7), sub, "inputs");
        assertRefused(new SingleOpModel(sub, 2, new BuiltinOptions.Sub(0, false)).input(TensorType.INT8, S, Q)
                .input(TensorType.INT8, S, Quantization.perTensor(0.05f, 300)).output(TensorType.INT8, S, Q), sub,
                "input2.quantization.zero_point");
        BuiltinOperator mul = BuiltinOperator.MUL;
        // real TFLM runs MUL over 5 and 6 dimensions (tflm.PoolingArithmeticOutputsTflmTest); 7 is refused
        assertRefused(binary(mul, new BuiltinOptions.Mul(0), rank7, rank7, rank7), mul, "inputs");
        assertRefused(new SingleOpModel(mul, 2, new BuiltinOptions.Mul(0))
                .input(TensorType.INT8, S, Quantization.perChannel(new float[] {0.1f, 0.2f, 0.3f, 0.4f},
                        new long[4], 1))
                .input(TensorType.INT8, S, Q).output(TensorType.INT8, S, Q), mul, "input1.quantization");
        assertRefused(new SingleOpModel(mul, 2, new BuiltinOptions.Mul(0)).input(TensorType.INT32, S, Quantization.NONE)
                .input(TensorType.INT32, S, Quantization.NONE).output(TensorType.INT32, S, Quantization.NONE), mul,
                "input1");
    }

    @Test
    void quantizeAndDequantize() {
        BuiltinOperator q = BuiltinOperator.QUANTIZE;
        assertRefused(unary(q, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE, TensorType.FLOAT32, S,
                Quantization.NONE), q, "output");
        assertRefused(unary(q, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE, TensorType.INT8, S,
                Quantization.NONE), q, "output.quantization");
        assertRefused(unary(q, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE, TensorType.INT8, S,
                Quantization.perTensor(0.1f, 200)), q, "output.quantization.zero_point");
        // int16 to int8 is computed now; int32 to int32 TFLM prepares but does not evaluate
        assertRefused(unary(q, BuiltinOptions.NONE, TensorType.INT32, Q, TensorType.INT32, S, Q), q, "output");
        BuiltinOperator dq = BuiltinOperator.DEQUANTIZE;
        assertRefused(unary(dq, BuiltinOptions.NONE, TensorType.FLOAT32, Quantization.NONE, TensorType.FLOAT32, S,
                Quantization.NONE), dq, "input");
        assertRefused(unary(dq, BuiltinOptions.NONE, TensorType.INT8, Q, TensorType.INT8, S, Q), dq, "output");
        assertRefused(unary(dq, BuiltinOptions.NONE, TensorType.INT8, Quantization.NONE, TensorType.FLOAT32, S,
                Quantization.NONE), dq, "input.quantization");
    }
}
