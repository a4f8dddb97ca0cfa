package dev.mote.cli;

/**
 * A minimal JSON writer for the CLI's one-line outputs: objects, arrays, strings (escaped), integers and floats
 * (non-finite floats become {@code null}). Commas are inserted automatically.
 *
 * <pre>{@code
 * String s = new Json().beginObject().name("n").value(3).endObject().toString(); // {"n":3}
 * }</pre>
 */
final class Json {
    private final StringBuilder sb = new StringBuilder();
    private boolean needComma;

    private Json separate() {
        if (needComma) {
            sb.append(',');
        }
        needComma = false;
        return this;
    }

    Json beginObject() {
        separate();
        sb.append('{');
        return this;
    }

    Json endObject() {
        sb.append('}');
        needComma = true;
        return this;
    }

    Json beginArray() {
        separate();
        sb.append('[');
        return this;
    }

    Json endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    /** An object member's name; the value follows. */
    Json name(String name) {
        separate();
        string(name);
        sb.append(':');
        return this;
    }

    Json value(String s) {
        separate();
        if (s == null) {
            sb.append("null");
        } else {
            string(s);
        }
        needComma = true;
        return this;
    }

    Json value(long v) {
        separate();
        sb.append(v);
        needComma = true;
        return this;
    }

    Json value(double v) {
        separate();
        if (Double.isFinite(v)) {
            sb.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) + ".0" : Double.toString(v));
        } else {
            sb.append("null");
        }
        needComma = true;
        return this;
    }

    /** A float, written with the float's shortest decimal form (so 0.1f is 0.1, not 0.10000000149011612). */
    Json value(float v) {
        separate();
        sb.append(Float.isFinite(v) ? Float.toString(v) : "null");
        needComma = true;
        return this;
    }

    Json value(boolean b) {
        separate();
        sb.append(b);
        needComma = true;
        return this;
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
