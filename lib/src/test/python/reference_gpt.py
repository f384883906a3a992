#!/usr/bin/python3
"""Dev-time oracle: the book's reference GPT in PyTorch (Debian's python3-torch), for comparing
validation loss and training speed with ./llmbook train. Never a dependency of the project.

Same model and recipe as llmbook.model.gpt.Gpt + llmbook.train.Trainer: character vocabulary
(id 0 reserved for unknown, then the sorted characters), train = first 90% of Moby Dick cut after a
line break, 4 layers, 4 heads, width 128, context 128, batch 16, pre-LayerNorm, GELU (tanh) MLP x4,
learned positions, tied embeddings, no dropout, N(0, 0.02) init (residual projections 0.02/sqrt(2L)),
AdamW lr 1e-3, betas (0.9, 0.99), weight decay 0.1 on matrices, warm-up 100 steps then cosine to
1e-4 at the last step, clipping at 1.0, validation = mean loss of 20 random batches.

Run (give OpenBLAS the thread count; Debian's torch ignores torch.set_num_threads; ./llmbook bench --torch
tries several OPENBLAS_THREAD_TIMEOUT values and keeps the fastest, 16 is a good one):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 \
      OMP_WAIT_POLICY=passive OPENBLAS_THREAD_TIMEOUT=16 /usr/bin/python3 lib/src/test/python/reference_gpt.py --steps 2000
"""
import argparse, math, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--data", default=os.path.join(os.environ.get("LLMBOOK_DATA", "data"), "moby-dick/package/data/data.txt"))
ap.add_argument("--steps", type=int, default=2000)
ap.add_argument("--seed", type=int, default=1337)
ap.add_argument("--bench", action="store_true",
                help="time each step after 20 warm-up steps, no evaluation; print 'bench <median_s> <min_s>'")
ap.add_argument("--decode-bench", type=int, metavar="N",
                help="instead of training: time greedy decoding of N new tokens after --prompt with a preallocated KV "
                     "cache (untrained model, same window jumps as llmbook's Generator); print 'bench <median_s> <min_s>'")
ap.add_argument("--serve", action="store_true",
                help="instead of --steps: read 'steps N' lines from stdin, train N more steps for each, and answer "
                     "'times t1 ... tN' (seconds per step), so a caller can alternate its own timings with these")
ap.add_argument("--prompt", default="Call me Ishmael.")
ap.add_argument("--repeats", type=int, default=15)
args = ap.parse_args()
torch.manual_seed(args.seed)

text = open(args.data, encoding="utf-8").read()
chars = sorted(set(text))
stoi = {c: i + 1 for i, c in enumerate(chars)}
V, T, B, L, H, C = len(chars) + 1, 128, 16, 4, 4, 128
cut = text.find("\n", int(len(text) * 0.9)) + 1
train = torch.tensor([stoi[c] for c in text[:cut]], dtype=torch.long)
val = torch.tensor([stoi[c] for c in text[cut:]], dtype=torch.long)

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc, self.fc_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        att = att.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, C))
        return x + self.fc_proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))
    def cached(self, x, kc, vc, start):
        """x (1, t, C) at positions start..start+t-1; kc, vc (1, H, T, d) hold positions < start and get these."""
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v))
        kc[:, :, start:start + t], vc[:, :, start:start + t] = k, v
        n = start + t
        att = (q @ kc[:, :, :n].transpose(-2, -1)) / math.sqrt(C // H)
        if t > 1: att = att.masked_fill(torch.triu(torch.ones(t, n, dtype=torch.bool), n - t + 1), float("-inf"))
        x = x + self.proj((att.softmax(-1) @ vc[:, :, :n]).transpose(1, 2).reshape(b, t, C))
        return x + self.fc_proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))

class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf = nn.LayerNorm(C)
        for n, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if n.endswith(("proj.weight", "fc_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)
            elif n.endswith("bias"):
                nn.init.zeros_(p)
    def logits(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.lnf(x) @ self.wte.weight.t()
    def forward(self, idx, targets):
        return F.cross_entropy(self.logits(idx).view(-1, V), targets.view(-1))

    def next_logits(self, idx, caches, start):
        x = self.wte(idx) + self.wpe(torch.arange(start, start + idx.shape[1]))
        for blk, (kc, vc) in zip(self.blocks, caches):
            x = blk.cached(x, kc, vc, start)
        return self.lnf(x[:, -1]) @ self.wte.weight.t()

def greedy(model, prompt, n):
    """llmbook.sample.Generator's loop: when the window passes T, keep the last T/2 tokens and refill the cache."""
    caches = [(torch.zeros(1, H, T, C // H), torch.zeros(1, H, T, C // H)) for _ in range(L)]
    win, have, out = list(prompt[-T:]), 0, []
    for _ in range(n):
        if len(win) > T:
            win, have = win[len(win) - max(1, T // 2):], 0
        nxt = int(model.next_logits(torch.tensor([win[have:]]), caches, have).argmax())
        have = len(win)
        win.append(nxt)
        out.append(nxt)
    return out

def batch(src, g):
    o = torch.randint(0, len(src) - T, (B,), generator=g)
    return torch.stack([src[i:i + T] for i in o]), torch.stack([src[i + 1:i + T + 1] for i in o])

model = GPT()
if args.decode_bench is not None:
    if args.repeats < 1 or args.decode_bench < 1: ap.error("--decode-bench and --repeats must be >= 1")
    ids = [stoi.get(c, 0) for c in args.prompt]
    times = []
    with torch.inference_mode():
        # the baseline must be what it claims: the cached decoder writes what the plain forward writes
        win, plain = list(ids), []
        for _ in range(args.decode_bench):
            if len(win) > T: win = win[len(win) - max(1, T // 2):]
            plain.append(int(model.logits(torch.tensor([win]))[0, -1].argmax()))
            win.append(plain[-1])
        if greedy(model, ids, args.decode_bench) != plain:
            raise SystemExit("reference_gpt.py: the KV-cache decoder's greedy text differs from the plain forward's")
        for r in range(3 + args.repeats):
            ts = time.perf_counter()
            greedy(model, ids, args.decode_bench)
            if r >= 3: times.append(time.perf_counter() - ts)
    times.sort()
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    print(f"bench {times[len(times) // 2]:.6f} {times[0]:.6f}")
    raise SystemExit(0)
decay = [p for p in model.parameters() if p.dim() >= 2]
rest = [p for p in model.parameters() if p.dim() < 2]
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                        lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
def lr_at(s, warm=100, total=args.steps, hi=1e-3, lo=1e-4):
    if s < warm: return hi * (s + 1) / warm
    if s >= total: return lo
    return lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * (s - warm) / (total - warm)))

g, gv = torch.Generator().manual_seed(args.seed), torch.Generator().manual_seed(args.seed ^ 0x5EED)
def step(s):
    """One optimisation step (step index s for the schedule); returns its loss tensor."""
    for pg in opt.param_groups: pg["lr"] = lr_at(s)
    x, y = batch(train, g)
    loss = model(x, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss
if args.serve:
    s = 0
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["quit"]: break
        if len(words) != 2 or words[0] != "steps" or not words[1].isdigit() or int(words[1]) < 1:
            print(f"error: expected 'steps N' (N >= 1) or 'quit', got {line.strip()!r}", flush=True)
            continue
        times = []
        for _ in range(int(words[1])):
            ts = time.perf_counter()
            step(s)
            times.append(time.perf_counter() - ts)
            s += 1
        print("times " + " ".join(f"{t:.6f}" for t in times), flush=True)
    raise SystemExit(0)
t0, n0 = None, 0
step_times = []
for s in range(args.steps):
    if s == 20: t0 = time.time()
    ts = time.perf_counter()
    loss = step(s)
    if s >= 20: step_times.append(time.perf_counter() - ts)
    if args.bench: continue
    if (s + 1) % 250 == 0 or s + 1 == args.steps:
        tps = (s + 1 - 20) * B * T / (time.time() - t0) if t0 and s >= 20 else float("nan")
        with torch.no_grad():
            gv.manual_seed(args.seed ^ 0x5EED)
            vl = sum(model(*batch(val, gv)).item() for _ in range(20)) / 20
        print(f"step {s + 1}: train {loss.item():.4f} val {vl:.4f} ({tps:,.0f} tokens/s)", flush=True)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
if args.bench and step_times:
    step_times.sort()
    print(f"bench {step_times[len(step_times) // 2]:.6f} {step_times[0]:.6f}")
