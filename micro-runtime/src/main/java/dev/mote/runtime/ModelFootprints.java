package dev.mote.runtime;

import dev.mote.vocabulary.MoteException;

import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.internal.kernels.BuiltinKernels;
import dev.mote.runtime.internal.memory.EstimatedFootprint;
import dev.mote.runtime.internal.memory.OperatorFootprint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What every operator of a model puts into TFLM's arena, as the kernels of an {@link OpResolver} declare it in
 * their prepare (see the arena declarations of {@link NodeContext}): the one source of the per-operator arena
 * accounting. The interpreter records it while it prepares; {@link #record} runs the kernels' prepare against
 * recording contexts (no arena), so that {@link ArenaReport}, {@code mote arena} and the exporter get the same
 * figures without an arena large enough to allocate in. An operator with no kernel in the resolver, or whose kernel
 * refuses its node, gets its op's footprint-only declaration where Mote has one ({@link
 * BuiltinKernels#footprintOnly()}: MEAN, per-channel
 * FULLY_CONNECTED, CONV_2D with an INT4 filter), which is exact; otherwise the
 * flagged upper bound of {@link EstimatedFootprint}.
 *
 * <pre>{@code
 * ModelFootprints f = ModelFootprints.record(modelBytes, OpResolver.allBuiltins(), ArenaTarget.CORTEX_M);
 * List<Long> scratch = f.operator(0, 3).scratchRequests();
 * }</pre>
 */
public final class ModelFootprints {
    /**
     * The most activation bytes (all subgraphs' declared activations together) of a model whose kernels a report
     * prepares: far beyond any microcontroller's RAM, and low enough that what prepare allocates on the Java heap
     * (which grows with tensor dimensions) stays small. Larger models get the flagged upper bound for every
     * operator instead, so that a hostile or mistaken declaration cannot exhaust the host's memory.
     */
    static final long PREPARE_LIMIT_BYTES = 256L << 20;

    private final List<List<OperatorFootprint>> subgraphs;

    private ModelFootprints(List<List<OperatorFootprint>> subgraphs) {
        List<List<OperatorFootprint>> copy = new ArrayList<>();
        for (List<OperatorFootprint> sg : subgraphs) {
            copy.add(List.copyOf(sg));
        }
        this.subgraphs = List.copyOf(copy);
    }

    /**
     * Records the footprints of a model's bytes.
     *
     * @throws InvalidModelException if the bytes are not a valid model, or an activation tensor is larger than any
     *                               TFLM arena
     */
    public static ModelFootprints record(byte[] model, OpResolver resolver, ArenaTarget target) {
        return record(ModelReader.read(model), resolver, target);
    }

    /** Records the footprints of a decoded model by preparing every operator of every subgraph. */
    public static ModelFootprints record(Model model, OpResolver resolver, ArenaTarget target) {
        return record(model, resolver, target, null);
    }

    /**
     * The footprints with those of the main subgraph already recorded (by the interpreter's own prepare); the
     * other subgraphs are recorded here.
     */
    static ModelFootprints record(Model model, OpResolver resolver, ArenaTarget target,
                                  List<OperatorFootprint> preparedMainSubgraph) {
        DeclaredSizes.checkAddressable(model);
        long activations = DeclaredSizes.activationBytes(model);
        List<List<OperatorFootprint>> all = new ArrayList<>();
        for (int g = 0; g < model.subgraphs().size(); g++) {
            if (g == 0 && preparedMainSubgraph != null) {
                all.add(preparedMainSubgraph);
            } else if (activations > PREPARE_LIMIT_BYTES) {
                all.add(unprepared(model.subgraphs().get(g), "the model declares " + activations + " bytes of "
                        + "activations, more than any microcontroller's RAM, so Mote does not prepare its kernels "
                        + "for a report"));
            } else {
                all.add(recordSubgraph(model, g, resolver, target));
            }
        }
        return new ModelFootprints(all);
    }

    /**
     * The footprints with every operator taken as the flagged upper bound of {@link EstimatedFootprint} (no kernel,
     * no footprint declaration): for tests that check the upper bound against real TFLM.
     */
    static ModelFootprints upperBounds(Model model) {
        List<List<OperatorFootprint>> all = new ArrayList<>();
        for (int g = 0; g < model.subgraphs().size(); g++) {
            all.add(recordSubgraph(model, g, OpResolver.builder().build(), ArenaTarget.HOST_64, false));
        }
        return new ModelFootprints(all);
    }

    /**
     * No operator footprints at all: what TFLM's framework alone allocates, a lower bound of the real need (for
     * figures that must not run any kernel, such as the check of declared sizes before prepare).
     */
    static ModelFootprints frameworkOnly(Model model) {
        List<List<OperatorFootprint>> all = new ArrayList<>();
        for (Subgraph sg : model.subgraphs()) {
            List<OperatorFootprint> ops = new ArrayList<>();
            for (int i = 0; i < sg.operators().size(); i++) {
                ops.add(OperatorFootprint.builder().build());
            }
            all.add(ops);
        }
        return new ModelFootprints(all);
    }

    /** Every operator of {@code sg} as the flagged upper bound, for {@code reason}. */
    private static List<OperatorFootprint> unprepared(Subgraph sg, String reason) {
        List<OperatorFootprint> ops = new ArrayList<>();
        for (Operator op : sg.operators()) {
            ops.add(EstimatedFootprint.upperBound(sg, op.inputs(), op.outputs(), reason));
        }
        return ops;
    }

    private static List<OperatorFootprint> recordSubgraph(Model model, int g, OpResolver resolver,
                                                          ArenaTarget target) {
        return recordSubgraph(model, g, resolver, target, true);
    }

    /**
     * The footprints of subgraph {@code g}: each operator's as its kernel in {@code resolver} declares it; where
     * there is none or it refuses the node, as the op's footprint-only declaration ({@link
     * BuiltinKernels#footprintOnly()}) declares it, if {@code footprintOnly} and there is one that accepts the node;
     * otherwise the flagged upper bound ({@link EstimatedFootprint}).
     */
    static List<OperatorFootprint> recordSubgraph(Model model, int g, OpResolver resolver, ArenaTarget target,
                                                  boolean footprintOnly) {
        Subgraph sg = model.subgraphs().get(g);
        KernelScope scope = new KernelScope();
        MicroTensor[] ts = SubgraphTensors.of(model, sg, null, scope);
        List<OperatorFootprint> out = new ArrayList<>();
        List<Operator> ops = sg.operators();
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            OperatorCode code = model.operatorCodes().get(op.opcodeIndex());
            Kernel kernel = resolver.create(code.builtin());
            String refusal = null;
            if (kernel != null) {
                Prepared p = prepare(model, ts, i, op, code, kernel, target, scope);
                if (p.footprint() != null) {
                    out.add(p.footprint());
                    continue;
                }
                refusal = "its kernel refused it: " + p.refusal();
            }
            Supplier<Kernel> declaration = footprintOnly ? BuiltinKernels.footprintOnly().get(code.builtin()) : null;
            if (declaration != null) {
                Prepared p = prepare(model, ts, i, op, code, declaration.get(), target, scope);
                if (p.footprint() != null) {
                    out.add(p.footprint());
                    continue;
                }
                refusal = (refusal == null ? "" : refusal + "; ") + "its footprint declaration refused it: "
                        + p.refusal();
            }
            out.add(EstimatedFootprint.upperBound(sg, op.inputs(), op.outputs(), refusal));
        }
        return out;
    }

    /** A prepare's declared footprint, or why the kernel refused the node. */
    private record Prepared(OperatorFootprint footprint, String refusal) {
    }

    private static Prepared prepare(Model model, MicroTensor[] ts, int i, Operator op, OperatorCode code,
                                    Kernel kernel, ArenaTarget target, KernelScope scope) {
        NodeContext node = SubgraphTensors.node(model, ts, i, op, target, scope);
        scope.enter();
        try {
            kernel.prepare(node);
            return new Prepared(node.footprint(), null);
        } catch (MoteException e) { // the kernel refuses the node
            return new Prepared(null, withoutOperatorPrefix(String.valueOf(e.getMessage()), i));
        } catch (RuntimeException e) {
            throw KernelFailureException.thrownBy("prepare", i, code.builtin(), code.displayName(), e);
        } finally {
            scope.exit();
        }
    }

    /** A refusal's problem without the "operator 3 (CONV_2D): " that {@link NodeContext#fail} puts first. */
    private static String withoutOperatorPrefix(String message, int index) {
        String prefix = "operator " + index + " (";
        int end = message.indexOf("): ");
        return message.startsWith(prefix) && end > 0 ? message.substring(end + 3) : message;
    }

    /** The number of subgraphs. */
    public int subgraphCount() {
        return subgraphs.size();
    }

    /** The footprints of subgraph {@code g}'s operators, in execution order. */
    public List<OperatorFootprint> subgraph(int g) {
        return subgraphs.get(g);
    }

    /** The footprint of operator {@code op} of subgraph {@code g}. */
    public OperatorFootprint operator(int g, int op) {
        return subgraphs.get(g).get(op);
    }
}
