#!/usr/bin/env python3
"""Trains a tiny Qwen2 ('qwen2') or Qwen2-MoE ('qwen2moe') model on passkey retrieval (development
time only; CPU, seeded).

The architecture is Qwen2's: RMSNorm, RoPE (NeoX halves, base 1e6), grouped-query attention with
biases on Q, K and V, SwiGLU; the MoE variant has routed experts (softmax over the router's logits,
top-k, weights not renormalised, as Qwen2-57B-A14B) plus a shared expert behind a sigmoid gate.
Only the token ids that occur in the training data get rows ("compact vocabulary"); every other row of
the full 151,936-token vocabulary is zero in the GGUF the app writes from these weights, so its logit
is exactly 0. The loss accounts for those rows (one log-sum-exp term for all of them), so it is the
full-vocabulary loss of the written model.

    python3 tools/needle/make-data.ts ...   # (node) the samples, see make-data.ts
    python3 tools/needle/train.py --arch qwen2 --data .cache/needle/data.bin --out assets/needle/qwen2 --seed 1

Writes OUT.weights (a JSON header, then float16 tensors) and OUT.parity.json (reference logits of
this forward pass for fixed prompts, which the tests compare with llama.cpp's).
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

FULL_VOCAB = 151936


def read_samples(path):
    words = np.fromfile(path, dtype='<u4')
    n, pos, samples = int(words[0]), 1, []
    for _ in range(n):
        length, answer = int(words[pos]), int(words[pos + 1])
        samples.append((words[pos + 2:pos + 2 + length].astype(np.int64), answer))
        pos += 2 + length
    return samples


CONFIGS = {
    'qwen2': dict(hidden=128, layers=4, heads=4, kv_heads=2, head_dim=32, ffn=384),
    'qwen2moe': dict(hidden=128, layers=4, heads=4, kv_heads=2, head_dim=32, experts=4, experts_used=2,
                     expert_ffn=128, shared_ffn=256),
}


class Tensors(torch.nn.Module):
    """Parameters by their GGUF tensor names (torch does not allow dots in parameter names)."""

    def __init__(self):
        super().__init__()
        self.p = torch.nn.ParameterDict()

    def __setitem__(self, name, value):
        self.p[name.replace('.', '__')] = value

    def __getitem__(self, name):
        return self.p[name.replace('.', '__')]

    def items(self):
        return [(k.replace('__', '.'), v) for k, v in self.p.items()]

    def values(self):
        return list(self.p.values())


class Model(torch.nn.Module):
    def __init__(self, arch, vocab, context, cfg):
        super().__init__()
        self.arch, self.cfg, self.vocab = arch, cfg, vocab
        h, hd = cfg['hidden'], cfg['head_dim']
        q, kv = cfg['heads'] * hd, cfg['kv_heads'] * hd
        P = torch.nn.Parameter
        init = lambda *shape, fan: P(torch.randn(*shape) / math.sqrt(fan))
        self.t = Tensors()
        self.t['token_embd.weight'] = P(torch.randn(vocab, h) * 0.5)
        for i in range(cfg['layers']):
            b = f'blk.{i}.'
            self.t[b + 'attn_norm.weight'] = P(torch.ones(h))
            self.t[b + 'attn_q.weight'] = init(q, h, fan=h)
            self.t[b + 'attn_q.bias'] = P(torch.zeros(q))
            self.t[b + 'attn_k.weight'] = init(kv, h, fan=h)
            self.t[b + 'attn_k.bias'] = P(torch.zeros(kv))
            self.t[b + 'attn_v.weight'] = init(kv, h, fan=h)
            self.t[b + 'attn_v.bias'] = P(torch.zeros(kv))
            self.t[b + 'attn_output.weight'] = init(h, q, fan=q * 2 * cfg['layers'])
            self.t[b + 'ffn_norm.weight'] = P(torch.ones(h))
            if arch == 'qwen2':
                f = cfg['ffn']
                self.t[b + 'ffn_gate.weight'] = init(f, h, fan=h)
                self.t[b + 'ffn_up.weight'] = init(f, h, fan=h)
                self.t[b + 'ffn_down.weight'] = init(h, f, fan=f * 2 * cfg['layers'])
            else:
                e, f, s = cfg['experts'], cfg['expert_ffn'], cfg['shared_ffn']
                self.t[b + 'ffn_gate_inp.weight'] = init(e, h, fan=h)
                self.t[b + 'ffn_gate_exps.weight'] = init(e, f, h, fan=h)
                self.t[b + 'ffn_up_exps.weight'] = init(e, f, h, fan=h)
                self.t[b + 'ffn_down_exps.weight'] = init(e, h, f, fan=f * 2 * cfg['layers'])
                self.t[b + 'ffn_gate_inp_shexp.weight'] = init(1, h, fan=h)
                self.t[b + 'ffn_gate_shexp.weight'] = init(s, h, fan=h)
                self.t[b + 'ffn_up_shexp.weight'] = init(s, h, fan=h)
                self.t[b + 'ffn_down_shexp.weight'] = init(h, s, fan=s * 2 * cfg['layers'])
        self.t['output_norm.weight'] = P(torch.ones(h))
        self.t['output.weight'] = init(vocab, h, fan=h)
        inv = 1.0 / (1e6 ** (torch.arange(0, hd, 2).float() / hd))
        ang = torch.outer(torch.arange(context).float(), inv)
        self.register_buffer('cos', torch.cat([ang.cos(), ang.cos()], -1), persistent=False)
        self.register_buffer('sin', torch.cat([ang.sin(), ang.sin()], -1), persistent=False)

    @staticmethod
    def norm(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w

    def rope(self, x, n):
        half = x.shape[-1] // 2
        rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
        return x * self.cos[:n] + rotated * self.sin[:n]

    def attention(self, x, b):
        c, t = self.cfg, self.t
        B, N, _ = x.shape
        hd, H, K = c['head_dim'], c['heads'], c['kv_heads']
        q = F.linear(x, t[b + 'attn_q.weight'], t[b + 'attn_q.bias']).view(B, N, H, hd).transpose(1, 2)
        k = F.linear(x, t[b + 'attn_k.weight'], t[b + 'attn_k.bias']).view(B, N, K, hd).transpose(1, 2)
        v = F.linear(x, t[b + 'attn_v.weight'], t[b + 'attn_v.bias']).view(B, N, K, hd).transpose(1, 2)
        q, k = self.rope(q, N), self.rope(k, N)
        k = k.repeat_interleave(H // K, dim=1)
        v = v.repeat_interleave(H // K, dim=1)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        mask = torch.ones(N, N, dtype=torch.bool).triu(1)
        scores = scores.masked_fill(mask, float('-inf'))
        out = scores.softmax(-1) @ v
        return F.linear(out.transpose(1, 2).reshape(B, N, H * hd), t[b + 'attn_output.weight'])

    def ffn(self, x, b):
        t = self.t
        if self.arch == 'qwen2':
            return F.linear(F.silu(F.linear(x, t[b + 'ffn_gate.weight'])) * F.linear(x, t[b + 'ffn_up.weight']), t[b + 'ffn_down.weight'])
        c = self.cfg
        probs = F.linear(x, t[b + 'ffn_gate_inp.weight']).softmax(-1)
        top, idx = probs.topk(c['experts_used'], dim=-1)
        routed = torch.zeros_like(x)
        for e in range(c['experts']):
            weight = (top * (idx == e)).sum(-1, keepdim=True)  # 0 where expert e is not chosen
            if not bool((weight > 0).any()):
                continue
            g = torch.einsum('bnh,fh->bnf', x, t[b + 'ffn_gate_exps.weight'][e])
            u = torch.einsum('bnh,fh->bnf', x, t[b + 'ffn_up_exps.weight'][e])
            routed = routed + weight * torch.einsum('bnf,hf->bnh', F.silu(g) * u, t[b + 'ffn_down_exps.weight'][e])
        shared = F.linear(F.silu(F.linear(x, t[b + 'ffn_gate_shexp.weight'])) * F.linear(x, t[b + 'ffn_up_shexp.weight']), t[b + 'ffn_down_shexp.weight'])
        gate = torch.sigmoid(F.linear(x, t[b + 'ffn_gate_inp_shexp.weight']))
        return routed + gate * shared

    def hidden(self, ids):
        t = self.t
        x = t['token_embd.weight'][ids]
        for i in range(self.cfg['layers']):
            b = f'blk.{i}.'
            x = x + self.attention(self.norm(x, t[b + 'attn_norm.weight']), b)
            x = x + self.ffn(self.norm(x, t[b + 'ffn_norm.weight']), b)
        return x

    def head(self, x):
        return F.linear(self.norm(x, self.t['output_norm.weight']), self.t['output.weight'])

    def forward(self, ids):
        return self.head(self.hidden(ids))


class TrainingClock:
    """Seconds of training: wall time, except that a gap of over 30 s (the process was paused with
    SIGSTOP while something else measured) counts as nothing."""

    def __init__(self):
        self.last = time.time()
        self.total = 0.0

    def __call__(self):
        now = time.time()
        gap = now - self.last
        self.total += gap if gap < 30 else 0.0
        self.last = now
        return self.total


def full_vocab_loss(logits, targets, rest):
    """Cross-entropy over the full vocabulary: the compact logits plus `rest` tokens whose logit is 0."""
    zero = torch.full(logits.shape[:-1] + (1,), math.log(rest))
    lse = torch.logsumexp(torch.cat([logits, zero], -1), -1)
    return (lse - logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)).mean()


def batches(samples, max_len, tokens_per_batch, rng):
    pool = [s for s in samples if len(s[0]) <= max_len]
    order = rng.permutation(len(pool))
    chosen = [pool[i] for i in order]
    # Similar lengths together: little padding.
    for start in range(0, len(chosen), 256):
        group = sorted(chosen[start:start + 256], key=lambda s: len(s[0]))
        i = 0
        while i < len(group):
            n = max(1, tokens_per_batch // len(group[min(len(group) - 1, i + 3)][0]))
            yield group[i:i + n]
            i += n


def to_batch(batch, remap):
    length = max(len(s[0]) for s in batch)
    ids = torch.zeros(len(batch), length, dtype=torch.long)
    rows, cols, targets = [], [], []
    for r, (tokens, answer) in enumerate(batch):
        compact = torch.from_numpy(remap[tokens])
        ids[r, :len(tokens)] = compact
        for p in range(answer, len(tokens)):
            rows.append(r)
            cols.append(p - 1)
            targets.append(int(compact[p]))
    return ids, torch.tensor(rows), torch.tensor(cols), torch.tensor(targets)


def accuracy(model, samples, remap, limit=64):
    model.eval()
    good = 0
    with torch.no_grad():
        for tokens, answer in samples[:limit]:
            ids = torch.from_numpy(remap[tokens]).unsqueeze(0)
            logits = model(ids)[0, answer - 1:len(tokens) - 1]
            rest_wins = logits.max(-1).values < 0  # an all-zero row would win
            good += int(bool((logits.argmax(-1) == ids[0, answer:]).all() and not rest_wins.any()))
    model.train()
    return good / min(limit, len(samples))


def save(model, vocab_ids, out, args, history, parity_samples, remap):
    header = {'format': 'qwen2-desk needle weights', 'version': 1, 'arch': model.arch, 'config': model.cfg,
              'context_length': args.context, 'rope_freq_base': 1e6, 'rms_eps': 1e-6, 'full_vocab': FULL_VOCAB,
              'vocab_ids': [int(v) for v in vocab_ids], 'seed': args.seed, 'command': args.command,
              'history': history, 'tensors': []}
    blobs, offset = [], 0
    for name, p in model.t.items():
        data = p.detach().to(torch.float16).numpy().tobytes()
        header['tensors'].append({'name': name, 'shape': list(p.shape), 'offset': offset})
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header).encode()
    with open(out + '.weights', 'wb') as f:
        f.write(b'Q2NW')
        f.write(struct.pack('<I', len(head)))
        f.write(head)
        f.write(b''.join(blobs))
    # Reference logits of the weights as written (float16), for the parity test.
    with torch.no_grad():
        for p in model.t.values():
            p.copy_(p.to(torch.float16).to(torch.float32))
        model.eval()
        refs = []
        for tokens, answer in parity_samples:
            prompt = tokens[:answer]
            logits = model(torch.from_numpy(remap[prompt]).unsqueeze(0))[0]
            picks = sorted({len(prompt) - 1, len(prompt) // 2, 0})
            refs.append({'tokens': [int(t) for t in prompt],
                         'positions': [{'at': p, 'logits': [round(float(v), 5) for v in logits[p]]} for p in picks]})
    with open(out + '.parity.json', 'w') as f:
        json.dump({'vocab_ids': header['vocab_ids'], 'prompts': refs}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', choices=list(CONFIGS), required=True)
    ap.add_argument('--data', required=True, nargs='+', help='sample files of make-data.ts')
    ap.add_argument('--out', required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--context', type=int, default=1024)
    ap.add_argument('--minutes', type=float, default=55)
    ap.add_argument('--lr', type=float, default=2e-3)
    ap.add_argument('--tokens-per-batch', type=int, default=8192)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--stages', default='256:0.9:20,512:0.9:12,768:0.9:10,1024:1:0',
                    help='curriculum: max length:held-out exact goal:most minutes, ...; the last runs to the end')
    args = ap.parse_args()
    import sys
    args.command = 'python3 ' + ' '.join(sys.argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    train, held = [], []
    for path in args.data:
        part = read_samples(path)
        train += part[:-256]
        held += part[-256:]
    samples = train + held
    vocab_ids = np.unique(np.concatenate([s[0] for s in samples]))
    remap = np.zeros(FULL_VOCAB, dtype=np.int64)
    remap[vocab_ids] = np.arange(len(vocab_ids))
    rest = FULL_VOCAB - len(vocab_ids)
    model = Model(args.arch, len(vocab_ids), args.context, CONFIGS[args.arch])
    params = sum(p.numel() for p in model.parameters())
    print(f'{args.arch}: {params} parameters, compact vocabulary {len(vocab_ids)}, {len(train)} samples', flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    # Curriculum: each stage trains on samples up to its length until the held-out ones of that length
    # are answered exactly often enough (or its share of the time is spent), then the next one starts.
    stages = [(int(a), float(b), float(c)) for a, b, c in (x.split(':') for x in args.stages.split(','))]
    budget = args.minutes * 60
    clock = TrainingClock()
    started = 0.0
    history, step, ema = [], 0, None
    for index, (max_len, goal, minutes) in enumerate(stages):
        last = index == len(stages) - 1
        stage_end = started + budget if last else min(started + budget, clock() + minutes * 60)
        evals = [s for s in held if len(s[0]) <= max_len and (index == 0 or len(s[0]) > stages[index - 1][0] * 0.8)]
        done = False
        while clock() < stage_end and not done:
            for batch in batches(train, max_len, args.tokens_per_batch, rng):
                if clock() >= stage_end:
                    break
                frac = (clock() - started) / budget
                lr = args.lr * min(1.0, step / 100) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac))))
                for g in opt.param_groups:
                    g['lr'] = lr
                ids, rows, cols, targets = to_batch(batch, remap)
                logits = model.head(model.hidden(ids)[rows, cols])  # the vocabulary only where the loss is
                loss = full_vocab_loss(logits, targets, rest)
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                step += 1
                ema = float(loss) if ema is None else 0.95 * ema + 0.05 * float(loss)
                if step % 50 == 0:
                    acc = accuracy(model, evals, remap, 48)
                    elapsed = clock() - started
                    history.append({'step': step, 'seconds': round(elapsed), 'max_len': max_len, 'loss': round(ema, 4), 'held_out_exact': acc})
                    print(f'step {step} {elapsed:6.0f}s len<={max_len} loss {ema:.4f} held-out exact {acc:.2f}', flush=True)
                    if acc >= goal and not last:
                        done = True
                        break
    final = accuracy(model, held, remap, len(held))
    history.append({'step': step, 'seconds': round(clock() - started), 'final_held_out_exact': final, 'loss': round(ema, 4)})
    print(f'final: held-out exact {final:.3f} after {step} steps, {clock() - started:.0f}s', flush=True)
    parity = [held[i] for i in range(0, len(held), len(held) // 4)][:4]
    save(model, vocab_ids, args.out, args, history, parity, remap)
    print(f'wrote {args.out}.weights and {args.out}.parity.json')


if __name__ == '__main__':
    main()
