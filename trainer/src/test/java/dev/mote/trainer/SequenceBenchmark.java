package dev.mote.trainer;

import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Locale;

/**
 * Time per epoch of a 28-step × 28-feature LSTM(20) on 1,000 examples, batch 128 (float and QAT). Not part of the
 * unit tests: run with {@code mvn -B -o -pl trainer -am test -Dtest=SequenceBenchmark -Dmote.benchmarks=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "mote.benchmarks", matches = "true")
class SequenceBenchmark {

    @Test
    void lstmEpochTime() {
        ModelSpec spec = MicroModel.sequential("lstm28").input(28, 28).lstm(20).lastStep().dense(10).softmax().build();
        java.util.Random r = new java.util.Random(1);
        float[][] x = new float[1000][28 * 28];
        int[] labels = new int[1000];
        for (int e = 0; e < x.length; e++) {
            labels[e] = e % 10;
            for (int k = 0; k < x[e].length; k++) {
                x[e][k] = (float) (r.nextGaussian() * 0.3 + (k % 28 == labels[e] ? 1 : 0));
            }
        }
        TrainingData data = TrainingData.classification(x, labels, 10);
        Trainer t = Trainer.builder().epochs(1).batchSize(128).learningRate(0.01).seed(1).progressBar(false).build();
        t.train(spec, data); // warm-up
        int epochs = 3;
        long start = System.nanoTime();
        TrainedModel m = t.toBuilder().epochs(epochs).build().train(spec, data);
        double perEpoch = (System.nanoTime() - start) / 1e9 / epochs;
        long qatStart = System.nanoTime();
        TrainedModel qat = t.toBuilder().epochs(1).learningRate(0.001).build().fineTuneQuantized(m, data);
        double qatEpoch = (System.nanoTime() - qatStart) / 1e9;
        System.out.printf(Locale.ROOT, "LSTM(20) 28x28, 1000 examples, batch 128: %.2f s per float epoch (incl."
                        + " range pass), %.2f s per QAT epoch; accuracy %.3f, QAT int8 simulation %.3f%n",
                perEpoch, qatEpoch, Predictor.floatModel(m).accuracy(data), Predictor.int8Simulation(qat).accuracy(data));
    }
}
