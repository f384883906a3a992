package llmbook.serve;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import llmbook.model.LanguageModel;
import llmbook.tokenizer.Tokenizer;
import llmbook.util.Json;

/**
 * A bounded load test of {@link Server}: {@code C} clients on 127.0.0.1 each send {@code requests} completions one
 * after another (never more, and none after {@code seconds}), against a server started for the test with batching on
 * or off, after two untimed warm-up requests. Reports latency percentiles, tokens/s and the batch the server actually formed. Q50.
 * <pre>{@code
 * List<LoadTest.Row> rows = LoadTest.run(model, tokenizer, new LoadTest.Plan(new int[] {1, 4, 16}, 2, 16, 60));
 * }</pre>
 * Only loopback traffic: the server binds 127.0.0.1 and the clients call that address.
 */
public final class LoadTest {
    private LoadTest() {}

    /** Client counts to try, requests per client, new tokens per request, and a time bound per setting in seconds. */
    public record Plan(int[] clients, int requests, int maxTokens, int seconds) {
        public Plan {
            if (clients.length == 0) throw new IllegalArgumentException("LoadTest: no client counts");
            for (int c : clients) if (c < 1 || c > 256) throw new IllegalArgumentException("LoadTest: clients must be in 1 … 256, got " + c);
            if (requests < 1 || requests > 1000) throw new IllegalArgumentException("LoadTest: requests per client must be in 1 … 1000, got " + requests);
            if (maxTokens < 1) throw new IllegalArgumentException("LoadTest: max tokens must be >= 1, got " + maxTokens);
            if (seconds < 1 || seconds > 600) throw new IllegalArgumentException("LoadTest: seconds must be in 1 … 600, got " + seconds);
        }
    }

    /**
     * One setting's result: completed requests, refused (429/503) and failed ones, latency p50/p99 in ms, completion
     * tokens per second over the setting's wall time, and the mean sequences per forward pass the server ran.
     */
    public record Row(boolean batching, int clients, int completed, int refused, int failed, double p50Ms, double p99Ms, double tokensPerSecond,
                      double meanBatch, double seconds) {}

    static final String[] PROMPTS = {"Call me Ishmael. ", "The whale ", "It was a dark night and ", "Queequeg said ", "Upon the sea ",
            "Ahab stood ", "The ship ", "In the morning "};

    /** Every client count, with batching on then off. */
    public static List<Row> run(LanguageModel model, Tokenizer tokenizer, Plan plan) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (boolean batching : new boolean[] {true, false})
            for (int c : plan.clients()) rows.add(one(model, tokenizer, plan, c, batching));
        return rows;
    }

    /** One setting: a fresh server, {@code clients} client threads, bounded in count and time. */
    public static Row one(LanguageModel model, Tokenizer tokenizer, Plan plan, int clients, boolean batching) throws IOException, InterruptedException {
        int maxC = Arrays.stream(plan.clients()).max().orElse(1);
        Server.Config cfg = Server.Config.defaults(0, "load-test").withLimits(Math.max(256, plan.maxTokens()), 64 * 1024, maxC)
                .withBatching(batching).withQueueTimeout(plan.seconds() * 1000L);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong tokens = new AtomicLong(), refused = new AtomicLong(), failed = new AtomicLong();
        double wall, meanBatch;
        try (Server server = new Server(model, tokenizer, cfg).start()) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/completions");
            for (int i = 0; i < 2; i++)                                         // warm-up (compiles the decode path), not timed
                http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("prompt", PROMPTS[i], "max_tokens",
                        plan.maxTokens())))).build(), HttpResponse.BodyHandlers.discarding());
            long steps0 = server.batchSteps(), rows0 = server.batchRows();
            long t0 = System.nanoTime(), deadline = t0 + plan.seconds() * 1_000_000_000L;
            List<Thread> threads = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                int client = k;
                threads.add(Thread.ofPlatform().name("load-client-" + k).start(() -> {
                    for (int i = 0; i < plan.requests() && System.nanoTime() < deadline; i++) {
                        String body = Json.write(Map.of("prompt", PROMPTS[(client + i) % PROMPTS.length], "max_tokens", plan.maxTokens(),
                                "temperature", 0.8, "seed", 1000 * client + i));
                        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(plan.seconds() + 60L))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        long s = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                latencies.add((System.nanoTime() - s) / 1e6);
                                tokens.addAndGet(completionTokens(r.body()));
                            } else if (r.statusCode() == 429 || r.statusCode() == 503) refused.incrementAndGet();
                            else failed.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
            for (Thread t : threads) t.join();
            wall = (System.nanoTime() - t0) / 1e9;
            long steps = server.batchSteps() - steps0;
            meanBatch = batching && steps > 0 ? (double) (server.batchRows() - rows0) / steps : 1;
        }
        double[] l = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Row(batching, clients, l.length, (int) refused.get(), (int) failed.get(), percentile(l, 0.50), percentile(l, 0.99),
                tokens.get() / wall, meanBatch, wall);
    }

    @SuppressWarnings("unchecked")
    private static long completionTokens(String body) {
        Object usage = Json.parseObject(body).get("usage");
        return usage instanceof Map<?, ?> u && u.get("completion_tokens") instanceof Long n ? n : 0;
    }

    /** The nearest-rank percentile of sorted values (NaN when there are none). */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
