package llmbook.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import llmbook.kernels.Kernels;
import llmbook.model.Checkpoint;
import llmbook.serve.LoadTest;

/**
 * {@code ./llmbook bench --serve}: a bounded load test of {@code ./llmbook serve} on 127.0.0.1 ({@link LoadTest}):
 * p50/p99 latency and tokens/s vs concurrent clients, batching on and off. Q50.
 */
final class BenchServe {
    private BenchServe() {}

    static final String HELP = """
            usage: ./llmbook bench --serve [--run DIR] [--clients 1,2,4,8,16,32] [--requests N] [--max-tokens N] [--seconds S] [--threads N]

            Starts the completions server in this process on 127.0.0.1 (a free port), and for each client count and
            batching on/off sends requests from that many concurrent clients, each one after another. Bounded: at most
            clients x requests requests per setting, none started after S seconds.
              --run DIR         model folder (default runs/base-moby-dick-2000, the book's pretrained GPT)
              --clients LIST    concurrent clients to try, each 1 … 256 (default 1,2,4,8,16,32)
              --requests N      requests per client (default 2)
              --max-tokens N    new tokens per request (default 24)
              --seconds S       time bound per setting (default 60)
              --threads N       kernel threads (default 1)
            """;

    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guard("bench", err, () -> {
            LoadTest.Plan plan;
            Path run;
            try {
                Flags f = new Flags(args, Set.of("run", "clients", "requests", "max-tokens", "seconds", "threads"), Set.of("serve", "help"));
                if (f.has("help")) { out.print(HELP); return 0; }
                run = Path.of(f.string("run", "runs/base-moby-dick-2000"));
                int[] clients;
                try {
                    clients = Arrays.stream(f.string("clients", "1,2,4,8,16,32").split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
                } catch (NumberFormatException e) {
                    throw new Flags.UsageException("--clients must be a comma-separated list of whole numbers, got '" + f.string("clients", "") + "'");
                }
                try {
                    plan = new LoadTest.Plan(clients, f.integer("requests", 2, 1), f.integer("max-tokens", 24, 1), f.integer("seconds", 60, 1));
                } catch (IllegalArgumentException e) {
                    throw new Flags.UsageException(e.getMessage());
                }
                Kernels.setThreads(f.integer("threads", 1, 1));
                if (!Files.isDirectory(run)) throw new Flags.UsageException("--run: no model folder " + run + " (train one with ./llmbook train, or run the book's notebooks)");
            } catch (Flags.UsageException e) {
                err.println("llmbook bench: " + e.getMessage() + " (see ./llmbook bench --serve --help)");
                return 2;
            }
            Checkpoint.Loaded c = Checkpoint.load(run);
            out.printf("serve load test of %s on 127.0.0.1: %d request(s) per client, %d new tokens each, at most %d s per setting%n", run,
                    plan.requests(), plan.maxTokens(), plan.seconds());
            out.printf("%-9s %7s %9s %7s %9s %9s %10s %10s%n", "batching", "clients", "completed", "refused", "p50 ms", "p99 ms", "tokens/s", "mean batch");
            for (boolean batching : new boolean[] {true, false})
                for (int k : plan.clients()) {
                    LoadTest.Row r = LoadTest.one(c.model(), c.tokenizer(), plan, k, batching);
                    out.printf(Locale.ROOT, "%-9s %7d %9d %7d %9.0f %9.0f %10.1f %10.2f%n", batching ? "on" : "off", r.clients(), r.completed(),
                            r.refused() + r.failed(), r.p50Ms(), r.p99Ms(), r.tokensPerSecond(), r.meanBatch());
                }
            return 0;
        });
    }

    /** Used by {@link Bench} when its arguments hold {@code --serve}. */
    static boolean wants(String[] args) { return List.of(args).contains("--serve"); }
}
