package dev.mote.exporter;

import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.vocabulary.MoteException;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.FileSet;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An exported TFLite model: its bytes, the operators it uses, and ways to write it out as a {@code .tflite} file
 * or as C sources for firmware.
 *
 * <pre>{@code
 * ExportedModel model = TfliteExporter.export(spec, parameters);
 * model.writeTflite(Path.of("build/sine.tflite"));
 * ArenaReport arena = model.arenaReport(ArenaTarget.CORTEX_M);
 * model.cArray("sine_model", ArenaTarget.CORTEX_M).writeTo(Path.of("firmware/src"));
 * }</pre>
 */
public final class ExportedModel {
    /** The margin added to Mote's smallest-arena figure for {@code k<Name>TensorArenaSize} by default. */
    public static final int DEFAULT_ARENA_MARGIN_PERCENT = 10;

    private final String name;
    private final byte[] bytes;
    private final ExportOptions options;
    private final int[] nodeTensors;
    private final List<BuiltinOperator> operators;
    private final MemoryPlan memoryPlan;

    ExportedModel(String name, byte[] bytes, ExportOptions options, int[] nodeTensors, Set<BuiltinOperator> ops,
                  MemoryPlan memoryPlan) {
        this.name = name;
        this.bytes = bytes;
        this.options = options;
        this.nodeTensors = nodeTensors.clone();
        this.operators = List.copyOf(ops);
        this.memoryPlan = memoryPlan;
    }

    /**
     * The arena plan written as {@code OfflineMemoryAllocation} metadata, if {@link ExportOptions#offlineMemoryPlan()}
     * was set.
     */
    public Optional<MemoryPlan> memoryPlan() {
        return Optional.ofNullable(memoryPlan);
    }

    /** The name of the {@link dev.mote.dsl.ModelSpec} this model was exported from. */
    public String name() {
        return name;
    }

    /** A copy of the {@code .tflite} bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The size of the {@code .tflite} file in bytes. */
    public int size() {
        return bytes.length;
    }

    public ExportOptions options() {
        return options;
    }

    /** The builtin operators the model uses, each once, in order of first use. */
    public List<BuiltinOperator> operators() {
        return operators;
    }

    /**
     * The subgraph tensor holding the output of DSL node {@code nodeIndex} (the value it passes on for a folded
     * BatchNorm, a removed Dropout and a Flatten absorbed by FULLY_CONNECTED; the activation's output for a layer whose
     * activation was fused into it).
     */
    public int tensorOfNode(int nodeIndex) {
        return nodeTensors[nodeIndex];
    }

    /**
     * Writes the {@code .tflite} file atomically as a one-file {@link FileSet}: to a hidden temporary file in the same
     * folder (which must exist), then renamed; it gets the permissions of any new file (the umask's).
     *
     * @return {@code file}
     * @throws ExportWriteException if the file cannot be written (no partial file is left, a previous file is kept)
     */
    public Path writeTflite(Path file) {
        ExportFiles.write(new FileSet().add(file, bytes));
        return file;
    }

    /**
     * What TFLM's arena holds for this model on {@code target}: {@link ArenaReport#of(byte[], ArenaTarget)}, the
     * figures Mote's {@link MicroInterpreter} reports, also for operators micro-runtime knows only the footprint of
     * (an LSTM before micro-runtime computes it).
     */
    public ArenaReport arenaReport(ArenaTarget target) {
        return ArenaReport.of(bytes, target);
    }

    /**
     * The model loaded into micro-runtime as a device would hold it: tensors allocated in an arena of exactly the
     * smallest size TFLM needs on {@code target}, every builtin kernel registered, ready to {@code invoke()}.
     *
     * <pre>{@code
     * MicroInterpreter device = exported.interpreter(ArenaTarget.CORTEX_M);
     * device.input(0).setFloats(features);
     * device.invoke();
     * float score = device.output(0).dequantize(0);
     * }</pre>
     *
     * @throws ExportException if Mote cannot load the model (e.g. an operator without a Mote kernel)
     */
    public MicroInterpreter interpreter(ArenaTarget target) {
        try {
            long needed = ArenaReport.of(bytes, target).minimumArenaBytes();
            if (needed > Integer.MAX_VALUE) {
                throw new ExportException("model '" + name + "' needs an arena of " + needed + " bytes");
            }
            MicroInterpreter interpreter = new MicroInterpreter(bytes, OpResolver.allBuiltins(), (int) needed, target);
            interpreter.allocateTensors();
            return interpreter;
        } catch (ExportException e) {
            throw e;
        } catch (MoteException e) {
            throw new ExportException("cannot load model '" + name + "' into Mote's interpreter: " + e.getMessage(), e);
        }
    }

    /** C sources with {@code k<Name>TensorArenaSize} from {@link #arenaReport} plus a 10 % margin. */
    public CArraySources cArray(String cName, ArenaTarget target) {
        return cArray(cName, target, DEFAULT_ARENA_MARGIN_PERCENT);
    }

    /**
     * C sources for firmware: the model as {@code g_<cName>[]} and an op resolver header whose
     * {@code k<Name>TensorArenaSize} is Mote's smallest arena for {@code target} plus {@code marginPercent} %,
     * rounded up to 16 bytes.
     *
     * @throws ExportException if {@code cName} is not a C identifier or the arena cannot be sized
     */
    public CArraySources cArray(String cName, ArenaTarget target, int marginPercent) {
        CArrayWriter.requireIdentifier(cName);
        return CArrayWriter.render(cName, bytes, operators, arenaReport(target), marginPercent);
    }

    /**
     * The model as standalone C99 ({@code cName.h}, {@code cName.c}), bit-exact with TFLM and without it:
     * <pre>{@code
     * exported.generatedC("hello_world").writeTo(Path.of("firmware"));
     * }</pre>
     *
     * @throws dev.mote.codegen.CodegenException if {@code cName} is not a C identifier or an operator has no C emitter
     */
    public dev.mote.codegen.GeneratedC generatedC(String cName) {
        return dev.mote.codegen.CCodeGenerator.forModel(bytes).name(cName).generate();
    }

    @Override
    public String toString() {
        return "ExportedModel[" + name + ", " + options + ", " + bytes.length + " bytes, ops " + operators + "]";
    }
}
