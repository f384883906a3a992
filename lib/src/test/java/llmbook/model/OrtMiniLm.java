package llmbook.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import llmbook.io.MiniLmJar;
import llmbook.tokenizer.WordPiece;

/**
 * The oracle for MiniLM (test scope only): the same ONNX file run by ONNX Runtime on our token ids,
 * then the sentence-transformers head — mean over the attention mask, L2 normalisation.
 */
public final class OrtMiniLm implements AutoCloseable {
    final OrtEnvironment env = OrtEnvironment.getEnvironment();
    final OrtSession session;

    public OrtMiniLm(int threads) throws IOException, OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        opts.setIntraOpNumThreads(threads);
        opts.setInterOpNumThreads(1);
        session = env.createSession(MiniLmJar.read(MiniLmJar.ONNX), opts);
    }

    /** Unit sentence vectors (N, 384) of a batch, padded on the right to its longest encoding. */
    public float[][] embed(List<WordPiece.Encoding> batch) throws OrtException {
        int n = batch.size(), t = 0;
        for (WordPiece.Encoding e : batch) t = Math.max(t, e.length());
        long[][] ids = new long[n][t], mask = new long[n][t], types = new long[n][t];
        for (int b = 0; b < n; b++) {
            WordPiece.Encoding e = batch.get(b);
            for (int i = 0; i < e.length(); i++) { ids[b][i] = e.ids()[i]; types[b][i] = e.typeIds()[i]; mask[b][i] = 1; }
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, ids); OnnxTensor m = OnnxTensor.createTensor(env, mask);
             OnnxTensor ty = OnnxTensor.createTensor(env, types);
             OrtSession.Result r = session.run(Map.of("input_ids", a, "attention_mask", m, "token_type_ids", ty))) {
            float[][][] h = (float[][][]) r.get(0).getValue(); // (N, T, 384)
            float[][] out = new float[n][];
            for (int b = 0; b < n; b++) {
                int len = batch.get(b).length(), c = h[b][0].length;
                double[] sum = new double[c];
                for (int i = 0; i < len; i++) for (int j = 0; j < c; j++) sum[j] += h[b][i][j];
                double norm = 0;
                for (int j = 0; j < c; j++) { sum[j] /= len; norm += sum[j] * sum[j]; }
                norm = Math.max(Math.sqrt(norm), 1e-12);
                out[b] = new float[c];
                for (int j = 0; j < c; j++) out[b][j] = (float) (sum[j] / norm);
            }
            return out;
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
