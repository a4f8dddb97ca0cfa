package dev.mote.trainer;

import dev.mote.exporter.ExportOptions;
import dev.mote.vocabulary.TensorType;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calibration and QAT at 16 bits: the same recorded ranges exported as 16x8 ({@code ExportOptions.int16x8()}) and
 * QAT with {@link Trainer.Builder#quantizedActivations} INT16, run in micro-runtime, against the trained float model
 * with its weights on their int8 grid (DL4J's forward pass, an independent computation) and against the int8
 * pipeline.
 */
class Int16x8TrainingTest {

    /**
     * {@code model} with every weight replaced by its int8 value dequantized: the float model both integer exports
     * compute with (they share the int8 weights), so that the difference from it is the activations' rounding.
     */
    static TrainedModel int8Weights(TrainedModel model) {
        dev.mote.dsl.plan.TensorPlan plan = dev.mote.dsl.plan.TensorPlan.of(model.spec());
        TrainedModel.Builder b = TrainedModel.builder(model.spec());
        for (int i = 0; i < model.spec().nodes().size(); i++) {
            b.range(i, model.outputRange(i));
            float[] w = model.weights(i);
            dev.mote.dsl.plan.PlannedWeights pw = plan.weights(i);
            if (w == null || pw == null) {
                continue;
            }
            int[] shape = pw.shape();
            int axis = pw.channelAxis();
            float[] scales = dev.mote.vocabulary.QuantizationRules.weightScales(w, shape, axis);
            byte[] q = dev.mote.vocabulary.QuantizationRules.quantizeWeights(w, shape, axis, scales);
            int slice = 1;
            for (int d = axis + 1; d < shape.length && axis >= 0; d++) {
                slice *= shape[d];
            }
            float[] snapped = new float[w.length];
            for (int k = 0; k < w.length; k++) {
                snapped[k] = q[k] * (scales.length == 1 ? scales[0] : scales[(k / slice) % scales.length]);
            }
            b.parameters(i, snapped, model.bias(i));
        }
        return b.build();
    }

    private static double meanAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b)).meanNumber().doubleValue();
    }

    @Test
    void calibrationAndQatAt16BitsTrackTheFloatModelCloserThanInt8() {
        TrainingData train = TrainerTest.sine(400, 11);
        TrainingData test = TrainerTest.sine(200, 12);
        Trainer trainer = Trainer.builder().epochs(150).batchSize(400).learningRate(0.02).seed(2)
                .progressBar(false).build();
        TrainedModel floatModel = trainer.train(TrainerTest.SINE, train);
        TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, train);
        // the float model with its weights on their int8 grid: what both exports approximate
        INDArray reference = Predictor.floatModel(int8Weights(ptq)).predict(test.features());

        // post-training: one set of recorded ranges, two precisions
        double ptq8 = meanAbsDiff(new MicroRuntimeRunner(ptq, ExportOptions.int8().withFloatIo(true))
                .predict(test.features()), reference);
        double ptq16 = meanAbsDiff(new MicroRuntimeRunner(ptq, ExportOptions.int16x8().withFloatIo(true))
                .predict(test.features()), reference);
        // the 16x8 simulation is what the 16x8 export computes
        double sim16 = meanAbsDiff(Predictor.int16x8Simulation(ptq).predict(test.features()),
                new MicroRuntimeRunner(ptq, ExportOptions.int16x8().withFloatIo(true)).predict(test.features()));

        // QAT at 16 bits vs QAT at 8 bits, each against its own fine-tuned weights on their int8 grid
        Trainer qatTrainer = trainer.toBuilder().epochs(20).learningRate(1e-3).build();
        TrainedModel qat8 = qatTrainer.fineTuneQuantized(ptq, train);
        TrainedModel qat16 = qatTrainer.toBuilder().quantizedActivations(TensorType.INT16).build()
                .fineTuneQuantized(ptq, train);
        double qat8Error = meanAbsDiff(new MicroRuntimeRunner(qat8, ExportOptions.int8().withFloatIo(true))
                .predict(test.features()), Predictor.floatModel(int8Weights(qat8)).predict(test.features()));
        double qat16Error = meanAbsDiff(new MicroRuntimeRunner(qat16, ExportOptions.int16x8().withFloatIo(true))
                .predict(test.features()), Predictor.floatModel(int8Weights(qat16)).predict(test.features()));
        double qat16Task = new MicroRuntimeRunner(qat16, ExportOptions.int16x8().withFloatIo(true))
                .meanAbsoluteError(test);
        double qat8Task = new MicroRuntimeRunner(qat8, ExportOptions.int8().withFloatIo(true)).meanAbsoluteError(test);
        System.out.printf("16X8-TRAINER ptq vs float: int8 %.6f 16x8 %.6f; 16x8 simulation vs micro-runtime %.7f; "
                + "qat vs its float: int8 %.6f 16x8 %.6f; sine MAE int8 qat %.5f 16x8 qat %.5f%n", ptq8, ptq16, sim16,
                qat8Error, qat16Error, qat8Task, qat16Task);
        assertTrue(ptq16 < ptq8 / 20, "16x8 " + ptq16 + " vs int8 " + ptq8);
        assertTrue(qat16Error < qat8Error / 20, "QAT 16x8 " + qat16Error + " vs int8 " + qat8Error);
        assertTrue(sim16 < ptq8 / 20, "the 16x8 simulation " + sim16 + " is not what the export computes");
        assertTrue(qat16Task <= qat8Task * 1.05, "16x8 task error " + qat16Task + " vs int8 " + qat8Task);
    }

    @Test
    void qatSimulatesSymmetricInt16() {
        FakeQuant.ActivationParams p = FakeQuant.ActivationParams.of(-1f, 3f, TensorType.INT16);
        assertEquals(3f / 32767f, p.scale());
        assertEquals(0, p.zeroPoint());
        assertEquals(32767, p.quantize(10f));
        assertEquals(-32768, p.quantize(-10f));
        assertEquals(3f, p.max(), 1e-6f);
        RangeTracker fixed = RangeTracker.fixed(dev.mote.dsl.ValueRange.of(dev.mote.vocabulary.FixedRange.UNIT_INTERVAL),
                dev.mote.vocabulary.FixedRange.UNIT_INTERVAL.int16(), TensorType.INT16);
        assertEquals(1f / 32768f, fixed.params().scale());
        assertEquals(0, fixed.params().zeroPoint());
        assertEquals(TensorType.INT16, Trainer.builder().quantizedActivations(TensorType.INT16).build()
                .quantizedActivations());
        assertEquals(TensorType.INT8, Trainer.builder().build().quantizedActivations());
        assertThrows(InvalidConfigurationException.class,
                () -> Trainer.builder().quantizedActivations(TensorType.FLOAT32));
    }
}
