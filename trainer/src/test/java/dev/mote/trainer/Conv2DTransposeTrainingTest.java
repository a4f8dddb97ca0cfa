package dev.mote.trainer;

import dev.mote.dsl.LayerSpec;
import dev.mote.dsl.MicroModel;
import dev.mote.dsl.ModelSpec;
import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2dTranspose in the trainer: DL4J's Deconvolution2D forward against a naive transposed convolution written
 * here (Keras / TF semantics on NHWC with TFLite-layout weights {@code [out, kh, kw, in]}), a float32 export on
 * micro-runtime against the DL4J forward, and a short training run that learns to upsample.
 */
class Conv2DTransposeTrainingTest {

    /**
     * Keras Conv2DTranspose: output {@code (oy, ox)} receives {@code in[iy][ix] * w[ky][kx]} where
     * {@code oy = iy * s + ky - padTop}; SAME pads {@code max(k - s, 0)} in total, the smaller half first.
     */
    static float[] naive(float[] in, int h, int w, int c, float[] weights, float[] bias, LayerSpec.Conv2DTranspose t) {
        int f = t.filters();
        int kh = t.kernelH();
        int kw = t.kernelW();
        boolean same = t.padding() == Padding.SAME;
        int oh = same ? h * t.strideH() : (h - 1) * t.strideH() + kh;
        int ow = same ? w * t.strideW() : (w - 1) * t.strideW() + kw;
        int padTop = same ? Math.max(kh - t.strideH(), 0) / 2 : 0;
        int padLeft = same ? Math.max(kw - t.strideW(), 0) / 2 : 0;
        double[] out = new double[oh * ow * f];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                for (int o = 0; o < f; o++) {
                    out[(y * ow + x) * f + o] = bias == null ? 0 : bias[o];
                }
            }
        }
        for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int y = iy * t.strideH() + ky - padTop;
                        int x = ix * t.strideW() + kx - padLeft;
                        if (y < 0 || y >= oh || x < 0 || x >= ow) {
                            continue;
                        }
                        for (int o = 0; o < f; o++) {
                            for (int ci = 0; ci < c; ci++) {
                                out[(y * ow + x) * f + o] += in[(iy * w + ix) * c + ci]
                                        * weights[((o * kh + ky) * kw + kx) * c + ci];
                            }
                        }
                    }
                }
            }
        }
        float[] r = new float[out.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) out[i];
        }
        return r;
    }

    /**
     * DL4J's flatten of a feature map (the models' last layer, as the trainer needs 1-D outputs) is in
     * {@code [c, h, w]} order; TFLite's is NHWC. Reorders DL4J's rows to NHWC.
     */
    static INDArray nhwc(ModelSpec spec, INDArray chw) {
        int[] s = spec.node(spec.nodes().size() - 2).outputShape().dims();
        return chw.reshape('c', chw.size(0), s[2], s[0], s[1]).permute(0, 2, 3, 1).dup('c')
                .reshape('c', chw.size(0), (long) s[0] * s[1] * s[2]);
    }

    private static List<ModelSpec> specs() {
        return List.of(
                MicroModel.sequential("tconv_same_s2").input(4, 4, 2)
                        .conv2dTranspose(3, 3, 3).stride(2).padding(Padding.SAME).flatten().build(),
                MicroModel.sequential("tconv_same_k4_s2").input(3, 5, 2)
                        .conv2dTranspose(2, 4, 4).stride(2).padding(Padding.SAME).flatten().build(),
                MicroModel.sequential("tconv_valid_s21").input(3, 4, 3)
                        .conv2dTranspose(2, 2, 3).stride(2, 1).flatten().build(),
                MicroModel.sequential("tconv_valid_nobias").input(3, 3, 1)
                        .conv2dTranspose(2, 3, 3).stride(3).withoutBias().flatten().build());
    }

    @Test
    void dl4jForwardEqualsANaiveTransposedConvolution() {
        StringBuilder report = new StringBuilder();
        for (ModelSpec spec : specs()) {
            TrainedModel model = CalibratorTest.randomModel(spec);
            INDArray x = TestNets.randomFeatures(spec, 5, 7);
            INDArray dl4j = nhwc(spec, Predictor.floatModel(model).predict(x));
            LayerSpec.Conv2DTranspose t = (LayerSpec.Conv2DTranspose) spec.node(1).layer();
            int[] in = spec.inputShape().dims();
            float[] bias = t.useBias() ? model.bias(1) : null;
            double max = 0;
            for (int n = 0; n < 5; n++) {
                float[] row = x.getRow(n).toFloatVector();
                float[] expected = naive(row, in[0], in[1], in[2], model.weights(1), bias, t);
                float[] got = dl4j.getRow(n).toFloatVector();
                assertEquals(expected.length, got.length, spec.name());
                for (int i = 0; i < got.length; i++) {
                    max = Math.max(max, Math.abs(expected[i] - got[i]));
                }
            }
            System.out.println(spec.name() + ": DL4J vs naive max " + max);
            report.append(max < 1e-4 ? "" : spec.name() + ": DL4J vs naive max " + max + "; ");
        }
        assertEquals("", report.toString());
    }

    @Test
    void float32ExportOnMicroRuntimeEqualsTheDl4jForward() {
        StringBuilder report = new StringBuilder();
        for (ModelSpec spec : specs()) {
            TrainedModel model = CalibratorTest.randomModel(spec);
            INDArray x = TestNets.randomFeatures(spec, 5, 9);
            INDArray dl4j = nhwc(spec, Predictor.floatModel(model).predict(x));
            INDArray runtime = new MicroRuntimeRunner(model, dev.mote.exporter.ExportOptions.float32()).predict(x);
            double max = org.nd4j.linalg.ops.transforms.Transforms.abs(runtime.sub(dl4j)).maxNumber().doubleValue();
            System.out.println(spec.name() + ": micro-runtime float32 vs DL4J max " + max);
            report.append(max < 1e-5 ? "" : spec.name() + ": micro-runtime float32 vs DL4J max " + max + "; ");
        }
        assertEquals("", report.toString());
    }

    @Test
    void learnsToUpsample() {
        // target: 2x nearest-neighbour upsampling of a 4x4 image, which a 2x2 stride-2 transposed conv expresses
        int n = 256;
        Random r = new Random(3);
        float[][] xs = new float[n][16];
        float[][] ys = new float[n][64];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < 16; i++) {
                xs[s][i] = (float) r.nextGaussian();
            }
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    ys[s][y * 8 + x] = xs[s][(y / 2) * 4 + x / 2];
                }
            }
        }
        ModelSpec spec = MicroModel.sequential("upsample").input(4, 4, 1)
                .conv2dTranspose(4, 3, 3).stride(2).padding(Padding.SAME).relu()
                .conv2d(1, 3, 3).padding(Padding.SAME).flatten().build();
        TrainingHistory history = new TrainingHistory();
        TrainingData data = TrainingData.of(xs, ys);
        Trainer trainer = Trainer.builder().epochs(60).batchSize(32).learningRate(0.01).seed(4).progressBar(false)
                .listener(history).build();
        TrainedModel trained = trainer.train(spec, data);
        List<EpochResult> epochs = history.epochs();
        double first = epochs.get(0).trainingLoss();
        double last = epochs.get(epochs.size() - 1).trainingLoss();
        System.out.println("upsample training loss: epoch 1 " + first + ", epoch " + epochs.size() + " " + last);
        assertTrue(last < first * 0.3, "loss " + first + " -> " + last);

        // int8: post-training calibration, then QAT (fake-quantized Deconvolution2D weights), run on micro-runtime
        TrainedModel ptq = Calibrator.minMax().calibrate(trained, data);
        TrainedModel qat = trainer.toBuilder().epochs(10).learningRate(1e-3).build()
                .fineTuneQuantized(ptq, data);
        assertTrue(!java.util.Arrays.equals(ptq.weights(1), qat.weights(1)), "QAT did not update the weights");
        double floatMae = Predictor.floatModel(trained).meanAbsoluteError(data);
        double ptqMae = new MicroRuntimeRunner(ptq).meanAbsoluteError(data);
        double qatMae = new MicroRuntimeRunner(qat).meanAbsoluteError(data);
        double simulated = Predictor.int8Simulation(qat).meanAbsoluteError(data);
        System.out.println("upsample MAE: float " + floatMae + ", int8 PTQ on micro-runtime " + ptqMae
                + ", int8 QAT on micro-runtime " + qatMae + " (simulation " + simulated + ")");
        assertTrue(qatMae < 0.1 && ptqMae < 0.1, "int8 MAE PTQ " + ptqMae + ", QAT " + qatMae);
        assertEquals(simulated, qatMae, 0.02, "QAT int8 simulation vs micro-runtime");
    }
}
