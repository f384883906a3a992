import java.nio.file.Path;
import java.util.*;
import llmbook.io.SafeTensors;
import llmbook.nn.AdaptiveSoftmax;
import llmbook.tensor.*;

/**
 * Dev-time oracle, step 1 (run with the java launcher on the kernel's dist classpath):
 * {@code java --add-modules jdk.incubator.vector -cp 'kernel/target/dist/*' lib/src/test/python/AdaptiveSoftmaxOracle.java /tmp/adaptive.safetensors}
 * writes an AdaptiveSoftmax's weights, inputs, log-probabilities, loss and input gradient; step 2,
 * {@code /usr/bin/python3 lib/src/test/python/adaptive_softmax_oracle.py /tmp/adaptive.safetensors}, loads them into
 * PyTorch's AdaptiveLogSoftmaxWithLoss and prints the differences. Q42.
 */
public class AdaptiveSoftmaxOracle {
    public static void main(String[] args) throws Exception {
        AdaptiveSoftmax ad = new AdaptiveSoftmax(16, 300, new int[] {20, 100}, 4f, new Rng(3));
        for (Tensor p : ad.parameters()) { float[] d = p.data(); Rng r = new Rng(d.length); for (int i = 0; i < d.length; i++) d[i] = 0.3f * r.nextGaussian(); }
        Tensor h = Tensor.randn(new Rng(9), 12, 16).requiresGrad(true);
        int[] t = {0, 5, 19, 20, 55, 99, 100, 150, 299, 3, 21, 250};
        Tensor loss = ad.loss(h, t);
        loss.backward();
        Map<String, SafeTensors.Entry> m = new LinkedHashMap<>();
        for (var e : ad.namedParameters().entrySet()) m.put(e.getKey(), new SafeTensors.Entry(e.getValue().shape(), e.getValue().toArray()));
        m.put("hidden", new SafeTensors.Entry(h.shape(), h.toArray()));
        m.put("hidden_grad", new SafeTensors.Entry(h.shape(), h.grad().toArray()));
        m.put("log_probs", new SafeTensors.Entry(new int[] {12, 300}, ad.logProbs(h).toArray()));
        m.put("loss", new SafeTensors.Entry(new int[] {1}, new float[] {loss.item()}));
        float[] tf = new float[t.length]; for (int i = 0; i < t.length; i++) tf[i] = t[i];
        m.put("targets", new SafeTensors.Entry(new int[] {t.length}, tf));
        SafeTensors.write(Path.of(args[0]), m, Map.of());
    }
}
