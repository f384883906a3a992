package llmbook.nn;

import java.util.Arrays;

/**
 * Renumbers a vocabulary by frequency — rank 0 the most frequent token — as {@link AdaptiveSoftmax} needs. Q42.
 * {@code rank[id]} is a token's new id, {@code id[rank]} the inverse; ties keep the lower original id first.
 * <pre>{@code
 * FrequencyOrder order = FrequencyOrder.of(trainIds, tok.vocabSize());
 * int[] ranked = order.toRanks(trainIds);   // train and predict in rank space
 * String text = tok.decode(order.toIds(generated));
 * }</pre>
 */
public record FrequencyOrder(int[] rank, int[] id, long[] count) {
    public FrequencyOrder {
        if (rank.length != id.length || id.length != count.length)
            throw new IllegalArgumentException("FrequencyOrder: rank, id and count need the same length, got " + rank.length + ", " + id.length + ", " + count.length);
    }

    /** Counts each id in {@code tokens} (all in {@code [0, vocab)}) and sorts by count, descending. */
    public static FrequencyOrder of(int[] tokens, int vocab) {
        long[] byId = new long[vocab];
        for (int t : tokens) {
            if (t < 0 || t >= vocab) throw new IndexOutOfBoundsException("FrequencyOrder: token " + t + " out of range [0, " + vocab + ")");
            byId[t]++;
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> byId[a] != byId[b] ? Long.compare(byId[b], byId[a]) : Integer.compare(a, b));
        int[] rank = new int[vocab], id = new int[vocab];
        long[] count = new long[vocab];
        for (int r = 0; r < vocab; r++) {
            id[r] = order[r];
            rank[order[r]] = r;
            count[r] = byId[order[r]];
        }
        return new FrequencyOrder(rank, id, count);
    }

    /** Original ids → ranks (a new array). */
    public int[] toRanks(int[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = rank[ids[i]];
        return out;
    }

    /** Ranks → original ids (a new array). */
    public int[] toIds(int[] ranks) {
        int[] out = new int[ranks.length];
        for (int i = 0; i < ranks.length; i++) out[i] = id[ranks[i]];
        return out;
    }

    /** Fraction of the counted tokens whose rank is below {@code k}: how much of the text a head of k tokens covers. */
    public double coverage(int k) {
        long total = 0, top = 0;
        for (int r = 0; r < count.length; r++) { total += count[r]; if (r < k) top += count[r]; }
        return total == 0 ? 0 : (double) top / total;
    }
}
