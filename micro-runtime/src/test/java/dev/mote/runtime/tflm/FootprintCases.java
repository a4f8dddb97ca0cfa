package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * Seeded random single-op models for the arena figures only: ops Mote does not compute but whose TFLM footprint it
 * declares (SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM, int16 MEAN and int16 SOFTMAX, which Mote now computes, their
 * footprint declared by their kernels' prepare), and configurations Mote's
 * kernels refuse but whose footprint it declares too (per-channel FULLY_CONNECTED, an
 * INT4 CONV_2D filter, a 16x8 DEPTHWISE_CONV_2D with an int32 bias). Their inputs are empty (zeros): only allocation matters.
 */
public final class FootprintCases {
    private FootprintCases() {
    }

    /**
     * The ops and configurations whose footprint Mote declares without computing them (footprint-only kernels):
     * compared for exact figures.
     */
    public static List<Variant> footprintOnly() {
        return List.of(
                new Variant(BuiltinOperator.SVDF, "SVDF float32", 7_000_000, (s, r) -> svdf(s, r, false)),
                new Variant(BuiltinOperator.SVDF, "SVDF int8", 7_050_000, (s, r) -> svdf(s, r, true)),
                new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "UNIDIRECTIONAL_SEQUENCE_LSTM float32",
                        7_100_000, (s, r) -> lstm(s, r, false)),
                new Variant(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, "UNIDIRECTIONAL_SEQUENCE_LSTM int8",
                        7_150_000, (s, r) -> lstm(s, r, true)),
                new Variant(BuiltinOperator.MEAN, "MEAN int16", 7_200_000, FootprintCases::meanInt16),
                new Variant(BuiltinOperator.SOFTMAX, "SOFTMAX int16", 7_300_000, FootprintCases::softmaxInt16),
                new Variant(BuiltinOperator.FULLY_CONNECTED, "FULLY_CONNECTED per-channel int8", 7_350_000,
                        FootprintCases::perChannelFullyConnected),
                new Variant(BuiltinOperator.CONV_2D, "CONV_2D int4 filter", 7_400_000, FootprintCases::int4Conv),
                new Variant(BuiltinOperator.DEPTHWISE_CONV_2D, "DEPTHWISE_CONV_2D int16 with int32 bias", 7_450_000,
                        ConvolutionCases::depthwise16Int32Bias));
    }

    private static byte[] bytes(RandomCases r, TensorType type, int n) {
        return r.data(type, n);
    }

    static DeviceCase svdf(long seed, RandomCases r, boolean int8) {
        int batch = r.between(1, 3);
        int input = r.between(1, 24);
        int rank = r.between(1, 3);
        int units = r.between(1, 8);
        int filters = rank * units;
        int memory = r.between(1, 10);
        ModelBuilder b = new ModelBuilder();
        TensorType act = int8 ? TensorType.INT8 : TensorType.FLOAT32;
        TensorType time = int8 ? (r.nextBoolean() ? TensorType.INT16 : TensorType.INT8) : TensorType.FLOAT32;
        Quantization qIn = int8 ? Quantization.perTensor(0.05f, 3) : Quantization.NONE;
        Quantization qState = int8 ? Quantization.perTensor(0.02f, 0) : Quantization.NONE;
        Quantization qTime = int8 ? Quantization.perTensor(0.01f, 0) : Quantization.NONE;
        Quantization qBias = int8 ? Quantization.perTensor(0.02f * 0.01f, 0) : Quantization.NONE;
        int x = b.addInput("input", act, new int[] {batch, input}, qIn);
        int wf = b.addConstant("weights_feature", act, new int[] {filters, input}, bytes(r, act, filters * input),
                int8 ? Quantization.perTensor(0.03f, 0) : Quantization.NONE);
        int wt = b.addConstant("weights_time", time, new int[] {filters, memory}, bytes(r, time, filters * memory),
                qTime);
        boolean withBias = true; // TFLM's PrepareSvdf needs it (int8 reads its scale, float deallocates it)
        int bias = withBias ? b.addConstant("bias", int8 ? TensorType.INT32 : TensorType.FLOAT32, new int[] {units},
                bytes(r, int8 ? TensorType.INT32 : TensorType.FLOAT32, units), qBias) : -1;
        int state = b.addVariable("activation_state", int8 ? time : TensorType.FLOAT32,
                new int[] {batch, memory * filters}, qState);
        int y = b.addTensor("output", act, new int[] {batch, units}, int8 ? Quantization.perTensor(0.1f, -2)
                : Quantization.NONE);
        b.addOperator(BuiltinOperator.SVDF, int8 ? 3 : 1, new BuiltinOptions.Svdf(rank, 0, false),
                new int[] {x, wf, wt, bias, state}, new int[] {y});
        b.addOutput(y);
        return new DeviceCase("SVDF " + (int8 ? "int8" : "float32"), seed, "batch " + batch + ", input " + input
                + ", rank " + rank + ", units " + units + ", memory " + memory + ", time weights " + time
                + (withBias ? "" : ", no bias"), b.toBytes(), List.of());
    }

    static DeviceCase lstm(long seed, RandomCases r, boolean int8) {
        int batch = r.between(1, 3);
        int steps = r.between(1, 5);
        int input = r.between(1, 12);
        int state = r.between(1, 12);
        boolean timeMajor = r.nextBoolean();
        ModelBuilder b = new ModelBuilder();
        TensorType act = int8 ? TensorType.INT8 : TensorType.FLOAT32;
        TensorType biasType = int8 ? TensorType.INT32 : TensorType.FLOAT32;
        Quantization qAct = int8 ? Quantization.perTensor(0.05f, 2) : Quantization.NONE;
        Quantization qW = int8 ? Quantization.perTensor(0.02f, 0) : Quantization.NONE;
        Quantization qBias = int8 ? Quantization.perTensor(0.001f, 0) : Quantization.NONE;
        int[] in = new int[24];
        java.util.Arrays.fill(in, -1);
        in[0] = b.addInput("input", act, timeMajor ? new int[] {steps, batch, input} : new int[] {batch, steps, input},
                qAct);
        String[] gates = {"input", "forget", "cell", "output"};
        for (int g = 0; g < 4; g++) {
            in[1 + g] = b.addConstant("input_to_" + gates[g] + "_weights", act, new int[] {state, input},
                    bytes(r, act, state * input), qW);
        }
        for (int g = 0; g < 4; g++) {
            in[5 + g] = b.addConstant("recurrent_to_" + gates[g] + "_weights", act, new int[] {state, state},
                    bytes(r, act, state * state), qW);
        }
        for (int g = 0; g < 4; g++) {
            in[12 + g] = b.addConstant(gates[g] + "_gate_bias", biasType, new int[] {state},
                    bytes(r, biasType, state), qBias);
        }
        in[18] = b.addVariable("output_state", act, new int[] {batch, state}, qAct);
        in[19] = b.addVariable("cell_state", int8 ? TensorType.INT16 : TensorType.FLOAT32, new int[] {batch, state},
                int8 ? Quantization.perTensor(1f / 2048, 0) : Quantization.NONE);
        int y = b.addTensor("output", act, timeMajor ? new int[] {steps, batch, state}
                : new int[] {batch, steps, state}, qAct);
        b.addOperator(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, 1,
                new BuiltinOptions.UnidirectionalSequenceLstm(7, 10f, 0f, timeMajor, false, false), in,
                new int[] {y});
        b.addOutput(y);
        return new DeviceCase("UNIDIRECTIONAL_SEQUENCE_LSTM " + (int8 ? "int8" : "float32"), seed, "batch " + batch
                + ", steps " + steps + ", input " + input + ", state " + state + (timeMajor ? ", time major" : ""),
                b.toBytes(), List.of());
    }

    static DeviceCase meanInt16(long seed, RandomCases r) {
        int rank = r.between(1, 4);
        int[] shape = r.dims(rank, 1, 6);
        int axis = r.nextInt(rank);
        boolean keep = r.nextBoolean();
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (d != axis) {
                out.add(shape[d]);
            } else if (keep) {
                out.add(1);
            }
        }
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT16, shape, Quantization.perTensor(0.001f, 0));
        int a = b.addInt32Vector("axis", axis);
        int y = b.addTensor("y", TensorType.INT16, out.stream().mapToInt(Integer::intValue).toArray(),
                Quantization.perTensor(0.002f, 0));
        b.addOperator(BuiltinOperator.MEAN, 1, new BuiltinOptions.Reducer(keep), new int[] {x, a}, new int[] {y});
        b.addOutput(y);
        return new DeviceCase("MEAN int16", seed, Draw.shape(shape) + " axis " + axis + (keep ? " keep_dims" : ""),
                b.toBytes(), List.of());
    }

    static DeviceCase softmaxInt16(long seed, RandomCases r) {
        int[] shape = r.dims(r.between(1, 3), 1, 12);
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT16, shape, Quantization.perTensor(0.001f, 0));
        int y = b.addTensor("y", TensorType.INT16, shape, Quantization.perTensor(1f / 32768, 0));
        b.addOperator(BuiltinOperator.SOFTMAX, 3, new BuiltinOptions.Softmax(1f), new int[] {x}, new int[] {y});
        b.addOutput(y);
        return new DeviceCase("SOFTMAX int16", seed, Draw.shape(shape), b.toBytes(), List.of());
    }

    static DeviceCase perChannelFullyConnected(long seed, RandomCases r) {
        int batch = r.between(1, 3);
        int in = r.between(1, 24);
        int out = r.between(1, 16);
        float[] scales = new float[out];
        long[] zps = new long[out];
        for (int i = 0; i < out; i++) {
            scales[i] = r.scale(0.001, 0.05);
        }
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT8, new int[] {batch, in}, Quantization.perTensor(0.05f, 1));
        int w = b.addConstant("w", TensorType.INT8, new int[] {out, in}, r.int8s(out * in),
                Quantization.perChannel(scales, zps, 0));
        float[] biasScales = new float[out];
        for (int i = 0; i < out; i++) {
            biasScales[i] = scales[i] * 0.05f;
        }
        int bias = b.addConstant("b", TensorType.INT32, new int[] {out}, r.data(TensorType.INT32, out),
                Quantization.perChannel(biasScales, zps, 0));
        int y = b.addTensor("y", TensorType.INT8, new int[] {batch, out}, Quantization.perTensor(0.1f, -3));
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, 4, new BuiltinOptions.FullyConnected(0, 0, false, false),
                new int[] {x, w, bias}, new int[] {y});
        b.addOutput(y);
        return new DeviceCase("FULLY_CONNECTED per-channel int8", seed, batch + "x" + in + " -> " + out, b.toBytes(),
                List.of());
    }

    static DeviceCase int4Conv(long seed, RandomCases r) {
        int h = r.between(3, 8);
        int w = r.between(3, 8);
        int cin = r.between(1, 4);
        int cout = r.between(1, 6);
        int k = r.between(1, 3);
        int filterElements = cout * k * k * cin;
        float[] scales = new float[cout];
        long[] zps = new long[cout];
        float[] biasScales = new float[cout];
        for (int i = 0; i < cout; i++) {
            scales[i] = r.scale(0.01, 0.1);
            biasScales[i] = scales[i] * 0.05f;
        }
        ModelBuilder b = new ModelBuilder();
        int x = b.addInput("x", TensorType.INT8, new int[] {1, h, w, cin}, Quantization.perTensor(0.05f, 0));
        int f = b.addConstant("filter", TensorType.INT4, new int[] {cout, k, k, cin},
                r.int8s((filterElements + 1) / 2), Quantization.perChannel(scales, zps, 0));
        int bias = b.addConstant("bias", TensorType.INT32, new int[] {cout}, r.data(TensorType.INT32, cout),
                Quantization.perChannel(biasScales, zps, 0));
        int y = b.addTensor("y", TensorType.INT8, new int[] {1, h - k + 1, w - k + 1, cout},
                Quantization.perTensor(0.2f, 1));
        b.addOperator(BuiltinOperator.CONV_2D, 7, BuiltinOptions.Conv2D.of(dev.mote.vocabulary.Padding.VALID, 1, 1,
                dev.mote.vocabulary.Activation.NONE), new int[] {x, f, bias}, new int[] {y});
        b.addOutput(y);
        return new DeviceCase("CONV_2D int4 filter", seed, h + "x" + w + "x" + cin + " k" + k + " -> " + cout,
                b.toBytes(), List.of());
    }
}
