package dev.mote.codegen;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one rule for the names Mote writes into C (the generated code's {@code NAME}, the C array's {@code g_NAME}):
 * letters, digits and underscores, not starting with a digit, at most 63 characters (C99's guaranteed significant
 * length), and no C keyword.
 *
 * <pre>{@code
 * CIdentifier.isValid("hello_world");   // true
 * CIdentifier.isValid("2fast");         // false
 * }</pre>
 */
public final class CIdentifier {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> KEYWORDS = Set.of("auto", "break", "case", "char", "const", "continue",
            "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int",
            "long", "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
            "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex", "_Imaginary");

    /** What a valid name looks like, for error messages. */
    public static final String RULE = "letters, digits and underscores, not starting with a digit, at most 63 "
            + "characters, not a C keyword (e.g. hello_world)";

    private CIdentifier() {
    }

    /** True if {@code name} can name generated C. */
    public static boolean isValid(String name) {
        return name != null && IDENTIFIER.matcher(name).matches() && !KEYWORDS.contains(name);
    }
}
