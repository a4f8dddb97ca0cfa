package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * AVERAGE_POOL_2D on NHWC tensors, int8, int16 and float32, as TFLite's reference {@code AveragePool}: each window
 * averages only its taps inside the image. int8 and int16 sum the raw values in 32 bits and round the quotient half
 * away from zero with integer arithmetic ({@code (sum +- count / 2) / count}, truncating division), then clamp to
 * the fused activation's range; input and output share scale and zero point. float32 divides the float sum by the
 * tap count.
 */
public final class AveragePool2D implements Kernel {
    private static final VarHandle FLOAT32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private PoolingParameters params;

    @Override
    public void prepare(NodeContext node) {
        params = PoolingParameters.prepare(node);
    }

    /** What prepare derived for an int8 node (the C code generator emits it), or null for float32 and int16. */
    public PoolingParameters.Int8 int8Parameters() {
        return params.int8();
    }

    @Override
    public void invoke(NodeContext node) {
        MicroTensor input = node.input(0);
        MicroTensor output = node.output(0);
        if (params.int16) {
            invokeInt16(input.data(), input.dataOffset(), output.data(), output.dataOffset());
        } else if (params.quantized) {
            invokeInt8(input.data(), input.dataOffset(), output.data(), output.dataOffset());
        } else {
            invokeFloat(input.data(), input.dataOffset(), output.data(), output.dataOffset());
        }
    }

    /** TFLite's int8 average: the sum divided by the count, rounded half away from zero. */
    static int roundedAverage(int sum, int count) {
        return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
    }

    private void invokeInt8(byte[] in, int inBase, byte[] out, int outPos) {
        final PoolingParameters p = params;
        final ConvolutionGeometry g = p.geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int depth = p.depth;
        final int lo = p.actMin;
        final int hi = p.actMax;
        for (int batch = 0; batch < p.batches; batch++) {
            final int inBatch = inBase + batch * inH * inW * depth;
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    final int count = (fy1 - fy0) * (fx1 - fx0);
                    for (int c = 0; c < depth; c++) {
                        int sum = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                sum += in[row + (ix0 + fx) * depth];
                            }
                        }
                        final int avg = roundedAverage(sum, count);
                        out[outPos++] = (byte) (avg < lo ? lo : (avg > hi ? hi : avg));
                    }
                }
            }
        }
    }

    /** int16: TFLM's int16 {@code AveragePool}, the int8 arithmetic (int32 sum, rounded quotient) on 16-bit values. */
    private void invokeInt16(byte[] in, int inBase, byte[] out, int outPos) {
        final PoolingParameters p = params;
        final ConvolutionGeometry g = p.geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int depth = p.depth;
        final int lo = p.actMin;
        final int hi = p.actMax;
        for (int batch = 0; batch < p.batches; batch++) {
            final int inBatch = batch * inH * inW * depth;
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    final int count = (fy1 - fy0) * (fx1 - fx0);
                    for (int c = 0; c < depth; c++) {
                        int sum = 0;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                sum += (short) INT16.get(in, inBase + 2 * (row + (ix0 + fx) * depth));
                            }
                        }
                        final int avg = roundedAverage(sum, count);
                        INT16.set(out, outPos, (short) (avg < lo ? lo : (avg > hi ? hi : avg)));
                        outPos += 2;
                    }
                }
            }
        }
    }

    private void invokeFloat(byte[] in, int inBase, byte[] out, int outPos) {
        final PoolingParameters p = params;
        final ConvolutionGeometry g = p.geometry;
        final int inH = g.inHeight();
        final int inW = g.inWidth();
        final int outH = g.outHeight();
        final int outW = g.outWidth();
        final int depth = p.depth;
        final float lo = p.floatMin;
        final float hi = p.floatMax;
        for (int batch = 0; batch < p.batches; batch++) {
            final int inBatch = batch * inH * inW * depth;
            for (int oy = 0; oy < outH; oy++) {
                final int iy0 = g.originY(oy);
                final int fy0 = g.firstTapY(oy);
                final int fy1 = g.endTapY(oy);
                for (int ox = 0; ox < outW; ox++) {
                    final int ix0 = g.originX(ox);
                    final int fx0 = g.firstTapX(ox);
                    final int fx1 = g.endTapX(ox);
                    final float count = (fy1 - fy0) * (fx1 - fx0);
                    for (int c = 0; c < depth; c++) {
                        float total = 0f;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                total += (float) FLOAT32.get(in, inBase + 4 * (row + (ix0 + fx) * depth));
                            }
                        }
                        FLOAT32.set(out, outPos, QuantizedMath.clamp(total / count, lo, hi));
                        outPos += 4;
                    }
                }
            }
        }
    }
}
