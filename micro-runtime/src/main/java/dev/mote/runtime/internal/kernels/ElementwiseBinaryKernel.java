package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.QuantizedMath;
import dev.mote.vocabulary.Activation;
import dev.mote.vocabulary.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Common frame of ADD, SUB and MUL: two inputs of the same type (int8, int16 where the op accepts it, or float32) broadcast against each other
 * ({@link BroadcastShape}), one output of the broadcast shape, a fused activation. Subclasses give the options'
 * activation code, the broadcast rank TFLM supports, and the loops over one run of elements (int8 and float32), so
 * that each op's per-element arithmetic is inlined into its own loop instead of behind a call per element.
 */
abstract class ElementwiseBinaryKernel implements Kernel {
    /** Little-endian float32 access to tensor bytes, for the subclasses' float loops. */
    static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private final BroadcastShape.RunVisitor int8Runs = this::visitInt8Run;
    private final BroadcastShape.RunVisitor floatRuns = this::visitFloatRun;
    private final BroadcastShape.RunVisitor int16Runs = this::visitInt16Run;
    /** Little-endian int16 access to tensor bytes, for the subclasses' int16 loops. */
    static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private BroadcastShape broadcast;
    private boolean quantized;
    private boolean int16;
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

    /**
     * Checks the node and declares what the TFLM kernel allocates: its {@link #builtinData options} and
     * {@link #opData OpData}, then temporary tensors for both inputs and the output.
     */
    @Override
    public final void prepare(NodeContext node) {
        node.requireArity(2, 2, 1);
        node.allocateBuiltinData(builtinData(node.abi()));
        node.allocateOpData(opData(node.abi()));
        node.allocateTempInputTensor(0);
        node.allocateTempInputTensor(1);
        node.allocateTempOutputTensor(0);
        MicroTensor input1 = node.requiredInput(0);
        MicroTensor input2 = node.requiredInput(1);
        MicroTensor output = node.output(0);
        Activation activation = FusedActivation.parse(node, activationCode(node));
        if (acceptsInt16()) {
            node.requireType(input1, "input1", TensorType.INT8, TensorType.INT16, TensorType.FLOAT32);
        } else {
            node.requireType(input1, "input1", TensorType.INT8, TensorType.FLOAT32);
        }
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
        int16 = input1.type() == TensorType.INT16;
        quantized = input1.type() == TensorType.INT8 || int16;
        if (quantized) {
            if (zeroInputScaleRuns()) {
                TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input1, "input1");
                TensorChecks.requirePerTensorQuantizationOrZeroScale(node, input2, "input2");
            } else {
                TensorChecks.requirePerTensorQuantization(node, input1, "input1");
                TensorChecks.requirePerTensorQuantization(node, input2, "input2");
            }
            TensorChecks.requirePerTensorQuantization(node, output, "output");
            QuantizedMath.IntRange range = QuantizedMath.activationRange(activation, output.scale(),
                    output.zeroPoint(), int16 ? Short.MIN_VALUE : Byte.MIN_VALUE, int16 ? Short.MAX_VALUE : Byte.MAX_VALUE);
            actMin = range.min();
            actMax = range.max();
            prepareInt8(node, input1, input2, output);
        } else {
            QuantizedMath.FloatRange range = QuantizedMath.activationRange(activation);
            floatMin = range.min();
            floatMax = range.max();
        }
    }

    /** The prepared broadcast (null before prepare). */
    final BroadcastShape broadcast() {
        return broadcast;
    }

    /** Whether prepare found int8 or int16 tensors. */
    final boolean quantized() {
        return quantized;
    }

    /** Whether prepare found int16 tensors (16x8 mode: the same arithmetic as int8 with int16 ranges). */
    final boolean int16() {
        return int16;
    }

    /** Whether the op runs int16 tensors (with {@link #int16Run}); false by default. */
    boolean acceptsInt16() {
        return false;
    }

    /**
     * TFLM's int16 results, clamped to {@code [actMin, actMax]}, for {@code n} pairs; positions and steps are in
     * bytes, as {@link #floatRun}'s (output element {@code i} at {@code out[o + 2 * i]}).
     */
    void int16Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n) {
        throw new IllegalStateException(getClass().getSimpleName() + " has no int16 loop");
    }

    /**
     * Whether an int8 input scale of 0 runs (with a warning): for MUL, whose multiplier is the product of the input
     * scales over the output's; not for ADD and SUB (the default), whose Prepare divides by twice the larger input
     * scale, and which TFLM refuses.
     */
    boolean zeroInputScaleRuns() {
        return false;
    }

    /** The builtin-options struct TFLM's parser allocates for the op. */
    abstract CStruct builtinData(Abi abi);

    /** The {@code OpData} TFLM's kernel allocates in {@code Init}. */
    abstract CStruct opData(Abi abi);

    /** The raw {@code fused_activation_function} code of this node's options (0 when it has none). */
    abstract int activationCode(NodeContext node);

    /** How many dimensions TFLM's broadcasting kernel for this op handles. */
    abstract int maxBroadcastRank();

    /** Computes the multipliers from the three tensors' quantization. */
    abstract void prepareInt8(NodeContext node, MicroTensor input1, MicroTensor input2, MicroTensor output);

    /**
     * TFLM's int8 results, clamped to {@code [actMin, actMax]}, for {@code n} pairs: element {@code i} combines
     * {@code x[a + i * aStep]} with {@code y[b + i * bStep]} into {@code out[o + i]}.
     */
    abstract void int8Run(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n);

    /**
     * TFLM's float results, clamped to {@code [floatMin, floatMax]}, for {@code n} pairs; positions and steps are
     * in bytes: element {@code i} combines the floats at {@code x[a + i * aStep]} and {@code y[b + i * bStep]} into
     * the float at {@code out[o + 4 * i]}.
     */
    abstract void floatRun(byte[] x, int a, int aStep, byte[] y, int b, int bStep, byte[] out, int o, int n);

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
            broadcast.forEachRun(int16 ? int16Runs : quantized ? int8Runs : floatRuns);
        } else if (int16) {
            int16Run(in1, in1Base, 2, in2, in2Base, 2, out, outBase, elements);
        } else if (quantized) {
            int8Run(in1, in1Base, 1, in2, in2Base, 1, out, outBase, elements);
        } else {
            floatRun(in1, in1Base, 4, in2, in2Base, 4, out, outBase, elements);
        }
        in1 = null;
        in2 = null;
        out = null;
    }

    private void visitInt8Run(int o, int a, int aStep, int b, int bStep, int n) {
        int8Run(in1, in1Base + a, aStep, in2, in2Base + b, bStep, out, outBase + o, n);
    }

    private void visitInt16Run(int o, int a, int aStep, int b, int bStep, int n) {
        int16Run(in1, in1Base + 2 * a, 2 * aStep, in2, in2Base + 2 * b, 2 * bStep, out, outBase + 2 * o, n);
    }

    private void visitFloatRun(int o, int a, int aStep, int b, int bStep, int n) {
        floatRun(in1, in1Base + 4 * a, 4 * aStep, in2, in2Base + 4 * b, 4 * bStep, out, outBase + 4 * o, n);
    }
}
