package io.cxlkit.bench;

import java.util.Locale;

/**
 * One measured figure next to its baseline from the same run on the same machine. The ratio is
 * always measured / baseline; {@code lowerIsBetter} says which way is good (times vs rates).
 */
record Figure(String name, double measured, double baseline, String unit, String baselineName, boolean lowerIsBetter,
              String target) {

    double ratio() {
        return measured / baseline;
    }

    String row() {
        return String.format(Locale.ROOT, "| %s | %s %s | %s %s (%s) | %.2fx | %s |", name, fmt(measured), unit,
                fmt(baseline), unit, baselineName, ratio(), target);
    }

    /** One line of bench-results.json; {@code group} is the argument that measures it. */
    String json(String group) {
        return String.format(Locale.ROOT,
                "{\"name\":\"%s\",\"measured\":%.4f,\"baseline\":%.4f,\"unit\":\"%s\",\"baseline_name\":\"%s\","
                        + "\"ratio\":%.4f,\"lower_is_better\":%b,\"target\":\"%s\",\"group\":\"%s\"}",
                name, measured, baseline, unit, baselineName, ratio(), lowerIsBetter, target, group);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
