package llmbook.exercises.ch08;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Solution of ch08.rrf (see the starter for the exercise). Q23. */
public final class Rrf {
    private Rrf() {}

    public static List<Integer> fuse(List<List<Integer>> rankings, int k, int top) {
        Map<Integer, Double> score = new HashMap<>();
        for (List<Integer> r : rankings)
            for (int i = 0; i < r.size(); i++) score.merge(r.get(i), 1.0 / (k + i + 1), Double::sum);
        List<Integer> ids = new ArrayList<>(score.keySet());
        ids.sort((a, b) -> !score.get(a).equals(score.get(b)) ? Double.compare(score.get(b), score.get(a)) : Integer.compare(a, b));
        return ids.subList(0, Math.min(top, ids.size()));
    }
}
