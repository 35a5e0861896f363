package io.ganymede.hub.profiles;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The three quantity dialects found in profiles: KubeSpawner's byte sizes ({@code mem_limit: 8G},
 * binary units as JupyterHub's ByteSpecification), CPU counts ({@code cpu_limit: 2} or {@code
 * 500m}), and plain Kubernetes quantities ({@code size: 100Gi}, {@code nvidia.com/gpu: 1}).
 */
public final class Quantities {

    private static final Pattern BYTES = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*(K|M|G|T|Ki|Mi|Gi|Ti)?$");
    private static final Pattern CPU = Pattern.compile("^\\d+(?:\\.\\d+)?m?$");
    private static final Pattern KUBERNETES =
            Pattern.compile("^(\\d+(\\.\\d*)?|\\.\\d+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?\\d+))?$");

    private Quantities() {}

    public static boolean isBytes(Object v) {
        return v instanceof Number n ? n.doubleValue() >= 0 : v instanceof String s && BYTES.matcher(s.trim()).matches();
    }

    public static boolean isCpu(Object v) {
        return v instanceof Number n ? n.doubleValue() >= 0 : v instanceof String s && CPU.matcher(s.trim()).matches();
    }

    public static boolean isKubernetes(Object v) {
        return v instanceof Number n ? n.doubleValue() >= 0
                : v instanceof String s && KUBERNETES.matcher(s.trim()).matches();
    }

    /** Bytes for a KubeSpawner size ({@code 8G} = 8 x 1024^3, as ByteSpecification reads it). */
    public static long bytes(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        var m = BYTES.matcher(String.valueOf(v).trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a byte size: " + v);
        }
        long unit = switch (m.group(2) == null ? "" : m.group(2)) {
            case "K", "Ki" -> 1L << 10;
            case "M", "Mi" -> 1L << 20;
            case "G", "Gi" -> 1L << 30;
            case "T", "Ti" -> 1L << 40;
            default -> 1L;
        };
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValue();
    }

    /** A CPU amount as Kubernetes writes it: whole or decimal cores, or millicores. */
    public static String cpu(Object v) {
        if (v instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v).trim();
    }

    /** A CPU amount in cores, for the {@code CPU_LIMIT} variable ({@code 500m} = 0.5). */
    public static String cores(Object v) {
        String s = cpu(v);
        if (s.endsWith("m")) {
            return new BigDecimal(s.substring(0, s.length() - 1)).movePointLeft(3).stripTrailingZeros().toPlainString();
        }
        return s;
    }
}
