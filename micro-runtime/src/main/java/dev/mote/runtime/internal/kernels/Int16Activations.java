package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;

/**
 * The int16 sigmoid and tanh of TFLite's reference integer kernels ({@code reference_integer_ops::Logistic} and
 * {@code Tanh} on int16 data), which TFLM's integer LSTM applies to its gates and cell state: the input is scaled by
 * a multiplier and right shift (a zero multiplier means "3 shifted left by the shift", the power-of-two case), then
 * its magnitude indexes a 256-entry table of {@code sigmoid(i / 24)} in 0.16 fixed point with linear interpolation
 * between neighbours; tanh reads the same table at twice the argument ({@code tanh(x) = 2 sigmoid(2x) - 1}). Outputs
 * are Q0.15.
 */
final class Int16Activations {
    /** {@code sigmoid(i / 24)} in 0.16 fixed point, i = 0..255 (TFLite's {@code sigmoid_table_uint16}). */
    private static final int[] SIGMOID_TABLE = {
            32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
            40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
            47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
            53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
            57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
            60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
            62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
            63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
            64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
            64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
            65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
            65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
            65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
            65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
            65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
            65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
            65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
            65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
            65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
            65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
            65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
            65534, 65534, 65534, 65535
    };

    private Int16Activations() {
    }

    /**
     * The int16 prepare of LOGISTIC and TANH as TFLM checks it: zero points 0, a positive input scale and an output
     * scale of exactly 2^-15; returns the input scaling ({@link #inputScaling}).
     *
     * @param op the operator's name for the messages ({@code "LOGISTIC"} or {@code "TANH"})
     */
    static int[] prepare(NodeContext node, String op, MicroTensor input, MicroTensor output, boolean tanh) {
        if (input.zeroPoint() != 0) {
            throw node.fail("input.quantization.zero_point", "must be 0 for int16 " + op + ", got " + input.zeroPoint());
        }
        if (output.zeroPoint() != 0) {
            throw node.fail("output.quantization.zero_point", "must be 0 for int16 " + op + ", got "
                    + output.zeroPoint());
        }
        if (!(input.scale() > 0f)) {
            throw node.fail("input.quantization.scale", "must be positive for int16 " + op + ", got " + input.scale());
        }
        Log2 out = output.scale() > 0f ? Log2.of(output.scale()) : null;
        if (out == null || !out.exact() || out.rounded() != -15) {
            throw node.fail("output.quantization.scale", "must be 2^-15 for int16 " + op + ", got " + output.scale());
        }
        return inputScaling(input.scale(), tanh);
    }

    /** TFLite's {@code CheckedLog2}: the nearest integer to {@code log2(x)} (float arithmetic) and whether it is exact. */
    record Log2(int rounded, boolean exact) {
        static Log2 of(float x) {
            float log2 = (float) Math.log(x) * (1.0f / (float) Math.log(2.0));
            float rounded = dev.mote.vocabulary.Rounding.halfAwayFromZero(log2); // std::round
            return new Log2((int) rounded, Math.abs(log2 - rounded) < 1e-3f);
        }
    }

    /**
     * The input scaling of TFLM's int16 LOGISTIC and TANH prepare for an input scale: {@code {multiplier, shift}},
     * multiplier 0 when the scale is the power of two the table expects ({@code 2^-12}, and for tanh also
     * {@code 2^-11}), else {@code scale * 3 * 4096} doubled until above 32767 / 2 (at most 31 doublings) and
     * truncated, with the number of doublings as the right shift.
     */
    static int[] inputScaling(float scale, boolean tanh) {
        Log2 log2 = Log2.of(scale);
        int shift = (15 - 3) + log2.rounded();
        if (log2.exact() && (shift == 0 || (tanh && shift == 1))) {
            return new int[] {0, shift};
        }
        double multiplier = (double) scale * 4096.0 * 3.0;
        shift = 0;
        while (multiplier <= 32767.0 / 2.0 && shift <= 30) {
            shift++;
            multiplier *= 2.0;
        }
        return new int[] {(int) multiplier, shift};
    }

    /** The scaled input: {@code (x * multiplier + round) >> shift}, with the power-of-two case for multiplier 0. */
    private static int scaledInput(int x, int multiplier, int leftShift) {
        int m = multiplier;
        int s = leftShift;
        if (m == 0) {
            m = 3 << s;
            s = 0;
        }
        int round = s > 0 ? 1 << (s - 1) : 0;
        return (x * m + round) >> s;
    }

    /** int16 sigmoid of {@code x} (Q0.15 output, 0 to 32767). */
    static short sigmoid(int x, int multiplier, int leftShift) {
        int in = scaledInput(x, multiplier, leftShift);
        int magnitude = Math.abs(in);
        int high = magnitude >>> 9;
        int result; // unsigned 32-bit arithmetic in TFLite; every value here stays below 2^31
        if (high >= 255) {
            result = 0x7FFF << 10;
        } else {
            int a = SIGMOID_TABLE[high];
            int b = SIGMOID_TABLE[high + 1];
            result = (a << 9) + (magnitude & 0x1FF) * (b - a);
        }
        result = in >= 0 ? result + (1 << 9) : (1 << (16 + 9)) - result + (1 << 9) - 1;
        return (short) (result >>> 10);
    }

    /** int16 tanh of {@code x} (Q0.15 output). */
    static short tanh(int x, int multiplier, int leftShift) {
        int in = scaledInput(x, multiplier, leftShift);
        int magnitude = Math.abs(in);
        int high = magnitude >>> 8;
        int result;
        if (high >= 255) {
            result = 0xFFFF << 8;
        } else {
            int a = SIGMOID_TABLE[high];
            int b = SIGMOID_TABLE[high + 1];
            result = (a << 8) + (magnitude & 0xFF) * (b - a);
        }
        result = in >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2))
                : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
        return (short) (result >> (9 - 1));
    }
}
