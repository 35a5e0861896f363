package io.ganymede.hub.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The usage chart: stacked bars per day, a legend, words for screen readers, names escaped. */
class UsageChartTest {

    @Test
    void barsStackPerDayWithTitlesAndEscapedNames() {
        Map<String, long[]> series = new TreeMap<>(Map.of("physics", new long[] {7200, 0}, "<ml>", new long[] {3600, 1800}));
        List<LocalDate> days = List.of(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"));
        String svg = UsageChart.svg(series, days);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"usage-chart\" role=\"img\""), svg);
        assertEquals(3, svg.split("<rect class=\"bar\"", -1).length - 1, "one bar per group and day with use");
        assertTrue(svg.contains("<title>physics, 2026-12-01: 2 GPU-hours</title>"), svg);
        assertTrue(svg.contains("data-group=\"&lt;ml&gt;\""), svg);
        assertTrue(!svg.contains("<ml>"), svg);
        assertTrue(svg.contains("<desc id=\"usage-chart-desc\">From 2026-12-01 to 2026-12-02: &lt;ml&gt; 1.5 GPU-hours; physics 2 GPU-hours;</desc>"), svg);
        assertEquals(List.of(new UsageChart.Key("<ml>", "#0072B2", "1.5"), new UsageChart.Key("physics", "#E69F00", "2")),
                UsageChart.legend(series));
    }

    @Test
    void numbersReadEasily() {
        assertEquals(5, UsageChart.niceCeiling(3.2));
        assertEquals(0.002, UsageChart.niceCeiling(0.0014), 1e-12);
        assertEquals(1, UsageChart.niceCeiling(0));
        assertEquals("<0.01", UsageChart.hours(10));
        assertEquals("0", UsageChart.hours(0));
        assertEquals("31.5", UsageChart.hours(31 * 3600 + 1800));
        assertEquals("0.0013", UsageChart.tick(0.00125));
    }
}
