package llmbook.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape ops. Reshape, transpose and slice are VIEWS: they share the parent's storage and only change
 * (shape, strides, offset). Their backward maps the view's gradient back into the parent's gradient through the
 * same (strides, offset), expressed over the parent's row-major gradient buffer. Concat and index-select copy.
 */
final class Views {
    private Views() {}

    /** A view of {@code p}; {@code gStrides}/{@code gOff} say where each view element sits in p's row-major gradient. */
    static Tensor view(String op, Tensor p, int[] shape, int[] strides, int offset, int[] gStrides, int gOff) {
        Tensor t = new Tensor(p.data, offset, shape, strides);
        t.op = op;
        Tensor.link(t, new Tensor[] {p});
        int r = shape.length;
        return t.onBackward(g -> Strided.run(Strided.ACC, p.gradBuffer(), gOff, Strided.pad4Strides(gStrides, r),
                g, 0, Strided.pad4Strides(Shape.contiguousStrides(shape), r), null, 0, null, Shape.pad4(shape)));
    }

    /** Same elements, new shape (one size may be −1: inferred). A view when {@code x} is contiguous, else copies first. */
    static Tensor reshape(Tensor x, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shape.str(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) {
            if (known == 0 || x.size % known != 0)
                throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(x.shape) + " (" + x.size + " elements) into " + Shape.str(newShape));
            s[infer] = x.size / known;
        }
        Shape.check("reshape", s);
        if (Shape.numel(s) != x.size)
            throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(x.shape) + " (" + x.size + " elements) into "
                    + Shape.str(s) + " (" + Shape.numel(s) + " elements)");
        Tensor c = x.contiguous();
        int[] cs = Shape.contiguousStrides(s);
        return view("reshape", c, s, cs, c.offset, cs, 0);
    }

    /** Swaps axes {@code a} and {@code b}: a view; {@code y[..i..j..] = x[..j..i..]}. */
    static Tensor transpose(Tensor x, int a, int b) {
        int r = x.shape.length;
        int i = Shape.axis("transpose", a, r), j = Shape.axis("transpose", b, r);
        int[] s = x.shape.clone(), st = x.strides.clone(), gs = Shape.contiguousStrides(x.shape);
        swap(s, i, j); swap(st, i, j); swap(gs, i, j);
        return view("transpose", x, s, st, x.offset, gs, 0);
    }

    /** Elements {@code start ≤ k < end} along {@code axis}: a view. */
    static Tensor slice(Tensor x, int axis, int start, int end) {
        int ax = Shape.axis("slice", axis, x.shape.length);
        int n = x.shape[ax];
        if (start < 0 || end > n || start > end)
            throw new IndexOutOfBoundsException("slice: range [" + start + ", " + end + ") out of bounds [0, " + n + "] on axis " + ax
                    + " of shape " + Shape.str(x.shape));
        int[] s = x.shape.clone();
        s[ax] = end - start;
        int[] gs = Shape.contiguousStrides(x.shape);
        return view("slice", x, s, x.strides.clone(), x.offset + start * x.strides[ax], gs, start * gs[ax]);
    }

    /** {@code x} itself when row-major, else a row-major copy whose gradient flows straight back. */
    static Tensor contiguous(Tensor x) {
        if (x.isContiguous()) return x;
        Tensor t = Tensor.fromOp("contiguous", Strided.toContiguous(x.data, x.offset, x.shape, x.strides), x.shape, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < gx.length; i++) gx[i] += g[i];
        });
    }

    /** Views of consecutive pieces along {@code axis}: sizes that sum to the axis length, or one size = equal chunks. */
    static List<Tensor> split(Tensor x, int axis, int[] sizes) {
        int ax = Shape.axis("split", axis, x.shape.length);
        int n = x.shape[ax];
        List<Tensor> out = new ArrayList<>();
        if (sizes.length == 1) {
            int c = sizes[0];
            if (c <= 0) throw new IllegalArgumentException("split: chunk size must be > 0, got " + c);
            for (int s = 0; s < n; s += c) out.add(slice(x, ax, s, Math.min(n, s + c)));
            return out;
        }
        int total = 0;
        for (int s : sizes) total += s;
        if (total != n)
            throw new IllegalArgumentException("split: sizes sum to " + total + " but axis " + ax + " of " + Shape.str(x.shape) + " has " + n);
        int s0 = 0;
        for (int s : sizes) { out.add(slice(x, ax, s0, s0 + s)); s0 += s; }
        return out;
    }

    /** Joins tensors along {@code axis}; all other sizes must match. Backward hands each part its slice of g. */
    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        int r = parts[0].shape.length;
        int ax = Shape.axis("concat", axis, r);
        int[] s = parts[0].shape.clone();
        s[ax] = 0;
        for (Tensor p : parts) {
            boolean ok = p.shape.length == r;
            for (int i = 0; ok && i < r; i++) ok = i == ax || p.shape[i] == parts[0].shape[i];
            if (!ok) throw new IllegalArgumentException("concat: shapes " + Shape.str(parts[0].shape) + " and " + Shape.str(p.shape)
                    + " differ outside axis " + ax);
            s[ax] += p.shape[ax];
        }
        float[] out = new float[Shape.numel(s)];
        int[] os = Shape.contiguousStrides(s), os4 = Strided.pad4Strides(os, r);
        int[] offs = new int[parts.length];
        for (int k = 0, at = 0; k < parts.length; k++) {
            Tensor p = parts[k];
            offs[k] = at * os[ax];
            Strided.run(Strided.COPY, out, offs[k], os4, p.data, p.offset, Strided.pad4Strides(p.strides, r), null, 0, null, Shape.pad4(p.shape));
            at += p.shape[ax];
        }
        Tensor t = Tensor.fromOp("concat", out, s, parts);
        return t.onBackward(g -> {
            for (int k = 0; k < parts.length; k++) {
                Tensor p = parts[k];
                if (!p.requiresGrad) continue;
                Strided.run(Strided.ACC, p.gradBuffer(), 0, Strided.pad4Strides(Shape.contiguousStrides(p.shape), r),
                        g, offs[k], os4, null, 0, null, Shape.pad4(p.shape));
            }
        });
    }

    /**
     * Rows of {@code x} (axis 0) picked by {@code rows}: {@code y[k] = x[rows[k]]}, shape (rows.length, ...).
     * Backward {@code dx[rows[k]] += g[k]}: only the rows that were picked receive gradient (Q35) — the embedding
     * lookup's sparse gradient; a row picked twice gets the sum.
     */
    static Tensor indexSelect(Tensor a, int[] rows) {
        if (a.shape.length == 0) throw new IllegalArgumentException("indexSelect: needs rank ≥ 1, got a scalar");
        Tensor x = a.contiguous();
        int n = x.shape[0], w = n == 0 ? 0 : x.size / n;
        float[] y = Buffers.dirty(rows.length * w);                    // every row is copied below
        for (int k = 0; k < rows.length; k++) {
            int r = rows[k];
            if (r < 0 || r >= n) throw new IndexOutOfBoundsException("indexSelect: index " + r + " (at position " + k + ") out of range [0, " + n + ")");
            System.arraycopy(x.data, x.offset + r * w, y, k * w, w);
        }
        int[] s = x.shape.clone();
        s[0] = rows.length;
        int[] ids = rows.clone();
        Tensor t = Tensor.fromOp("index_select", y, s, x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int k = 0; k < ids.length; k++) {
                int gi = ids[k] * w, yi = k * w;
                for (int j = 0; j < w; j++) gx[gi + j] += g[yi + j];
            }
        });
    }

    /**
     * One element per row along the last axis: {@code y[r] = x[r, idx[r]]}, shape {@code x.shape[:-1]}.
     * Backward {@code dx[r, idx[r]] += g[r]}. (Picks the log-probability of each target, e.g. for DPO or distillation.)
     */
    static Tensor gather(Tensor a, int[] idx) {
        if (a.shape.length == 0) throw new IllegalArgumentException("gather: needs rank ≥ 1, got a scalar");
        Tensor x = a.contiguous();
        int c = x.shape[x.shape.length - 1], rows = c == 0 ? 0 : x.size / c;
        if (idx.length != rows)
            throw new IllegalArgumentException("gather: " + Shape.str(x.shape) + " has " + rows + " rows but " + idx.length + " indices were given");
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            if (idx[r] < 0 || idx[r] >= c) throw new IndexOutOfBoundsException("gather: index " + idx[r] + " at row " + r + " out of range [0, " + c + ")");
            y[r] = x.data[x.offset + r * c + idx[r]];
        }
        int[] ids = idx.clone();
        Tensor t = Tensor.fromOp("gather", y, java.util.Arrays.copyOf(x.shape, x.shape.length - 1), x);
        return t.onBackward(g -> {
            float[] gx = x.gradBuffer();
            for (int r = 0; r < ids.length; r++) gx[r * c + ids[r]] += g[r];
        });
    }

    /** Inserts a size-1 axis at {@code axis} (0 ≤ axis ≤ rank; negative counts from the end of the new shape). */
    static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.shape.length;
        int ax = Shape.axis("unsqueeze", axis, r + 1);
        int[] s = new int[r + 1];
        for (int i = 0, k = 0; i <= r; i++) s[i] = i == ax ? 1 : x.shape[k++];
        return reshape(x, s);
    }

    /** Removes the size-1 axis {@code axis}. */
    static Tensor squeeze(Tensor x, int axis) {
        int ax = Shape.axis("squeeze", axis, x.shape.length);
        if (x.shape[ax] != 1) throw new IllegalArgumentException("squeeze: axis " + axis + " of " + Shape.str(x.shape) + " has size " + x.shape[ax] + ", not 1");
        int[] s = new int[x.shape.length - 1];
        for (int i = 0, k = 0; i < x.shape.length; i++) if (i != ax) s[k++] = x.shape[i];
        return reshape(x, s);
    }

    /** Tensors of equal shape joined along a NEW axis {@code axis}. */
    static Tensor stack(int axis, Tensor[] parts) {
        if (parts.length == 0) throw new IllegalArgumentException("stack: no tensors");
        Tensor[] u = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Shape.same(parts[i].shape, parts[0].shape))
                throw new IllegalArgumentException("stack: shapes " + Shape.str(parts[0].shape) + " and " + Shape.str(parts[i].shape) + " differ");
            u[i] = unsqueeze(parts[i], axis);
        }
        return concat(axis, u);   // a negative axis counts from the end of the NEW shape, as in unsqueeze
    }

    private static void swap(int[] a, int i, int j) { int t = a[i]; a[i] = a[j]; a[j] = t; }
}
