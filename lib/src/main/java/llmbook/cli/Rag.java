package llmbook.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import llmbook.data.Corpus;
import llmbook.kernels.Kernels;
import llmbook.model.Checkpoint;
import llmbook.model.MiniLm;
import llmbook.retrieval.Bm25;
import llmbook.retrieval.DenseIndex;
import llmbook.sample.Generator;

/** {@code ./llmbook rag}: the passages BM25, dense (MiniLM) and hybrid retrieval find for a query, and a model's continuation. Q23. */
public final class Rag {
    private Rag() {}

    static final String HELP = """
            usage: ./llmbook rag --query TEXT [--corpus NAME] [--top K] [--passages N] [--run DIR] [--max-tokens N]

            Cuts the corpus into passages (consecutive sentences, at least 50 words), indexes the last N of them
            with BM25 and with all-MiniLM-L6-v2 sentence vectors (embedded once, then cached in
            runs/rag-NAME-N.vec), and prints the K best passages for the query by BM25, by cosine, and by
            reciprocal-rank fusion of the two. With --run, a model saved by ./llmbook train then continues the
            prompt "best passage + query" (cut from the front to fit its context), greedily.
              --query TEXT     what to search for (required)
              --corpus NAME    corpus to search (default sotu)
              --top K          passages per retriever (default 3)
              --passages N     how many passages (the most recent) to index (default 1000)
              --run DIR        a model folder written by ./llmbook train; continue the prompt with it
              --max-tokens N   tokens the model writes (default 200)
              --threads N      kernel threads (default 2)
              --help           this text
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("rag", err, () -> {
            for (String a : args) if (a.equals("-h") || a.equals("--help")) { out.print(HELP); return 0; }
            Flags f;
            String query, corpus;
            int top, n, maxTokens;
            try {
                f = new Flags(args, Set.of("query", "corpus", "top", "passages", "run", "max-tokens", "threads"), Set.of());
                if (!f.has("query")) throw new Flags.UsageException("--query is required");
                query = f.string("query", "");
                corpus = f.string("corpus", "sotu");
                if (query.isBlank()) throw new Flags.UsageException("--query must not be blank");
                top = f.integer("top", 3, 1);
                n = f.integer("passages", 1000, 1);
                maxTokens = f.integer("max-tokens", 200, 1);
                Kernels.setThreads(f.integer("threads", 2, 1));
            } catch (Flags.UsageException e) {
                err.println("llmbook rag: " + e.getMessage());
                err.println("run ./llmbook rag --help for the flags");
                return 2;
            }
            Path runDir = f.has("run") ? Path.of(f.string("run", "")) : null;
            if (runDir != null && !Files.isDirectory(runDir)) {
                err.println("llmbook rag: " + runDir + ": no such folder (train one with ./llmbook train --out DIR)");
                return 1;
            }
            Corpus c = Corpus.load(corpus);
            Path cache = Corpus.dataDir().toAbsolutePath().getParent().resolve("runs").resolve("rag-" + corpus + "-" + n + ".vec");
            if (!Files.isRegularFile(cache)) err.println("embedding " + n + " passages of " + corpus + " with all-MiniLM-L6-v2 (once; cached in " + cache + ")");
            MiniLm m = MiniLm.load();
            llmbook.retrieval.Rag rag = llmbook.retrieval.Rag.of(c, 50, n, m, cache);
            var r = rag.search(query, DenseIndex.encode(m, query), top);
            print(out, "BM25", r.bm25(), rag.texts());
            print(out, "dense (MiniLM cosine)", r.dense(), rag.texts());
            print(out, "hybrid (reciprocal-rank fusion)", r.hybrid(), rag.texts());
            if (runDir != null) {
                Checkpoint.Loaded ck = Checkpoint.load(runDir);
                int ctx = ck.model().context();
                String prompt = llmbook.retrieval.Rag.prompt(List.of(rag.texts().get(r.hybrid().get(0).doc())), query, Math.max(1, ctx / 2));
                int[] ids = ck.tokenizer().encode(prompt);
                int[] all = new Generator(ck.model()).greedy(ids, maxTokens);
                out.println("== model continuation (" + runDir + ", prompt = best hybrid passage + query, last " + prompt.length() + " characters)");
                out.println(prompt + "⟨" + ck.tokenizer().decode(java.util.Arrays.copyOfRange(all, ids.length, all.length)) + "⟩");
            }
            return 0;
        });
    }

    private static void print(PrintStream out, String name, List<Bm25.Hit> hits, List<String> texts) {
        out.println("== " + name);
        for (int i = 0; i < hits.size(); i++) {
            String t = texts.get(hits.get(i).doc());
            out.printf(Locale.ROOT, "%d. [%d] %.4f  %s%n", i + 1, hits.get(i).doc(), hits.get(i).score(), t.length() > 240 ? t.substring(0, 240) + " …" : t);
        }
    }
}
