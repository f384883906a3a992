package llmbook.tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The autograd engine: orders the graph behind a tensor and runs each op's backward in reverse. Q40.
 *
 * <p>Order: an iterative depth-first search (explicit stack, so a 100 000-op chain is fine) emits each tensor
 * after all its inputs. Running the backwards from the end of that order guarantees that when a node's backward
 * runs, every use of the node has already added its share to the node's gradient — the multivariate chain rule
 * ({@code ∂L/∂x = Σ over uses}).
 */
final class Tape {
    private Tape() {}

    /**
     * With {@code release}, each intermediate tensor's gradient goes back to {@link Buffers} right after its backward
     * has run (nothing reads it later: every use added into it before, and its inputs' backwards read their own), and
     * while it runs the op may hand it to an input ({@link Tensor#handGradTo}).
     */
    static void run(Tensor root, float[] seed, boolean anomaly, boolean release) {
        List<Tensor> order = topoOrder(root);
        // Intermediate gradients belong to this pass only (else a second backward() on the same graph would
        // push the first pass's gradients through again); leaves (parameters) accumulate across passes.
        for (Tensor t : order) if (t.backward != null) t.zeroGrad();
        float[] g = root.gradBuffer();
        for (int i = 0; i < seed.length; i++) g[i] += seed[i];
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            if (t.backward == null || t.grad == null) continue;
            t.gradSpent = release;
            try {
                t.backward.run(t.grad);
            } finally {
                t.gradSpent = false;
            }
            if (anomaly) for (Tensor p : t.parents) if (p.grad != null) checkFinite(t.op, "backward", p.grad, t.parents);
            if (release && t.grad != null) {
                Buffers.recycle(t.grad);
                t.grad = null;
            }
        }
    }

    static List<Tensor> topoOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        stack.add(root); next.add(0); seen.put(root, true);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int k = next.get(top);
            if (k < t.parents.length) {
                next.set(top, k + 1);
                Tensor p = t.parents[k];
                if (p.requiresGrad && seen.put(p, true) == null) { stack.add(p); next.add(0); }
            } else {
                order.add(t);
                stack.remove(top); next.remove(top);
            }
        }
        return order;
    }

    static void checkFinite(String op, String phase, float[] a, Tensor[] inputs) {
        boolean infOk = op.equals("masked_fill") && phase.equals("forward");
        for (int i = 0; i < a.length; i++) {
            if (infOk ? Float.isNaN(a[i]) : !Float.isFinite(a[i])) {
                StringBuilder sb = new StringBuilder();
                for (Tensor in : inputs) { if (sb.length() > 0) sb.append(", "); sb.append(Shape.str(in.shape)); }
                throw new ArithmeticException("anomaly: op '" + op + "' produced " + a[i] + " in its " + phase + " at flat index " + i
                        + " (inputs: " + sb + ")");
            }
        }
    }
}
