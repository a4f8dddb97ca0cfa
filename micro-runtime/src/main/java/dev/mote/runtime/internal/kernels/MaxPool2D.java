package dev.mote.runtime.internal.kernels;

import dev.mote.runtime.Kernel;
import dev.mote.runtime.MicroTensor;
import dev.mote.runtime.NodeContext;
import dev.mote.runtime.internal.QuantizedMath;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MAX_POOL_2D on NHWC tensors, int8, int16 and float32: the largest input of each window (taps in the padding are
 * skipped), clamped to the fused activation's range, as TFLite's reference {@code MaxPool}. Quantized input and
 * output share scale and zero point.
 */
public final class MaxPool2D implements Kernel {
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
                    for (int c = 0; c < depth; c++) {
                        int max = Byte.MIN_VALUE;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                final int v = in[row + (ix0 + fx) * depth];
                                if (v > max) {
                                    max = v;
                                }
                            }
                        }
                        out[outPos++] = (byte) (max < lo ? lo : (max > hi ? hi : max));
                    }
                }
            }
        }
    }

    /** int16: TFLM's {@code reference_integer_ops::MaxPool} for int16, the int8 loop on 16-bit values. */
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
                    for (int c = 0; c < depth; c++) {
                        int max = Short.MIN_VALUE;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                final int v = (short) INT16.get(in, inBase + 2 * (row + (ix0 + fx) * depth));
                                if (v > max) {
                                    max = v;
                                }
                            }
                        }
                        INT16.set(out, outPos, (short) (max < lo ? lo : (max > hi ? hi : max)));
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
                    for (int c = 0; c < depth; c++) {
                        float max = -Float.MAX_VALUE;
                        for (int fy = fy0; fy < fy1; fy++) {
                            final int row = inBatch + (iy0 + fy) * inW * depth + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                // std::max(max, v): keeps max unless max < v (a NaN input is skipped, as in C++)
                                final float v = (float) FLOAT32.get(in, inBase + 4 * (row + (ix0 + fx) * depth));
                                if (max < v) {
                                    max = v;
                                }
                            }
                        }
                        FLOAT32.set(out, outPos, QuantizedMath.clamp(max, lo, hi));
                        outPos += 4;
                    }
                }
            }
        }
    }
}
