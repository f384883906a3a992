package llmbook.exercises.ch10;

import java.util.Arrays;
import llmbook.tensor.Rng;

/** Reference solution of ch10.bert_mask (see the starter for the statement). Q25. */
public final class BertMask {
    private BertMask() {}

    public static int[][] mask(int[] ids, int maskId, int vocab, Rng rng) {
        int[] input = ids.clone(), targets = new int[ids.length];
        Arrays.fill(targets, -1);
        if (ids.length == 0) return new int[][] {input, targets};
        int n = Math.max(1, (int) Math.round(0.15 * ids.length));
        int[] order = new int[ids.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        rng.shuffle(order);
        boolean[] chosen = new boolean[ids.length];
        for (int k = 0; k < n; k++) chosen[order[k]] = true;
        for (int p = 0; p < ids.length; p++) {
            if (!chosen[p]) continue;
            targets[p] = ids[p];
            double u = rng.nextDouble();
            if (u < 0.8) input[p] = maskId;
            else if (u < 0.9) input[p] = rng.nextInt(vocab);
        }
        return new int[][] {input, targets};
    }
}
