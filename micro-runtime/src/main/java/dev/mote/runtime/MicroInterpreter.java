package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.ModelValidator;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.internal.memory.OperatorFootprint;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import dev.mote.vocabulary.TensorType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a TFLite model the way TFLM does on a device: the model bytes are read in place (weights are never
 * copied), every activation and scratch buffer is planned into one fixed-size arena, and the kernels follow
 * TFLM's reference arithmetic bit for bit.
 *
 * <pre>{@code
 * MicroInterpreter interpreter = new MicroInterpreter(modelBytes, OpResolver.allBuiltins(), 2048);
 * interpreter.allocateTensors();
 * interpreter.input(0).setFloats(1.57f);
 * interpreter.invoke();
 * float y = interpreter.output(0).dequantize(0);
 * }</pre>
 *
 * <p>The arena must be at least as large as TFLM would need on the chosen {@link ArenaTarget} (default
 * {@link ArenaTarget#CORTEX_M}), so that a model which fits here fits on the device.
 *
 * <p>Threads: an interpreter, its tensors and its kernels belong to one thread at a time, like TFLM's (no method
 * is synchronized). Hand it to another thread only with a happens-before edge (e.g. through an
 * {@code ExecutorService}); to run one model on several threads at once, make one interpreter per thread, which
 * share nothing but the immutable model bytes and {@link OpResolver}.
 */
public final class MicroInterpreter {
    private final byte[] modelBytes;
    private final Model model;
    private final List<ModelWarning> modelWarnings;
    private List<ModelWarning> nodeWarnings = List.of();
    private final OpResolver resolver;
    private final int arenaBytes;
    private final ArenaTarget target;
    private final Options options;
    private ArenaGuard guard;
    private byte[] arena;
    private MicroTensor[] tensors;
    private Kernel[] kernels;
    private NodeContext[] nodes;
    private ArenaReport report;
    private int[] bufferOffsets;
    private final KernelScope kernelScope = new KernelScope();

    /** An interpreter for {@code modelBytes} with an arena of {@code arenaBytes}, sized for a Cortex-M target. */
    public MicroInterpreter(byte[] modelBytes, OpResolver resolver, int arenaBytes) {
        this(modelBytes, resolver, arenaBytes, ArenaTarget.CORTEX_M);
    }

    /**
     * An interpreter whose arena budget is checked against TFLM's needs on {@code target}.
     *
     * @throws InvalidModelException if the bytes are not a valid TFLite model
     */
    public MicroInterpreter(byte[] modelBytes, OpResolver resolver, int arenaBytes, ArenaTarget target) {
        this(modelBytes, resolver, arenaBytes, Options.defaults().withTarget(target));
    }

    /**
     * An interpreter with explicit {@link Options}, e.g. arena guard mode while testing a kernel:
     * <pre>{@code
     * new MicroInterpreter(bytes, resolver, 4096, MicroInterpreter.Options.defaults().withArenaGuard(true));
     * }</pre>
     *
     * @throws InvalidModelException if the bytes are not a valid TFLite model
     */
    public MicroInterpreter(byte[] modelBytes, OpResolver resolver, int arenaBytes, Options options) {
        if (arenaBytes < 0) {
            throw new IllegalArgumentException("arena size must be >= 0, got " + arenaBytes);
        }
        this.modelBytes = modelBytes.clone();
        this.model = ModelReader.readUnvalidated(this.modelBytes);
        this.modelWarnings = ModelValidator.validate(model);
        this.resolver = resolver;
        this.arenaBytes = arenaBytes;
        this.target = options.target();
        this.options = options;
    }

    /**
     * How an interpreter plans and checks its work: the {@link ArenaTarget} whose TFLM figures the arena budget is
     * checked against, and arena guard mode. Immutable; start from {@link #defaults()}.
     *
     * @param target the ABI of the arena figures (default {@link ArenaTarget#CORTEX_M})
     * @param arenaGuard check after every operator that it wrote only into its outputs and scratch buffers (canary
     *                   bytes around every buffer, inputs and constants unchanged) and throw
     *                   {@link ArenaGuardException} otherwise; slower, for tests. Defaults to the system property
     *                   {@code mote.arenaGuard} ({@code -Dmote.arenaGuard=true} turns it on for a whole test run)
     */
    public record Options(ArenaTarget target, boolean arenaGuard) {
        /** The system property that turns arena guard mode on by default. */
        public static final String ARENA_GUARD_PROPERTY = "mote.arenaGuard";

        public Options {
            if (target == null) {
                throw new IllegalArgumentException("target must not be null");
            }
        }

        /** Cortex-M figures; arena guard mode as the {@code mote.arenaGuard} system property says (off if unset). */
        public static Options defaults() {
            return new Options(ArenaTarget.CORTEX_M, Boolean.getBoolean(ARENA_GUARD_PROPERTY));
        }

        public Options withTarget(ArenaTarget target) {
            return new Options(target, arenaGuard);
        }

        public Options withArenaGuard(boolean on) {
            return new Options(target, on);
        }
    }

    /** The decoded model. */
    public Model model() {
        return model;
    }

    /**
     * Resolves kernels, prepares every node, plans the arena and binds tensors to it. Once it has succeeded, further
     * calls do nothing: the model, arena size, resolver and options cannot change, so a new plan would be the same
     * one, and the tensors already handed out by {@link #input}, {@link #output} and {@link #tensor} stay valid, with
     * their contents. A call that threw leaves the interpreter unallocated, and may be repeated.
     *
     * @throws UnsupportedOpException if an operator is not registered in the resolver
     * @throws InvalidModelException if a kernel refuses its node
     * @throws KernelFailureException if a kernel's prepare fails with an exception that is not a typed Mote
     *                                refusal (a bug in the kernel), or the resolver hands out one kernel twice
     * @throws ArenaTooSmallException if the arena cannot hold what the model needs
     */
    public void allocateTensors() {
        if (tensors != null) {
            return;
        }
        Subgraph sg = model.mainSubgraph();
        refuseZeroDimensionTensors(sg);
        DeclaredSizes.checkFitArena(model, arenaBytes, target, resolver);
        MicroTensor[] ts = SubgraphTensors.of(model, sg, modelBytes, kernelScope);
        List<Operator> ops = sg.operators();
        Kernel[] ks = new Kernel[ops.size()];
        NodeContext[] ns = new NodeContext[ops.size()];
        Map<Kernel, Integer> kernelOwners = new IdentityHashMap<>();
        List<OperatorFootprint> footprints = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            OperatorCode code = model.operatorCodes().get(op.opcodeIndex());
            Kernel kernel = resolver.create(code.builtin());
            if (kernel == null) {
                throw new UnsupportedOpException("operator " + i + " uses " + code.displayName() + " version "
                        + code.version() + ", which is not registered in the op resolver; registered: "
                        + resolver.registered());
            }
            Integer owner = kernelOwners.put(kernel, i);
            if (owner != null) {
                throw new KernelFailureException(i, code.builtin(), "operator " + i + " (" + code.displayName()
                        + "): the op resolver's factory returned the kernel it already returned for operator " + owner
                        + "; a factory must return a new kernel on every call (() -> new MyKernel(), not a shared one)",
                        null);
            }
            ns[i] = SubgraphTensors.node(model, ts, i, op, target, kernelScope);
            ks[i] = kernel;
            kernelScope.enter();
            try {
                kernel.prepare(ns[i]);
            } catch (MoteException e) {
                throw e;
            } catch (RuntimeException e) {
                throw KernelFailureException.thrownBy("prepare", i, code.builtin(), code.displayName(), e);
            } finally {
                kernelScope.exit();
            }
            footprints.add(ns[i].footprint());
        }
        Plan plan = plan(ts, ns, footprints);
        ArenaReport r = TflmArenaAccounting.report(model, target, plan.accounting);
        long needed = Math.max(r.minimumArenaBytes(), (long) plan.memory.headBytes() + plan.variableBytes);
        if (arenaBytes < needed) {
            throw new ArenaTooSmallException(needed, arenaBytes, "target " + target + ", " + r);
        }
        byte[] a = new byte[arenaBytes];
        for (TflmMemoryPlan.Buffer b : plan.memory.buffers()) {
            if (b.subgraph() == 0 && !b.isScratch()) {
                ts[b.tensor()].bind(a, b.offset());
            }
        }
        int variableOffset = arenaBytes;
        for (MicroTensor t : ts) {
            if (sg.tensor(t.index()).isVariable() && !t.isConstant()) {
                variableOffset -= align16(t.byteSize());
                t.bind(a, variableOffset);
            }
        }
        int[] offsets = new int[plan.memory.bufferCount()];
        int[][] scratchOffsets = new int[ns.length][];
        for (int i = 0; i < ns.length; i++) {
            scratchOffsets[i] = new int[ns[i].scratchSizes().size()];
        }
        for (int i = 0; i < offsets.length; i++) {
            TflmMemoryPlan.Buffer b = plan.memory.buffers().get(i);
            offsets[i] = b.offset();
            if (b.isScratch() && b.subgraph() == 0) {
                scratchOffsets[b.operator()][plan.scratchSlot.get(b.scratch())] = b.offset();
            }
        }
        for (int i = 0; i < ns.length; i++) {
            for (MicroTensor out : ns[i].outputTensors()) {
                if (!out.hasData()) {
                    out.bind(a, 0); // zero-sized outputs
                }
            }
            ns[i].bindScratch(a, scratchOffsets[i]);
        }
        for (MicroTensor t : ts) {
            if (!t.hasData()) {
                t.bind(a, 0);
            }
        }
        List<ModelWarning> found = new ArrayList<>();
        for (NodeContext n : ns) {
            found.addAll(n.warnings());
        }
        this.nodeWarnings = List.copyOf(found);
        this.guard = options.arenaGuard() ? ArenaGuard.install(modelBytes, sg, ts, ns, plannedTensors(plan)) : null;
        this.arena = a;
        this.tensors = ts;
        resetVariableTensors();
        this.kernels = ks;
        this.nodes = ns;
        this.report = r;
        this.bufferOffsets = offsets;
    }


    /**
     * TFLM's AllocateTensors fails on a tensor that an operator reads or writes, or that is a subgraph input or
     * output, with a zero dimension at rank 2 or more ([2, 0], [1, 0, 3]); a rank-1 empty tensor ([0]) and an unused
     * one are fine. Mote refuses the same models.
     */
    private static void refuseZeroDimensionTensors(Subgraph sg) {
        java.util.function.BiConsumer<Integer, String> check = (t, role) -> {
            if (t < 0) {
                return;
            }
            Tensor tensor = sg.tensor(t);
            if (tensor.rank() >= 2 && tensor.elementCount() == 0) {
                throw new InvalidModelException(role + ": tensor " + t + " ('" + tensor.name() + "') has shape "
                        + java.util.Arrays.toString(tensor.shape()) + ", a zero dimension at rank " + tensor.rank()
                        + "; TFLM's AllocateTensors refuses such tensors (only a rank-1 empty tensor [0] is allowed), "
                        + "so Mote does too: give the tensor a non-zero shape or remove the operator");
            }
        };
        for (int in : sg.inputs()) {
            check.accept(in, "subgraph input");
        }
        for (int out : sg.outputs()) {
            check.accept(out, "subgraph output");
        }
        for (int o = 0; o < sg.operators().size(); o++) {
            Operator op = sg.operators().get(o);
            for (int i = 0; i < op.inputCount(); i++) {
                check.accept(op.input(i), "operator " + o + " input " + i);
            }
            for (int i = 0; i < op.outputCount(); i++) {
                check.accept(op.output(i), "operator " + o + " output " + i);
            }
        }
    }

    /**
     * What looks wrong in the model but runs, as in TFLM: the model's own findings (from {@link ModelValidator},
     * available from construction) followed, once {@link #allocateTensors()} has succeeded, by the kernels' findings
     * in operator order. Each entry names the tensor or operator and the field. Empty for a clean model.
     */
    public List<ModelWarning> warnings() {
        List<ModelWarning> all = new ArrayList<>(modelWarnings);
        all.addAll(nodeWarnings);
        return List.copyOf(all);
    }

    private static final class Plan {
        /** TFLM's allocation sequence with the operators' footprints as their kernels declared them. */
        TflmArenaAccounting.Program accounting;
        TflmMemoryPlan memory;
        /** For each scratch request (in request order), its index among its operator's requests. */
        final List<Integer> scratchSlot = new ArrayList<>();
        long variableBytes;
    }

    /**
     * TFLM's plan of the head (same lifetimes, order, alignment and greedy placement as {@code
     * CommitStaticMemoryPlan}), with the scratch buffers the kernels requested in prepare: the plan of the arena
     * accounting itself, so that the report and the interpreter's layout are one.
     */
    private Plan plan(MicroTensor[] ts, NodeContext[] ns, List<OperatorFootprint> mainFootprints) {
        Plan plan = new Plan();
        plan.accounting = TflmArenaAccounting.program(model, target,
                ModelFootprints.record(model, resolver, target, mainFootprints));
        plan.memory = plan.accounting.plan();
        for (NodeContext n : ns) {
            for (int k = 0; k < n.scratchSizes().size(); k++) {
                plan.scratchSlot.add(k);
            }
        }
        for (MicroTensor t : ts) {
            if (model.mainSubgraph().tensor(t.index()).isVariable() && !t.isConstant()) {
                plan.variableBytes += align16(t.byteSize());
            }
        }
        return plan;
    }

    /** The tensors of the main subgraph that the plan gave arena bytes (for arena guard mode's own layout). */
    private static List<Integer> plannedTensors(Plan plan) {
        List<Integer> planned = new ArrayList<>();
        for (TflmMemoryPlan.Buffer b : plan.memory.buffers()) {
            if (b.subgraph() == 0 && !b.isScratch()) {
                planned.add(b.tensor());
            }
        }
        return planned;
    }

    private static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }

    private void requireAllocated() {
        if (tensors == null) {
            throw new IllegalStateException("call allocateTensors() first");
        }
    }

    /**
     * Resets every variable tensor (an LSTM's output and cell state, an SVDF's activation state) as {@code allocateTensors()} leaves them: int8
     * to its zero point, others to zero bytes, as TFLM's {@code MicroInterpreter::ResetVariableTensors}. A model
     * with state carries it from one {@code invoke()} to the next, on a device too; call this between independent
     * sequences (each classified example), as Keras' non-stateful LSTM starts every sequence from zero.
     *
     * <pre>{@code
     * for (float[] sequence : sequences) {
     *     interpreter.resetVariableTensors();
     *     interpreter.input(0).setFloats(sequence);
     *     interpreter.invoke();
     * }
     * }</pre>
     *
     * @throws IllegalStateException before {@code allocateTensors()}
     */
    public void resetVariableTensors() {
        requireAllocated();
        for (MicroTensor t : tensors) {
            if (t.isVariable() && !t.isConstant() && t.hasData()) {
                byte value = t.type() == TensorType.INT8 && t.quantization().isQuantized() ? (byte) t.zeroPoint() : 0;
                Arrays.fill(t.bytes(), t.dataOffset(), t.dataOffset() + t.byteSize(), value);
            }
        }
    }

    /** Runs every operator once, in order. */
    public void invoke() {
        requireAllocated();
        kernelScope.enter();
        int i = 0;
        try {
            for (; i < kernels.length; i++) {
                if (guard != null) {
                    guard.beforeOperator(i);
                }
                kernels[i].invoke(nodes[i]);
                if (guard != null) {
                    guard.afterOperator(i);
                }
            }
        } catch (MoteException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invokeFailure(i, e);
        } finally {
            kernelScope.exit();
        }
    }

    /** An unexpected exception from a kernel's invoke: a bug in that kernel, named with its operator. */
    private KernelFailureException invokeFailure(int i, RuntimeException e) {
        return KernelFailureException.thrownBy("invoke", i, nodes[i].op(), String.valueOf(nodes[i].op()), e);
    }

    /** Runs every operator once, telling {@code listener} before and after each. */
    public void invoke(OperatorListener listener) {
        requireAllocated();
        for (int i = 0; i < kernels.length; i++) {
            listener.beforeOperator(nodes[i]);
            if (guard != null) {
                guard.beforeOperator(i);
            }
            kernelScope.enter();
            try {
                kernels[i].invoke(nodes[i]);
            } catch (MoteException e) {
                throw e;
            } catch (RuntimeException e) {
                throw invokeFailure(i, e);
            } finally {
                kernelScope.exit();
            }
            if (guard != null) {
                guard.afterOperator(i);
            }
            listener.afterOperator(nodes[i]);
        }
    }

    public int inputCount() {
        return model.mainSubgraph().inputs().length;
    }

    public int outputCount() {
        return model.mainSubgraph().outputs().length;
    }

    /**
     * Input tensor {@code i} of the main subgraph.
     *
     * @throws NoSuchTensorException unless {@code 0 <= i < inputCount()}
     */
    public MicroTensor input(int i) {
        checkIndex("input", i, inputCount(), "inputCount");
        requireAllocated();
        return tensors[model.mainSubgraph().inputs()[i]];
    }

    /**
     * Output tensor {@code i} of the main subgraph.
     *
     * @throws NoSuchTensorException unless {@code 0 <= i < outputCount()}
     */
    public MicroTensor output(int i) {
        checkIndex("output", i, outputCount(), "outputCount");
        requireAllocated();
        return tensors[model.mainSubgraph().outputs()[i]];
    }

    /**
     * Any tensor of the main subgraph by index (for debugging: intermediate activations).
     *
     * @throws NoSuchTensorException unless {@code 0 <= index < tensorCount()}
     */
    public MicroTensor tensor(int index) {
        checkIndex("tensor", index, tensorCount(), "tensorCount");
        requireAllocated();
        return tensors[index];
    }

    private static void checkIndex(String kind, int index, int count, String countMethod) {
        if (index < 0 || index >= count) {
            throw new NoSuchTensorException(kind, index, count, countMethod);
        }
    }

    public int tensorCount() {
        return model.mainSubgraph().tensors().size();
    }

    /** The arena bookkeeping TFLM would have for this model on the interpreter's target. */
    public ArenaReport arenaReport() {
        requireAllocated();
        return report;
    }

    /** TFLM's {@code arena_used_bytes()} for this model on the interpreter's target. */
    public int arenaUsedBytes() {
        return arenaReport().usedBytes();
    }

    /**
     * Java heap the kernels allocated at {@code allocateTensors()} to run faster than TFLM's reference loops
     * (repacked filters, tables): on the host only, never part of the arena or of what a device needs.
     */
    public long kernelHeapBytes() {
        requireAllocated();
        long total = 0;
        for (Kernel k : kernels) {
            total += k.heapBytes();
        }
        return total;
    }

    /** The arena size given. */
    public int arenaBytes() {
        return arenaBytes;
    }

    public ArenaTarget target() {
        return target;
    }

    /** The options this interpreter was made with. */
    public Options options() {
        return options;
    }

    /** The operator count of the main subgraph. */
    public int operatorCount() {
        return model.mainSubgraph().operators().size();
    }

    /**
     * The kernel the op resolver created for operator {@code operatorIndex}, as its {@code prepare} left it: for
     * tools that read what a kernel derived from the model (Mote's C code generator reads the requantization
     * parameters of the builtin kernels this way, so that they are computed in one place).
     *
     * <pre>{@code
     * interpreter.allocateTensors();
     * Kernel first = interpreter.kernel(0);
     * }</pre>
     *
     * @throws IllegalStateException before {@link #allocateTensors()} has succeeded
     * @throws IndexOutOfBoundsException if there is no such operator
     */
    public Kernel kernel(int operatorIndex) {
        if (kernels == null) {
            throw new IllegalStateException("kernel(" + operatorIndex + "): call allocateTensors() first");
        }
        java.util.Objects.checkIndex(operatorIndex, kernels.length);
        return kernels[operatorIndex];
    }

    int[] bufferOffsets() {
        return bufferOffsets.clone();
    }

    byte[] arena() {
        return arena;
    }
}
