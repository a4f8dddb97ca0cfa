package dev.mote.runtime;

import dev.mote.runtime.internal.memory.Abi;
import dev.mote.runtime.internal.memory.TflmStructs;

import java.util.Locale;

/**
 * The ABI whose TFLM arena figures Mote reports. TFLM's bookkeeping structs differ in size between a 64-bit host
 * build and a 32-bit Cortex-M build; Mote derives them from the struct definitions (see {@link TflmStructs}).
 */
public enum ArenaTarget {
    /** x86-64 / aarch64 host build of TFLM (8-byte pointers, 4-byte enums). */
    HOST_64("host64", Abi.LP64),
    /** 32-bit Cortex-M build with arm-none-eabi-gcc and TFLM's reference kernels (4-byte pointers, short enums). */
    CORTEX_M("cortex-m", Abi.ARM_EABI_SHORT_ENUMS);

    private final String cliName;
    private final Abi abi;
    private final TflmStructs structs;

    ArenaTarget(String cliName, Abi abi) {
        this.cliName = cliName;
        this.abi = abi;
        this.structs = new TflmStructs(abi);
    }

    /** The short name used on the command line: {@code host64} or {@code cortex-m}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The target named {@code name}: {@code host64}/{@code cortex-m} or the enum constant, case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ArenaTarget parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ArenaTarget t : values()) {
            if (t.cliName.equals(n) || t.name().toLowerCase(Locale.ROOT).equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + name + "' (expected host64 or cortex-m)");
    }

    public Abi abi() {
        return abi;
    }

    /** TFLM's struct sizes on this target. */
    public TflmStructs structs() {
        return structs;
    }

    public int pointerBytes() {
        return abi.pointerBytes();
    }

    /** {@code sizeof(TfLiteTensor)}. */
    public int tfLiteTensorBytes() {
        return structs.tfLiteTensor().size();
    }

    /** {@code sizeof(TfLiteEvalTensor)}. */
    public int evalTensorBytes() {
        return structs.evalTensor().size();
    }

    /** {@code sizeof(NodeAndRegistration)}. */
    public int nodeAndRegistrationBytes() {
        return structs.nodeAndRegistration().size();
    }
}
