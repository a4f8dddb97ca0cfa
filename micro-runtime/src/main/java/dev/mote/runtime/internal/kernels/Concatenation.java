package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;

/**
 * CONCATENATION of up to 10 inputs along {@code axis} (negative counts from the end), ranks up to 6, for float32,
 * int8, int16, int32, int64 and bool, as in TFLM. TFLM's int8 kernel copies bytes and does not rescale: it refuses
 * int8 inputs whose scale or zero point differ from the output's, and so does Mote (re-quantize with a QUANTIZE op
 * first). The fused activation must be NONE, as TFLM requires.
 */
public final class Concatenation implements Kernel {
    private static final int MAX_INPUTS = 10;
    private static final int MAX_RANK = 6;

    private int outerCount;
    /** Bytes each input contributes per outer index. */
    private int[] chunkBytes;

    /** TFLM's {@code TfLiteConcatenationParams}: axis, activation. */
    static CStruct builtinData(Abi abi) {
        return CStruct.of(abi).int32().cEnum().build();
    }

    /**
     * TFLM's {@code ConcatenationParams} (its OpData, {@code kernels/internal/types.h}): axis (int32), input zero
     * point and scale pointers, inputs count, output zero point (int32), output scale.
     */
    static CStruct opData(Abi abi) {
        return CStruct.of(abi).int32().pointers(2).int32s(2).float32().build();
    }

    /**
     * Checks the node and declares what TFLM's {@code ConcatenationPrepare} allocates: temporary tensors for input
     * 0 and the output, then for every input in turn (concatenation.cc; no persistent buffers: since TFLM's int8
     * kernel refuses rescaling it keeps no per-input scales).
     */
    @Override
    public void prepare(NodeContext node) {
        node.requireArity(1, MAX_INPUTS, 1);
        MicroTensor output = node.output(0);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempOutputTensor(0);
        node.allocateTempInputTensors();
        BuiltinOptions.Concatenation options = node.options(BuiltinOptions.Concatenation.class);
        int activation = options == null ? 0 : options.activation();
        if (activation != 0) {
            throw node.fail("fused_activation_function", "TFLM's CONCATENATION only accepts NONE (0), got "
                    + activation);
        }
        int elementSize = Shapes.elementSize(node, "output", output, TensorType.FLOAT32, TensorType.INT8,
                TensorType.INT16, TensorType.INT32, TensorType.INT64, TensorType.BOOL);
        Shapes.requireRank(node, "output", output, 1, MAX_RANK);
        int rank = output.rank();
        int axis = Shapes.normalizeAxis(node, "axis", options == null ? 0 : options.axis(), rank);
        int n = node.inputCount();
        chunkBytes = new int[n];
        int inner = Shapes.product(output.shape(), axis + 1, rank);
        long axisTotal = 0;
        for (int i = 0; i < n; i++) {
            String field = "inputs[" + i + "]";
            MicroTensor input = node.requiredInput(i);
            if (input.type() != output.type()) {
                throw node.fail(field, "type " + input.type() + " differs from the output type " + output.type());
            }
            if (input.rank() != rank) {
                throw node.fail(field, "rank " + input.rank() + " differs from the output rank " + rank);
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && input.dim(d) != output.dim(d)) {
                    throw node.fail(field, "shape " + Shapes.describe(input.shape()) + " differs from the output "
                            + Shapes.describe(output.shape()) + " in dimension " + d + " (only the axis " + axis
                            + " may differ)");
                }
            }
            if (input.type() == TensorType.INT8 && (input.scale() != output.scale()
                    || input.zeroPoint() != output.zeroPoint())) {
                throw node.fail(field + ".quantization", "scale " + input.scale() + " and zero point "
                        + input.zeroPoint() + " differ from the output's (" + output.scale() + ", "
                        + output.zeroPoint() + "); TFLM's int8 CONCATENATION does not rescale");
            }
            if (input.type() == TensorType.INT16 && input.zeroPoint() != 0) {
                throw node.fail(field + ".quantization", "int16 zero point must be 0, got " + input.zeroPoint());
            }
            axisTotal += input.dim(axis);
            chunkBytes[i] = input.dim(axis) * inner * elementSize;
        }
        if (output.type() == TensorType.INT16 && output.zeroPoint() != 0) {
            throw node.fail("output.quantization", "int16 zero point must be 0, got " + output.zeroPoint());
        }
        if (axisTotal != output.dim(axis)) {
            throw node.fail("output", "dimension " + axis + " is " + output.dim(axis) + " but the inputs add up to "
                    + axisTotal);
        }
        outerCount = Shapes.product(output.shape(), 0, axis);
    }

    /** What prepare derived (the C code generator emits it): outer count and the bytes of each input's chunk. */
    public record Layout(int outerCount, int[] chunkBytes) {
    }

    public Layout layout() {
        return new Layout(outerCount, chunkBytes.clone());
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor output = node.output(0);
        byte[] out = output.data();
        int outPos = output.dataOffset();
        int n = chunkBytes.length;
        for (int k = 0; k < outerCount; k++) {
            for (int i = 0; i < n; i++) {
                MicroTensor input = node.input(i);
                int chunk = chunkBytes[i];
                System.arraycopy(input.data(), input.dataOffset() + k * chunk, out, outPos, chunk);
                outPos += chunk;
            }
        }
    }
}
