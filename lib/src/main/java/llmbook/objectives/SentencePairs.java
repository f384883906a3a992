package llmbook.objectives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import llmbook.data.Batches;
import llmbook.tensor.Rng;

/**
 * Sentence-pair examples for BERT's next-sentence prediction and ALBERT's sentence-order prediction (Q27), from
 * documents given as lists of sentences (token ids). Each example is {@code [CLS] a [SEP] b [SEP]}, token types 0 up
 * to the first [SEP] and 1 after, with a label: 1 = "b really follows a", 0 = not.
 * <pre>
 *   NSP: a = sentence i of a document; half the time b = sentence i+1 (label 1),
 *        half the time b = a random sentence of ANOTHER document (label 0)
 *   SOP: a, b = sentences i, i+1 of one document; half the time swapped (label 0)
 * </pre>
 * ALBERT's point (Lan et al. 2019): an NSP negative usually changes the topic, so NSP can be solved by topic alone —
 * it is an easy task that teaches little about coherence. SOP negatives have the same topic and words; only the
 * order tells, so a model must learn discourse. Each side is cut to {@code (maxLen − 3) / 2} tokens ({@code a}
 * keeps its end, {@code b} its start: the junction is what matters).
 *
 * <p>The draws per example, in order: document {@code rng.nextInt(docs)} (among those with ≥ 2 sentences), sentence
 * {@code rng.nextInt(n − 1)}, then {@code rng.nextDouble() < 0.5} decides positive vs negative; an NSP negative draws
 * its other document {@code rng.nextInt(docs − 1)} (skipping a's) and its sentence {@code rng.nextInt(m)}.
 */
public final class SentencePairs {
    /** The two objectives. */
    public enum Task { NSP, SOP }

    /** One example: ids and token types (same length, unpadded) and the label. */
    public record Pair(int[] ids, int[] types, int label) {}

    private final List<int[][]> docs;
    private final int[] source;               // docs.get(i) is the constructor's document source[i]
    private final int[][] negatives;          // per document, the documents an NSP negative may come from (null = every other)
    private final int cls, sep, maxLen;

    /** {@code documents}: per document its sentences as token ids; only documents with at least two sentences are used. */
    public SentencePairs(List<List<int[]>> documents, int cls, int sep, int maxLen) {
        if (maxLen < 5) throw new IllegalArgumentException("SentencePairs: maxLen must be >= 5 ([CLS] a [SEP] b [SEP]), got " + maxLen);
        docs = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            List<int[]> s = documents.get(i).stream().filter(x -> x.length > 0).toList();
            if (s.size() >= 2) { docs.add(s.toArray(int[][]::new)); kept.add(i); }
        }
        if (docs.size() < 2) throw new IllegalArgumentException("SentencePairs: need at least 2 documents with 2 or more sentences, got " + docs.size());
        source = kept.stream().mapToInt(Integer::intValue).toArray();
        negatives = null;
        this.cls = cls;
        this.sep = sep;
        this.maxLen = maxLen;
    }

    private SentencePairs(SentencePairs o, int[][] negatives) {
        docs = o.docs; source = o.source; cls = o.cls; sep = o.sep; maxLen = o.maxLen;
        this.negatives = negatives;
    }

    /**
     * The same pairs, except that an NSP negative for a sentence of document {@code d} takes its {@code b} only from a
     * document {@code e} with {@code allowed.test(d, e)} (indices into the constructor's list): e.g. addresses at
     * least 50 years apart, so that the topic gives the answer away — the easy NSP of ALBERT's argument. The draws
     * are those of the class comment with the other document drawn uniformly among the allowed ones.
     */
    public SentencePairs negativesFrom(java.util.function.BiPredicate<Integer, Integer> allowed) {
        int[][] neg = new int[docs.size()][];
        for (int d = 0; d < neg.length; d++) {
            List<Integer> ok = new ArrayList<>();
            for (int e = 0; e < neg.length; e++) if (e != d && allowed.test(source[d], source[e])) ok.add(e);
            if (ok.isEmpty()) throw new IllegalArgumentException("SentencePairs.negativesFrom: document " + source[d] + " has no allowed other document");
            neg[d] = ok.stream().mapToInt(Integer::intValue).toArray();
        }
        return new SentencePairs(this, neg);
    }

    /** Documents in use. */
    public int documents() { return docs.size(); }

    /** One example of {@code task}, drawn as the class comment says. */
    public Pair next(Task task, Rng rng) {
        int d = rng.nextInt(docs.size());
        int[][] s = docs.get(d);
        int i = rng.nextInt(s.length - 1);
        boolean positive = rng.nextDouble() < 0.5;
        int[] a = s[i], b = s[i + 1];
        if (!positive) {
            if (task == Task.SOP) { int[] t = a; a = b; b = t; }
            else {
                int e;
                if (negatives == null) { e = rng.nextInt(docs.size() - 1); if (e >= d) e++; }
                else e = negatives[d][rng.nextInt(negatives[d].length)];
                int[][] o = docs.get(e);
                b = o[rng.nextInt(o.length)];
            }
        }
        return pair(a, b, positive ? 1 : 0);
    }

    /** {@code [CLS] a [SEP] b [SEP]} with types, each side cut to (maxLen − 3) / 2 tokens. */
    public Pair pair(int[] a, int[] b, int label) {
        int half = (maxLen - 3) / 2;
        int[] ca = a.length > half ? Arrays.copyOfRange(a, a.length - half, a.length) : a;
        int[] cb = b.length > half ? Arrays.copyOf(b, half) : b;
        int n = ca.length + cb.length + 3;
        int[] ids = new int[n], types = new int[n];
        ids[0] = cls;
        System.arraycopy(ca, 0, ids, 1, ca.length);
        ids[ca.length + 1] = sep;
        System.arraycopy(cb, 0, ids, ca.length + 2, cb.length);
        ids[n - 1] = sep;
        for (int k = ca.length + 2; k < n; k++) types[k] = 1;
        return new Pair(ids, types, label);
    }

    /**
     * The words of a pair as features for a linear baseline (Q27), width {@link #bagOfWordsWidth}: for each regular
     * word of {@code a} index {@code w}, of {@code b} index {@code V + w}, of both {@code 2V + w} (V = {@code
     * vocab.size()}), all with value 1, and at {@code 3V} the Jaccard overlap of the two word sets. A logistic
     * regression on them sees topic (shared words, words typical of one side) and which words open or close each
     * sentence, but no order inside a side: the most that words alone say about NSP and SOP.
     * <pre>
     *   [CLS] we met [SEP] we left [SEP]  →  a: {we, met}  b: {we, left}  both: {we}  Jaccard 1/3
     * </pre>
     */
    public static llmbook.classify.Sparse bagOfWords(Pair p, WordVocab vocab) {
        int v = vocab.size();
        java.util.TreeSet<Integer> a = new java.util.TreeSet<>(), b = new java.util.TreeSet<>();
        for (int i = 0; i < p.ids().length; i++) if (vocab.regular(p.ids()[i])) (p.types()[i] == 0 ? a : b).add(p.ids()[i]);
        java.util.TreeMap<Integer, Double> f = new java.util.TreeMap<>();
        int shared = 0;
        for (int w : a) f.put(w, 1.0);
        for (int w : b) { f.put(v + w, 1.0); if (a.contains(w)) { f.put(2 * v + w, 1.0); shared++; } }
        int union = a.size() + b.size() - shared;
        f.put(3 * v, union == 0 ? 0.0 : (double) shared / union);
        return new llmbook.classify.Sparse(f.keySet().stream().mapToInt(Integer::intValue).toArray(), f.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The width of {@link #bagOfWords}: 3 · vocab.size() + 1. */
    public static int bagOfWordsWidth(WordVocab vocab) { return 3 * vocab.size() + 1; }

    /**
     * Batches of {@code task} examples padded to {@code maxLen}, noised by {@code masking} (null = no masked-LM targets:
     * the pair head alone).
     */
    public Batches<MlmBatch> batches(Task task, Masking masking, WordVocab vocab) {
        return (rng, size) -> {
            int T = maxLen;
            int[] input = new int[size * T], types = new int[size * T], targets = new int[size * T], lengths = new int[size], labels = new int[size];
            Arrays.fill(input, vocab.pad);
            Arrays.fill(targets, -1);
            for (int k = 0; k < size; k++) {
                Pair p = next(task, rng);
                int[] x = p.ids();
                if (masking != null) {
                    Masking.Masked m = masking.apply(x, vocab.mask, vocab.pad, vocab::regular, null, rng);
                    System.arraycopy(m.targets(), 0, targets, k * T, x.length);
                    x = m.input();
                }
                System.arraycopy(x, 0, input, k * T, x.length);
                System.arraycopy(p.types(), 0, types, k * T, x.length);
                lengths[k] = x.length;
                labels[k] = p.label();
            }
            return new MlmBatch(input, types, lengths, targets, labels, size, T);
        };
    }
}
