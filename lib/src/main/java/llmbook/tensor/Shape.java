package llmbook.tensor;

import java.util.Arrays;

/**
 * Helpers on shapes ({@code int[]}, rank ≤ 4): element counts, row-major strides, broadcasting, formatting.
 *
 * <p>Broadcasting is numpy's rule: align shapes on the right; two sizes match when equal or when one is 1;
 * the result takes the larger. {@code (4, 1, 3)} and {@code (2, 1)} broadcast to {@code (4, 2, 3)}.
 */
public final class Shape {
    private Shape() {}

    /** The largest rank a tensor may have. */
    public static final int MAX_RANK = 4;

    /** Product of the sizes ({@code 1} for rank 0). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements, more than " + Integer.MAX_VALUE);
        return (int) n;
    }

    /** Row-major strides: the last axis has stride 1. */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    /** Validates a shape for a new tensor: rank ≤ 4, every size ≥ 0. */
    public static int[] check(String op, int[] shape) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException(op + ": rank " + shape.length + " > max rank " + MAX_RANK + " for shape " + str(shape));
        for (int s : shape) if (s < 0) throw new IllegalArgumentException(op + ": negative size in shape " + str(shape));
        return shape.clone();
    }

    /** Normalises a possibly negative axis ({@code -1} is the last); throws naming the op, axis and rank. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IndexOutOfBoundsException(op + ": axis " + axis + " out of range for rank " + rank);
        return a;
    }

    /** The broadcast shape of {@code a} and {@code b}, or an exception naming the op and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length), db = i - (r - b.length);
            int sa = da >= 0 ? a[da] : 1, sb = db >= 0 ? b[db] : 1;
            if (sa != sb && sa != 1 && sb != 1)
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " cannot broadcast: size "
                        + sa + " vs " + sb + " at axis " + i + " of the result");
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /**
     * Strides that read a tensor of {@code shape}/{@code strides} as if it had the broadcast shape {@code target}
     * (rank-4 padded on the left): broadcast axes get stride 0.
     */
    static int[] broadcastStrides4(int[] shape, int[] strides, int[] target) {
        int[] out = new int[MAX_RANK];
        int shift = MAX_RANK - shape.length, tshift = MAX_RANK - target.length;
        for (int i = 0; i < MAX_RANK; i++) {
            int d = i - shift;
            if (d < 0) { out[i] = 0; continue; }
            int t = target[i - tshift];
            out[i] = (shape[d] == 1 && t != 1) ? 0 : strides[d];
        }
        return out;
    }

    /** {@code shape} padded on the left with 1s to rank 4. */
    static int[] pad4(int[] shape) {
        int[] out = {1, 1, 1, 1};
        System.arraycopy(shape, 0, out, MAX_RANK - shape.length, shape.length);
        return out;
    }

    /** {@code (2, 3)}; {@code ()} for a scalar; {@code (5,)} for rank 1, as numpy prints it. */
    public static String str(int... shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) { if (i > 0) sb.append(", "); sb.append(shape[i]); }
        return sb.append(')').toString();
    }

    static boolean same(int[] a, int[] b) { return Arrays.equals(a, b); }
}
