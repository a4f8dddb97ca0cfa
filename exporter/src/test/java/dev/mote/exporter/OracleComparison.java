package dev.mote.exporter;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.UnsupportedOpException;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.vocabulary.TensorType;
import dev.mote.runtime.testing.KnownDifferences;
import dev.mote.runtime.testing.LittleEndian;
import dev.mote.runtime.testing.ModelRuns;
import dev.mote.runtime.testing.RandomCases;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs an exported model in the real TFLite interpreter and in Mote's {@link MicroInterpreter} on seeded random
 * inputs and compares every operator's output. Where an operator's inputs are identical in both but its output
 * differs, every differing element must be proven a documented difference ({@link KnownDifferences}); later operators
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
            return ModelRuns.allocatedExactly(model);
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
        RandomCases random = new RandomCases(seed);
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
                        KnownDifferences.Proof proof = KnownDifferences.prove(model, i, moteTensors.get(op.input(0)),
                                mine, theirs);
                        ties.merge(proof.rule(), proof.elements(), Integer::sum);
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

    private static byte[] randomInput(TensorType type, int bytes, RandomCases random) {
        return type == TensorType.FLOAT32 ? LittleEndian.floats(random.floats(bytes / 4, -2f, 2f))
                : random.int8s(bytes);
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
