package llmbook.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.List;
import llmbook.data.Corpus;
import llmbook.model.MiniLm;

/**
 * Retrieval-augmented generation's retriever over a corpus: its passages indexed twice, lexically ({@link Bm25}) and
 * by meaning ({@link DenseIndex} of MiniLM vectors, cached on disk because embedding is the slow part), and the two
 * rankings fused ({@link Fusion#rrf}). {@link #prompt} assembles what a generator then reads: the retrieved passages
 * first, the question last, cut from the front to fit the model's context. Q23.
 */
public final class Rag {
    private final List<String> texts;
    private final Bm25 bm25;
    private final DenseIndex dense;

    /** Rankings of one query by the three retrievers, best first. */
    public record Results(List<Bm25.Hit> bm25, List<Bm25.Hit> dense, List<Bm25.Hit> hybrid) {}

    /** An index of {@code texts}; {@code dense} holds their vectors, one row per text. */
    public Rag(List<String> texts, DenseIndex dense) {
        if (dense.size() != texts.size())
            throw new IllegalArgumentException("Rag: " + texts.size() + " texts but " + dense.size() + " vectors");
        this.texts = List.copyOf(texts);
        this.bm25 = new Bm25(texts.stream().map(Terms::of).toList());
        this.dense = dense;
    }

    /**
     * The last {@code maxPassages} passages (of at least {@code minWords} words) of {@code corpus} — the most recent
     * speeches for the State of the Union — with their MiniLM vectors read from {@code cache} or embedded and saved
     * there.
     */
    public static Rag of(Corpus corpus, int minWords, int maxPassages, MiniLm model, Path cache) throws IOException {
        List<Passages.Passage> all = Passages.of(corpus.documents(), minWords);
        List<String> texts = all.subList(Math.max(0, all.size() - maxPassages), all.size()).stream().map(Passages.Passage::text).toList();
        return new Rag(texts, vectors(model, texts, cache));
    }

    /**
     * The vectors of {@code texts}: loaded from {@code cache} when the checksum saved beside it ({@code cache.sha256})
     * matches these texts, else embedded and saved (both atomically) — so a cache of other passages is never reused.
     */
    public static DenseIndex vectors(MiniLm model, List<String> texts, Path cache) throws IOException {
        return cached(texts, cache, t -> DenseIndex.embed(model, t));
    }

    static DenseIndex cached(List<String> texts, Path cache, Function<List<String>, DenseIndex> embed) throws IOException {
        String sum = checksum(texts);
        Path sumFile = cache == null ? null : cache.resolveSibling(cache.getFileName() + ".sha256");
        if (cache != null && Files.isRegularFile(cache) && Files.isRegularFile(sumFile) && Files.readString(sumFile).strip().equals(sum)) {
            DenseIndex d = DenseIndex.load(cache);
            if (d.size() == texts.size()) return d;
        }
        DenseIndex d = embed.apply(texts);
        if (cache != null) {
            d.save(cache);
            Path tmp = sumFile.resolveSibling(sumFile.getFileName() + ".tmp");
            Files.writeString(tmp, sum + "\n");
            Files.move(tmp, sumFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return d;
    }

    /** SHA-256 (hex) of the texts in order, each prefixed by its length so that no two lists collide by concatenation. */
    static String checksum(List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String t : texts) {
                byte[] b = t.getBytes(StandardCharsets.UTF_8);
                md.update((b.length + ":").getBytes(StandardCharsets.US_ASCII));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> texts() { return texts; }

    public Bm25 bm25() { return bm25; }

    public DenseIndex dense() { return dense; }

    /** The {@code k} best passages for {@code query} (whose MiniLM vector is {@code queryVector}) by each retriever. */
    public Results search(String query, float[] queryVector, int k) {
        List<Bm25.Hit> b = bm25.search(Terms.of(query), Math.max(k, 100)), d = dense.search(queryVector, Math.max(k, 100));
        List<Bm25.Hit> h = Fusion.rrf(Fusion.K, k, b, d);
        return new Results(b.subList(0, Math.min(k, b.size())), d.subList(0, Math.min(k, d.size())), h);
    }

    /**
     * The generator's prompt: the passages, each on its own line, then {@code question}; when longer than
     * {@code maxChars} characters the front is cut (the question and the end of the evidence survive).
     */
    public static String prompt(List<String> passages, String question, int maxChars) {
        String p = String.join("\n", passages) + "\n" + question;
        return p.length() <= maxChars ? p : p.substring(p.length() - maxChars);
    }
}
