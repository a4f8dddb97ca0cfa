package dev.mote.trainer;

import dev.mote.dsl.ValueRange;

import dev.mote.vocabulary.FixedRange;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.ModelSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float → calibrate → QAT pipeline on tiny data: it runs, keeps the contract, and does not lose accuracy. */
class QuantizationAwareTrainingTest {

    @Test
    void sineQatKeepsTheInt8ErrorAtOrBelowPostTrainingQuantization() {
        TrainingData train = TrainerTest.sine(400, 11);
        TrainingData test = TrainerTest.sine(200, 12);
        Trainer trainer = Trainer.builder().epochs(150).batchSize(400).learningRate(0.02).seed(2)
                .progressBar(false).build();
        TrainedModel floatModel = trainer.train(TrainerTest.SINE, train);
        TrainedModel ptq = Calibrator.minMax().calibrate(floatModel, train);
        TrainedModel qat = trainer.toBuilder().epochs(20).learningRate(1e-3).build().fineTuneQuantized(ptq, train);
        assertEquals(QuantizationChoices.RangeSource.QAT_MOVING_AVERAGE, qat.quantization().rangeSource());
        assertFalse(Arrays.equals(ptq.weights(1), qat.weights(1)), "QAT did not update the float weights");
        double ptqMae = Predictor.int8Simulation(ptq).meanAbsoluteError(test);
        double qatMae = Predictor.int8Simulation(qat).meanAbsoluteError(test);
        assertTrue(qatMae <= ptqMae * 1.05, "QAT int8 MAE " + qatMae + " vs post-training " + ptqMae);
    }

    @Test
    void batchNormIsFoldedBeforeQatAndStaysFolded() {
        ModelSpec spec = TestNets.cnn();
        INDArray x = TestNets.randomFeatures(spec, 64, 8);
        INDArray y = Nd4j.zeros(64, 5);
        for (int i = 0; i < 64; i++) {
            y.putScalar(i, (int) (Math.abs(x.getFloat(i, 0)) * 3) % 5, 1f);
        }
        TrainingData data = TrainingData.of(x, y);
        Trainer trainer = Trainer.builder().epochs(3).batchSize(32).progressBar(false).build();
        TrainedModel floatModel = trainer.train(spec, data);
        TrainedModel qat = trainer.fineTuneQuantized(Calibrator.minMax().calibrate(floatModel, data), data);
        for (int i = 0; i < spec.nodes().size(); i++) {
            if (spec.node(i).layer() instanceof LayerSpec.BatchNorm) {
                assertNull(qat.weights(i));
                assertEquals(qat.outputRange(i), qat.outputRange(spec.node(i).input()));
                assertFalse(qat.quantization().isInt8Tensor(i));
                assertTrue(qat.quantization().isInt8Tensor(spec.node(i).input()));
            }
        }
        assertTrue(qat.quantization().weightsPerChannel(1));
        assertFalse(qat.quantization().weightsPerChannel(9));
        assertEquals(ValueRange.of(FixedRange.UNIT_INTERVAL), qat.outputRange(spec.nodes().size() - 1));
    }
}
