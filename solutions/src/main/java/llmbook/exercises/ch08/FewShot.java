package llmbook.exercises.ch08;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/** Solution of ch08.few_shot (see the starter for the exercise). Q31. */
public final class FewShot {
    private FewShot() {}

    public record Example(String input, String output) {}

    public static String prompt(List<Example> pool, String query, int k, ToDoubleBiFunction<String, String> sim) {
        if (k < 0) throw new IllegalArgumentException("k must be at least 0, got " + k);
        List<Integer> order = new ArrayList<>();
        double[] s = new double[pool.size()];
        for (int i = 0; i < pool.size(); i++) {
            order.add(i);
            s[i] = sim.applyAsDouble(pool.get(i).input(), query);
        }
        // most similar first; List.sort is stable, so equal similarity keeps pool order
        order.sort(Comparator.comparingDouble((Integer i) -> s[i]).reversed());
        List<Integer> chosen = order.subList(0, Math.min(k, order.size()));
        StringBuilder b = new StringBuilder();
        for (int j = chosen.size() - 1; j >= 0; j--) {
            Example e = pool.get(chosen.get(j));
            b.append("input: ").append(e.input()).append("\noutput: ").append(e.output()).append("\n\n");
        }
        return b.append("input: ").append(query).append("\noutput:").toString();
    }
}
