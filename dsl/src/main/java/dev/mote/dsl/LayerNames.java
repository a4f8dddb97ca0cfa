package dev.mote.dsl;

/** Display names of layers: the type shown in summaries and errors, and the base of generated layer names. */
final class LayerNames {
    private LayerNames() {
    }

    /** The type name shown in summaries and error messages, e.g. {@code Conv2D} or {@code ReLU}. */
    static String type(LayerSpec layer) {
        if (layer == null) {
            return "null";
        }
        if (layer instanceof LayerSpec.Activation a) {
            if (a.kind() == null) {
                return "Activation";
            }
            return switch (a.kind()) {
                case RELU -> "ReLU";
                case RELU6 -> "ReLU6";
                case TANH -> "Tanh";
                case SIGMOID -> "Sigmoid";
                case SOFTMAX -> "Softmax";
                case LEAKY_RELU -> "LeakyReLU";
                case HARD_SWISH -> "HardSwish";
            };
        }
        if (layer instanceof LayerSpec.Lstm) {
            return "LSTM";
        }
        return layer.getClass().getSimpleName();
    }

    /** The base of generated names (Keras style: {@code dense}, then {@code dense_1}, {@code dense_2}, ...). */
    static String base(LayerSpec layer) {
        if (layer instanceof LayerSpec.Activation a) {
            return switch (a.kind()) {
                case RELU -> "relu";
                case RELU6 -> "relu6";
                case TANH -> "tanh";
                case SIGMOID -> "sigmoid";
                case SOFTMAX -> "softmax";
                case LEAKY_RELU -> "leaky_relu";
                case HARD_SWISH -> "hard_swish";
            };
        }
        if (layer instanceof LayerSpec.Input) {
            return "input";
        } else if (layer instanceof LayerSpec.Dense) {
            return "dense";
        } else if (layer instanceof LayerSpec.Conv2D) {
            return "conv2d";
        } else if (layer instanceof LayerSpec.Conv2DTranspose) {
            return "conv2d_transpose";
        } else if (layer instanceof LayerSpec.Conv1D) {
            return "conv1d";
        } else if (layer instanceof LayerSpec.MaxPool1D) {
            return "max_pool1d";
        } else if (layer instanceof LayerSpec.AvgPool1D) {
            return "avg_pool1d";
        } else if (layer instanceof LayerSpec.GlobalAvgPool1D) {
            return "global_avg_pool1d";
        } else if (layer instanceof LayerSpec.Lstm) {
            return "lstm";
        } else if (layer instanceof LayerSpec.LastStep) {
            return "last_step";
        } else if (layer instanceof LayerSpec.DepthwiseConv2D) {
            return "depthwise_conv2d";
        } else if (layer instanceof LayerSpec.MaxPool2D) {
            return "max_pool2d";
        } else if (layer instanceof LayerSpec.AvgPool2D) {
            return "avg_pool2d";
        } else if (layer instanceof LayerSpec.GlobalAvgPool2D) {
            return "global_avg_pool2d";
        } else if (layer instanceof LayerSpec.Flatten) {
            return "flatten";
        } else if (layer instanceof LayerSpec.Reshape) {
            return "reshape";
        } else if (layer instanceof LayerSpec.ZeroPad2D) {
            return "zero_pad2d";
        } else if (layer instanceof LayerSpec.BatchNorm) {
            return "batch_norm";
        } else if (layer instanceof LayerSpec.Dropout) {
            return "dropout";
        } else if (layer instanceof LayerSpec.Add) {
            return "add";
        } else {
            return "concatenate";
        }
    }
}
