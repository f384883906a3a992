package llmbook.serve;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import llmbook.model.DecodeCache;
import llmbook.model.LanguageModel;
import llmbook.model.transformer.Decoder;
import llmbook.model.transformer.TransformerConfig;
import llmbook.nn.Module;
import llmbook.sample.Generator;
import llmbook.sample.Sampler;
import llmbook.tensor.Rng;
import llmbook.tensor.Tensor;
import llmbook.tokenizer.CharTokenizer;
import llmbook.util.Json;

/** Batched decoding (same tokens as alone), 429 and 503 under load, malformed bodies, slow and vanishing clients. */
class BatchingTest {
    static final CharTokenizer TOK = CharTokenizer.fit("abcdefgh ijklmnop.");
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    static Decoder tiny() {
        return new Decoder(TransformerConfig.gpt2(TOK.vocabSize()).toBuilder().context(64).layers(2).heads(2).width(16).hidden(32).build(), new Rng(7));
    }

    /** A model that sleeps {@code ms} in every forward pass, so requests stay in flight long enough to collide. */
    record Slow(Decoder m, long ms) implements LanguageModel {
        public int vocab() { return m.vocab(); }
        public int context() { return m.context(); }
        public Tensor logits(int[] ids, int B, int T) { nap(); return m.logits(ids, B, T); }
        public DecodeCache newCache(int batch) { return m.newCache(batch); }
        public boolean supportsCache() { return true; }
        public Tensor logits(int[] ids, int B, int T, DecodeCache c) { nap(); return m.logits(ids, B, T, c); }
        public Map<String, Tensor> namedParameters() { return m.namedParameters(); }
        public List<Tensor> parameters() { return m.parameters(); }
        public Module train(boolean on) { return m.train(on); }
        public boolean isTraining() { return m.isTraining(); }
        public void zeroGrad() { m.zeroGrad(); }
        void nap() {
            try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        }
    }

    static List<Integer> drain(Batcher.Job j) throws InterruptedException {
        List<Integer> out = new ArrayList<>();
        for (int t; (t = j.out.take()) != Batcher.END; ) {
            assertNotEquals(Batcher.FAILED, t, () -> j.error);
            out.add(t);
        }
        return out;
    }

    @Test
    void aBatchGivesEachRequestTheTokensItGetsAlone() throws Exception {
        Decoder m = tiny();
        int[][] prompts = {TOK.encode("abc"), TOK.encode("hello a"), TOK.encode("p"), TOK.encode("big fine pie.")};
        int[] maxNew = {9, 4, 12, 7};
        // each pass naps 3 ms, so the four submissions land while the first request's first pass runs (a bare tiny
        // model finished passes alone before the next submission on a busy machine: mean batch 1.37 in one CI run)
        try (Batcher b = new Batcher(new Slow(m, 3), 4)) {
            // greedy, and seeded sampling: each row has its own generator, so it draws what it would draw alone
            for (boolean greedy : new boolean[] {true, false}) {
                List<Batcher.Job> jobs = new ArrayList<>();
                for (int i = 0; i < prompts.length; i++)
                    jobs.add(b.submit(prompts[i], maxNew[i], greedy ? Sampler.greedy() : Sampler.of(1f, 0, 1f, new Rng(100 + i))));
                for (int i = 0; i < prompts.length; i++) {
                    int[] alone = new Generator(m).generate(prompts[i], maxNew[i], greedy ? Sampler.greedy() : Sampler.of(1f, 0, 1f, new Rng(100 + i)));
                    List<Integer> got = drain(jobs.get(i));
                    assertEquals(maxNew[i], got.size());
                    for (int k = 0; k < maxNew[i]; k++) assertEquals(alone[prompts[i].length + k], got.get(k), "request " + i + " token " + k);
                }
            }
            assertTrue(b.meanBatch() > 1.5, "requests submitted together must share passes, mean batch " + b.meanBatch());
        }
    }

    @Test
    void aRequestLongerThanTheContextRunsAloneAndStillAnswers() throws Exception {
        Decoder m = tiny();
        int[] prompt = TOK.encode("abc");
        try (Batcher b = new Batcher(m, 2)) {
            List<Integer> got = drain(b.submit(prompt, 80, Sampler.greedy()));
            int[] alone = new Generator(m).greedy(prompt, 80);
            assertEquals(80, got.size());
            for (int k = 0; k < 80; k++) assertEquals(alone[prompt.length + k], got.get(k));
        }
    }

    static HttpResponse<String> post(Server s, String body) throws Exception {
        return CLIENT.send(request(s, body), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(Server s, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/v1/completions")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
    }

    @SuppressWarnings("unchecked")
    static String text(HttpResponse<String> r) {
        return (String) ((Map<String, Object>) ((List<Object>) Json.parseObject(r.body()).get("choices")).get(0)).get("text");
    }

    @Test
    void concurrentGreedyRequestsGetTheSameTextWithBatchingOnAndOff() throws Exception {
        Decoder m = tiny();
        List<String> on = new ArrayList<>(), off = new ArrayList<>();
        for (boolean batching : new boolean[] {true, false}) {
            try (Server s = new Server(new Slow(m, 2), TOK, Server.Config.defaults(0, "t").withLimits(50, 4096, 8).withBatching(batching)).start()) {
                List<CompletableFuture<HttpResponse<String>>> fs = new ArrayList<>();
                for (int i = 0; i < 6; i++)
                    fs.add(CLIENT.sendAsync(request(s, "{\"prompt\": \"" + "abcdefgh".substring(0, 1 + i) + "\", \"max_tokens\": " + (5 + i) + ", \"temperature\": 0}"),
                            HttpResponse.BodyHandlers.ofString()));
                for (var f : fs) {
                    var r = f.get();
                    assertEquals(200, r.statusCode(), r.body());
                    (batching ? on : off).add(text(r));
                }
                assertEquals(batching, s.batching());
                if (batching) assertTrue(s.meanBatch() > 1, "six requests at once never shared a pass: mean batch " + s.meanBatch());
            }
        }
        assertEquals(off, on);
    }

    static void awaitInFlight(Server s, int n) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (s.inFlight() < n) {
            assertTrue(System.nanoTime() < end, "requests never got in flight");
            Thread.sleep(5);
        }
    }

    @Test
    void tooManyRequestsInFlightGet429AndTheOthersFinish() throws Exception {
        try (Server s = new Server(new Slow(tiny(), 25), TOK, Server.Config.defaults(0, "t").withLimits(50, 4096, 2)).start()) {
            var a = CLIENT.sendAsync(request(s, "{\"prompt\": \"abc\", \"max_tokens\": 30}"), HttpResponse.BodyHandlers.ofString());
            var b = CLIENT.sendAsync(request(s, "{\"prompt\": \"abd\", \"max_tokens\": 30}"), HttpResponse.BodyHandlers.ofString());
            awaitInFlight(s, 2);                                       // both admitted; 30 steps of 25 ms each to go
            var r = post(s, "{\"prompt\": \"x\", \"max_tokens\": 2}");
            assertEquals(429, r.statusCode(), r.body());
            assertTrue(r.body().contains("rate_limit_error"), r.body());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
            assertEquals(1, s.rejected());
            assertEquals(200, a.get().statusCode());
            assertEquals(200, b.get().statusCode());
            assertEquals(200, post(s, "{\"prompt\": \"x\", \"max_tokens\": 2}").statusCode());   // slots are free again
        }
    }

    @Test
    void aRequestThatCannotStartInTimeGets503() throws Exception {
        for (boolean batching : new boolean[] {false, true}) {
            Server.Config c = Server.Config.defaults(0, "t").withLimits(50, 4096, 4).withBatching(batching).withQueueTimeout(150);
            try (Server s = new Server(new Slow(tiny(), 25), TOK, c).start()) {
                var a = CLIENT.sendAsync(request(s, "{\"prompt\": \"abc\", \"max_tokens\": 40}"), HttpResponse.BodyHandlers.ofString());
                awaitInFlight(s, 1);
                Thread.sleep(60);                                      // a holds the model (or the running batch) for ~1 s
                var r = post(s, "{\"prompt\": \"x\", \"max_tokens\": 2}");
                assertEquals(503, r.statusCode(), "batching " + batching + ": " + r.body());
                assertTrue(r.body().contains("overloaded"), r.body());
                assertEquals(1, s.overloaded());
                assertEquals(200, a.get().statusCode());
                assertEquals(200, post(s, "{\"prompt\": \"x\", \"max_tokens\": 2}").statusCode());
            }
        }
    }

    @Test
    void malformedBodiesGet400AndTheServerGoesOn() throws Exception {
        try (Server s = new Server(tiny(), TOK, Server.Config.defaults(0, "t")).start()) {
            for (String bad : List.of("", "not json", "[1, 2]", "{\"prompt\": \"a\"", "{\"prompt\": \"a\",}", "{\"prompt\": 3}", "\u0000\u0001\u0002",
                    "{\"prompt\": \"a\", \"max_tokens\": 1e99}", "{\"prompt\": \"a\", \"stream\": \"yes\"}")) {
                var r = post(s, bad);
                assertEquals(400, r.statusCode(), bad + " -> " + r.body());
                assertTrue(r.body().startsWith("{\"error\""), r.body());
                assertFalse(r.body().contains("at llmbook."), r.body());
            }
            assertEquals(200, post(s, "{\"prompt\": \"abc\", \"max_tokens\": 3}").statusCode());
        }
    }

    @Test
    void aSlowSenderDoesNotHoldUpOthers() throws Exception {
        try (Server s = new Server(tiny(), TOK, Server.Config.defaults(0, "t").withLimits(50, 4096, 2)).start();
             Socket slow = new Socket("127.0.0.1", s.port())) {
            String body = "{\"prompt\": \"abc\", \"max_tokens\": 4, \"temperature\": 0}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(b, 0, 10);                                       // half a body, then silence
            out.flush();
            long t0 = System.nanoTime();
            for (int i = 0; i < 3; i++) assertEquals(200, post(s, "{\"prompt\": \"abc\", \"max_tokens\": 3}").statusCode());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "other requests waited for the slow sender");
            out.write(b, 10, b.length - 10);                           // it finishes at last and is answered
            out.flush();
            String head = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", head);
        }
    }

    @Test
    void aClientLeavingMidStreamLeavesTheBatch() throws Exception {
        try (Server s = new Server(new Slow(tiny(), 40), TOK, Server.Config.defaults(0, "t").withLimits(60, 4096, 2)).start()) {
            long before = s.batchSteps();
            try (Socket sock = new Socket("127.0.0.1", s.port())) {
                String body = "{\"prompt\": \"abc\", \"max_tokens\": 60, \"stream\": true}";
                OutputStream out = sock.getOutputStream();
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = sock.getInputStream();
                String seen = "";
                while (!seen.contains("data: ")) seen += new String(in.readNBytes(1), StandardCharsets.UTF_8);   // the first token arrived
            }
            // the row is dropped at its next token instead of decoding all 60: the slots come back and the model answers
            for (int i = 0; i < 2; i++) assertEquals(200, post(s, "{\"prompt\": \"abc\", \"max_tokens\": 2}").statusCode());
            long steps = s.batchSteps() - before;
            assertTrue(steps < 45, "the abandoned stream kept decoding: " + steps + " passes");
        }
    }
}
