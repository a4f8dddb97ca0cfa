package dev.mote.codegen;

import dev.mote.codegen.internal.Emitters;
import dev.mote.runtime.ArenaTarget;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.internal.kernels.BuiltinKernels;
import dev.mote.runtime.testing.RealTflm;
import dev.mote.runtime.tflm.DeviceCase;
import dev.mote.runtime.tflm.DifferentialVariants;
import dev.mote.runtime.tflm.Variant;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.vocabulary.MoteException;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generated C, compiled with gcc, computes what real TFLM ({@code tflm_run}, x86-64) and micro-runtime compute,
 * byte for byte, on the seeded random cases of every op variant of micro-runtime's differential tests. A variant
 * whose model computes in float32 (beyond a float model input or output, and beyond ops that only move bytes) may be
 * refused, with {@link UnsupportedByCodegenException}; whatever is generated must be identical. The int16 (16x8)
 * element-wise variants ({@link DifferentialVariants#int16ElementwiseNotEmitted()}) are not compiled: the generator
 * emits no int16 arithmetic (and no int32 QUANTIZE), so each of their cases must be refused with a typed failure
 * naming the operator and the tensor type.
 */
class RandomCasesCodegenTest {
    static final int CASES = Integer.getInteger("mote.codegen.cases", 8);
    /** Ops that move bytes without arithmetic: generated for every element type, float32 included. */
    static final Set<BuiltinOperator> DATA_MOVEMENT = EnumSet.of(BuiltinOperator.RESHAPE, BuiltinOperator.SQUEEZE,
            BuiltinOperator.EXPAND_DIMS, BuiltinOperator.TRANSPOSE, BuiltinOperator.STRIDED_SLICE,
            BuiltinOperator.CONCATENATION, BuiltinOperator.PAD, BuiltinOperator.PADV2);

    /** Names of the variants the generator must refuse: int16 arithmetic is not emitted (no C for it yet). */
    static final Set<String> INT16_NOT_EMITTED = DifferentialVariants.int16ElementwiseNotEmitted().stream()
            .map(Variant::name).collect(java.util.stream.Collectors.toSet());

    static Stream<Variant> variants() {
        return DifferentialVariants.all().stream();
    }

    /** True if the model computes in integers: no float32 tensor except a model input or output. */
    static boolean integerModel(byte[] model) {
        dev.mote.runtime.format.Model m = ModelReader.read(model);
        Subgraph sg = m.mainSubgraph();
        boolean hasEdgeOp = sg.operators().stream().anyMatch(op -> {
            BuiltinOperator b = m.operatorCodes().get(op.opcodeIndex()).builtin();
            return b == BuiltinOperator.QUANTIZE || b == BuiltinOperator.DEQUANTIZE;
        });
        Set<Integer> io = new java.util.HashSet<>();
        Arrays.stream(sg.inputs()).forEach(io::add);
        Arrays.stream(sg.outputs()).forEach(io::add);
        for (int t = 0; t < sg.tensors().size(); t++) {
            Tensor tensor = sg.tensor(t);
            if (tensor.type() == TensorType.FLOAT32 && !io.contains(t)) {
                return false;
            }
            // a float model input of QUANTIZE, or a float output of DEQUANTIZE, is generated
            if (tensor.type() == TensorType.FLOAT32 && io.contains(t) && !hasEdgeOp) {
                return false;
            }
        }
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void generatedCIsIdenticalToTflmAndMicroRuntime(Variant variant, @TempDir Path work) {
        skipIfNotEmittedYet(variant);
        NativeBuild.requireGcc();
        List<GeneratedC> programs = new ArrayList<>();
        List<byte[]> inputs = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        List<DeviceCase> cases = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int refusedByRuntime = 0;
        int notGenerated = 0;
        for (int i = 1; i <= CASES; i++) {
            DeviceCase c = variant.caseAt(i);
            byte[] mote;
            try {
                MicroInterpreter interpreter = new MicroInterpreter(c.model(), OpResolver.allBuiltins(), 1 << 20);
                interpreter.allocateTensors();
                for (int k = 0; k < c.inputs().size(); k++) {
                    interpreter.input(k).copyFrom(c.inputs().get(k));
                }
                interpreter.invoke();
                mote = interpreter.output(0).toByteArray();
            } catch (MoteException e) {
                refusedByRuntime++;
                continue;
            }
            if (INT16_NOT_EMITTED.contains(variant.name())) {
                // skipped on purpose: no int16 C; the refusal must be typed and name the op and the type
                try {
                    CCodeGenerator.forModel(c.model()).name("case_" + i).generate();
                    failures.add(c + ": generated C for a variant the generator does not emit (int16/int32)");
                } catch (UnsupportedByCodegenException e) {
                    notGenerated++;
                    if (e.op() != variant.op() || !(e.getMessage().contains("INT16")
                            || e.getMessage().contains("INT32"))) {
                        failures.add(c + ": refused without naming " + variant.op() + " and the type: "
                                + e.getMessage());
                    }
                }
                continue;
            }
            boolean wanted = Emitters.supported().contains(variant.op())
                    && (integerModel(c.model()) || DATA_MOVEMENT.contains(variant.op()));
            try {
                GeneratedC g = CCodeGenerator.forModel(c.model()).name("case_" + i).generate();
                programs.add(g);
                inputs.add(c.concatenatedInputs());
                expected.add(mote);
                cases.add(c);
            } catch (UnsupportedByCodegenException e) {
                notGenerated++;
                if (wanted) {
                    failures.add(c + ": " + e.getMessage());
                }
            }
        }
        RealTflm tflm = RealTflm.available(ArenaTarget.HOST_64) ? RealTflm.require(ArenaTarget.HOST_64) : null;
        int identical = 0;
        if (!programs.isEmpty()) {
            List<byte[]> outputs = NativeBuild.run(work, programs, inputs);
            for (int k = 0; k < programs.size(); k++) {
                byte[] out = Arrays.copyOf(outputs.get(k), expected.get(k).length);
                if (!Arrays.equals(out, expected.get(k))) {
                    failures.add(cases.get(k) + ": generated C differs from micro-runtime: " + firstDifference(out,
                            expected.get(k)));
                    continue;
                }
                if (tflm != null) {
                    RealTflm.Run run = tflm.run(cases.get(k).model(), 1 << 20, inputs.get(k), false);
                    if (!run.invoked() || !Arrays.equals(run.output(), out)) {
                        failures.add(cases.get(k) + ": generated C differs from tflm_run: " + (run.invoked()
                                ? firstDifference(out, run.output()) : "TFLM did not invoke:\n" + run.log()));
                        continue;
                    }
                }
                identical++;
            }
        }
        System.out.printf("CODEGEN-DIFF %-32s cases %3d generated %3d identical %3d not-generated %3d "
                        + "refused-by-runtime %3d%s%n", variant.name(), CASES, programs.size(), identical, notGenerated,
                refusedByRuntime, tflm == null ? " (real TFLM absent: compared with micro-runtime only)" : "");
        if (!failures.isEmpty()) {
            fail(failures.size() + " case(s) of " + variant + ":\n" + String.join("\n", failures.subList(0,
                    Math.min(5, failures.size()))));
        }
    }

    /** The type of operand 0 of the model's first operator. */
    static TensorType firstInputType(byte[] model) {
        Subgraph sg = ModelReader.read(model).mainSubgraph();
        return sg.tensor(sg.operators().get(0).inputs()[0]).type();
    }

    /**
     * The variants of a configuration the generator documents as not emitted yet ({@link Emitters#notEmittedTypes()}:
     * the 16x8 FULLY_CONNECTED, CONV_2D and DEPTHWISE_CONV_2D; {@link Emitters#notEmittedYet()} for an op with an
     * emitter elsewhere) are skipped, after checking that the generator refuses their first case with
     * {@link UnsupportedByCodegenException} naming the operator and the type.
     */
    static void skipIfNotEmittedYet(Variant variant) {
        DeviceCase c = variant.caseAt(1);
        TensorType type = firstInputType(c.model());
        if (!Emitters.notEmittedTypes().getOrDefault(variant.op(), Set.of()).contains(type)) {
            return;
        }
        UnsupportedByCodegenException e = assertThrows(UnsupportedByCodegenException.class,
                () -> CCodeGenerator.forModel(c.model()).generate());
        assertEquals(variant.op(), e.op());
        assertTrue(e.getMessage().contains("does not emit " + type + " " + variant.op() + " yet"), e.getMessage());
        Assumptions.abort(variant + ": the C code generator does not emit " + type + " " + variant.op()
                + " yet (Emitters.notEmittedTypes()); it refuses it with UnsupportedByCodegenException");
    }

    static String firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return "byte " + i + ": " + a[i] + " vs " + b[i] + " (lengths " + a.length + ", " + b.length + ")";
            }
        }
        return "lengths " + a.length + " vs " + b.length;
    }

    /**
     * Every op micro-runtime runs is emitted, except exactly the documented ones the generator does not emit yet
     * ({@link Emitters#notEmittedYet()}: UNIDIRECTIONAL_SEQUENCE_LSTM), which it refuses with a typed failure.
     */
    @Test
    void everyOpMicroRuntimeRunsIsGenerated() {
        Set<BuiltinOperator> missing = EnumSet.copyOf(BuiltinKernels.all().keySet());
        missing.removeAll(Emitters.supported());
        assertEquals(Emitters.notEmittedYet(), missing, "ops micro-runtime runs that the C code generator does not "
                + "emit, beyond the documented Emitters.notEmittedYet()");
    }

    @Test
    void anLstmModelIsRefusedNamingTheOperator() {
        Variant lstm = DifferentialVariants.all().stream()
                .filter(v -> v.op() == BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM).findFirst().orElseThrow();
        DeviceCase c = lstm.caseAt(1);
        UnsupportedByCodegenException e = assertThrows(UnsupportedByCodegenException.class,
                () -> CCodeGenerator.forModel(c.model()).generate());
        assertEquals(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM, e.op());
        assertEquals(0, e.operatorIndex());
        assertTrue(e.getMessage().startsWith("operator 0 (UNIDIRECTIONAL_SEQUENCE_LSTM): the C code generator does "
                + "not emit UNIDIRECTIONAL_SEQUENCE_LSTM yet"), e.getMessage());
    }
}
