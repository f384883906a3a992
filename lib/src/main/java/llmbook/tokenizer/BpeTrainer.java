package llmbook.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a byte-level BPE (Q1): start from the 256 byte tokens and repeatedly merge the most
 * frequent adjacent pair into a new token until the vocabulary reaches the target size.
 *
 * <p>Worked example (one "word", no pre-split): {@code "aaabdaaabac"} as bytes; the most frequent
 * pair is {@code (a,a)}, merged into Z = 256 giving {@code "ZabdZabac"}; then {@code (Z,a)} -> Y
 * gives {@code "YbdYbac"}; then {@code (Y,b)} -> X gives {@code "XdXac"}.
 *
 * <p>Incremental, not a recount per merge: the text is pre-split ({@link SplitPattern}) and the
 * pieces counted, so training runs over the unique pieces ("words") with their counts. We keep
 * <ul>
 *   <li>the count of every adjacent pair, summed over words (weighted by word count);
 *   <li>an index pair -> the words that contain it;
 *   <li>a max-heap of (count, pair) with lazy deletion: an entry is used only if its count is still
 *       the pair's current count.
 * </ul>
 * A merge rewrites only the words in the index of its pair, adds each rewritten word's change of
 * pair counts to a delta table, and pushes the pairs whose count changed. The cost of a merge is
 * proportional to the text it touched, not to the corpus. Ties between equal counts go to the
 * smaller pair {@code (left, right)}, so training is deterministic.
 *
 * <p>Limits: the vocabulary (bytes + merges + special tokens) is at most 65,536 ids. If the text
 * runs out of pairs first, training stops early with fewer merges.
 */
public final class BpeTrainer {
    /** The largest vocabulary {@link #train} accepts (ids must fit 16 bits in the heap key). */
    public static final int MAX_VOCAB = 1 << 16;

    /** Called after every merge: {@code done} of {@code total} merges, the pair and its count. */
    @FunctionalInterface
    public interface Listener {
        void merged(int done, int total, int left, int right, long count);
    }

    private BpeTrainer() {}

    /** Trains with GPT-2's pre-split, no special tokens and no progress reports. */
    public static BpeTokenizer train(String text, int vocabSize) {
        return train(text, vocabSize, SplitPattern.GPT2, List.of(), null);
    }

    /**
     * Trains a tokenizer of {@code vocabSize} ids: 256 bytes, {@code vocabSize - 256 - specials.size()}
     * merges, then the special tokens. Special-token strings in {@code text} are cut out before
     * counting, so no merge ever spans one.
     */
    public static BpeTokenizer train(String text, int vocabSize, SplitPattern pattern, List<String> specials, Listener listener) {
        int merges = vocabSize - 256 - specials.size();
        if (merges < 0) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is below 256 bytes + " + specials.size() + " special tokens");
        }
        if (vocabSize > MAX_VOCAB) throw new IllegalArgumentException("vocab size " + vocabSize + " exceeds the limit " + MAX_VOCAB);

        // 1. Unique pre-split pieces with their counts.
        Map<String, long[]> pieceCounts = new HashMap<>();
        for (String chunk : cutSpecials(text, specials)) {
            pattern.forEachPiece(chunk, 0, chunk.length(),
                    (s, e) -> pieceCounts.computeIfAbsent(chunk.substring(s, e), k -> new long[1])[0]++);
        }
        int nw = pieceCounts.size();
        int[][] words = new int[nw][];
        long[] freq = new long[nw];
        int w0 = 0;
        for (var e : pieceCounts.entrySet()) {
            byte[] b = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int[] ids = new int[b.length];
            for (int i = 0; i < b.length; i++) ids[i] = b[i] & 0xff;
            words[w0] = ids;
            freq[w0++] = e.getValue()[0];
        }
        pieceCounts.clear();

        // 2. Pair counts, the pair -> words index, and the heap.
        LongLongMap counts = new LongLongMap(1 << 16);
        PairMap slotOf = new PairMap(1 << 16);           // pair -> index into `where`
        List<IntList> where = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            int[] ids = words[w];
            for (int i = 0; i + 1 < ids.length; i++) {
                counts.add(PairMap.key(ids[i], ids[i + 1]), freq[w]);
                index(slotOf, where, ids[i], ids[i + 1], w);
            }
        }
        LongHeap heap = new LongHeap(1 << 16);
        counts.forEach((k, c) -> {
            heap.push(heapKey(k, c));
            return 0;
        });

        // 3. Merge loop.
        int[] left = new int[merges], right = new int[merges];
        int[] stamp = new int[nw];
        java.util.Arrays.fill(stamp, -1);
        int done = 0;
        while (done < merges && !heap.isEmpty()) {
            long top = heap.pop();
            long count = Integer.MAX_VALUE - (top >>> 32);
            int a = (int) ((top >>> 16) & 0xffff), b = (int) (top & 0xffff);
            long pk = PairMap.key(a, b);
            if (counts.get(pk) != count || count <= 0) continue;       // stale heap entry
            int id = 256 + done;
            IntList ws = where.get(slotOf.get(a, b));
            LongLongMap delta = new LongLongMap(ws.size * 8);
            for (int k = 0; k < ws.size; k++) {
                int w = ws.a[k];
                if (stamp[w] == done) continue;
                stamp[w] = done;
                int[] old = words[w];
                int[] neu = mergeWord(old, a, b, id);
                if (neu == old) continue;                            // the pair left this word earlier
                long f = freq[w];
                for (int i = 0; i + 1 < old.length; i++) delta.add(PairMap.key(old[i], old[i + 1]), -f);
                for (int i = 0; i + 1 < neu.length; i++) {
                    delta.add(PairMap.key(neu[i], neu[i + 1]), f);
                    if (neu[i] == id || neu[i + 1] == id) index(slotOf, where, neu[i], neu[i + 1], w);
                }
                words[w] = neu;
            }
            delta.forEach((k, d) -> {
                if (d != 0) {
                    long c = counts.add(k, d);
                    if (c > 0) heap.push(heapKey(k, c));
                }
                return 0;
            });
            left[done] = a;
            right[done] = b;
            done++;
            if (listener != null) listener.merged(done, merges, a, b, count);
        }
        if (done < merges) {
            left = java.util.Arrays.copyOf(left, done);
            right = java.util.Arrays.copyOf(right, done);
        }
        return BpeTokenizer.fromMerges("bpe-" + (256 + done + specials.size()), pattern, left, right, specials);
    }

    /** Replaces every non-overlapping {@code (a, b)}, left to right, by {@code id}; returns {@code w} itself if none. */
    static int[] mergeWord(int[] w, int a, int b, int id) {
        int n = w.length, hits = 0;
        for (int i = 0; i + 1 < n; i++) {
            if (w[i] == a && w[i + 1] == b) {
                hits++;
                i++;
            }
        }
        if (hits == 0) return w;
        int[] out = new int[n - hits];
        int j = 0;
        for (int i = 0; i < n; ) {
            if (i + 1 < n && w[i] == a && w[i + 1] == b) {
                out[j++] = id;
                i += 2;
            } else {
                out[j++] = w[i++];
            }
        }
        return out;
    }

    private static long heapKey(long pairKey, long count) {
        long a = pairKey >>> 32, b = pairKey & 0xffffffffL;
        return ((Integer.MAX_VALUE - count) << 32) | (a << 16) | b;   // min-heap: high count, then small pair
    }

    private static void index(PairMap slotOf, List<IntList> where, int a, int b, int w) {
        int s = slotOf.get(a, b);
        if (s == PairMap.MISSING) {
            s = where.size();
            slotOf.put(a, b, s);
            where.add(new IntList(4));
        }
        IntList l = where.get(s);
        if (l.size == 0 || l.a[l.size - 1] != w) l.add(w);
    }

    /** The text between occurrences of special tokens. */
    static List<String> cutSpecials(String text, List<String> specials) {
        List<String> chunks = new ArrayList<>();
        if (specials.isEmpty()) {
            chunks.add(text);
            return chunks;
        }
        StringBuilder alt = new StringBuilder();
        for (String s : specials) alt.append(alt.isEmpty() ? "" : "|").append(java.util.regex.Pattern.quote(s));
        for (String c : java.util.regex.Pattern.compile(alt.toString()).split(text, -1)) if (!c.isEmpty()) chunks.add(c);
        return chunks;
    }
}
