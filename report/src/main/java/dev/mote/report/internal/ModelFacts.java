package dev.mote.report.internal;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.ModelFootprints;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.OperatorWorkload;
import dev.mote.runtime.format.OperatorCode;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;
import dev.mote.vocabulary.TensorType;
import dev.mote.vocabulary.Workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the report shows about one model, gathered from micro-runtime without recomputing any of its rules: the
 * decoded model, {@link ArenaReport} and the head plan of the same footprints ({@link TflmMemoryPlan#of}) per ABI,
 * flash bytes from the model's buffers, and MACs from {@link Workload#macs}.
 *
 * <pre>{@code
 * ModelFacts facts = ModelFacts.of(Files.readAllBytes(path));
 * long macs = facts.macsTotal();
 * }</pre>
 */
public final class ModelFacts {

    /** Where a tensor's bytes live. */
    public enum Storage {
        /** Constant data in the flatbuffer. */
        FLASH,
        /** Planned in the arena head. */
        ARENA,
        /** A variable tensor, persistent at the arena tail. */
        VARIABLE,
        /** No bytes (zero elements, or never planned). */
        NONE
    }

    /**
     * One tensor.
     *
     * @param index        index in its subgraph
     * @param name         the name as stored in the model (possibly empty; never trusted as HTML)
     * @param label        the name, or "tensor N" for an unnamed one
     * @param type         element type
     * @param shape        the shape
     * @param bytes        {@code TfLiteEvalTensorByteLength}
     * @param quantization the quantization, as micro-runtime describes it
     * @param storage      where its bytes live
     * @param flashBytes   bytes of its constant buffer in the flatbuffer (0 unless {@link Storage#FLASH})
     * @param sharesBufferWith the lower-index tensor whose constant buffer this one shares, or -1
     */
    public record TensorFact(int index, String name, String label, TensorType type, int[] shape, long bytes,
                             String quantization, Storage storage, long flashBytes, int sharesBufferWith) {
    }

    /**
     * One operator.
     *
     * @param index   index in its subgraph
     * @param name    the operator's display name (a custom code comes from the model)
     * @param version the operator code's version
     * @param inputs  input tensor indices ({@code -1}: absent optional operand)
     * @param outputs output tensor indices
     * @param macs    multiply-accumulates per invocation, empty where {@link Workload} does not count the op
     */
    public record OperatorFact(int index, String name, int version, int[] inputs, int[] outputs, OptionalLong macs) {
    }

    /** One subgraph: its tensors and operators. */
    public record SubgraphFact(int index, String name, List<TensorFact> tensors, List<OperatorFact> operators,
                               int[] inputs, int[] outputs) {
        public TensorFact tensor(int i) {
            return tensors.get(i);
        }
    }

    /** The arena on one ABI: micro-runtime's report and the head plan it was made from. */
    public record ArenaFact(ArenaTarget target, ArenaReport report, TflmMemoryPlan plan) {
    }

    private final int fileBytes;
    private final List<SubgraphFact> subgraphs;
    private final List<ArenaFact> arenas;
    private final long constantBytes;
    private final int constantTensors;
    private final long macsTotal;
    private final int macsNotCounted;

    private ModelFacts(int fileBytes, List<SubgraphFact> subgraphs, List<ArenaFact> arenas, long constantBytes,
                       int constantTensors, long macsTotal, int macsNotCounted) {
        this.fileBytes = fileBytes;
        this.subgraphs = List.copyOf(subgraphs);
        this.arenas = List.copyOf(arenas);
        this.constantBytes = constantBytes;
        this.constantTensors = constantTensors;
        this.macsTotal = macsTotal;
        this.macsNotCounted = macsNotCounted;
    }

    /**
     * The facts of a model's bytes.
     *
     * @throws dev.mote.runtime.InvalidModelException if micro-runtime does not accept the bytes
     */
    public static ModelFacts of(byte[] bytes) {
        Model model = ModelReader.read(bytes);
        List<ArenaFact> arenas = new ArrayList<>();
        for (ArenaTarget target : ArenaTarget.values()) {
            ArenaReport report = ArenaReport.of(model, target);
            TflmMemoryPlan plan;
            try {
                plan = TflmMemoryPlan.of(model, ModelFootprints.record(model, OpResolver.allBuiltins(), target));
            } catch (IllegalArgumentException e) {
                // ArenaReport.of has already refused such a model; this is for completeness.
                throw new dev.mote.runtime.InvalidModelException(e.getMessage());
            }
            arenas.add(new ArenaFact(target, report, plan));
        }
        List<SubgraphFact> subgraphs = new ArrayList<>();
        long constantBytes = 0;
        int constantTensors = 0;
        List<OptionalLong> mainMacs = new ArrayList<>();
        int notCounted = 0;
        for (int g = 0; g < model.subgraphs().size(); g++) {
            Subgraph sg = model.subgraphs().get(g);
            List<TensorFact> tensors = new ArrayList<>();
            Map<Integer, Integer> firstTensorOfBuffer = new HashMap<>();
            for (int t = 0; t < sg.tensors().size(); t++) {
                Tensor decl = sg.tensor(t);
                Storage storage;
                long flash = 0;
                int shares = -1;
                long tensorBytes = TflmMemoryPlan.tensorBytes(decl);
                if (TflmMemoryPlan.isConstant(model, decl)) {
                    storage = Storage.FLASH;
                    flash = model.buffer(decl.buffer()).length();
                    constantTensors++;
                    Integer first = firstTensorOfBuffer.putIfAbsent(decl.buffer(), t);
                    if (first != null) {
                        shares = first;
                    } else {
                        constantBytes += flash;
                    }
                } else if (decl.isVariable()) {
                    storage = Storage.VARIABLE;
                } else if (g == 0 ? arenas.get(0).plan().bufferOf(g, t).isPresent() : tensorBytes > 0) {
                    storage = Storage.ARENA;
                } else {
                    storage = Storage.NONE;
                }
                String label = decl.name().isEmpty() ? "tensor " + t : decl.name();
                tensors.add(new TensorFact(t, decl.name(), label, decl.type(), decl.shape(), tensorBytes,
                        decl.quantization().toString(), storage, flash, shares));
            }
            List<OperatorFact> operators = new ArrayList<>();
            for (int i = 0; i < sg.operators().size(); i++) {
                Operator op = sg.operators().get(i);
                OperatorCode code = model.operatorCodes().get(op.opcodeIndex());
                OptionalLong m = OperatorWorkload.macs(model, sg, op);
                if (g == 0) {
                    mainMacs.add(m);
                    if (m.isEmpty()) {
                        notCounted++;
                    }
                }
                operators.add(new OperatorFact(i, code.displayName(), code.version(), op.inputs(), op.outputs(), m));
            }
            subgraphs.add(new SubgraphFact(g, sg.name(), tensors, operators, sg.inputs(), sg.outputs()));
        }
        return new ModelFacts(bytes.length, subgraphs, arenas, constantBytes, constantTensors,
                Workload.total(mainMacs), notCounted);
    }

    /** Bytes of the .tflite file: everything the firmware keeps in flash for the model. */
    public int fileBytes() {
        return fileBytes;
    }

    public List<SubgraphFact> subgraphs() {
        return subgraphs;
    }

    /** The main subgraph (the one TFLM invokes). */
    public SubgraphFact main() {
        return subgraphs.get(0);
    }

    /** One per ABI, in {@link ArenaTarget} order. */
    public List<ArenaFact> arenas() {
        return arenas;
    }

    /** Bytes of constant data (each shared buffer once). */
    public long constantBytes() {
        return constantBytes;
    }

    public int constantTensors() {
        return constantTensors;
    }

    /** MACs of one invocation of the main subgraph, over the operators {@link Workload} counts. */
    public long macsTotal() {
        return macsTotal;
    }

    /** Operators of the main subgraph whose MACs are not counted; the total is incomplete if this is not 0. */
    public int macsNotCounted() {
        return macsNotCounted;
    }
}
