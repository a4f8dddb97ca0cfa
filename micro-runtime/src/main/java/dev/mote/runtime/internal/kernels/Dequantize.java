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
 * DEQUANTIZE: int8 or int16 → float32, {@code (float) (scale * (q - zero_point))} with TFLM's double scale, as its
 * reference {@code Dequantize}. The 256 (int8) or 65536 (int16) possible results are computed in prepare.
 */
public final class Dequantize implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final float[] table = new float[256];
    private float[] int16Table;
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
        node.requireType(input, "input", TensorType.INT8, TensorType.INT16);
        node.requireType(output, "output", TensorType.FLOAT32);
        TensorChecks.requireSameElementCount(node, input, output);
        TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input, "input");
        elements = input.elementCount();
        double scale = input.scale();
        int zeroPoint = input.zeroPoint();
        if (input.type() == TensorType.INT16) {
            int16Table = new float[1 << 16];
            for (int q = Short.MIN_VALUE; q <= Short.MAX_VALUE; q++) {
                int16Table[q - Short.MIN_VALUE] = (float) (scale * (q - zeroPoint));
            }
            return;
        }
        int16Table = null;
        for (int q = Byte.MIN_VALUE; q <= Byte.MAX_VALUE; q++) {
            table[q & 0xFF] = (float) (scale * (q - zeroPoint));
        }
    }

    /**
     * The float value of every int8 input value as prepare computed it ({@code table[q & 0xFF]}); null for an int16
     * input.
     */
    public float[] table() {
        return int16Table == null ? table.clone() : null;
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        byte[] in = input.data();
        int inBase = input.dataOffset();
        byte[] out = output.data();
        int outBase = output.dataOffset();
        if (int16Table != null) {
            for (int i = 0; i < elements; i++) {
                FLOAT32.set(out, outBase + 4 * i, int16Table[(short) INT16.get(in, inBase + 2 * i) - Short.MIN_VALUE]);
            }
            return;
        }
        for (int i = 0; i < elements; i++) {
            FLOAT32.set(out, outBase + 4 * i, table[in[inBase + i] & 0xFF]);
        }
    }
}
