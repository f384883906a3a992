package llmbook.exercises.ch10;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reference solution of ch10.spam_filter (see the starter for the statement). Q28. */
public final class SpamFilter {
    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    private final Map<String, int[]> counts = new HashMap<>();   // word → count per class
    private final double[] logPrior = new double[2], total = new double[2];

    public SpamFilter(List<String> texts, int[] labels) {
        if (texts.size() != labels.length) throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        int[] docs = new int[2];
        for (int i = 0; i < labels.length; i++) {
            docs[labels[i]]++;
            for (String w : words(texts.get(i))) { counts.computeIfAbsent(w, k -> new int[2])[labels[i]]++; total[labels[i]]++; }
        }
        for (int c = 0; c < 2; c++) logPrior[c] = Math.log((double) docs[c] / labels.length);
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) out.add(m.group());
        return out;
    }

    public double[] scores(String text) {
        double[] s = logPrior.clone();
        int v = counts.size();
        for (String w : words(text)) {
            int[] n = counts.get(w);
            if (n == null) continue;
            for (int c = 0; c < 2; c++) s[c] += Math.log((n[c] + 1.0) / (total[c] + v));
        }
        return s;
    }

    public int predict(String text) {
        double[] s = scores(text);
        return s[1] > s[0] ? 1 : 0;
    }

    public double accuracy(List<String> texts, int[] labels) {
        int ok = 0;
        for (int i = 0; i < labels.length; i++) if (predict(texts.get(i)) == labels[i]) ok++;
        return (double) ok / labels.length;
    }
}
