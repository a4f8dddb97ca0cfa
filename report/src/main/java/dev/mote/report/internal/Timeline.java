package dev.mote.report.internal;

import dev.mote.report.internal.ModelFacts.ArenaFact;
import dev.mote.report.internal.ModelFacts.SubgraphFact;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;

import java.util.ArrayList;
import java.util.List;

import static dev.mote.report.internal.Html.escape;
import static dev.mote.report.internal.Html.f;
import static dev.mote.report.internal.Html.n;

/**
 * The arena timeline of one ABI as inline SVG: x is TFLM's allocation scope (the subgraph start, then one column per
 * operator of the main subgraph), y the offset in the arena head, one rectangle per planned buffer from its first to
 * its last scope at the offset the plan gives it; the buffers alive at the plan's peak scope in
 * {@link HtmlPage#PEAK_COLOUR}. Nothing here places a buffer or decides a lifetime: it draws {@link TflmMemoryPlan}.
 *
 * <pre>{@code
 * String svg = Timeline.svg(facts, facts.arenas().get(0));
 * }</pre>
 */
public final class Timeline {
    private static final int W = 640;
    private static final int H = 380;
    private static final int LEFT = 66;
    private static final int RIGHT = 14;
    private static final int TOP = 30;
    private static final int BOTTOM = 62;

    private Timeline() {
    }

    /** The lifetime of a buffer in TFLM scopes, in words: "start–op 0", "op 1–op 2", "op 3". */
    static String lifetime(TflmMemoryPlan.Buffer b) {
        String from = b.firstUsed() == 0 ? "start" : "op " + (b.firstUsed() - 1);
        String to = b.lastUsed() == 0 ? "start" : "op " + (b.lastUsed() - 1);
        return from.equals(to) ? from : from + "\u2013" + to;
    }

    /** The SVG for {@code arena}. */
    public static String svg(ModelFacts facts, ArenaFact arena) {
        TflmMemoryPlan plan = arena.plan();
        SubgraphFact main = facts.main();
        int scopes = Math.max(1, plan.scopeCount());
        List<TflmMemoryPlan.Buffer> drawn = new ArrayList<>();
        long top = 16;
        for (TflmMemoryPlan.Buffer b : plan.buffers()) {
            if (b.subgraph() == 0 && b.firstUsed() >= 0 && b.lastUsed() >= b.firstUsed()) {
                drawn.add(b);
                top = Math.max(top, (long) b.offset() + b.alignedBytes());
            }
        }
        top = Math.max(top, plan.headBytes());
        int peak = plan.peakScope();
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        double colW = plotW / scopes;
        double yScale = plotH / top;
        String t = arena.target().cliName();
        StringBuilder s = new StringBuilder(8192);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" class=\"timeline\" id=\"timeline-").append(t).append("\" role=\"img\" aria-label=\"")
                .append(escape("arena timeline, " + t)).append("\" font-family=\"system-ui,-apple-system,Segoe UI,"
                        + "Roboto,Arial,sans-serif\">\n");
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(f(plotW))
                .append("\" height=\"").append(f(plotH)).append("\" fill=\"#fafbfd\" stroke=\"#e3e6ec\"/>\n");
        // y grid and ticks
        long step = niceStep(top / 5.0);
        for (long v = 0; v <= top; v += step) {
            double y = TOP + plotH - v * yScale;
            s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(f(y))
                    .append("\" y2=\"").append(f(y)).append("\" stroke=\"#e9ecf2\"/>")
                    .append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#5d6678\">").append(n(v)).append("</text>\n");
        }
        s.append("<text x=\"14\" y=\"").append(f(TOP + plotH / 2)).append("\" font-size=\"11\" fill=\"#5d6678\" "
                + "text-anchor=\"middle\" transform=\"rotate(-90 14 ").append(f(TOP + plotH / 2))
                .append(")\">arena offset (bytes)</text>\n");
        // the peak column, and the two labels above the plot
        double px = LEFT + peak * colW;
        if (!drawn.isEmpty()) {
            s.append("<rect x=\"").append(f(px)).append("\" y=\"").append(TOP).append("\" width=\"").append(f(colW))
                    .append("\" height=\"").append(f(plotH)).append("\" fill=\"").append(HtmlPage.PEAK_COLOUR)
                    .append("\" fill-opacity=\"0.08\"/>\n")
                    .append("<text x=\"").append(W - RIGHT).append("\" y=\"").append(TOP - 10)
                    .append("\" font-size=\"11.5\" font-weight=\"600\" text-anchor=\"end\" fill=\"")
                    .append(HtmlPage.PEAK_COLOUR).append("\">peak: ").append(n(plan.liveBytesAt(peak)))
                    .append(" B alive at ").append(peak == 0 ? "the start" : "operator " + (peak - 1))
                    .append("</text>\n");
        }
        s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT + 22).append("\" y1=\"").append(TOP - 14)
                .append("\" y2=\"").append(TOP - 14).append("\" stroke=\"#1d2433\" stroke-dasharray=\"5 4\"/>")
                .append("<text x=\"").append(LEFT + 28).append("\" y=\"").append(TOP - 10)
                .append("\" font-size=\"11\" fill=\"#1d2433\">planned head ").append(n(plan.headBytes()))
                .append(" B</text>\n");
        // the buffers
        int k = 0;
        for (TflmMemoryPlan.Buffer b : drawn) {
            boolean atPeak = b.aliveAt(peak);
            String colour = atPeak ? HtmlPage.PEAK_COLOUR
                    : b.isScratch() ? HtmlPage.SCRATCH_COLOUR : HtmlPage.PALETTE[k % HtmlPage.PALETTE.length];
            k++;
            double x = LEFT + b.firstUsed() * colW + 3;
            double w = (b.lastUsed() - b.firstUsed() + 1) * colW - 6;
            double h = Math.max(3, b.alignedBytes() * yScale);
            double y = TOP + plotH - ((long) b.offset() + b.alignedBytes()) * yScale;
            if (y + h > TOP + plotH) {
                y = TOP + plotH - h;
            }
            String name = name(main, b);
            s.append("<g class=\"buf").append(atPeak ? " peak" : "").append("\"><rect x=\"").append(f(x))
                    .append("\" y=\"").append(f(y)).append("\" width=\"").append(f(Math.max(1, w))).append("\" height=\"")
                    .append(f(h)).append("\" rx=\"3\" fill=\"").append(colour).append("\" stroke=\"#ffffff\" "
                            + "stroke-width=\"1\"><title>")
                    .append(escape(name + ": " + n(b.alignedBytes()) + " B at offset " + n(b.offset()) + ", alive "
                            + lifetime(b) + (atPeak ? " (alive at the peak)" : "")))
                    .append("</title></rect>");
            int chars = (int) ((w - 10) / 6.4);
            if (h >= 14 && chars >= 3) {
                String text = Html.shorten(name, chars);
                s.append("<text x=\"").append(f(x + 5)).append("\" y=\"").append(f(y + Math.min(h / 2 + 4, 15)))
                        .append("\" font-size=\"11\" fill=\"#ffffff\">").append(escape(text)).append("</text>");
                if (h >= 30 && chars >= 8) {
                    s.append("<text x=\"").append(f(x + 5)).append("\" y=\"").append(f(y + Math.min(h / 2 + 4, 15) + 14))
                            .append("\" font-size=\"10.5\" fill=\"#ffffff\" fill-opacity=\"0.85\">")
                            .append(escape(n(b.alignedBytes()) + " B @" + n(b.offset()))).append("</text>");
                }
            }
            s.append("</g>\n");
        }
        // planned head line
        double hy = TOP + plotH - plan.headBytes() * yScale;
        s.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(f(hy))
                .append("\" y2=\"").append(f(hy)).append("\" stroke=\"#1d2433\" stroke-dasharray=\"5 4\"/>\n");
        // x labels
        boolean names = colW >= 58;
        int every = Math.max(1, (int) Math.ceil(22 / colW));
        for (int c = 0; c < scopes; c++) {
            if (c % every != 0 && c != peak) {
                continue;
            }
            double cx = LEFT + c * colW + colW / 2;
            String idx = c == 0 ? (colW >= 36 ? "start" : "s") : String.valueOf(c - 1);
            s.append("<text x=\"").append(f(cx)).append("\" y=\"").append(TOP + plotH + 15)
                    .append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"")
                    .append(c == peak ? HtmlPage.PEAK_COLOUR : "#1d2433").append("\">").append(idx).append("</text>");
            if (names && c > 0 && c - 1 < main.operators().size()) {
                int chars = (int) ((colW - 4) / 5.8);
                s.append("<text x=\"").append(f(cx)).append("\" y=\"").append(TOP + plotH + 29)
                        .append("\" font-size=\"9.5\" text-anchor=\"middle\" fill=\"#5d6678\">")
                        .append(escape(Html.shorten(main.operators().get(c - 1).name(), Math.max(3, chars))))
                        .append("</text>");
            }
            s.append('\n');
        }
        s.append("<text x=\"").append(f(LEFT + plotW / 2)).append("\" y=\"").append(H - 8)
                .append("\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5d6678\">operator (TFLM allocation scope)"
                        + "</text>\n");
        if (drawn.isEmpty()) {
            s.append("<text x=\"").append(f(LEFT + plotW / 2)).append("\" y=\"").append(f(TOP + plotH / 2))
                    .append("\" font-size=\"13\" text-anchor=\"middle\" fill=\"#5d6678\">no planned buffers</text>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String name(SubgraphFact main, TflmMemoryPlan.Buffer b) {
        if (b.isScratch()) {
            return "scratch of operator " + b.operator();
        }
        return b.tensor() < main.tensors().size() ? main.tensor(b.tensor()).label() : "tensor " + b.tensor();
    }

    private static long niceStep(double raw) {
        if (raw <= 1) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10;
        return Math.max(1, Math.round(nice * mag));
    }
}
