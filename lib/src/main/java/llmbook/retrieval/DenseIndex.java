package llmbook.retrieval;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import llmbook.kernels.Blas;
import llmbook.model.MiniLm;
import llmbook.util.AtomicFiles;

/**
 * Dense retrieval: every passage is a unit vector (a sentence encoder's embedding, here MiniLM's 384 numbers), and
 * a query's nearest passages are those with the largest cosine, which for unit vectors is the dot product
 * {@code q · vᵢ}. Exhaustive search: N dot products of D numbers through the vector kernel {@link Blas#dot} — for tens
 * of thousands of passages this takes milliseconds; approximate indexes (HNSW, IVF) only pay at millions. Q23.
 * <pre>{@code
 * DenseIndex idx = DenseIndex.embed(MiniLm.load(), passages);
 * List<Bm25.Hit> top = idx.search(idx.encode(MiniLm.load(), "war debt"), 5);
 * }</pre>
 */
public final class DenseIndex {
    private final float[] vectors;   // (N, D), each row of length 1
    private final int n, dim;

    /** An index of {@code n} rows of {@code dim} numbers (row-major); each row is normalised to length 1 here. */
    public DenseIndex(float[] vectors, int n, int dim) { this(vectors, n, dim, true); }

    private DenseIndex(float[] vectors, int n, int dim, boolean normalise) {
        if (n < 1 || dim < 1 || vectors.length != (long) n * dim)
            throw new IllegalArgumentException("DenseIndex: need n·dim = " + (long) n * dim + " numbers for (" + n + ", " + dim + "), got " + vectors.length);
        this.vectors = vectors.clone();
        this.n = n;
        this.dim = dim;
        if (normalise) for (int i = 0; i < n; i++) normalise(this.vectors, i * dim, dim);
    }

    /** Embeds {@code texts} with MiniLM (one row each). */
    public static DenseIndex embed(MiniLm model, List<String> texts) {
        return new DenseIndex(model.embed(texts).toArray(), texts.size(), model.config().width());
    }

    /**
     * The MiniLM vectors of {@code texts}, kept in {@code dir}: the file is named after {@code name} and a checksum of the
     * texts ({@link #checksum}), so a second call with the same texts reads them back (milliseconds) and changed texts get a
     * new file. Embedding reports each finished batch to {@code progress} (null: silent); the file is written atomically.
     */
    public static DenseIndex cached(MiniLm model, List<String> texts, Path dir, String name, IntConsumer progress) throws IOException {
        Path file = cacheFile(texts, dir, name);
        if (Files.isRegularFile(file)) {
            DenseIndex d = load(file);
            if (d.size() == texts.size() && d.dim() == model.config().width()) return d;
        }
        DenseIndex d = new DenseIndex(model.embed(texts, MiniLm.BATCH, progress).toArray(), texts.size(), model.config().width(), false);
        Files.createDirectories(dir);
        d.save(file);
        return d;
    }

    /** Where {@link #cached} keeps the vectors of {@code texts}: {@code dir/NAME-N-CHECKSUM.vec}. */
    public static Path cacheFile(List<String> texts, Path dir, String name) {
        return dir.resolve(name + "-" + texts.size() + "-" + checksum(texts) + ".vec");
    }

    /** The first 16 hex digits of the SHA-256 of the texts (each followed by a newline) and the model's name. */
    public static String checksum(List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("all-MiniLM-L6-v2\n".getBytes(StandardCharsets.UTF_8));
            for (String t : texts) md.update((t + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query's unit vector. */
    public static float[] encode(MiniLm model, String query) { return model.embed(List.of(query)).toArray(); }

    public int size() { return n; }

    public int dim() { return dim; }

    /** The cosine of row {@code i} and {@code q} (q need not be unit length: it is normalised). */
    public float cosine(float[] q, int i) {
        float[] u = unit(q);
        return Blas.dot(u, 0, vectors, i * dim, dim);
    }

    /** The {@code k} rows with the largest cosine to {@code q}, best first (ties in row order). */
    public List<Bm25.Hit> search(float[] q, int k) {
        if (q.length != dim) throw new IllegalArgumentException("DenseIndex.search: query has " + q.length + " numbers, the index " + dim);
        if (k < 1) throw new IllegalArgumentException("DenseIndex.search: k must be >= 1, got " + k);
        float[] u = unit(q), s = new float[n];
        for (int i = 0; i < n; i++) s[i] = Blas.dot(u, 0, vectors, i * dim, dim);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
        List<Bm25.Hit> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, n); i++) out.add(new Bm25.Hit(order[i], s[order[i]]));
        return out;
    }

    /** Writes the vectors to {@code file} (atomically): n, dim, then n·dim floats. */
    public void save(Path file) throws IOException {
        AtomicFiles.replace(file, tmp -> {
            try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(n);
                out.writeInt(dim);
                for (float v : vectors) out.writeFloat(v);
            }
        });
    }

    /** Reads what {@link #save} wrote. */
    public static DenseIndex load(Path file) throws IOException {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt(), dim = in.readInt();
            long expect = 8 + 4L * n * dim;
            if (n < 1 || dim < 1 || Files.size(file) != expect)
                throw new IOException(file + ": not a dense index (header says " + n + " × " + dim + ", file has " + Files.size(file) + " bytes)");
            float[] v = new float[n * dim];
            for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
            return new DenseIndex(v, n, dim, false);             // saved rows are unit already: read back bit for bit
        }
    }

    private static float[] unit(float[] q) {
        float[] u = q.clone();
        normalise(u, 0, u.length);
        return u;
    }

    private static void normalise(float[] v, int off, int len) {
        float norm = (float) Math.sqrt(Blas.dot(v, off, v, off, len));
        if (norm > 0) for (int j = 0; j < len; j++) v[off + j] /= norm;
    }
}
