#!/usr/bin/python3
"""Dev-time oracle: batch-1 greedy generation speed of the reference GPT in PyTorch, with a KV cache, to compare
with `./llmbook generate --bench`. Never a dependency of the project.

Same model as reference_gpt.py (4 layers, 4 heads, width 128, context 128, untrained: speed does not depend on
the weights) and the same window as llmbook.model.gpt.Generator: the model sees tokens start..n-1; when the
window would outgrow the context it jumps to the last context/2 tokens and the cache is refilled in one pass.
Times 256 new tokens after a 16-token prompt: warm-up, then the median of 15 runs.

Run on one thread (Debian's torch uses OpenBLAS and ignores torch.set_num_threads):
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
      /usr/bin/python3 lib/src/test/python/reference_generate.py
"""
import argparse, math, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--new", type=int, default=256)
ap.add_argument("--prompt", type=int, default=16)
ap.add_argument("--runs", type=int, default=15)
ap.add_argument("--no-cache", action="store_true")
args = ap.parse_args()
torch.manual_seed(1337)
V, T, L, H, C = 84, 128, 4, 4, 128
d = C // H

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.fc, self.fc_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)
    def forward(self, x, cache):
        """x: (1, t, C) new positions; cache: [k, v] of shape (1, H, s, d) or None entries. Returns x, new cache."""
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (z.view(b, t, H, d).transpose(1, 2) for z in (q, k, v))
        if cache[0] is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        s = k.shape[2]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d)
        if t > 1:   # causal within the new positions (they sit at the end of the s cached + new ones)
            mask = torch.triu(torch.ones(t, s, dtype=torch.bool), s - t + 1)
            att = att.masked_fill(mask, float("-inf"))
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, C)
        x = x + self.proj(y)
        return x + self.fc_proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh")), [k, v]

class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf = nn.LayerNorm(C)
        for n, p in self.named_parameters():
            if p.dim() == 2: nn.init.normal_(p, 0.0, 0.02)
    def forward(self, idx, start, caches):
        t = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(start, start + t))
        out = []
        for blk, c in zip(self.blocks, caches):
            x, c = blk(x, c)
            out.append(c)
        return self.lnf(x[:, -1]) @ self.wte.weight.t(), out

model = GPT().eval()

def generate(prompt, new, use_cache):
    out = list(prompt)
    start, cached_from, caches, have = max(0, len(out) - T), -1, None, 0
    for n in range(len(prompt), len(prompt) + new):
        if n - start > T: start = n - T // 2
        if use_cache:
            if cached_from != start:
                caches, cached_from, have = [[None, None] for _ in range(L)], start, start
            logits, caches = model(torch.tensor([out[have:n]]), have - start, caches)
            have = n
        else:
            logits, _ = model(torch.tensor([out[start:n]]), 0, [[None, None] for _ in range(L)])
        out.append(int(logits.argmax()))
    return out

prompt = [(7 * i) % V for i in range(args.prompt)]
with torch.no_grad():
    if not args.no_cache:
        assert generate(prompt, 40, True) == generate(prompt, 40, False), "cache changes the greedy output"
    t0 = time.time()
    while time.time() - t0 < 3: generate(prompt, args.new, not args.no_cache)
    times = []
    for _ in range(args.runs):
        s = time.time()
        generate(prompt, args.new, not args.no_cache)
        times.append(time.time() - s)
med = statistics.median(times)
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}: {args.new} new tokens "
      f"{'without' if args.no_cache else 'with'} KV cache: median {med * 1e3:.2f} ms (min {min(times) * 1e3:.2f}), "
      f"{args.new / med:,.0f} tokens/s")
