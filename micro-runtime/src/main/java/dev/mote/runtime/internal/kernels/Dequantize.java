package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * DEQUANTIZE: int8 → float32, {@code scale * (q - zero_point)} computed in float as TFLM's reference
 * {@code Dequantize}. The 256 possible results are computed in prepare.
 */
public final class Dequantize implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final float[] table = new float[256];
    private int elements;

    /** TFLM's {@code DequantizeOpData}: {@code DequantizationParams} (double scale, zero point), 3 int32. */
    static CStruct opData(Abi abi) {
        CStruct dequantizationParams = CStruct.of(abi).float64().int32().build();
        return CStruct.of(abi).struct(dequantizationParams).int32s(3).build();
    }

    /** Checks the node and declares what TFLM's {@code DequantizePrepare} allocates: input, then output. */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, 1, 1);
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        MicroTensor input = node.requiredInput(0);
        MicroTensor output = node.output(0);
        node.requireType(input, "input", TensorType.INT8);
        node.requireType(output, "output", TensorType.FLOAT32);
        TensorChecks.requireSameElementCount(node, input, output);
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        elements = input.elementCount();
        float scale = input.scale();
        int zeroPoint = input.zeroPoint();
        for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
            table[q & 0xFF] = scale * (float) (q - zeroPoint);
        }
    }

    /** The float value of every int8 input value as prepare computed it ({@code table[q & 0xFF]}). */
    public float[] table() {
        return table.clone();
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        for (int i = 0; i < elements; i++) {
            FLOAT32.set(out, outBase + 4 * i, table[in[inBase + i] & 0xFF]);
        }
    }
}
