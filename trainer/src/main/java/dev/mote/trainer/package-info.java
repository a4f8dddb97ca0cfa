/**
 * Training, calibration and quantization-aware fine-tuning of a {@link dev.mote.dsl.ModelSpec} with DL4J, ending
 * in a {@link dev.mote.trainer.TrainedModel}: float weights in TFLite layout (BatchNorm folded) plus the float
 * range of every tensor, which the exporter turns into an int8 TFLite model.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(300).batchSize(100).learningRate(0.01)
 *         .validationSplit(0.2).earlyStopping(30).build();
 * TrainedModel trained = trainer.train(spec, TrainingData.regression(xs, ys));       // float
 * TrainedModel ptq = Calibrator.minMax().calibrate(trained, representativeFeatures); // post-training int8
 * TrainedModel qat = trainer.toBuilder().epochs(30).learningRate(1e-3).build()
 *         .fineTuneQuantized(ptq, TrainingData.regression(xs, ys));                  // QAT int8
 * double int8Error = Predictor.int8Simulation(qat).meanAbsoluteError(testData);
 * }</pre>
 *
 * <p>Where things live: {@link dev.mote.trainer.TfliteLayout} holds every DL4J ↔ TFLite layout conversion;
 * {@link dev.mote.trainer.FakeQuant} the int8 arithmetic the trainer simulates; {@link
 * dev.mote.trainer.QuantizationChoices} what the exporter must do to match it. Features are always in TFLite
 * layout (NHWC); the trainer converts them to DL4J's NCHW.
 *
 * <p>Supported: inputs {@code [features]} and {@code [h, w, c]}; 1-D outputs; every {@code LayerSpec}, with
 * Reshape to 1-D or to {@code [h, w, c]}; BatchNorm only directly after a Dense/Conv2D/DepthwiseConv2D that feeds
 * nothing else (it is folded for int8).
 *
 * <p>Errors: every failure caused by the caller is a {@link dev.mote.trainer.TrainerException} (a
 * {@code MoteException}): bad data is refused before training with an {@link
 * dev.mote.trainer.InvalidTrainingDataException} naming the example, the index and the value; divergence stops
 * training with a {@link dev.mote.trainer.TrainingDivergedException}; settings out of range give an {@link
 * dev.mote.trainer.InvalidConfigurationException}.
 *
 * <p>Memory: training holds the data set once (mini-batches are built by index and freed after each step; up
 * to 16 MB of examples keep their built batches),
 * inference runs in chunks, and because nd4j frees native buffers only when their Java objects are collected, the
 * trainer asks for a collection whenever the process has grown by 128 MB of such garbage (the full Fashion-MNIST
 * sample peaks at 3.0 GB resident with {@code -Xmx2g}, down from 8.4 GB).
 */
package dev.mote.trainer;
