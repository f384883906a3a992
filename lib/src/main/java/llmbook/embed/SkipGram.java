package llmbook.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Word embeddings by skip-gram with negative sampling, word2vec's recipe (Q5).
 *
 * <p>Each word w has an input vector {@code v_w} (the embedding we keep) and an output vector
 * {@code u_w}. For a centre word c and a word o seen within {@code window} positions of it, plus
 * {@code negatives} words n drawn from the unigram distribution raised to 3/4, one SGD step
 * lowers
 * <pre>  L = -log σ(u_o·v_c) - Σ_n log σ(-u_n·v_c)</pre>
 * whose gradients are {@code ∂L/∂v_c = (σ(u_o·v_c) - 1) u_o + Σ_n σ(u_n·v_c) u_n} and
 * {@code ∂L/∂u_x = (σ(u_x·v_c) - label) v_c} (label 1 for o, 0 for each n). Words that share
 * contexts are pushed towards the same output vectors and end up with similar input vectors, so
 * cosine similarity starts to mean "used alike". Frequent words are randomly dropped (keep
 * probability {@code (√(f/t) + 1)·t/f} for frequency f and threshold t) and the learning rate decays
 * linearly to zero. Everything random comes from one seed, so a run is reproducible on one thread.
 *
 * <p>Shapes: {@code input} and {@code output} are (vocab, dim) row-major {@code float[]}; row i is
 * word {@code words().get(i)}; words are sorted by count, most frequent first.
 */
public final class SkipGram {
    /** Hyper-parameters; the defaults suit a one-book corpus. */
    public record Config(int dim, int window, int negatives, int minCount, int maxVocab, double sample,
                         float learningRate, int epochs, long seed) {
        public Config {
            if (dim < 1 || window < 1 || negatives < 1 || minCount < 1 || maxVocab < 2 || epochs < 1) {
                throw new IllegalArgumentException("dim, window, negatives, minCount, epochs must be >= 1 and maxVocab >= 2; got " + this);
            }
            if (!(learningRate > 0) || !(sample >= 0)) throw new IllegalArgumentException("learningRate must be > 0 and sample >= 0; got " + this);
        }

        /** 64 dimensions, window 5, 5 negatives, words seen at least 5 times, 3 epochs, lr 0.025, sample 1e-3. */
        public static Config defaults() {
            return new Config(64, 5, 5, 5, 20_000, 1e-3, 0.025f, 3, 42);
        }

        public Config withEpochs(int e) {
            return new Config(dim, window, negatives, minCount, maxVocab, sample, learningRate, e, seed);
        }

        public Config withSeed(long s) {
            return new Config(dim, window, negatives, minCount, maxVocab, sample, learningRate, epochs, s);
        }

        public Config withDim(int d) {
            return new Config(d, window, negatives, minCount, maxVocab, sample, learningRate, epochs, seed);
        }
    }

    private static final Pattern WORD = Pattern.compile("\\p{L}+(?:['’]\\p{L}+)*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final int TABLE_SIZE = 1 << 20;

    private final Config config;
    private final List<String> words;
    private final Map<String, Integer> index = new HashMap<>();
    private final long[] counts;
    private final int[] corpus;               // the text as word ids (unknown words dropped)
    private final float[] input, output;      // (vocab, dim) each
    private final int[] negTable = new int[TABLE_SIZE];
    private final List<Double> epochLoss = new ArrayList<>();
    private final SplittableRandom rng;

    /** Lower-cased words (letters with inner apostrophes) of {@code text}, in order. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) out.add(m.group().toLowerCase(Locale.ROOT));
        return out;
    }

    /** Builds the vocabulary from {@code text} and initialises the vectors (not yet trained). */
    public SkipGram(String text, Config config) {
        this.config = config;
        this.rng = new SplittableRandom(config.seed());
        List<String> tokens = words(text);
        Map<String, long[]> c = new HashMap<>();
        for (String w : tokens) c.computeIfAbsent(w, k -> new long[1])[0]++;
        List<Map.Entry<String, long[]>> sorted = new ArrayList<>(c.entrySet());
        sorted.removeIf(e -> e.getValue()[0] < config.minCount());
        sorted.sort((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()));
        if (sorted.size() > config.maxVocab()) sorted = sorted.subList(0, config.maxVocab());
        if (sorted.size() < 2) throw new IllegalArgumentException("only " + sorted.size() + " words occur at least " + config.minCount() + " times");
        words = new ArrayList<>(sorted.size());
        counts = new long[sorted.size()];
        for (var e : sorted) {
            index.put(e.getKey(), words.size());
            counts[words.size()] = e.getValue()[0];
            words.add(e.getKey());
        }
        corpus = tokens.stream().filter(index::containsKey).mapToInt(index::get).toArray();
        int v = words.size(), d = config.dim();
        input = new float[v * d];
        output = new float[v * d];                                  // zeros, as in word2vec
        for (int i = 0; i < input.length; i++) input[i] = (float) ((rng.nextDouble() - 0.5) / d);
        double z = 0;                                               // unigram^(3/4) table for negatives
        for (long n : counts) z += Math.pow(n, 0.75);
        int w = 0;
        double cum = Math.pow(counts[0], 0.75) / z;
        for (int i = 0; i < TABLE_SIZE; i++) {
            negTable[i] = w;
            if ((i + 1) / (double) TABLE_SIZE > cum && w < v - 1) cum += Math.pow(counts[++w], 0.75) / z;
        }
    }

    /** Runs {@code config.epochs()} epochs; {@code onStep} gets the number of centre words done since the last call. */
    public void train(IntConsumer onStep) {
        int d = config.dim(), n = corpus.length;
        long total = (long) config.epochs() * n, done = 0;
        float[] grad = new float[d];
        double sampleT = config.sample() * n;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            double lossSum = 0;
            long pairs = 0;
            int reported = 0;
            for (int pos = 0; pos < n; pos++, done++) {
                if (onStep != null && (pos & 1023) == 1023) {
                    onStep.accept(pos + 1 - reported);
                    reported = pos + 1;
                }
                int c = corpus[pos];
                if (config.sample() > 0) {
                    double f = counts[c];
                    double keep = (Math.sqrt(f / sampleT) + 1) * sampleT / f;
                    if (keep < rng.nextDouble()) continue;
                }
                float lr = (float) Math.max(config.learningRate() * 1e-4, config.learningRate() * (1 - done / (double) total));
                int b = 1 + rng.nextInt(config.window());                 // dynamic window, as word2vec
                for (int j = Math.max(0, pos - b); j <= Math.min(n - 1, pos + b); j++) {
                    if (j == pos) continue;
                    lossSum += step(c, corpus[j], lr, grad);
                    pairs++;
                }
            }
            if (onStep != null && reported < n) onStep.accept(n - reported);
            epochLoss.add(pairs == 0 ? Double.NaN : lossSum / pairs);
        }
    }

    /** One SGD step on centre {@code c} with true context {@code o}; returns the loss L before the step. */
    private double step(int c, int o, float lr, float[] grad) {
        int d = config.dim();
        Arrays.fill(grad, 0f);
        double loss = 0;
        for (int k = 0; k <= config.negatives(); k++) {
            int x;
            float label;
            if (k == 0) {
                x = o;
                label = 1;
            } else {
                x = negTable[rng.nextInt(TABLE_SIZE)];
                if (x == o) continue;
                label = 0;
            }
            float s = Dot.dot(input, c * d, output, x * d, d);
            float sig = sigmoid(s);
            loss -= label == 1 ? Math.log(Math.max(sig, 1e-7)) : Math.log(Math.max(1 - sig, 1e-7));
            float g = (sig - label) * lr;                                // ∂L/∂s times the step size
            Dot.axpy(-g, output, x * d, grad, 0, d);                      // accumulate -lr ∂L/∂v_c
            Dot.axpy(-g, input, c * d, output, x * d, d);                 // u_x -= lr ∂L/∂u_x
        }
        Dot.axpy(1f, grad, 0, input, c * d, d);
        return loss;
    }

    private static float sigmoid(float s) {
        if (s > 12) return 1f;
        if (s < -12) return 0f;
        return (float) (1 / (1 + Math.exp(-s)));
    }

    /** Mean loss per (centre, context) pair of each finished epoch. */
    public List<Double> epochLoss() {
        return List.copyOf(epochLoss);
    }

    /** Vocabulary, most frequent first. */
    public List<String> words() {
        return words;
    }

    /** Row of {@code word}, or -1 if it is not in the vocabulary. */
    public int indexOf(String word) {
        return index.getOrDefault(word.toLowerCase(Locale.ROOT), -1);
    }

    public long count(String word) {
        int i = indexOf(word);
        return i < 0 ? 0 : counts[i];
    }

    /** Number of word positions in the training text (after dropping unknown words). */
    public int corpusLength() {
        return corpus.length;
    }

    public Config config() {
        return config;
    }

    /** A copy of the embedding matrix {@code input}, (vocab, dim) row-major. */
    public float[] embeddings() {
        return input.clone();
    }

    /** A copy of one word's embedding. */
    public float[] vector(String word) {
        int i = indexOf(word);
        if (i < 0) throw new IllegalArgumentException("'" + word + "' is not in the vocabulary of " + words.size() + " words");
        return Arrays.copyOfRange(input, i * config.dim(), (i + 1) * config.dim());
    }

    /** A neighbour index over the current embeddings (take one before and one after training). */
    public Neighbours neighbours() {
        return new Neighbours(input, words.size(), config.dim(), words);
    }

    /** The k nearest words to {@code word} by cosine similarity of the current embeddings. */
    public List<Neighbours.Hit> nearest(String word, int k) {
        int i = indexOf(word);
        if (i < 0) throw new IllegalArgumentException("'" + word + "' is not in the vocabulary of " + words.size() + " words");
        return neighbours().nearest(i, k);
    }
}
