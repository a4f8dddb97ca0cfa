package dev.mote.cli;

import dev.mote.runtime.ArenaTarget;
import picocli.CommandLine;

/** Parses {@code host64} / {@code cortex-m}. */
final class TargetConverter implements CommandLine.ITypeConverter<ArenaTarget> {
    @Override
    public ArenaTarget convert(String value) {
        try {
            return ArenaTarget.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
