package io.ganymede.hub.api;

import io.ganymede.hub.usage.UsageReport;
import java.util.Locale;

/** A usage report as CSV (RFC 4180): one line per key, then the total. */
final class UsageCsv {

    private UsageCsv() {}

    static String write(UsageReport report) {
        StringBuilder out = new StringBuilder(report.by().wire())
                .append(",sessions,gpu_hours,cpu_core_hours,server_hours,gpu_seconds,cpu_core_seconds,server_seconds\r\n");
        report.rows().forEach(r -> line(out, r.key(), r));
        line(out, "TOTAL", report.total());
        return out.toString();
    }

    private static void line(StringBuilder out, String key, UsageReport.Row r) {
        out.append(field(key)).append(',').append(r.sessions()).append(',')
                .append(number(r.gpuHours())).append(',').append(number(r.cpuCoreHours())).append(',')
                .append(number(r.serverHours())).append(',').append(r.gpuSeconds()).append(',')
                .append(number(r.cpuCoreSeconds())).append(',').append(r.serverSeconds()).append("\r\n");
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Quoted when it holds a comma, quote or line break; a leading =, +, - or @ is defused for spreadsheets. */
    static String field(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
