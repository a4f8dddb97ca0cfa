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
 * <p>The Keras basics: {@link dev.mote.trainer.LearningRateSchedule} (step, exponential, cosine, warm-up),
 * {@code Trainer.Builder.classWeights} for imbalanced classes, a {@link dev.mote.trainer.TrainingListener} that can
 * stop training through {@link dev.mote.trainer.TrainingControl}, {@link dev.mote.trainer.TrainingHistory} and the
 * {@link dev.mote.trainer.TrainingSummary} line at the end, and {@link dev.mote.trainer.TrainingStream} for data
 * read a batch at a time. The defaults are listed on {@link dev.mote.trainer.Trainer}.
 *
 * <pre>{@code
 * TrainingHistory history = new TrainingHistory();
 * Trainer.builder().epochs(60).learningRate(LearningRateSchedule.cosine(0.01, 60).withWarmup(3))
 *         .classWeights(1f, 8f).listener(TrainingListener.all(history,
 *                 TrainingListener.stopWhen(r -> r.metric() > 0.98))).build()
 *         .train(spec, TrainingStream.of(myIterator).withValidation(validationData));
 * System.out.println(history.summary().line());
 * }</pre>
 *
 * <p>Where things live: {@link dev.mote.trainer.TfliteLayout} holds every DL4J ↔ TFLite layout conversion;
 * {@link dev.mote.trainer.FakeQuant} the int8 arithmetic the trainer simulates; {@link
 * dev.mote.trainer.QuantizationChoices} what the exporter must do to match it. Features are always in TFLite
 * layout (NHWC; sequences {@code [steps, features]} step-major); the trainer converts them to DL4J's NCHW (a sequence
 * as the image {@code [c, 1, steps]}, DL4J's RNN format {@code [c, steps]} around an LSTM).
 *
 * <p>Supported: inputs {@code [features]}, {@code [steps, features]} and {@code [h, w, c]}; 1-D outputs; every
 * {@code LayerSpec} (the 1-D layers as their 2-D equivalents, an LSTM as DL4J's {@code LSTM} with Keras' gates),
 * with Reshape to 1-D, to {@code [steps, features]} or to {@code [h, w, c]}; BatchNorm only directly after a
 * Dense/Conv2D/DepthwiseConv2D that feeds nothing else (it is folded for int8).
 *
 * <p>Saving and checkpoints: {@link dev.mote.trainer.TrainedModel#save} writes a model to one file (all or nothing)
 * and {@link dev.mote.trainer.TrainedModel#load} reads it back, so a model is trained once and exported or
 * fine-tuned later; {@link dev.mote.trainer.Trainer.Builder#checkpoint} saves the best epoch so far during training.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder().epochs(300).validationSplit(0.2).earlyStopping(30)
 *         .checkpoint(Path.of("sine-best.mote")).build();
 * Calibrator.minMax().calibrate(trainer.train(spec, data), data).save(Path.of("sine.mote"));
 * TrainedModel later = TrainedModel.load(Path.of("sine.mote"));   // same .tflite bytes as before saving
 * TrainedModel qat = trainer.fineTuneQuantized(later, data);
 * }</pre>
 *
 * The file format (version 1) is a zip archive with deflated entries and fixed timestamps (one model, one byte
 * sequence):
 * <ul>
 *   <li>{@code mote-model.properties}, the first entry: Java properties in ASCII (other characters as
 *       {@code \\uXXXX} escapes):
 *       {@code format=mote-trained-model} (the magic) and {@code format.version=1}; {@code mote.version};
 *       {@code provenance.phase} (ASSEMBLED, FLOAT, CALIBRATED, QAT), {@code provenance.seed},
 *       {@code provenance.epochsRun}, {@code provenance.bestEpoch}, {@code provenance.dataSize};
 *       {@code quantization.rangeSource} and {@code quantization.percentile}; the spec: {@code model.name},
 *       {@code nodes} and per node {@code i} {@code node.i.name}, {@code node.i.type} (the {@code LayerSpec}
 *       record's simple name), {@code node.i.inputs} and {@code node.i.outputShape} (comma-separated) and one
 *       {@code node.i.layer.COMPONENT} per record component (numbers and booleans as Java prints them, enums by
 *       name, shapes comma-separated); the activation ranges, {@code range.i=min max} per node, and
 *       {@code cellState.i=min max} per LSTM whose cell-state range is known (optional). Numbers are printed
 *       by {@code Float/Double.toString}, which read back exactly.</li>
 *   <li>{@code weights/i.f32} and {@code bias/i.f32} for each node {@code i} with weights: raw little-endian
 *       float32 in TFLite layout (see {@link dev.mote.trainer.TrainedModel}), exactly as many as the spec
 *       implies.</li>
 * </ul>
 * Loading rebuilds the spec through {@code ModelSpec.of} (every DSL check runs again), bounds every length before
 * allocating (100,000 nodes, a 16 MB manifest, 64 Mi parameters), checks each entry's size and CRC and that every
 * weight is finite; any problem is a {@link dev.mote.trainer.TrainedModelFileException} naming the file and what is
 * wrong. Neither DL4J objects nor optimizer state are stored: fine-tuning starts a fresh optimizer, as it does for a
 * model in memory.
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
