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

    /**
     * Bytes in a Kubernetes quantity ({@code 10Gi}, {@code 500M}, {@code 1e9}), rounded up as the
     * API server rounds storage requests.
     *
     * @throws IllegalArgumentException for anything else, or more bytes than a long holds
     */
    public static long kubernetesBytes(String q) {
        var m = KUBERNETES.matcher(q.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Kubernetes quantity: " + q);
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        BigDecimal unit;
        if (suffix.length() > 1 && suffix.charAt(1) != 'i') {
            int exponent = Integer.parseInt(suffix.substring(1).replace("+", ""));
            if (Math.abs(exponent) > 30) {
                // Far past any disk; 1e999999999 would otherwise be a number of a billion digits.
                throw new IllegalArgumentException("quantity out of range: " + q);
            }
            unit = BigDecimal.ONE.scaleByPowerOfTen(exponent);
        } else {
            unit = switch (suffix) {
                case "Ki" -> BigDecimal.valueOf(1L << 10);
                case "Mi" -> BigDecimal.valueOf(1L << 20);
                case "Gi" -> BigDecimal.valueOf(1L << 30);
                case "Ti" -> BigDecimal.valueOf(1L << 40);
                case "Pi" -> BigDecimal.valueOf(1L << 50);
                case "Ei" -> BigDecimal.valueOf(1L << 60);
                case "n" -> new BigDecimal("1e-9");
                case "u" -> new BigDecimal("1e-6");
                case "m" -> new BigDecimal("1e-3");
                case "k" -> BigDecimal.valueOf(1_000L);
                case "M" -> BigDecimal.valueOf(1_000_000L);
                case "G" -> BigDecimal.valueOf(1_000_000_000L);
                case "T" -> BigDecimal.valueOf(1_000_000_000_000L);
                case "P" -> BigDecimal.valueOf(1_000_000_000_000_000L);
                case "E" -> new BigDecimal("1e18");
                default -> BigDecimal.ONE;
            };
        }
        try {
            return number.multiply(unit).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("quantity out of range: " + q);
        }
    }

    /** Bytes as a Kubernetes quantity people read: the largest binary unit that divides it ({@code 20Gi}). */
    public static String binary(long bytes) {
        String[] units = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (6 - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
