package dev.mote.trainer;

import dev.mote.dsl.ActivationKind;
import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NaN/Inf losses stop training with a {@link TrainingDivergedException} naming the epoch and batch. */
class DivergenceTest {

    private static final ModelSpec SINE = Specs.input(1).then(Specs.dense(8)).then(Specs.act(ActivationKind.RELU))
            .then(Specs.dense(1)).build("sine");

    @Test
    void nanTargetsStopTheFirstBatch() {
        float[] x = new float[40];
        float[] y = new float[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i / 40f;
            y[i] = i == 17 ? Float.NaN : x[i];
        }
        Trainer trainer = Trainer.builder().epochs(3).batchSize(40).progressBar(false).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(SINE, TrainingData.regression(x, y)));
        assertEquals(1, e.epoch());
        assertEquals(1, e.batch());
        assertTrue(e.getMessage().contains("epoch 1, batch 1"), e.getMessage());
    }

    @Test
    void explodingLearningRateIsCaughtAtTheBatchWhereItHappens() {
        float[] x = new float[64];
        float[] y = new float[64];
        for (int i = 0; i < 64; i++) {
            x[i] = i * 1e3f;
            y[i] = i * 1e18f;
        }
        Trainer trainer = Trainer.builder().epochs(50).batchSize(16).learningRate(1e10).progressBar(false).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(SINE, TrainingData.regression(x, y)));
        assertTrue(e.epoch() >= 1 && e.batch() >= 1 && e.batch() <= 4, e.getMessage());
        assertTrue(!Double.isFinite(e.loss()));
    }
}
