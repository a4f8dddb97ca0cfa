package dev.mote.cli;

/** A user-facing error: its message is printed as one line, without a stack trace unless --verbose. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
