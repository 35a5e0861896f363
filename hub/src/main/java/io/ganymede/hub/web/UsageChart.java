package io.ganymede.hub.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GPU-hours per group per day as a stacked bar chart, rendered on the server as SVG (pure: no
 * script, nothing to load, readable by screen readers through its title, description and each
 * bar's title).
 */
final class UsageChart {

    static final int WIDTH = 760;
    static final int HEIGHT = 260;
    private static final int LEFT = 48;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;
    /** Distinct on light backgrounds and for the common colour-vision deficiencies (Okabe–Ito). */
    private static final String[] COLOURS = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"};

    private UsageChart() {}

    /** One legend entry. */
    record Key(String group, String colour, String hours) {}

    static List<Key> legend(Map<String, long[]> series) {
        List<Key> keys = new ArrayList<>();
        int i = 0;
        for (var e : series.entrySet()) {
            long total = 0;
            for (long v : e.getValue()) {
                total += v;
            }
            keys.add(new Key(label(e.getKey()), COLOURS[i++ % COLOURS.length], hours(total)));
        }
        return keys;
    }

    /**
     * @param series GPU-seconds per group, one value per day
     * @param days the first day of each bucket
     */
    static String svg(Map<String, long[]> series, List<LocalDate> days) {
        int n = days.size();
        double[] totals = new double[n];
        series.values().forEach(v -> {
            for (int d = 0; d < n; d++) {
                totals[d] += v[d] / 3600.0;
            }
        });
        double max = 0;
        for (double t : totals) {
            max = Math.max(max, t);
        }
        double top = niceCeiling(max);
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double slot = plotW / Math.max(1, n);
        double bar = Math.max(1, slot * 0.7);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"usage-chart\" role=\"img\" "
                + "aria-labelledby=\"usage-chart-title usage-chart-desc\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
                + "preserveAspectRatio=\"xMidYMid meet\" font-family=\"system-ui, sans-serif\" font-size=\"11\">", WIDTH, HEIGHT));
        svg.append("<title id=\"usage-chart-title\">GPU-hours per group per day</title>");
        svg.append("<desc id=\"usage-chart-desc\">").append(escape(describe(series, days))).append("</desc>");
        // Grid lines and their GPU-hour labels.
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = TOP + plotH - plotH * i / 4;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>",
                    LEFT, WIDTH - RIGHT, y, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#555\">%s</text>",
                    LEFT - 6, y + 4, tick(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\" "
                + "fill=\"#555\">GPU-hours</text>", TOP + (int) plotH / 2, TOP + (int) plotH / 2));
        List<Key> keys = legend(series);
        for (int d = 0; d < n; d++) {
            double x = LEFT + slot * d + (slot - bar) / 2;
            double y = TOP + plotH;
            int k = 0;
            for (var e : series.entrySet()) {
                double h = top == 0 ? 0 : e.getValue()[d] / 3600.0 / top * plotH;
                if (e.getValue()[d] > 0) {
                    y -= h;
                    svg.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-group=\"%s\" data-day=\"%s\" x=\"%.1f\" "
                            + "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s GPU-hours</title></rect>",
                            escape(e.getKey()), days.get(d), x, y, bar, h, keys.get(k).colour(), escape(label(e.getKey())),
                            days.get(d), hours(e.getValue()[d])));
                }
                k++;
            }
            // A label every few days, so they never overlap.
            if (d % Math.max(1, (int) Math.ceil(n / 10.0)) == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>",
                        LEFT + slot * d + slot / 2, HEIGHT - BOTTOM + 16, days.get(d).toString().substring(5)));
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>",
                LEFT, WIDTH - RIGHT, TOP + plotH, TOP + plotH));
        return svg.append("</svg>").toString();
    }

    private static String describe(Map<String, long[]> series, List<LocalDate> days) {
        if (series.isEmpty()) {
            return "No GPU use from " + days.get(0) + " to " + days.get(days.size() - 1) + ".";
        }
        StringBuilder d = new StringBuilder("From " + days.get(0) + " to " + days.get(days.size() - 1) + ": ");
        legend(series).forEach(k -> d.append(k.group()).append(' ').append(k.hours()).append(" GPU-hours; "));
        return d.toString().trim();
    }

    static String label(String group) {
        return group.isEmpty() ? "(no group)" : group;
    }

    /** GPU-seconds as hours with at most two decimals; a little use shows as such, not as none. */
    static String hours(long seconds) {
        String h = new java.math.BigDecimal(seconds).divide(java.math.BigDecimal.valueOf(3600), 2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
        return seconds > 0 && h.equals("0") ? "<0.01" : h;
    }

    /** A grid line's value with two significant digits, so small scales stay distinct. */
    static String tick(double hours) {
        return hours == 0 ? "0" : new java.math.BigDecimal(hours).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
    }

    /** 1, 2, 5 times a power of ten, at least {@code v} (1 for nothing), so the grid reads easily. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
