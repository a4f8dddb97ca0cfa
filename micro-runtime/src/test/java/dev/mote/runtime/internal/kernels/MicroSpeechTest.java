package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;
import dev.mote.vocabulary.BuiltinOperator;
import dev.mote.runtime.format.Model;
import dev.mote.runtime.format.ModelReader;
import dev.mote.runtime.format.Operator;
import dev.mote.runtime.format.Subgraph;
import dev.mote.runtime.format.Tensor;
import dev.mote.runtime.testing.ReferenceModels;
import dev.mote.runtime.testing.SingleOpModel;
import dev.mote.runtime.testing.TfliteOracle;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code micro_speech_quantized.tflite} (RESHAPE, DEPTHWISE_CONV_2D, FULLY_CONNECTED, SOFTMAX): the whole model
 * against real TFLM's golden outputs, and its DEPTHWISE_CONV_2D layer (real per-channel weights, depth multiplier 8,
 * stride 2, SAME, RELU) against desktop TFLite's intermediate tensor, on the golden file's 64 seeded inputs.
 */
class MicroSpeechTest {
    static final String MODEL = "micro_speech_quantized.tflite";
    static final String GOLDEN = "micro_speech_quantized_golden.csv";
    static final int SEEDS = 64;

    /** The golden file's input: {@code s = s * 1664525 + 1013904223} (uint32) before every byte, byte = s >>> 24. */
    static byte[] seededInput(int seed, int length) {
        byte[] bytes = new byte[length];
        int s = seed;
        for (int i = 0; i < length; i++) {
            s = s * 1664525 + 1013904223;
            bytes[i] = (byte) (s >>> 24);
        }
        return bytes;
    }

    @Test
    void wholeModelEqualsTflmGoldenOutputsForAll64Seeds() {
        byte[] model = ReferenceModels.bytes(MODEL);
        List<String> rows = ReferenceModels.goldenLines(GOLDEN);
        MicroInterpreter interpreter = new MicroInterpreter(model, OpResolver.allBuiltins(), 16 * 1024);
        interpreter.allocateTensors();
        int checked = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] cols = row.split(",");
            int seed = Integer.parseInt(cols[0].trim());
            interpreter.input(0).copyFrom(seededInput(seed, interpreter.input(0).byteSize()));
            interpreter.invoke();
            assertArrayEquals(HexFormat.of().parseHex(cols[1].trim()), interpreter.output(0).toByteArray(),
                    "output for seed " + seed);
            checked++;
        }
        assertEquals(SEEDS, checked);
    }

    @Test
    void depthwiseLayerEqualsDesktopTfliteForAll64Seeds() {
        byte[] bytes = ReferenceModels.bytes(MODEL);
        Model model = ModelReader.read(bytes);
        Subgraph sg = model.mainSubgraph();
        Operator dw = sg.operators().stream()
                .filter(op -> model.operatorCodes().get(op.opcodeIndex()).builtin() == BuiltinOperator.DEPTHWISE_CONV_2D)
                .findFirst().orElseThrow();
        Tensor in = sg.tensor(dw.input(0));
        Tensor filter = sg.tensor(dw.input(1));
        Tensor bias = sg.tensor(dw.input(2));
        Tensor out = sg.tensor(dw.output(0));
        // the same layer as a single-op model: same options, weights, bias and quantization
        MicroInterpreter mote = new SingleOpModel(BuiltinOperator.DEPTHWISE_CONV_2D, 3, dw.options())
                .input(in.type(), in.shape(), in.quantization())
                .constant(filter.type(), filter.shape(), model.buffer(filter.buffer()).toByteArray(),
                        filter.quantization())
                .constant(bias.type(), bias.shape(), model.buffer(bias.buffer()).toByteArray(), bias.quantization())
                .output(out.type(), out.shape(), out.quantization())
                .mote();
        int inputBytes = sg.tensor(sg.inputs()[0]).shape()[1];
        try (TfliteOracle tflite = TfliteOracle.loadPreservingAllTensors(bytes)) {
            for (int seed = 1; seed <= SEEDS; seed++) {
                byte[] input = seededInput(seed, inputBytes);
                tflite.setInput(0, input);
                tflite.invoke();
                mote.input(0).copyFrom(input); // RESHAPE [1, 1960] -> [1, 49, 40, 1] keeps the bytes
                mote.invoke();
                assertArrayEquals(tflite.tensor(dw.output(0)), mote.output(0).toByteArray(),
                        "depthwise output for seed " + seed);
            }
        }
    }
}
