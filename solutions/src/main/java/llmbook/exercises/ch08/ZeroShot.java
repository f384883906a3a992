package llmbook.exercises.ch08;

/** Solution of ch08.zero_shot (see the starter for the exercise). Q30. */
public final class ZeroShot {
    private ZeroShot() {}

    public static int classify(double[][] tokenLogProbs, boolean perToken) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < tokenLogProbs.length; c++) {
            if (tokenLogProbs[c].length == 0) throw new IllegalArgumentException("label " + c + " has no token");
            double s = 0;
            for (double lp : tokenLogProbs[c]) s += lp;
            if (perToken) s /= tokenLogProbs[c].length;
            if (best < 0 || s > bestScore) { best = c; bestScore = s; }
        }
        return best;
    }
}
