package dev.mote.runtime.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.QuantizedMath;
import dev.mote.runtime.format.Activation;
import dev.mote.runtime.format.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Common frame of ADD, SUB and MUL: two inputs of the same type (int8 or float32) broadcast against each other
 * ({@link BroadcastShape}), one output of the broadcast shape, a fused activation. Subclasses give the options'
 * activation code, the broadcast rank TFLM supports, and the arithmetic for one pair of elements.
 */
abstract class ElementwiseBinaryKernel implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final BroadcastShape.ElementVisitor int8Visitor = this::visitInt8;
    private final BroadcastShape.ElementVisitor floatVisitor = this::visitFloat;
    private BroadcastShape broadcast;
    private boolean quantized;
    private int elements;
    /** The fused activation's int8 range (quantized) or float range. */
    int actMin;
    int actMax;
    float floatMin;
    float floatMax;
    // bound for the duration of one invoke
    private byte[] in1;
    private byte[] in2;
    private byte[] out;
    private int in1Base;
    private int in2Base;
    private int outBase;

    @Override
    public final void prepare(NodeContext node) {
        node.requireArity(2, 2, 1);
        MicroTensor input1 = node.requiredInput(0);
        MicroTensor input2 = node.requiredInput(1);
        MicroTensor output = node.output(0);
        Activation activation = FusedActivation.parse(node, activationCode(node));
        node.requireType(input1, "input1", TensorType.INT8, TensorType.FLOAT32);
        if (input2.type() != input1.type()) {
            throw node.fail("input2", "type " + input2.type() + " differs from input1's " + input1.type());
        }
        TensorChecks.requireSameType(node, input1, output);
        try {
            broadcast = BroadcastShape.of(input1.shape(), input2.shape(), maxBroadcastRank());
        } catch (IllegalArgumentException e) {
            throw node.fail("inputs", e.getMessage());
        }
        if (!Arrays.equals(broadcast.outputShape(), output.shape())) {
            throw node.fail("output", "shape " + Arrays.toString(output.shape()) + " differs from the broadcast shape "
                    + Arrays.toString(broadcast.outputShape()) + " of the inputs");
        }
        elements = output.elementCount();
        quantized = input1.type() == TensorType.INT8;
        if (quantized) {
            TensorChecks.requirePerTensorQuantization(node, input1, "input1");
            TensorChecks.requirePerTensorQuantization(node, input2, "input2");
            TensorChecks.requirePerTensorQuantization(node, output, "output");
            QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(),
                    output.zeroPoint(), Byte.MIN_VALUE, Byte.MAX_VALUE);
            actMin = range.min();
            actMax = range.max();
            prepareInt8(node, input1, input2, output);
        } else {
            QuantizedMath.FloatRange range = QuantizedMath.activationRange(activation);
            floatMin = range.min();
            floatMax = range.max();
        }
    }

    /** The raw {@code fused_activation_function} code of this node's options (0 when it has none). */
    abstract int activationCode(NodeContext node);

    /** How many dimensions TFLM's broadcasting kernel for this op handles. */
    abstract int maxBroadcastRank();

    /** Computes the multipliers from the three tensors' quantization. */
    abstract void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output);

    /** TFLM's int8 result for one pair, clamped to {@code [actMin, actMax]}. */
    abstract int int8Value(int x, int y);

    /** TFLM's float result for one pair before the activation clamp. */
    abstract float floatValue(float x, float y);

    @Override
    public final void invoke(NodeContext node) {
        MicroTensor input1 = node.input(0);
        MicroTensor input2 = node.input(1);
        MicroTensor output = node.output(0);
        in1 = input1.data();
        in1Base = input1.dataOffset();
        in2 = input2.data();
        in2Base = input2.dataOffset();
        out = output.data();
        outBase = output.dataOffset();
        if (broadcast.requiresBroadcast()) {
            broadcast.forEach(quantized ? int8Visitor : floatVisitor);
        } else if (quantized) {
            for (int i = 0; i < elements; i++) {
                visitInt8(i, i, i);
            }
        } else {
            for (int i = 0; i < elements; i++) {
                visitFloat(i, i, i);
            }
        }
        in1 = null;
        in2 = null;
        out = null;
    }

    private void visitInt8(int o, int a, int b) {
        out[outBase + o] = (byte) int8Value(in1[in1Base + a], in2[in2Base + b]);
    }

    private void visitFloat(int o, int a, int b) {
        float v = floatValue((float) FLOAT32.get(in1, in1Base + 4 * a), (float) FLOAT32.get(in2, in2Base + 4 * b));
        FLOAT32.set(out, outBase + 4 * o, QuantizedMath.clamp(v, floatMin, floatMax));
    }
}
