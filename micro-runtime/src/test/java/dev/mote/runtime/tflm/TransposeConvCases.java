package dev.mote.runtime.tflm;

import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.runtime.format.ModelBuilder;
import dev.mote.runtime.format.Quantization;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.TensorType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * TRANSPOSE_CONV single-op models: inputs (output_shape int32 constant, filter {@code [outC, fh, fw, inC]}, input,
 * optional bias), strides 1-3, SAME or VALID, input 1-6 x 1-6, channels 1-6 in and out, filter 1-4, batch 1-2,
 * bias one case in four omitted. int8 (per-channel filter, int32 bias), 16x8 (int64 bias, one case in four int16)
 * and float32; fused activation NONE, RELU, RELU_N1_TO_1 or RELU6 (TFLM honours it for every type).
 */
final class TransposeConvCases {
    private TransposeConvCases() {
    }

    static List<Variant> variants() {
        return List.of(
                new Variant(BuiltinOperator.TRANSPOSE_CONV, "TRANSPOSE_CONV int8", 9_700_000,
                        (s, r) -> draw(s, r, TensorType.INT8)),
                new Variant(BuiltinOperator.TRANSPOSE_CONV, "TRANSPOSE_CONV 16x8", 9_750_000,
                        (s, r) -> draw(s, r, TensorType.INT16)),
                new Variant(BuiltinOperator.TRANSPOSE_CONV, "TRANSPOSE_CONV float32", 9_800_000,
                        (s, r) -> draw(s, r, TensorType.FLOAT32)));
    }

    static DeviceCase draw(long seed, RandomCases r, TensorType type) {
        int batch = r.between(1, 2);
        int inH = r.between(1, 6);
        int inW = r.between(1, 6);
        int inC = r.between(1, 6);
        int outC = r.between(1, 6);
        int fH = r.between(1, 4);
        int fW = r.between(1, 4);
        int sH = r.between(1, 3);
        int sW = r.between(1, 3);
        boolean same = r.nextInt(2) == 0;
        int outH = same ? inH * sH : (inH - 1) * sH + fH;
        int outW = same ? inW * sW : (inW - 1) * sW + fW;
        int activation = Draw.fused(r).code();
        boolean withBias = r.nextInt(4) != 0;
        boolean int16Bias = type == TensorType.INT16 && r.nextInt(4) == 0;
        ModelBuilder b = new ModelBuilder();
        int[] outShape = {batch, outH, outW, outC};
        int shape = b.addConstant("output_shape", TensorType.INT32, new int[] {4}, LittleEndian.ints(outShape),
                Quantization.NONE);
        boolean q = type != TensorType.FLOAT32;
        float inScale = type == TensorType.INT16 ? r.scale(0.0001, 0.01) : r.scale(0.004, 0.25);
        Quantization qIn = !q ? Quantization.NONE
                : Quantization.perTensor(inScale, type == TensorType.INT8 ? Draw.zeroPoint(r) : 0);
        float[] fScales = new float[outC];
        long[] fZeros = new long[outC];
        for (int c = 0; c < outC; c++) {
            fScales[c] = r.scale(0.002, 0.05);
        }
        int filterCount = outC * fH * fW * inC;
        int filter = b.addConstant("filter", q ? TensorType.INT8 : TensorType.FLOAT32, new int[] {outC, fH, fW, inC},
                q ? Draw.weights(r, filterCount) : Draw.floats(r, filterCount, 0.4),
                q ? Quantization.perChannel(fScales, fZeros, 0) : Quantization.NONE);
        int x = b.addInput("input", type, new int[] {batch, inH, inW, inC}, qIn);
        int[] in = {shape, filter, x};
        if (withBias) {
            byte[] data;
            TensorType bt;
            if (type == TensorType.FLOAT32) {
                bt = TensorType.FLOAT32;
                data = Draw.floats(r, outC, 0.5);
            } else if (type == TensorType.INT8) {
                bt = TensorType.INT32;
                int[] v = new int[outC];
                for (int c = 0; c < outC; c++) {
                    v[c] = r.between(-20000, 20000);
                }
                data = LittleEndian.ints(v);
            } else {
                bt = int16Bias ? TensorType.INT16 : TensorType.INT64;
                ByteBuffer bb = ByteBuffer.allocate((int16Bias ? 2 : 8) * outC).order(ByteOrder.LITTLE_ENDIAN);
                for (int c = 0; c < outC; c++) {
                    int v = r.between(-30000, 30000);
                    if (int16Bias) {
                        bb.putShort((short) v);
                    } else {
                        bb.putLong(v * 37L);
                    }
                }
                data = bb.array();
            }
            float[] bScales = new float[outC];
            for (int c = 0; c < outC; c++) {
                bScales[c] = inScale * fScales[c];
            }
            int bias = b.addConstant("bias", bt, new int[] {outC}, data,
                    q ? Quantization.perChannel(bScales, new long[outC], 0) : Quantization.NONE);
            in = new int[] {shape, filter, x, bias};
        }
        Quantization qOut = !q ? Quantization.NONE
                : Quantization.perTensor(type == TensorType.INT16 ? r.scale(0.0005, 0.05) : r.scale(0.02, 1.0),
                type == TensorType.INT8 ? Draw.zeroPoint(r) : 0);
        int y = b.addTensor("output", type, outShape, qOut);
        b.addOperator(BuiltinOperator.TRANSPOSE_CONV, type == TensorType.INT16 ? 3 : (q ? 2 : 1),
                new BuiltinOptions.TransposeConv(same ? 0 : 1, sW, sH, activation, 0), in, new int[] {y});
        b.addOutput(y);
        int n = batch * inH * inW * inC;
        byte[] data;
        if (type == TensorType.INT8) {
            data = r.int8sCoveringAll(n);
        } else if (type == TensorType.INT16) {
            ByteBuffer bb = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                bb.putShort((short) r.between(-32768, 32767));
            }
            data = bb.array();
        } else {
            data = Draw.floats(r, n, 1.0);
        }
        return new DeviceCase("TRANSPOSE_CONV " + type, seed, "batch " + batch + ", input " + inH + "x" + inW + "x"
                + inC + ", filter " + fH + "x" + fW + ", out channels " + outC + ", stride " + sH + "x" + sW + ", "
                + (same ? "SAME" : "VALID") + ", activation " + activation + (withBias ? "" : ", no bias")
                + (int16Bias ? ", int16 bias" : ""), b.toBytes(), List.of(data));
    }
}
