package dev.mote.exporter;

import dev.mote.runtime.ArenaTooSmallException;
import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.runtime.UnsupportedOpException;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.TensorType;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Assumptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Runs an exported model in the real TFLite interpreter and in Mote's {@link MicroInterpreter} on seeded random
 * inputs and compares every operator's output. Where an operator's inputs are identical in both but its output
 * differs, every differing element must be proven a documented rounding tie ({@link TieProof}); later operators
 * then see different inputs and are not compared. A model output may differ only in inferences with a proven tie.
 */
final class OracleComparison {

    /** What a comparison found. */
    record Result(int inferences, long outputElements, long differingOutputElements, int inferencesWithTies,
                  Map<String, Integer> provenTiesByOp) {
        int provenTies() {
            return provenTiesByOp.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public String toString() {
            return inferences + " inferences: " + differingOutputElements + " of " + outputElements
                    + " output elements differ from desktop TFLite; " + provenTies() + " proven documented differences "
                    + provenTiesByOp + " in " + inferencesWithTies + " inferences";
        }
    }

    private OracleComparison() {
    }

    /** A Mote interpreter with a large enough arena, or the test is skipped if Mote lacks a kernel. */
    static MicroInterpreter mote(byte[] model) {
        try {
            long needed;
            try {
                MicroInterpreter probe = new MicroInterpreter(model, OpResolver.allBuiltins(), 0);
                probe.allocateTensors();
                return probe;
            } catch (ArenaTooSmallException e) {
                needed = e.neededBytes();
            }
            MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), (int) needed);
            interpreter.allocateTensors();
            return interpreter;
        } catch (UnsupportedOpException e) {
            Assumptions.abort("Mote has no kernel for an operator of this model yet (" + e.getMessage() + ")");
            throw e;
        }
    }

    static Result compare(byte[] modelBytes, int inferences, long seed) {
        Model model = ModelReader.read(modelBytes);
        Subgraph sg = model.mainSubgraph();
        MicroInterpreter mote = mote(modelBytes);
        int inputTensor = sg.inputs()[0];
        int outputTensor = sg.outputs()[0];
        Random random = new Random(seed);
        long outputElements = 0;
        long differing = 0;
        int withTies = 0;
        Map<String, Integer> ties = new TreeMap<>();
        try (TfliteOracle tflite = TfliteOracle.loadPreservingAllTensors(modelBytes)) {
            for (int n = 0; n < inferences; n++) {
                byte[] input = randomInput(sg.tensor(inputTensor).type(), mote.input(0).byteSize(), random);
                Map<Integer, byte[]> moteTensors = new HashMap<>();
                moteTensors.put(inputTensor, input);
                mote.input(0).copyFrom(input);
                mote.invoke(node -> moteTensors.put(sg.operators().get(node.operatorIndex()).output(0),
                        node.output(0).toByteArray()));
                tflite.setInput(0, input);
                tflite.invoke();
                boolean tie = false;
                for (int i = 0; i < sg.operators().size(); i++) {
                    Operator op = sg.operators().get(i);
                    boolean sameInputs = true;
                    for (int t : op.inputs()) {
                        if (t >= 0 && moteTensors.containsKey(t)) {
                            sameInputs &= Arrays.equals(moteTensors.get(t), tflite.tensor(t));
                        }
                    }
                    byte[] mine = moteTensors.get(op.output(0));
                    byte[] theirs = tflite.tensor(op.output(0));
                    if (sameInputs && !Arrays.equals(mine, theirs)) {
                        int proven = TieProof.proveAll(model, i, moteTensors.get(op.input(0)), mine, theirs);
                        ties.merge(TieProof.rule(model.operatorCodes().get(op.opcodeIndex()).builtin()), proven, Integer::sum);
                        tie = true;
                    }
                }
                byte[] mine = moteTensors.get(outputTensor);
                byte[] theirs = tflite.output(0);
                int elementBytes = sg.tensor(outputTensor).type().bytesPerElement();
                outputElements += mine.length / elementBytes;
                long diff = countDiffering(mine, theirs, elementBytes);
                if (diff > 0 && !tie) {
                    throw new AssertionError("inference " + n + ": output differs from desktop TFLite in " + diff
                            + " elements without a proven tie upstream");
                }
                differing += diff;
                withTies += tie ? 1 : 0;
            }
        }
        return new Result(inferences, outputElements, differing, withTies, ties);
    }

    private static byte[] randomInput(TensorType type, int bytes, Random random) {
        if (type == TensorType.FLOAT32) {
            ByteBuffer bb = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            while (bb.hasRemaining()) {
                bb.putFloat(random.nextFloat() * 4 - 2);
            }
            return bb.array();
        }
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return raw;
    }

    private static long countDiffering(byte[] a, byte[] b, int elementBytes) {
        long count = 0;
        for (int i = 0; i < a.length; i += elementBytes) {
            if (!Arrays.equals(a, i, i + elementBytes, b, i, i + elementBytes)) {
                count++;
            }
        }
        return count;
    }
}
