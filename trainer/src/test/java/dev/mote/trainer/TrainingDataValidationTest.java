package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.MoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad data is refused up front, by every {@link TrainingData} factory, by {@link Calibrator} and {@link Predictor},
 * with an {@link InvalidTrainingDataException} (a Mote exception) naming the example, the row, the index and the
 * value; bad settings with an {@link InvalidConfigurationException}.
 */
class TrainingDataValidationTest {

    private static final ModelSpec SINE = Specs.input(1).then(Specs.dense(8)).then(Specs.act(ActivationKind.RELU))
            .then(Specs.dense(1)).build("sine");
    private static final ModelSpec FOUR_INPUTS = MicroModel.sequential("four").input(4).dense(3).softmax().build();

    private static InvalidTrainingDataException refused(Executable call, String... parts) {
        InvalidTrainingDataException e = assertThrows(InvalidTrainingDataException.class, call);
        assertInstanceOf(MoteException.class, e);
        assertInstanceOf(TrainerException.class, e);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention '" + part + "'");
        }
        return e;
    }

    private static float[][] rows(int n, int width) {
        float[][] x = new float[n][width];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                x[i][j] = (i * width + j) % 7 / 7f;
            }
        }
        return x;
    }

    @Test
    void emptyDataIsRefusedByEveryFactory() {
        refused(() -> TrainingData.of(new float[0][490], new float[0][4]), "no examples");
        refused(() -> TrainingData.classification(new float[0][490], new int[0], 4), "no examples");
        refused(() -> TrainingData.regression(new float[0], new float[0]), "no examples");
        refused(() -> TrainingData.of(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 490),
                Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 4)), "no examples", "[0, 490]");
        refused(() -> TrainingData.of(new float[3][0], new float[3][1]), "row 0 has no values");
    }

    @Test
    void mismatchedCountsNameBothCounts() {
        refused(() -> TrainingData.of(rows(5, 4), rows(4, 1)), "5 examples but 4 target rows");
        refused(() -> TrainingData.regression(new float[3], new float[2]), "3 examples but 2 targets");
        refused(() -> TrainingData.classification(rows(5, 4), new int[] {0, 1, 2}, 3), "5 examples but 3 labels");
        refused(() -> TrainingData.of(Nd4j.create(rows(5, 4)), Nd4j.create(rows(6, 1))),
                "5 examples but 6 target rows");
    }

    @Test
    void raggedRowsNameTheRowAndBothLengths() {
        float[][] x = rows(6, 490);
        x[4] = new float[489];
        InvalidTrainingDataException e = refused(() -> TrainingData.of(x, rows(6, 4)),
                "training features", "row 4 has 489 values but row 0 has 490");
        assertEquals(4, e.example());
        refused(() -> TrainingData.classification(x, new int[6], 4), "row 4 has 489 values but row 0 has 490");
        float[][] y = rows(6, 2);
        y[5] = new float[3];
        refused(() -> TrainingData.of(rows(6, 4), y), "training targets", "row 5 has 3 values but row 0 has 2");
        float[][] holes = rows(3, 2);
        holes[1] = null;
        refused(() -> TrainingData.of(holes, rows(3, 1)), "row 1 is null");
    }

    @Test
    void nanAndInfinityNameTheExampleTheIndexAndTheValue() {
        float[][] x = rows(20, 490);
        x[17][5] = Float.NaN;
        InvalidTrainingDataException e = refused(() -> TrainingData.of(x, rows(20, 4)),
                "training features of example 17 hold NaN at index 5 (of 490 values per example)",
                "replace or drop that example");
        assertEquals(17, e.example());
        refused(() -> TrainingData.classification(x, new int[20], 4), "example 17", "NaN", "index 5");
        float[][] y = rows(20, 4);
        y[3][2] = Float.POSITIVE_INFINITY;
        refused(() -> TrainingData.of(rows(20, 490), y), "training targets of example 3 hold Infinity at index 2");
        float[] ys = new float[10];
        ys[9] = Float.NEGATIVE_INFINITY;
        refused(() -> TrainingData.regression(new float[10], ys), "training targets of example 9 hold -Infinity");
        // the INDArray factory finds the value natively and names it too
        INDArray features = Nd4j.create(rows(300, 49 * 10)).reshape(300, 49, 10, 1);
        features.putScalar(new long[] {211, 3, 2, 0}, Float.NaN);
        InvalidTrainingDataException a = refused(() -> TrainingData.of(features, Nd4j.create(rows(300, 4))),
                "training features of example 211 hold NaN at index " + (3 * 10 + 2));
        assertEquals(211, a.example());
    }

    @Test
    void validationOfLargeDataIsLinear() {
        int n = 20_000;
        float[][] x = rows(n, 490);
        x[n - 1][489] = Float.NaN;
        long start = System.nanoTime();
        refused(() -> TrainingData.of(x, rows(n, 4)), "example " + (n - 1), "index 489");
        INDArray big = Nd4j.create(rows(n, 490));
        big.putScalar(new long[] {n - 2, 0}, Float.POSITIVE_INFINITY);
        refused(() -> TrainingData.of(big, Nd4j.create(rows(n, 4))), "example " + (n - 2), "Infinity at index 0");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 20, seconds + " s to validate 2 x 9.8 million values");
    }

    @Test
    void classificationLabelsAndClassesAreChecked() {
        InvalidTrainingDataException e = refused(() -> TrainingData.classification(rows(5, 4),
                new int[] {0, 1, 2, 7, 1}, 4), "label 7 of example 3 is not in [0, 4)");
        assertEquals(3, e.example());
        refused(() -> TrainingData.classification(rows(2, 4), new int[] {0, -1}, 4), "label -1 of example 1");
        refused(() -> TrainingData.classification(rows(2, 4), new int[] {0, 0}, 1), "at least 2 classes, got 1");
    }

    @Test
    void dataThatDoesNotFitTheModelIsRefusedBeforeTraining() {
        Trainer trainer = Trainer.builder().epochs(1).progressBar(false).build();
        refused(() -> trainer.train(SINE, TrainingData.of(rows(4, 2), rows(4, 1))),
                "model sine takes 1 input values", "have 2 per example");
        refused(() -> trainer.train(SINE, TrainingData.of(rows(4, 1), rows(4, 2))),
                "model sine has 1 outputs but the targets have 2 values per example");
        refused(() -> trainer.train(FOUR_INPUTS, TrainingData.classification(rows(4, 4), new int[] {0, 1, 2, 3}, 4)),
                "3 outputs", "4 values per example");
        Trainer split = Trainer.builder().epochs(1).validationSplit(0.1).progressBar(false).build();
        refused(() -> split.train(SINE, TrainingData.of(rows(3, 1), rows(3, 1))),
                "validation split 0.1 of 3 examples");
    }

    @Test
    void calibrationDataIsCheckedAtEveryEntryPoint() {
        TrainedModel model = Trainer.builder().epochs(1).progressBar(false).build()
                .train(FOUR_INPUTS, TrainingData.classification(rows(8, 4), new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 3));
        Calibrator c = Calibrator.minMax();
        float[][] x = rows(10, 4);
        x[6][1] = Float.NaN;
        InvalidTrainingDataException e = refused(() -> c.calibrate(model, x),
                "calibration data of example 6 hold NaN at index 1");
        assertEquals(6, e.example());
        refused(() -> c.calibrate(model, Nd4j.create(x)), "calibration data of example 6 hold NaN at index 1");
        refused(() -> c.calibrate(model, new float[0][4]), "calibration data hold no examples");
        float[][] ragged = rows(3, 4);
        ragged[2] = new float[5];
        refused(() -> c.calibrate(model, ragged), "row 2 has 5 values but row 0 has 4");
        refused(() -> c.calibrate(model, rows(3, 5)), "model four takes 4 input values", "calibration data have 5");
        refused(() -> c.calibrate(model, TrainingData.of(rows(3, 2), rows(3, 3))), "calibration data have 2");
        // calibration on good data still works
        assertTrue(c.calibrate(model, rows(10, 4)).outputRange(1).max() >= 0);
    }

    @Test
    void calibratingAModelWithNaNWeightsNamesTheLayer() {
        TrainedModel model = Trainer.builder().epochs(1).progressBar(false).build()
                .train(FOUR_INPUTS, TrainingData.classification(rows(8, 4), new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 3));
        float[] w = model.weights(1);
        w[0] = Float.NaN;
        TrainedModel broken = TrainedModel.builder(FOUR_INPUTS).parameters(1, w, model.bias(1))
                .range(0, model.outputRange(0)).range(1, model.outputRange(1)).range(2, model.outputRange(2)).build();
        // before: "invalid range [NaN, NaN]" naming no layer
        TrainerException e = assertThrows(TrainerException.class, () -> Calibrator.minMax().calibrate(broken,
                rows(10, 4)));
        assertTrue(e.getMessage().startsWith("calibration: layer 1 '" + FOUR_INPUTS.node(1).name() + "' of model four"
                + " outputs NaN or infinite values"), e.getMessage());
        assertTrue(e.getMessage().contains("lower learning rate"), e.getMessage());
    }

    @Test
    void predictionInputsAreChecked() {
        TrainedModel model = Trainer.builder().epochs(1).progressBar(false).build()
                .train(FOUR_INPUTS, TrainingData.classification(rows(8, 4), new int[] {0, 1, 2, 0, 1, 2, 0, 1}, 3));
        Predictor p = Predictor.floatModel(model);
        float[][] ragged = rows(3, 4);
        ragged[1] = new float[3];
        refused(() -> p.predict(ragged), "prediction inputs", "row 1 has 3 values but row 0 has 4");
        refused(() -> p.classify(rows(2, 5)), "takes 4 input values", "have 5 per example");
        refused(() -> p.predict(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 4)), "no examples");
        assertEquals(0, p.predict(new float[0][4]).length);
        assertEquals(2, p.classify(rows(2, 4)).length);
    }

    @Test
    void badSettingsAreTypedMoteExceptions() {
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().epochs(0));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().batchSize(0));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().learningRate(Double.NaN));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().validationSplit(-0.1));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().earlyStopping(-1));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().threads(-1));
        assertThrows(InvalidConfigurationException.class, () -> Trainer.builder().rangeDecay(1));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> Trainer.builder().earlyStopping(3).progressBar(false).build()
                        .train(SINE, TrainingData.of(rows(20, 1), rows(20, 1))));
        assertTrue(e.getMessage().contains("validationSplit"), e.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> Calibrator.percentile(10));
        assertThrows(InvalidConfigurationException.class, () -> Calibrator.minMax().batchSize(0));
        Trainer crossEntropy = Trainer.builder().epochs(1).loss(Loss.CROSS_ENTROPY).progressBar(false).build();
        InvalidConfigurationException ce = assertThrows(InvalidConfigurationException.class,
                () -> crossEntropy.train(SINE, TrainingData.of(rows(4, 1), rows(4, 1))));
        assertInstanceOf(MoteException.class, ce);
        assertTrue(ce.getMessage().contains("softmax or sigmoid"), ce.getMessage());
    }
}
