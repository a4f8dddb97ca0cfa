package dev.mote.trainer;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.preprocessor.BaseInputPreProcessor;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Moves a sequence {@code [steps, channels]} between the DL4J views the trainer uses (see {@link TfliteLayout}):
 * the image view {@code [n, c, 1, steps]} on which every 1-D layer runs as its 2-D equivalent, DL4J's RNN format
 * {@code [n, c, steps]} (NCW) that its LSTM reads and writes, and the last step {@code [n, c]} (TFLite's
 * STRIDED_SLICE of {@code lastStep()}). The first two are reshapes of the same values.
 */
final class SequencePreProcessor extends BaseInputPreProcessor {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** {@code [n, c, 1, steps]} → {@code [n, c, steps]}. */
        TO_RNN,
        /** {@code [n, c, steps]} → {@code [n, c, 1, steps]}. */
        TO_IMAGE,
        /** {@code [n, c, 1, steps]} → {@code [n, c]}: the last step. */
        LAST_STEP
    }

    private final Kind kind;
    private final int steps;
    private final int channels;

    SequencePreProcessor(Kind kind, int steps, int channels) {
        this.kind = kind;
        this.steps = steps;
        this.channels = channels;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        INDArray out = switch (kind) {
            case TO_RNN -> input.dup('c').reshape('c', n, channels, steps);
            case TO_IMAGE -> input.dup('c').reshape('c', n, channels, 1, steps);
            case LAST_STEP -> input.reshape('c', n, channels, steps)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(steps - 1)).dup('c');
        };
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        long n = output.size(0);
        INDArray eps = switch (kind) {
            case TO_RNN -> output.dup('c').reshape('c', n, channels, 1, steps);
            case TO_IMAGE -> output.dup('c').reshape('c', n, channels, steps);
            case LAST_STEP -> {
                INDArray grad = Nd4j.zeros(output.dataType(), n, channels, 1, steps);
                grad.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.point(steps - 1))
                        .assign(output.reshape('c', n, channels));
                yield grad;
            }
        };
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, eps);
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        return switch (kind) {
            case TO_RNN -> InputType.recurrent(channels, steps, RNNFormat.NCW);
            case TO_IMAGE -> InputType.convolutional(1, steps, channels);
            case LAST_STEP -> InputType.feedForward(channels);
        };
    }

    @Override
    public SequencePreProcessor clone() {
        return new SequencePreProcessor(kind, steps, channels);
    }
}
