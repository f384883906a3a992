package llmbook.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Nearest neighbours by cosine similarity (Q5): {@code cos(u, v) = u·v / (|u| |v|)}. Rows are
 * normalised once, so each query is one Vector API dot per row plus a size-k heap.
 */
public final class Neighbours {
    /** One neighbour: its row index, its label, and the cosine similarity to the query. */
    public record Hit(int index, String word, double cosine) {
        @Override
        public String toString() {
            return String.format("%s %.3f", word, cosine);
        }
    }

    private final float[] unit;      // (rows, dim) row-normalised copy
    private final int rows, dim;
    private final List<String> labels;

    /** {@code matrix} is (rows, dim) row-major; {@code labels.get(i)} names row i. */
    public Neighbours(float[] matrix, int rows, int dim, List<String> labels) {
        if (matrix.length != rows * dim) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " floats, expected rows*dim = " + rows + "*" + dim);
        }
        if (labels.size() != rows) throw new IllegalArgumentException(labels.size() + " labels for " + rows + " rows");
        this.rows = rows;
        this.dim = dim;
        this.labels = List.copyOf(labels);
        this.unit = matrix.clone();
        for (int r = 0; r < rows; r++) {
            double norm = Math.sqrt(Dot.dot(unit, r * dim, unit, r * dim, dim));
            if (norm > 0) for (int i = 0; i < dim; i++) unit[r * dim + i] /= (float) norm;
        }
    }

    /** Cosine similarity of rows i and j. */
    public double cosine(int i, int j) {
        return Dot.dot(unit, i * dim, unit, j * dim, dim);
    }

    /** The k rows most similar to row {@code query}, best first, the query itself excluded. */
    public List<Hit> nearest(int query, int k) {
        if (query < 0 || query >= rows) throw new IllegalArgumentException("row " + query + " outside [0, " + rows + ")");
        PriorityQueue<Hit> heap = new PriorityQueue<>((a, b) -> Double.compare(a.cosine(), b.cosine()));
        for (int r = 0; r < rows; r++) {
            if (r == query) continue;
            double c = Dot.dot(unit, query * dim, unit, r * dim, dim);
            if (heap.size() < k) heap.add(new Hit(r, labels.get(r), c));
            else if (c > heap.peek().cosine()) {
                heap.poll();
                heap.add(new Hit(r, labels.get(r), c));
            }
        }
        List<Hit> out = new ArrayList<>(heap);
        out.sort((a, b) -> Double.compare(b.cosine(), a.cosine()));
        return out;
    }

    /**
     * The analogy "a is to b as c is to ?" by 3CosAdd (Mikolov et al. 2013): the row d maximising
     * {@code cos(d, b̂ − â + ĉ)} over unit rows, a, b and c themselves excluded. Returns its index. Q48 uses it to
     * see what debiasing costs.
     */
    public int analogy(int a, int b, int c) {
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) q[i] = unit[b * dim + i] - unit[a * dim + i] + unit[c * dim + i];
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            if (r == a || r == b || r == c) continue;
            double sc = Dot.dot(unit, r * dim, q, 0, dim);
            if (sc > bestScore) { bestScore = sc; best = r; }
        }
        return best;
    }

    /**
     * Share of the analogies {@code {a, b, c, d}} answered d by {@link #analogy}, over those whose four words are
     * all labels here; {@code [accuracy, number asked]}.
     */
    public double[] analogyAccuracy(List<String[]> quads) {
        int asked = 0, right = 0;
        for (String[] q : quads) {
            if (q.length != 4) throw new IllegalArgumentException("an analogy needs four words, got " + q.length);
            int a = labels.indexOf(q[0]), b = labels.indexOf(q[1]), c = labels.indexOf(q[2]), d = labels.indexOf(q[3]);
            if (a < 0 || b < 0 || c < 0 || d < 0) continue;
            asked++;
            if (analogy(a, b, c) == d) right++;
        }
        return new double[] {asked == 0 ? Double.NaN : (double) right / asked, asked};
    }
}
