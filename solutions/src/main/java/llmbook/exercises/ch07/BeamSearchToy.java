package llmbook.exercises.ch07;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Solution of ch07.beam_search (see the exercise's Javadoc). Q19. */
public final class BeamSearchToy {
    private BeamSearchToy() {}

    public interface Model {
        int vocab();

        int eos();

        double[] logProbs(int[] prefix);
    }

    public record Hypothesis(int[] tokens, double logProb, double score, boolean finished) {}

    private record Extension(int beam, int token, double logProb) {}

    public static List<Hypothesis> search(Model model, int width, int maxLen, boolean normalise) {
        if (width < 1) throw new IllegalArgumentException("beam width must be >= 1, got " + width);
        if (maxLen < 1) throw new IllegalArgumentException("maxLen must be >= 1, got " + maxLen);
        List<int[]> beams = new ArrayList<>(List.of(new int[0]));
        List<Double> beamLogProb = new ArrayList<>(List.of(0.0));
        List<Hypothesis> outputs = new ArrayList<>();
        for (int step = 0; step < maxLen && !beams.isEmpty(); step++) {
            List<Extension> ext = new ArrayList<>();
            for (int b = 0; b < beams.size(); b++) {
                double[] lp = model.logProbs(beams.get(b));
                for (int v = 0; v < model.vocab(); v++)
                    if (lp[v] != Double.NEGATIVE_INFINITY) ext.add(new Extension(b, v, beamLogProb.get(b) + lp[v]));
            }
            ext.sort(Comparator.comparingDouble(Extension::logProb).reversed());      // stable: beam, then token order on ties
            List<int[]> next = new ArrayList<>();
            List<Double> nextLogProb = new ArrayList<>();
            for (int r = 0; r < ext.size() && next.size() < width; r++) {
                Extension e = ext.get(r);
                int[] grown = Arrays.copyOf(beams.get(e.beam()), step + 1);
                grown[step] = e.token();
                if (e.token() == model.eos()) {
                    if (r < width) outputs.add(hypothesis(grown, e.logProb(), true, normalise));
                } else {
                    next.add(grown);
                    nextLogProb.add(e.logProb());
                }
            }
            beams = next;
            beamLogProb = nextLogProb;
        }
        for (int b = 0; b < beams.size(); b++) outputs.add(hypothesis(beams.get(b), beamLogProb.get(b), false, normalise));
        outputs.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
        return List.copyOf(outputs.subList(0, Math.min(width, outputs.size())));
    }

    private static Hypothesis hypothesis(int[] tokens, double logProb, boolean finished, boolean normalise) {
        return new Hypothesis(tokens, logProb, normalise ? logProb / tokens.length : logProb, finished);
    }
}
