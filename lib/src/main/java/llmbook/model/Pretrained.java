package llmbook.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.tensor.Rng;
import llmbook.tokenizer.CharTokenizer;
import llmbook.train.TrainConfig;
import llmbook.train.Trainer;

/**
 * The book's shared pretrained models: the reference GPT ({@link TransformerConfig#gpt2}, character tokenizer) trained
 * on a corpus with the reference recipe ({@link TrainConfig#reference()}, seed 1337) for a number of steps — exactly what
 * {@code ./llmbook train --corpus NAME --steps N} does. Trained once, then cached as a {@link Checkpoint} in
 * {@code runs/base-NAME-N} of the repository (ignored by git); every later call loads a fresh copy. Chapters 8–13
 * start from these instead of each training its own base.
 * <pre>{@code
 * Checkpoint.Loaded base = Pretrained.gpt("moby-dick", 2000);   // trains ~once (minutes), then loads in milliseconds
 * Decoder model = base.model();  Tokenizer tok = base.tokenizer();
 * }</pre>
 * Same name and steps give the same weights on every machine (the run is seeded and the kernels deterministic at a
 * given thread count).
 */
public final class Pretrained {
    private Pretrained() {}

    /** Where {@link #gpt} keeps the model trained on {@code corpus} for {@code steps} steps. */
    public static Path dir(String corpus, int steps) {
        return Corpus.dataDir().toAbsolutePath().getParent().resolve("runs").resolve("base-" + corpus + "-" + steps);
    }

    /** True when {@link #gpt} would load rather than train. */
    public static boolean cached(String corpus, int steps) { return Files.isRegularFile(dir(corpus, steps).resolve(Checkpoint.TOKENIZER)); }   // written last by save

    /**
     * The reference GPT trained on {@code corpus} (its training split; the tokenizer is fitted on the whole text) for
     * {@code steps} steps on {@link Kernels#threads()} threads, with a progress bar when it has to train.
     */
    public static Checkpoint.Loaded gpt(String corpus, int steps) {
        if (steps < 1) throw new IllegalArgumentException("Pretrained.gpt: steps must be >= 1, got " + steps);
        Path dir = dir(corpus, steps);
        try {
            if (!cached(corpus, steps)) {
                Corpus c = Corpus.load(corpus);
                CharTokenizer tok = CharTokenizer.fit(c.text());
                Decoder model = new Decoder(TransformerConfig.gpt2(tok.vocabSize()), new Rng(1337));
                TrainConfig tc = TrainConfig.reference().withSteps(steps).withEvalInterval(Math.max(1, steps / 4)).withThreads(Kernels.threads());
                new Trainer(model, tc, tok.encode(c.train()), tok.encode(c.validation())).label("pretraining " + corpus).run();
                Checkpoint.save(dir, model, tok, Map.of("corpus", corpus, "step", String.valueOf(steps), "recipe", "reference"));
            }
            return Checkpoint.load(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Pretrained.gpt: " + dir + ": " + e.getMessage(), e);
        }
    }
}
