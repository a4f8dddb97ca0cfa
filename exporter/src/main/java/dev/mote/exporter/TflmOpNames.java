package dev.mote.exporter;

import dev.mote.vocabulary.BuiltinOperator;

/** The {@code MicroMutableOpResolver} method that registers each builtin operator Mote exports. */
final class TflmOpNames {
    private TflmOpNames() {
    }

    static String registrationMethod(BuiltinOperator op) {
        return switch (op) {
            case FULLY_CONNECTED -> "AddFullyConnected";
            case CONV_2D -> "AddConv2D";
            case DEPTHWISE_CONV_2D -> "AddDepthwiseConv2D";
            case MAX_POOL_2D -> "AddMaxPool2D";
            case AVERAGE_POOL_2D -> "AddAveragePool2D";
            case RESHAPE -> "AddReshape";
            case SOFTMAX -> "AddSoftmax";
            case MEAN -> "AddMean";
            case PAD -> "AddPad";
            case ADD -> "AddAdd";
            case CONCATENATION -> "AddConcatenation";
            case LOGISTIC -> "AddLogistic";
            case TANH -> "AddTanh";
            case RELU -> "AddRelu";
            case RELU6 -> "AddRelu6";
            case LEAKY_RELU -> "AddLeakyRelu";
            case HARD_SWISH -> "AddHardSwish";
            case QUANTIZE -> "AddQuantize";
            case DEQUANTIZE -> "AddDequantize";
            default -> throw new ExportException("no MicroMutableOpResolver method known for " + op);
        };
    }
}
