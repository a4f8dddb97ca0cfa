package dev.mote.dsl;

import dev.mote.vocabulary.BuiltinOperator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mote.vocabulary.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's two examples, each declared in a few lines, and what their summaries say. The arena figures of the
 * same models are checked by the exporter's {@code ModelReportTest}.
 */
class ModelSummaryTest {

    /** Hello World: y = sin(x) with 1 -> 16 relu -> 16 relu -> 1. */
    static ModelSpec helloWorld() {
        return MicroModel.sequential("hello_world")
                .input(1)
                .dense(16).relu()
                .dense(16).relu()
                .dense(1)
                .build();
    }

    /** A depthwise-separable keyword-spotting CNN over 49 frames x 10 MFCCs, 12 classes. */
    static ModelSpec keywordSpotting() {
        return MicroModel.sequential("kws")
                .input(49, 10, 1)
                .conv2d(32, 10, 4).stride(2).padding(SAME).batchNorm().relu()
                .depthwiseConv2d(3, 3).padding(SAME).batchNorm().relu()
                .conv2d(32, 1, 1).batchNorm().relu()
                .avgPool2d(25, 5)
                .flatten()
                .dense(12).softmax()
                .build();
    }

    /** A residual block: the graph form. */
    static ModelSpec residual() {
        MicroModel g = MicroModel.graph("kws_res");
        ImageLayer x = g.input(49, 10, 1).conv2d(16, 3, 3).padding(SAME).relu();
        ImageLayer y = x.conv2d(16, 3, 3).padding(SAME).batchNorm().relu()
                .conv2d(16, 3, 3).padding(SAME).batchNorm();
        return g.add(x, y).relu().globalAvgPool2d().dense(12).softmax().build();
    }

    @Test
    void helloWorldFigures() {
        ModelSummary s = helloWorld().summary();
        List<ModelSummary.Row> rows = s.rows();
        assertEquals(List.of(0L, 32L, 0L, 272L, 0L, 17L), rows.stream().map(ModelSummary.Row::params).toList());
        // int8 weights + int32 biases: 16 + 64, 256 + 64, 16 + 4
        assertEquals(List.of(0L, 80L, 0L, 320L, 0L, 20L), rows.stream().map(ModelSummary.Row::flashBytes).toList());
        assertEquals(List.of(1L, 16L, -1L, 16L, -1L, 1L),
                rows.stream().map(ModelSummary.Row::activationBytes).toList());
        assertEquals("FULLY_CONNECTED", rows.get(1).tfliteOp());
        assertEquals("fused into 'dense'", rows.get(2).tfliteOp());
        assertEquals(321, s.totalParams());
        assertEquals(420, s.flashBytes());
        assertEquals(List.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.FULLY_CONNECTED), s.ops());
    }

    @Test
    void keywordSpottingFigures() {
        ModelSummary s = keywordSpotting().summary();
        List<ModelSummary.Row> rows = s.rows();
        assertEquals(Shape.of(25, 5, 32), rows.get(1).outputShape());
        assertEquals(Shape.of(1, 1, 32), rows.get(10).outputShape());
        // conv 10x4x1x32 + 32; its batch norm: 4 x 32 (Keras counts moving statistics too)
        assertEquals(1312, rows.get(1).params());
        assertEquals(128, rows.get(2).params());
        assertEquals(1312 + 32 * 3, rows.get(1).flashBytes());
        assertEquals(3 * 3 * 32 + 32 * 4, rows.get(4).flashBytes());
        assertEquals(32 * 32 + 32 * 4, rows.get(7).flashBytes());
        assertEquals(32 * 12 + 12 * 4, rows.get(12).flashBytes());
        assertEquals("folded into 'conv2d'", rows.get(2).tfliteOp());
        // FULLY_CONNECTED flattens its input itself: the flatten writes no tensor
        assertEquals("absorbed by 'dense' (FULLY_CONNECTED flattens)", rows.get(11).tfliteOp());
        assertEquals(-1, rows.get(11).activationBytes());
        assertEquals(List.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.CONV_2D,
                BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.SOFTMAX), s.ops());
        assertEquals(3408, s.flashBytes());
    }

    @Test
    void theSummaryShowsOnlyExactFiguresWithOnlyTheDslOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.mote.exporter.TfliteExporter"));
        String table = helloWorld().summary().toString();
        assertFalse(table.contains("n/a"), table);
        assertTrue(table.endsWith("""
                Total params:             321
                Total MACs:               288
                TFLite ops:               3 (FULLY_CONNECTED x3)
                Weights + biases (flash): 420 B
                Largest activation:       16 B ('dense')
                """), table);
    }

    @Test
    void macsAreCountedPerLayerAndInTotalAsByHand() {
        // Hello World 1 -> 16 -> 16 -> 1: each output of a dense layer is one MAC per input feature:
        // 16 x 1 + 16 x 16 + 1 x 16 = 16 + 256 + 16 = 288; the fused ReLUs and the input do no operator of their own
        ModelSummary hello = helloWorld().summary();
        assertEquals(List.of(-1L, 16L, -1L, 256L, -1L, 16L),
                hello.rows().stream().map(ModelSummary.Row::macs).toList());
        assertEquals(288, hello.totalMacs());
        // KWS, by hand: conv 10x4 stride 2 SAME on 49x10x1 -> 25x5x32: 25*5*32 outputs x 10*4*1 = 160,000;
        // depthwise 3x3 SAME -> 25x5x32: 4,000 outputs x 3*3 = 36,000; conv 1x1 32 -> 32: 4,000 x 32 = 128,000;
        // average pool 0; dense 32 -> 12: 12 x 32 = 384; softmax 0. Total 324,384.
        ModelSummary kws = keywordSpotting().summary();
        List<ModelSummary.Row> rows = kws.rows();
        assertEquals(160_000, rows.get(1).macs());
        assertEquals(-1, rows.get(2).macs()); // the batch norm is folded into the conv
        assertEquals(36_000, rows.get(4).macs());
        assertEquals(128_000, rows.get(7).macs());
        assertEquals(0, rows.get(10).macs());
        assertEquals(-1, rows.get(11).macs()); // the flatten is absorbed by the dense layer
        assertEquals(384, rows.get(12).macs());
        assertEquals(0, rows.get(13).macs());
        assertEquals(324_384, kws.totalMacs());
        assertTrue(kws.toString().contains("Total MACs:               324,384"), kws.toString());
        assertTrue(kws.toString().lines().anyMatch(l -> l.strip().startsWith("1 ") && l.endsWith("  160,000")),
                kws.toString());
    }

    @Test
    void moreTotalsAreAlignedWithTheSummarysOwn() {
        String table = helloWorld().summary().table(List.of(ModelSummary.Total.bytes("Model (.tflite)", 1728)));
        assertTrue(table.endsWith("""
                Largest activation:       16 B ('dense')
                Model (.tflite):          1,728 B
                """), table);
    }

    @Test
    void graphSummariesShowWhatEachLayerReads() {
        ModelSummary s = residual().summary();
        String table = s.toString();
        assertTrue(table.contains("Inputs"), table);
        ModelSummary.Row add = s.rows().stream().filter(r -> r.name().equals("add")).findFirst().orElseThrow();
        assertEquals(List.of("relu", "batch_norm_1"), add.inputs());
        assertEquals("ADD", add.tfliteOp());
    }

    @Test
    void printsTheReadmeExamples() {
        String all = helloWorld().summary() + "\n"
                + keywordSpotting().summary() + "\n"
                + residual().summary();
        System.out.println(all);
        assertTrue(all.contains("Total params:             321"), all);
    }
}
