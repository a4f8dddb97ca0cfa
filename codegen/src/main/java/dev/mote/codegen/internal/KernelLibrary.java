package dev.mote.codegen.internal;

import dev.mote.codegen.CodegenException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The C kernels the generated code calls, one resource file per op family under {@code dev/mote/codegen/c/}
 * (static functions, C99, {@code <stdint.h>} and {@code <string.h>} only). {@link #ORDER} lists every file in
 * dependency order: a file may call only files listed before it.
 */
public final class KernelLibrary {
    /** Every library file, each after the files it calls. */
    public static final List<String> ORDER = List.of(
            "common", "fixed_point",
            "fully_connected", "conv", "depthwise_conv", "pooling", "mean",
            "softmax", "logistic", "tanh", "relu", "leaky_relu", "hard_swish", "quantize", "dequantize",
            "add_sub", "mul", "strided_copy");

    private KernelLibrary() {
    }

    /** The C text of the files in {@code used} (and {@code common}), in {@link #ORDER}. */
    public static String source(Set<String> used) {
        StringBuilder out = new StringBuilder();
        for (String name : ORDER) {
            if (name.equals("common") || used.contains(name)) {
                out.append("/* ---- kernels: ").append(name).append(" ---- */\n").append(read(name)).append('\n');
            }
        }
        for (String name : used) {
            if (!ORDER.contains(name)) {
                throw new IllegalArgumentException("no kernel library file '" + name + "'");
            }
        }
        return out.toString();
    }

    private static String read(String name) {
        String path = "/dev/mote/codegen/c/" + name + ".c";
        try (InputStream in = KernelLibrary.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new CodegenException("kernel library " + path + " is missing from the mote-codegen jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CodegenException("cannot read kernel library " + path + ": " + e.getMessage(), e);
        }
    }
}
