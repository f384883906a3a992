package llmbook.tensor;

import java.util.Locale;

/**
 * numpy-like printing: a header with the shape (and the op when gradients are tracked), then nested brackets,
 * eliding the middle of any axis longer than {@link #EDGE}·2 with {@code ...}.
 * <pre>
 * Tensor(shape=(2, 3))
 * [[1.0000, 2.0000, 3.0000],
 *  [4.0000, 5.0000, 6.0000]]
 * </pre>
 */
final class Printer {
    private Printer() {}

    static final int EDGE = 3;

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shape.str(t.shape));
        if (t.name != null) sb.append(", name=").append(t.name);
        if (t.requiresGrad) sb.append(t.backward == null ? ", requiresGrad" : ", op=" + t.op);
        sb.append(")\n");
        if (t.shape.length == 0) return sb.append(num(t.data[t.offset])).toString();
        int[] width = {0};
        body(null, width, t, 0, t.offset);     // first pass: the widest number shown
        body(sb, width, t, 0, t.offset);
        return sb.toString();
    }

    /** Appends the nested brackets to {@code sb}; with {@code sb == null} only measures the widest number. */
    private static void body(StringBuilder sb, int[] width, Tensor t, int axis, int off) {
        if (t.shape[axis] == 0) { if (sb != null) sb.append("[]"); return; }
        if (sb == null) {
            int n = t.shape[axis];
            for (int i = 0; i < n; i++) {
                if (n > 2 * EDGE && i == EDGE) i = n - EDGE;
                int o = off + i * t.strides[axis];
                if (axis == t.shape.length - 1) width[0] = Math.max(width[0], num(t.data[o]).length());
                else body(null, width, t, axis + 1, o);
            }
            return;
        }
        int n = t.shape[axis];
        sb.append('[');
        boolean last = axis == t.shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            int o = off + i * t.strides[axis];
            if (last) { String v = num(t.data[o]); sb.append(" ".repeat(width[0] - v.length())).append(v); }
            else body(sb, width, t, axis + 1, o);
            if (i < n - 1) sb.append(last ? ", " : ",\n" + (axis < t.shape.length - 2 ? "\n" : "") + " ".repeat(axis + 1));
        }
        sb.append(']');
    }

    private static String num(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) return String.valueOf(v);
        float a = Math.abs(v);
        if (a != 0 && (a >= 1e5f || a < 1e-4f)) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
