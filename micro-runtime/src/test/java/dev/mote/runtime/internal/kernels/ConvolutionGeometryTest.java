package dev.mote.runtime.internal.kernels;

import dev.mote.vocabulary.Padding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConvolutionGeometryTest {

    @Test
    void microSpeechDepthwiseWindow() {
        // micro_speech: 49x40 spectrogram, 10x8 filter, stride 2, SAME
        ConvolutionGeometry g = ConvolutionGeometry.of(Padding.SAME, 2, 2, 1, 1, 49, 40, 10, 8);
        assertEquals(25, g.outHeight());
        assertEquals(20, g.outWidth());
        assertEquals(4, g.padHeight()); // total 9: 4 before, 5 after
        assertEquals(3, g.padWidth()); // total 6
    }

    @Test
    void validAndSameSizesFollowTflite() {
        ConvolutionGeometry valid = ConvolutionGeometry.of(Padding.VALID, 3, 2, 2, 1, 11, 7, 3, 4);
        assertEquals(3, valid.outHeight()); // (11 - 5 + 3) / 3
        assertEquals(2, valid.outWidth()); // (7 - 4 + 2) / 2
        assertEquals(0, valid.padHeight());
        assertEquals(0, valid.padWidth());
        ConvolutionGeometry same = ConvolutionGeometry.of(Padding.SAME, 1, 1, 3, 1, 5, 5, 3, 7);
        assertEquals(5, same.outHeight());
        assertEquals(3, same.padHeight()); // effective 7: total 6
        assertEquals(3, same.padWidth());
    }

    @Test
    void tapRangesAreExactlyTheTapsInsideTheImage() {
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n < 2000; n++) {
            Padding padding = r.nextBoolean() ? Padding.SAME : Padding.VALID;
            int in = 1 + r.nextInt(15);
            int filter = 1 + r.nextInt(6);
            int stride = 1 + r.nextInt(4);
            int dilation = 1 + r.nextInt(4);
            if (padding == Padding.VALID && (filter - 1) * dilation + 1 > in) {
                continue;
            }
            ConvolutionGeometry g = ConvolutionGeometry.of(padding, stride, 1, dilation, 1, in, 1, filter, 1);
            for (int o = 0; o < g.outHeight(); o++) {
                int first = -1;
                int end = -1;
                for (int t = 0; t < filter; t++) {
                    int i = g.originY(o) + t * dilation;
                    if (i >= 0 && i < in) {
                        first = first < 0 ? t : first;
                        end = t + 1;
                    }
                }
                String where = padding + " in " + in + " filter " + filter + " stride " + stride + " dilation "
                        + dilation + " out " + o;
                if (first < 0) {
                    assertEquals(g.firstTapY(o), g.endTapY(o), where);
                } else {
                    assertEquals(first, g.firstTapY(o), where);
                    assertEquals(end, g.endTapY(o), where);
                }
            }
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> ConvolutionGeometry.of(Padding.SAME, 0, 1, 1, 1, 4, 4, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionGeometry.of(null, 1, 1, 1, 1, 4, 4, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ConvolutionGeometry.of(Padding.SAME, 1, 1, 1, 0, 4, 4, 2, 2));
    }
}
