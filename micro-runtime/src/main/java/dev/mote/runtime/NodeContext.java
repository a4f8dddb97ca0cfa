package dev.mote.runtime;

import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.BuiltinOptions;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.CStruct;
import dev.mote.runtime.internal.memory.OperatorFootprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a {@link Kernel} sees of its node: the operator, its options, its input and output tensors, and scratch
 * buffers in the arena. Errors raised through {@link #fail} name the operator index, the op and the field.
 *
 * <p>During prepare a kernel also declares what its TFLM counterpart puts into the arena, with calls named after
 * TFLM's own ({@link #allocateBuiltinData}, {@link #allocateOpData}, {@link #allocateTempInputTensor},
 * {@link #allocatePersistentBuffer}, {@link #requestScratch}), sized for {@link #abi()}. Those declarations are the
 * operator's arena accounting: the interpreter plans and checks its arena with them, and {@link ArenaReport} and the
 * exporter's offline planner record them by running prepare against a context without an arena. A prepare that
 * refuses its node declares nothing.
 */
public final class NodeContext {
    private final int operatorIndex;
    private final BuiltinOperator op;
    private final int version;
    private final BuiltinOptions options;
    private final MicroTensor[] inputs;
    private final MicroTensor[] outputs;
    private final List<Integer> scratchSizes = new ArrayList<>();
    private final List<Integer> scratchOffsets = new ArrayList<>();
    private final KernelScope kernelScope;
    private final ArenaTarget target;
    private final OperatorFootprint.Builder footprint = OperatorFootprint.builder();
    private byte[] arena;
    private boolean scratchPlanned;
    private final List<ModelWarning> warnings = new ArrayList<>();

    NodeContext(int operatorIndex, BuiltinOperator op, int version, BuiltinOptions options, MicroTensor[] inputs,
                MicroTensor[] outputs, ArenaTarget target, KernelScope kernelScope) {
        this.kernelScope = kernelScope;
        this.target = target;
        this.operatorIndex = operatorIndex;
        this.op = op;
        this.version = version;
        this.options = options;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Index of this operator in the subgraph's execution order. */
    public int operatorIndex() {
        return operatorIndex;
    }

    public BuiltinOperator op() {
        return op;
    }

    /** The operator code's version in the model. */
    public int version() {
        return version;
    }

    public BuiltinOptions options() {
        return options;
    }

    /**
     * The options as the expected type; fails naming the operator if the model carries other options. When the
     * model has no options table at all, {@code null} is returned so the kernel can apply the schema defaults.
     */
    public <T extends BuiltinOptions> T options(Class<T> type) {
        if (type.isInstance(options)) {
            return type.cast(options);
        }
        if (options.unionType() == 0) {
            return null;
        }
        throw fail("builtin_options", "expected " + type.getSimpleName() + " options, the model has union type "
                + options.unionType());
    }

    public int inputCount() {
        return inputs.length;
    }

    public int outputCount() {
        return outputs.length;
    }

    /** Input {@code i}, or {@code null} if the model omits that optional input (index -1). */
    public MicroTensor input(int i) {
        if (i < 0 || i >= inputs.length) {
            throw fail("inputs", "has " + inputs.length + " inputs, input " + i + " is required");
        }
        return inputs[i];
    }

    /** Input {@code i}; fails if absent. */
    public MicroTensor requiredInput(int i) {
        MicroTensor t = input(i);
        if (t == null) {
            throw fail("inputs[" + i + "]", "is required but omitted (-1)");
        }
        return t;
    }

    public MicroTensor output(int i) {
        if (i < 0 || i >= outputs.length) {
            throw fail("outputs", "has " + outputs.length + " outputs, output " + i + " is required");
        }
        return outputs[i];
    }

    /** Fails unless the node has between {@code min} and {@code max} inputs and exactly {@code outputCount} outputs. */
    public void requireArity(int minInputs, int maxInputs, int outputCount) {
        if (inputs.length < minInputs || inputs.length > maxInputs) {
            throw fail("inputs", "has " + inputs.length + " inputs, expected "
                    + (minInputs == maxInputs ? String.valueOf(minInputs) : minInputs + " to " + maxInputs));
        }
        if (outputs.length != outputCount) {
            throw fail("outputs", "has " + outputs.length + " outputs, expected " + outputCount);
        }
    }

    /** Fails unless {@code tensor} has one of the given types; {@code what} names it ("input", "filter", ...). */
    public void requireType(MicroTensor tensor, String what, TensorType... allowed) {
        for (TensorType t : allowed) {
            if (tensor.type() == t) {
                return;
            }
        }
        throw fail(what, "type " + tensor.type() + " is not supported (expected one of " + Arrays.toString(allowed) + ")");
    }

    /** Fails unless the tensor is a constant of the model (weights, shape tensors). */
    public void requireConstant(MicroTensor tensor, String what) {
        if (!tensor.isConstant()) {
            throw fail(what, "must be a constant tensor of the model");
        }
    }

    /**
     * The error for a refused node: "operator 3 (CONV_2D): stride_w: must be >= 1, got 0". Throw what it returns.
     */
    public InvalidModelException fail(String field, String problem) {
        return new InvalidModelException("operator " + operatorIndex + " (" + op + "): " + field + ": " + problem);
    }

    /**
     * Records that the node looks wrong but runs, as it does in TFLM: e.g. {@code warn("output.quantization",
     * "differs from the input's; TFLM's int8 RELU6 ignores it")}. The interpreter lists it in
     * {@link MicroInterpreter#warnings()}. Use {@link #fail} instead for what TFLM refuses or what would compute
     * garbage.
     */
    public void warn(ModelWarning.Kind kind, String field, String problem) {
        warnings.add(new ModelWarning(kind, operatorIndex, -1, "operator " + operatorIndex + " (" + op + ")", field,
                problem));
    }

    /** What {@link #warn} recorded, in order. */
    List<ModelWarning> warnings() {
        return List.copyOf(warnings);
    }

    /** The ABI whose TFLM struct sizes the arena declarations below are given in. */
    public Abi abi() {
        return target.abi();
    }

    /*
     * The arena declarations: during prepare a kernel declares, in the order TFLM's kernel makes them, everything
     * its TFLM counterpart puts into the arena. What is declared here is the arena accounting of the operator, for
     * the interpreter's plan, ArenaReport and the exporter's offline planner alike.
     */

    /**
     * Declares the builtin-options struct TFLM's op-data parser for this op allocates
     * ({@code MicroBuiltinDataAllocator}, e.g. {@code TfLiteConvParams}); at most once. TFLM allocates every
     * operator's options before any kernel's {@code Init}, and the accounting places it there.
     */
    public void allocateBuiltinData(CStruct params) {
        footprint.builtinData(params);
    }

    /**
     * Declares the {@code OpData} TFLM's kernel allocates in {@code Init} ({@code AllocatePersistentBuffer(
     * sizeof(OpData))}, 16-byte aligned); at most once. TFLM runs every {@code Init} before any {@code Prepare},
     * and the accounting places it there.
     */
    public void allocateOpData(CStruct opData) {
        footprint.opData(opData);
    }

    /**
     * TFLM's {@code AllocateTempInputTensor(node, i)}: a temporary {@code TfLiteTensor} for input {@code i}, freed
     * at the end of prepare; nothing for an omitted or absent input (TFLM returns {@code nullptr}).
     */
    public void allocateTempInputTensor(int i) {
        allocateTemp(i < inputs.length ? inputs[i] : null);
    }

    /** TFLM's {@code AllocateTempOutputTensor(node, i)}; nothing for an absent output. */
    public void allocateTempOutputTensor(int i) {
        allocateTemp(i < outputs.length ? outputs[i] : null);
    }

    /** {@link #allocateTempInputTensor} for every input in order (TFLM kernels that loop over their inputs). */
    public void allocateTempInputTensors() {
        for (int i = 0; i < inputs.length; i++) {
            allocateTempInputTensor(i);
        }
    }

    private void allocateTemp(MicroTensor t) {
        if (t != null) {
            footprint.tempTensor(t.index());
        }
    }

    /**
     * TFLM's {@code AllocatePersistentBuffer(bytes)} during prepare (per-channel multipliers and shifts, lookup
     * tables, ...): {@code what} names it in reports.
     */
    public void allocatePersistentBuffer(String what, long bytes) {
        if (bytes < 0) {
            throw fail("persistent buffer", "negative size " + bytes);
        }
        footprint.persistent(what, bytes);
    }

    /**
     * Asks for a scratch buffer of {@code bytes} in the arena, alive only while this node runs (TFLM's
     * {@code RequestScratchBufferInArena}). Only during prepare. Returns the handle for {@link #scratchOffset}.
     *
     * @throws KernelFailureException if called after prepare (the arena is planned by then)
     */
    public int requestScratch(int bytes) {
        if (scratchPlanned) {
            throw new KernelFailureException(operatorIndex, op, "operator " + operatorIndex + " (" + op
                    + "): requestScratch(" + bytes + ") after allocateTensors() planned the arena; request scratch "
                    + "buffers in the kernel's prepare() and keep the handle in a field for invoke()", null);
        }
        if (bytes < 0) {
            throw fail("scratch", "negative size " + bytes);
        }
        footprint.scratch(bytes);
        scratchSizes.add(bytes);
        return scratchSizes.size() - 1;
    }

    /** What prepare declared of the arena. */
    OperatorFootprint footprint() {
        return footprint.build();
    }

    /**
     * The arena, for a kernel's invoke to read and write its scratch buffers; handed out only to the thread running
     * a kernel of this node's interpreter.
     *
     * @throws TensorAccessException if called outside a kernel (e.g. from an {@link OperatorListener})
     */
    public byte[] arena() {
        if (!kernelScope.isInside()) {
            throw new TensorAccessException("operator " + operatorIndex + " (" + op + "): arena() is for kernels "
                    + "(in prepare or invoke) only; read tensors through MicroTensor's accessors instead");
        }
        return arena;
    }

    /**
     * Where scratch buffer {@code handle} starts in {@link #arena()}.
     *
     * @throws KernelFailureException if {@code handle} is not one that {@link #requestScratch} returned
     */
    public int scratchOffset(int handle) {
        if (handle < 0 || handle >= scratchOffsets.size()) {
            throw new KernelFailureException(operatorIndex, op, "operator " + operatorIndex + " (" + op
                    + "): scratch handle " + handle + " does not exist; this node has " + scratchOffsets.size()
                    + " scratch buffers (handles come from requestScratch in prepare)", null);
        }
        return scratchOffsets.get(handle);
    }

    List<Integer> scratchSizes() {
        return scratchSizes;
    }

    void bindScratch(byte[] arena, int[] offsets) {
        this.scratchPlanned = true;
        this.arena = arena;
        scratchOffsets.clear();
        for (int o : offsets) {
            scratchOffsets.add(o);
        }
    }

    MicroTensor[] inputTensors() {
        return inputs;
    }

    MicroTensor[] outputTensors() {
        return outputs;
    }
}
