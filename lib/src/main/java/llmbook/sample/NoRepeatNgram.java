package llmbook.sample;

/**
 * Forbids writing any n-gram twice: a token that would complete an {@code n}-gram already present in the history is set
 * to {@code −∞} (the "no_repeat_ngram_size" of fairseq and Hugging Face). With n = 2 and history {@code a b c a}, the
 * next token cannot be {@code b} (the bigram {@code a b} exists). The blunt cure for the loops of greedy and beam
 * search (Q19); it also forbids legitimate repeats (a name written twice), so n is usually 3 or 4 on words.
 */
public record NoRepeatNgram(int n) implements LogitsProcessor {
    public NoRepeatNgram {
        if (n < 1) throw new IllegalArgumentException("NoRepeatNgram: n must be >= 1, got " + n);
    }

    @Override
    public void process(float[] logits, int[] history) {
        int h = history.length;
        if (h < n - 1) return;
        // every earlier start i whose first n-1 tokens equal the last n-1 of the history bans the token that followed
        for (int i = 0; i + n - 1 < h; i++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) match = history[i + j] == history[h - (n - 1) + j];
            int banned = history[i + n - 1];
            if (match && banned >= 0 && banned < logits.length) logits[banned] = Float.NEGATIVE_INFINITY;
        }
    }
}
