package dev.mote.samples;

import dev.mote.runtime.MicroInterpreter;
import dev.mote.runtime.OpResolver;

import java.nio.file.Files;
import java.nio.file.Path;

/** Placeholder until the end-to-end sample lands: runs a Hello World .tflite on micro-runtime, prints the curve. */
public final class HelloWorldSine {
    private HelloWorldSine() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "../shared/models/hello_world_int8.tflite");
        MicroInterpreter interpreter = new MicroInterpreter(Files.readAllBytes(model), OpResolver.allBuiltins(), 2048);
        interpreter.allocateTensors();
        System.out.printf("%8s %10s %10s%n", "x", "sin(x)", "int8 model");
        for (int i = 0; i <= 20; i++) {
            float x = (float) (2 * Math.PI * i / 20);
            interpreter.input(0).setFloats(x);
            interpreter.invoke();
            System.out.printf("%8.4f %10.4f %10.4f%n", x, Math.sin(x), interpreter.output(0).dequantize(0));
        }
        System.out.println("arena used: " + interpreter.arenaUsedBytes() + " bytes (" + interpreter.target() + ")");
    }
}
