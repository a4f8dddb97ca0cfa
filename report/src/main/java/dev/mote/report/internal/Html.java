package dev.mote.report.internal;

import java.util.Locale;

/**
 * HTML text helpers: every string that comes from a model (tensor and subgraph names, custom op codes, the title)
 * goes through {@link #escape} before it reaches the page.
 *
 * <pre>{@code
 * Html.escape("<script>") // "&lt;script&gt;"
 * }</pre>
 */
public final class Html {
    private Html() {
    }

    /**
     * The text escaped for HTML element content and quoted attribute values: {@code & < > " '} as entities, control
     * characters (other than tab and newline) and unpaired surrogates as U+FFFD.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        sb.append(c).append(text.charAt(++i));
                    } else if (Character.isSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f
                            || (c >= 0x80 && c < 0xa0)) {
                        sb.append('\uFFFD');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** At most {@code max} characters of {@code text} (an ellipsis marks a cut), before escaping. */
    public static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max <= 1) {
            return "\u2026";
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "\u2026";
    }

    /** A count with thousands separators: 1,184. */
    public static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Bytes, with thousands separators: "1,184 B". */
    public static String bytes(long v) {
        return n(v) + "\u00a0B";
    }

    /** A shape: [1, 49, 40, 1]. */
    public static String shape(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /** A decimal for SVG coordinates. */
    public static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
