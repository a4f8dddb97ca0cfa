package dev.mote.report.internal;

import dev.mote.report.internal.ModelFacts.ArenaFact;
import dev.mote.report.internal.ModelFacts.OperatorFact;
import dev.mote.report.internal.ModelFacts.Storage;
import dev.mote.report.internal.ModelFacts.SubgraphFact;
import dev.mote.report.internal.ModelFacts.TensorFact;
import dev.mote.runtime.ArenaReport;
import dev.mote.runtime.internal.memory.TflmMemoryPlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mote.report.internal.Html.bytes;
import static dev.mote.report.internal.Html.escape;
import static dev.mote.report.internal.Html.n;
import static dev.mote.report.internal.Html.shape;

/**
 * Renders {@link ModelFacts} as one self-contained HTML page: inline CSS and SVG, no scripts, no external
 * resources (a Content-Security-Policy of {@code default-src 'none'} says so to the browser).
 *
 * <pre>{@code
 * String html = HtmlPage.render(ModelFacts.of(bytes), "hello_world_int8.tflite");
 * }</pre>
 */
public final class HtmlPage {
    /** The colour of the tensors alive at the arena peak, in the timelines and their legends. */
    public static final String PEAK_COLOUR = "#e4572e";
    /** The colour of the arena head in the composition bar (and the first of the tensors' colours). */
    public static final String HEAD_COLOUR = "#4c78a8";
    /** Colours of the other planned tensors, in turn. */
    static final String[] PALETTE = {"#4c78a8", "#72b7b2", "#54a24b", "#b279a2", "#9d755d", "#6f8fcf", "#88a65e",
        "#5f9ea0"};
    static final String SCRATCH_COLOUR = "#a0a7b4";
    static final String[] TAIL_COLOURS = {"#3b4a6b", "#56658a", "#7482a6", "#93a0c0", "#b3bdd6", "#6b5b95",
        "#8c7bb5", "#a99bd0", "#c4b8e6", "#5a6e7f"};

    private final ModelFacts facts;
    private final String title;
    private final StringBuilder out = new StringBuilder(64 * 1024);

    private HtmlPage(ModelFacts facts, String title) {
        this.facts = facts;
        this.title = title;
    }

    /** The page for {@code facts}, headed {@code title} (escaped here). */
    public static String render(ModelFacts facts, String title) {
        return new HtmlPage(facts, title).page();
    }

    private String page() {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                        + "style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"Mote report\">\n")
                .append("<title>").append(escape(title)).append(" \u2014 Mote report</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        header();
        out.append("<main>\n");
        timelines();
        operators();
        flash();
        macs();
        tensors();
        out.append("</main>\n<footer>Made by Mote from micro-runtime's arena report (TFLM reference kernels, "
                + "16-byte-aligned arena) and the model's own bytes. No scripts, no network.</footer>\n")
                .append("</body>\n</html>\n");
        return out.toString();
    }

    // ---- header and summary cards ----

    private void header() {
        SubgraphFact main = facts.main();
        out.append("<header>\n<div class=\"brand\">Mote report</div>\n<h1>").append(escape(title)).append("</h1>\n")
                .append("<p class=\"sub\">").append(n(main.operators().size())).append(" operators, ")
                .append(n(main.tensors().size())).append(" tensors")
                .append(facts.subgraphs().size() > 1 ? ", " + n(facts.subgraphs().size()) + " subgraphs" : "")
                .append(" \u00b7 arena as TFLM allocates it on a 64-bit host and on a 32-bit Cortex-M</p>\n")
                .append("<div class=\"cards\">\n");
        for (ArenaFact a : facts.arenas()) {
            ArenaReport r = a.report();
            String t = a.target().cliName();
            card("arena_used_bytes \u00b7 " + t, "<b id=\"card-" + t + "-used\">" + n(r.usedBytes()) + "</b> B",
                    "head " + n(r.headBytes()) + " + tail " + n(r.tailBytes()) + (r.exact() ? "" : " \u00b7 estimate"));
        }
        card("flash", "<b id=\"fig-flash-file\">" + n(facts.fileBytes()) + "</b> B",
                n(facts.constantBytes()) + " B constant data in " + n(facts.constantTensors()) + " tensors");
        String macsNote = facts.macsNotCounted() == 0 ? "per invocation"
                : "incomplete: " + n(facts.macsNotCounted()) + " operator" + (facts.macsNotCounted() == 1 ? "" : "s")
                        + " not counted";
        card("MACs", (facts.macsNotCounted() == 0 ? "" : "\u2265\u00a0") + "<b id=\"fig-macs-total\">"
                + n(facts.macsTotal()) + "</b>", macsNote);
        out.append("</div>\n</header>\n");
    }

    private void card(String label, String valueHtml, String note) {
        out.append("<div class=\"card\"><div class=\"label\">").append(escape(label)).append("</div><div class=\"value\">")
                .append(valueHtml).append("</div><div class=\"note\">").append(escape(note)).append("</div></div>\n");
    }

    // ---- arena timelines ----

    private void timelines() {
        out.append("<section id=\"arena\">\n<h2>Arena timeline</h2>\n<p class=\"lead\">Each rectangle is one planned "
                + "buffer of the arena head: from the operator that first needs it to the last one that reads it "
                + "(x), at the offset TFLM's greedy planner gives it (y). ")
                .append("<span class=\"sw\" style=\"background:").append(PEAK_COLOUR)
                .append("\"></span> marks the buffers alive at the peak.</p>\n<div class=\"abis\">\n");
        for (ArenaFact a : facts.arenas()) {
            out.append("<div class=\"abi\">\n<h3>").append(escape(label(a))).append("</h3>\n");
            out.append(Timeline.svg(facts, a));
            figures(a);
            out.append("</div>\n");
        }
        out.append("</div>\n</section>\n");
    }

    private static String label(ArenaFact a) {
        return switch (a.target()) {
            case HOST_64 -> "64-bit host (" + a.target().cliName() + ")";
            case CORTEX_M -> "32-bit Cortex-M (" + a.target().cliName() + ")";
        };
    }

    private void figures(ArenaFact a) {
        ArenaReport r = a.report();
        String t = a.target().cliName();
        String id = "fig-" + t + "-";
        int used = r.usedBytes();
        // the composition bar: head, then the tail by category
        Map<String, Integer> parts = new LinkedHashMap<>();
        parts.put("head (planned tensors)", r.headBytes());
        parts.putAll(r.tailByCategory());
        out.append("<div class=\"bar\" role=\"img\" aria-label=\"arena_used_bytes by part\">");
        int k = 0;
        for (Map.Entry<String, Integer> e : parts.entrySet()) {
            if (e.getValue() <= 0) {
                k++;
                continue;
            }
            String colour = k == 0 ? PALETTE[0] : TAIL_COLOURS[(k - 1) % TAIL_COLOURS.length];
            double pct = used == 0 ? 0 : 100.0 * e.getValue() / used;
            out.append("<span style=\"width:").append(Html.f(pct)).append("%;background:").append(colour)
                    .append("\" title=\"").append(escape(e.getKey() + ": " + n(e.getValue()) + " B")).append("\"></span>");
            k++;
        }
        out.append("</div>\n<table class=\"figs\">\n");
        row("head (planned tensors)", "<b id=\"" + id + "head\">" + n(r.headBytes()) + "</b> B", PALETTE[0]);
        row("tail (persistent)", "<b id=\"" + id + "tail\">" + n(r.tailBytes()) + "</b> B", null);
        k = 1;
        for (Map.Entry<String, Integer> e : r.tailByCategory().entrySet()) {
            out.append("<tr class=\"minor\"><td><span class=\"sw\" style=\"background:")
                    .append(TAIL_COLOURS[(k - 1) % TAIL_COLOURS.length]).append("\"></span>")
                    .append(escape(e.getKey())).append("</td><td>").append(n(e.getValue())).append(" B</td></tr>\n");
            k++;
        }
        row("arena_used_bytes", "<b id=\"" + id + "used\">" + n(used) + "</b> B", null);
        row("smallest arena that allocates", "<b id=\"" + id + "min\">" + n(r.minimumArenaBytes()) + "</b> B", null);
        out.append("<tr class=\"minor\"><td colspan=\"2\">one byte less fails at: ").append(escape(r.limitedBy()))
                .append("</td></tr>\n");
        row("peak during AllocateTensors()", n(r.peakAllocationBytes()) + " B head-side", null);
        if (r.peakOperator() >= 0) {
            OperatorFact op = r.peakOperator() < facts.main().operators().size()
                    ? facts.main().operators().get(r.peakOperator()) : null;
            row("head peak at operator", "<b id=\"" + id + "peak-op\">" + r.peakOperator() + "</b>"
                    + (op == null ? "" : " " + escape(op.name())), PEAK_COLOUR);
            for (ArenaReport.BufferUse b : r.peakTensors()) {
                out.append("<tr class=\"minor peak\"><td>").append(escape(Html.shorten(b.name(), 60)))
                        .append("</td><td>").append(n(b.bytes())).append(" B @").append(n(b.offset()))
                        .append("</td></tr>\n");
            }
        }
        out.append("</table>\n");
        if (!r.exact()) {
            out.append("<p class=\"warn\">Not exact: an upper-bound estimate for ")
                    .append(escape(String.join("; ", r.estimatedOps()))).append(".</p>\n");
        }
    }

    private void row(String what, String valueHtml, String swatch) {
        out.append("<tr><td>");
        if (swatch != null) {
            out.append("<span class=\"sw\" style=\"background:").append(swatch).append("\"></span>");
        }
        out.append(escape(what)).append("</td><td>").append(valueHtml).append("</td></tr>\n");
    }

    // ---- operators ----

    private void operators() {
        out.append("<section id=\"operators\">\n<h2>Operators</h2>\n");
        for (SubgraphFact sg : facts.subgraphs()) {
            if (facts.subgraphs().size() > 1) {
                out.append("<h3>subgraph ").append(sg.index()).append(sg.name().isEmpty() ? ""
                        : " \u201c" + escape(sg.name()) + "\u201d").append(sg.index() == 0 ? " (main)"
                        : " (not invoked by the main subgraph's operators; not in the arena timeline)").append("</h3>\n");
            }
            out.append("<div class=\"flow\">\n");
            ioRow("model input", sg, sg.inputs());
            for (OperatorFact op : sg.operators()) {
                out.append("<div class=\"op\" id=\"op-").append(sg.index()).append('-').append(op.index())
                        .append("\">\n<div class=\"op-head\"><span class=\"idx\">").append(op.index())
                        .append("</span><span class=\"op-name\">").append(escape(op.name())).append("</span>")
                        .append("<span class=\"ver\">v").append(op.version()).append("</span><span class=\"macs\">")
                        .append(op.macs().isPresent() ? n(op.macs().getAsLong()) + " MACs" : "MACs not counted")
                        .append("</span>");
                if (sg.index() == 0) {
                    for (ArenaFact a : facts.arenas()) {
                        out.append("<span class=\"inuse\">").append(escape(a.target().cliName())).append(" head in use ")
                                .append(n(a.plan().inUseAt(op.index() + 1))).append(" B</span>");
                    }
                }
                out.append("</div>\n<div class=\"op-io\"><div class=\"col\"><div class=\"h\">inputs</div>\n");
                for (int t : op.inputs()) {
                    tensorChip(sg, t);
                }
                out.append("</div><div class=\"arrow\">\u2192</div><div class=\"col\"><div class=\"h\">outputs</div>\n");
                for (int t : op.outputs()) {
                    tensorChip(sg, t);
                }
                out.append("</div></div>\n</div>\n");
            }
            ioRow("model output", sg, sg.outputs());
            out.append("</div>\n");
        }
        out.append("</section>\n");
    }

    private void ioRow(String what, SubgraphFact sg, int[] tensors) {
        out.append("<div class=\"io\"><span class=\"h\">").append(what).append(tensors.length == 1 ? "" : "s")
                .append("</span>");
        for (int t : tensors) {
            tensorChip(sg, t);
        }
        out.append("</div>\n");
    }

    private void tensorChip(SubgraphFact sg, int t) {
        if (t < 0 || t >= sg.tensors().size()) {
            out.append("<div class=\"t absent\">(absent optional operand)</div>\n");
            return;
        }
        TensorFact f = sg.tensor(t);
        out.append("<div class=\"t ").append(f.storage().name().toLowerCase(java.util.Locale.ROOT)).append("\">")
                .append("<span class=\"tn\">").append(escape(Html.shorten(f.label(), 80))).append("</span> ")
                .append("<span class=\"ty\">").append(typeAndShape(f)).append("</span> ")
                .append("<span class=\"b\">").append(bytes(f.storage() == Storage.FLASH ? f.flashBytes() : f.bytes()))
                .append("</span> <span class=\"st\">").append(storage(f)).append("</span>");
        if (!"none".equals(f.quantization())) {
            out.append(" <span class=\"q\">").append(escape(f.quantization())).append("</span>");
        }
        out.append("</div>\n");
    }

    private static String typeAndShape(TensorFact f) {
        return escape(f.type().name().toLowerCase(java.util.Locale.ROOT)) + "\u00a0" + shape(f.shape());
    }

    private static String storage(TensorFact f) {
        return switch (f.storage()) {
            case FLASH -> "flash";
            case ARENA -> "arena";
            case VARIABLE -> "variable";
            case NONE -> "no bytes";
        };
    }

    // ---- flash ----

    private void flash() {
        out.append("<section id=\"flash\">\n<h2>Flash</h2>\n<p class=\"lead\">The firmware keeps the whole .tflite "
                + "in flash: <b>").append(bytes(facts.fileBytes())).append("</b>, of which <b id=\"fig-flash-constant\">")
                .append(n(facts.constantBytes())).append("</b>\u00a0B are constant tensor data and ")
                .append(bytes(Math.max(0, facts.fileBytes() - facts.constantBytes())))
                .append(" the flatbuffer's structure, names, quantization and metadata.</p>\n");
        List<TensorFact> constants = new ArrayList<>();
        for (SubgraphFact sg : facts.subgraphs()) {
            for (TensorFact f : sg.tensors()) {
                if (f.storage() == Storage.FLASH) {
                    constants.add(f);
                }
            }
        }
        constants.sort(Comparator.comparingLong(TensorFact::flashBytes).reversed());
        long max = constants.isEmpty() ? 1 : Math.max(1, constants.get(0).flashBytes());
        out.append("<table class=\"bars\">\n<tr><th>constant tensor</th><th>type, shape</th><th class=\"num\">bytes</th>"
                + "<th class=\"num\">share</th><th></th></tr>\n");
        for (TensorFact f : constants) {
            double pct = facts.fileBytes() == 0 ? 0 : 100.0 * f.flashBytes() / facts.fileBytes();
            out.append("<tr><td class=\"tn\">").append(escape(Html.shorten(f.label(), 70)))
                    .append(f.sharesBufferWith() >= 0 ? " <i>(buffer shared with tensor " + f.sharesBufferWith()
                            + ", counted once)</i>" : "")
                    .append("</td><td>").append(typeAndShape(f)).append("</td><td class=\"num\">").append(n(f.flashBytes()))
                    .append("</td><td class=\"num\">").append(String.format(java.util.Locale.ROOT, "%.1f%%", pct))
                    .append("</td><td class=\"barcell\"><span class=\"hbar flash\" style=\"width:")
                    .append(Html.f(100.0 * f.flashBytes() / max)).append("%\"></span></td></tr>\n");
        }
        out.append("<tr class=\"total\"><td>constant data</td><td>").append(n(facts.constantTensors()))
                .append(" tensors</td><td class=\"num\">").append(n(facts.constantBytes()))
                .append("</td><td></td><td></td></tr>\n<tr class=\"total\"><td>the .tflite file</td><td></td>"
                        + "<td class=\"num\">").append(n(facts.fileBytes())).append("</td><td></td><td></td></tr>\n")
                .append("</table>\n</section>\n");
    }

    // ---- MACs ----

    private void macs() {
        SubgraphFact main = facts.main();
        out.append("<section id=\"macs\">\n<h2>MACs per operator</h2>\n<p class=\"lead\">Multiply-accumulates of "
                + "one invocation, as Mote's one rule (<code>Workload.macs</code>) counts them: <b>");
        if (facts.macsNotCounted() == 0) {
            out.append(n(facts.macsTotal())).append("</b> in total.</p>\n");
        } else {
            out.append("at least ").append(n(facts.macsTotal())).append("</b>; the total is <b>incomplete</b>: ")
                    .append(n(facts.macsNotCounted())).append(" operator")
                    .append(facts.macsNotCounted() == 1 ? " is" : "s are").append(" not counted.</p>\n");
        }
        long max = 1;
        for (OperatorFact op : main.operators()) {
            if (op.macs().isPresent()) {
                max = Math.max(max, op.macs().getAsLong());
            }
        }
        out.append("<table class=\"bars\">\n<tr><th>#</th><th>operator</th><th class=\"num\">MACs</th>"
                + "<th class=\"num\">share</th><th></th></tr>\n");
        for (OperatorFact op : main.operators()) {
            out.append("<tr><td>").append(op.index()).append("</td><td>").append(escape(op.name())).append("</td>");
            if (op.macs().isPresent()) {
                long m = op.macs().getAsLong();
                double share = facts.macsTotal() == 0 ? 0 : 100.0 * m / facts.macsTotal();
                out.append("<td class=\"num\">").append(n(m)).append("</td><td class=\"num\">")
                        .append(String.format(java.util.Locale.ROOT, "%.1f%%", share))
                        .append("</td><td class=\"barcell\">");
                if (m > 0) {
                    out.append("<span class=\"hbar macs\" style=\"width:").append(Html.f(100.0 * m / max))
                            .append("%\"></span>");
                }
                out.append("</td></tr>\n");
            } else {
                out.append("<td class=\"num nc\">not counted</td><td></td><td></td></tr>\n");
            }
        }
        out.append("<tr class=\"total\"><td></td><td>total").append(facts.macsNotCounted() == 0 ? "" : " (incomplete)")
                .append("</td><td class=\"num\">").append(n(facts.macsTotal())).append("</td><td></td><td></td></tr>\n")
                .append("</table>\n</section>\n");
    }

    // ---- all tensors ----

    private void tensors() {
        out.append("<section id=\"tensors\">\n<h2>Tensors</h2>\n");
        for (SubgraphFact sg : facts.subgraphs()) {
            if (facts.subgraphs().size() > 1) {
                out.append("<h3>subgraph ").append(sg.index()).append("</h3>\n");
            }
            out.append("<table class=\"tensors\">\n<tr><th>#</th><th>name</th><th>type</th><th>shape</th>"
                    + "<th class=\"num\">bytes</th><th>storage</th><th>quantization</th>");
            if (sg.index() == 0) {
                for (ArenaFact a : facts.arenas()) {
                    out.append("<th>").append(escape(a.target().cliName())).append(" offset, alive</th>");
                }
            }
            out.append("</tr>\n");
            for (TensorFact f : sg.tensors()) {
                out.append("<tr><td>").append(f.index()).append("</td><td class=\"tn\">")
                        .append(escape(Html.shorten(f.label(), 120))).append("</td><td>")
                        .append(escape(f.type().name().toLowerCase(java.util.Locale.ROOT))).append("</td><td>")
                        .append(shape(f.shape())).append("</td><td class=\"num\">")
                        .append(n(f.storage() == Storage.FLASH ? f.flashBytes() : f.bytes())).append("</td><td>")
                        .append(storage(f)).append("</td><td>").append(escape(f.quantization())).append("</td>");
                if (sg.index() == 0) {
                    for (ArenaFact a : facts.arenas()) {
                        out.append("<td>");
                        a.plan().bufferOf(0, f.index()).ifPresent(b -> out.append('@').append(n(b.offset()))
                                .append(", ").append(Timeline.lifetime(b)));
                        out.append("</td>");
                    }
                }
                out.append("</tr>\n");
            }
            out.append("</table>\n");
        }
        out.append("</section>\n");
    }

    static final String CSS = """
            :root{--ink:#1d2433;--muted:#5d6678;--line:#e3e6ec;--bg:#f4f5f8;--card:#fff;--peak:#e4572e}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",\
            Roboto,"Helvetica Neue",Arial,sans-serif}
            header{background:linear-gradient(135deg,#1d2433,#2e3b5c);color:#fff;padding:28px 40px 24px}
            .brand{font-size:12px;letter-spacing:.12em;text-transform:uppercase;opacity:.7}
            h1{margin:4px 0 2px;font-size:28px;font-weight:650;word-break:break-all}
            .sub{margin:0 0 18px;opacity:.8}
            .cards{display:flex;flex-wrap:wrap;gap:14px}
            .card{background:rgba(255,255,255,.1);border:1px solid rgba(255,255,255,.18);border-radius:10px;\
            padding:10px 16px;min-width:190px}
            .card .label{font-size:12px;opacity:.75}
            .card .value{font-size:24px;font-weight:650}
            .card .note{font-size:12px;opacity:.75}
            main{max-width:1320px;margin:0 auto;padding:8px 28px 24px}
            section{background:var(--card);border:1px solid var(--line);border-radius:12px;margin:20px 0;\
            padding:18px 22px;box-shadow:0 1px 2px rgba(20,30,50,.05)}
            h2{margin:0 0 6px;font-size:19px}
            h3{margin:10px 0 8px;font-size:15px}
            .lead{margin:0 0 12px;color:var(--muted)}
            .abis{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:22px}
            .abi svg{width:100%;height:auto;display:block}
            .sw{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
            .bar{display:flex;height:14px;border-radius:4px;overflow:hidden;margin:10px 0 8px;background:var(--line)}
            .bar span{display:block;height:100%}
            table{border-collapse:collapse;width:100%}
            td,th{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
            th{font-size:12px;color:var(--muted);font-weight:600}
            .figs td:last-child{text-align:right;white-space:nowrap}
            .figs tr.minor td{color:var(--muted);font-size:12.5px;padding-left:26px}
            .figs tr.peak td{color:#a33a1c}
            .num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            .nc{color:var(--muted);font-style:italic}
            .tn{overflow-wrap:anywhere}
            .barcell{width:34%}
            .hbar{display:block;height:12px;border-radius:3px;min-width:2px}
            .hbar.flash{background:#4c78a8}
            .hbar.macs{background:#54a24b}
            tr.total td{font-weight:650;border-bottom:none}
            .warn{background:#fff4e5;border:1px solid #f3c78b;border-radius:8px;padding:8px 12px}
            .flow{display:flex;flex-direction:column;gap:10px}
            .io{color:var(--muted);font-size:13px;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
            .io .h{font-weight:600}
            .op{border:1px solid var(--line);border-left:4px solid #4c78a8;border-radius:8px;padding:8px 12px}
            .op-head{display:flex;flex-wrap:wrap;gap:10px;align-items:baseline;margin-bottom:6px}
            .idx{background:#1d2433;color:#fff;border-radius:10px;padding:0 8px;font-size:12px}
            .op-name{font-weight:700;font-size:15px;word-break:break-all}
            .ver,.inuse{color:var(--muted);font-size:12px}
            .macs{background:#e8f3e6;color:#2f6b28;border-radius:10px;padding:0 8px;font-size:12px}
            .op-io{display:grid;grid-template-columns:1fr 24px 1fr;gap:8px}
            .op-io .h{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
            .arrow{align-self:center;color:var(--muted);font-size:18px;text-align:center}
            .t{font-size:12.5px;border-radius:6px;padding:3px 8px;margin:3px 0;background:#f0f3f8;overflow-wrap:anywhere}
            .t .ty,.t .b,.t .q{white-space:nowrap}
            .t.flash{background:#eef2fb}
            .t.arena{background:#fdf0ea}
            .t .tn{font-weight:600}
            .t .ty{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            .t .st{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
            .t .q{color:var(--muted)}
            .tensors td{font-size:12.5px}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
            footer{max-width:1320px;margin:0 auto 28px;padding:0 28px;color:var(--muted);font-size:12px}
            """;
}
