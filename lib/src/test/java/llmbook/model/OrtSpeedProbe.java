package llmbook.model;

import java.util.ArrayList;
import java.util.List;
import llmbook.data.TestSentences;
import llmbook.tokenizer.WordPiece;
import org.junit.jupiter.api.Test;

class OrtSpeedProbe {
    @Test
    void speed() throws Exception {
        List<WordPiece.Encoding> enc = new ArrayList<>();
        for (String s : TestSentences.sotu(256)) enc.add(WordPiece.minilm().encodeForModel(s, 256));
        for (int threads : new int[] {1, 2}) {
            try (OrtMiniLm ort = new OrtMiniLm(threads)) {
                for (int batch : new int[] {1, 32}) {
                    for (int rep = 0; rep < 2; rep++) {
                        long t0 = System.nanoTime();
                        for (int i = 0; i < enc.size(); i += batch) ort.embed(enc.subList(i, Math.min(enc.size(), i + batch)));
                        double s = (System.nanoTime() - t0) / 1e9;
                        System.out.printf("ORT threads %d batch %d: %.1f sentences/s%n", threads, batch, enc.size() / s);
                    }
                }
            }
        }
    }
}
