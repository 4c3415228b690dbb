#!/usr/bin/env python3
"""NumPy peer of `shortcut-bench bench`: the same online SGD step in float32 on OpenBLAS.

One step: sample a batch of +-1 inputs (x2 = s with P(s = y) = (1 + lambda)/2, y = x0*x1), forward
h = relu(X W^T), f = h a, logistic-loss gradient g = -y sigmoid(-y f) / batch, backward
grad_a = h^T g, grad_W = ((g a^T) * 1[h > 0])^T X, and a plain SGD update of both layers.

Prints one JSON object { numpy, blas, rows: [{d, width, batch, threads, stepsPerSec,
stepsPerSecMin, stepsPerSecMax, gflops, othersBusy, redone}] } on stdout; othersBusy is the mean
share of all cores other processes kept busy during the kept repeats (null off Linux), redone the
repeats thrown away under --max-others-busy. Exits 3 when NumPy is not installed.
"""
import argparse
import json
import os
import sys
import time


def parse_sizes(text):
    sizes = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        d, width, batch = (int(v) for v in part.split(","))
        if d < 3 or width < 1 or batch < 1:
            raise ValueError(f"bad size {part!r}")
        sizes.append((d, width, batch))
    if not sizes:
        raise ValueError("no sizes")
    return sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="64,128,64;128,128,64", help='"d,width,batch;d,width,batch"')
    ap.add_argument("--threads", type=int, default=1, help="BLAS threads (also set in the environment by the caller)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=0.5, help="target wall seconds of one repeat")
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--lam", type=float, default=1.0, help="spurious correlation lambda")
    ap.add_argument("--max-others-busy", type=float, default=None,
                    help="redo a repeat while other processes keep more than this share of all cores busy (Linux)")
    args = ap.parse_args()
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as err:
        print(f"peer-numpy: --sizes: {err}", file=sys.stderr)
        return 2

    # The BLAS reads its thread count when it loads: set it before importing NumPy.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(args.threads))
    try:
        import numpy as np
    except ImportError as err:
        print(f"peer-numpy: NumPy is not installed ({err})", file=sys.stderr)
        return 3

    rows = [measure(np, d, width, batch, args) for d, width, batch in sizes]
    print(json.dumps({"numpy": np.__version__, "blas": blas_name(np), "rows": rows}))
    return 0


def blas_name(np):
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # older NumPy: no dict mode
        return "unknown"


def make_step(np, d, width, batch, lr, lam, seed=0):
    rng = np.random.default_rng(seed)
    f32 = np.float32
    W = (rng.standard_normal((width, d)) / np.sqrt(d)).astype(f32)
    a = np.where(rng.random(width) < 0.5, -1.0, 1.0).astype(f32) / f32(np.sqrt(width))
    p_agree = (1.0 + lam) / 2.0
    lr = f32(lr)

    def step():
        nonlocal W, a
        X = rng.integers(0, 2, size=(batch, d), dtype=np.int8)
        X = (X * 2 - 1).astype(f32)
        y = X[:, 0] * X[:, 1]
        X[:, 2] = np.where(rng.random(batch) < p_agree, y, -y)
        h = X @ W.T
        np.maximum(h, 0, out=h)
        f = h @ a
        with np.errstate(over="ignore"):
            g = -y / (f32(1) + np.exp(y * f)) / f32(batch)  # -y sigmoid(-y f) / batch
        grad_a = h.T @ g
        G = np.outer(g, a)
        G *= h > 0
        grad_W = G.T @ X
        W -= lr * grad_W
        a -= lr * grad_a

    return step


def measure(np, d, width, batch, args):
    step = make_step(np, d, width, batch, args.lr, args.lam)

    def timed(n):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        return time.perf_counter() - t0

    # Warm up, then calibrate the steps of a repeat to about args.seconds.
    timed(3)
    n = 3
    elapsed = timed(n)
    while elapsed < args.seconds / 5 and n < 10**8:
        n = max(n * 2, int(n * (args.seconds / 5) / max(elapsed, 1e-9)))
        elapsed = timed(n)
    steps = max(3, int(round(n * args.seconds / elapsed)))
    timed(steps)  # warm-up repeat, discarded
    samples, busy, redone = [], [], 0
    while len(samples) < args.repeats:
        m0, c0 = machine_cpu(), time.process_time()
        elapsed = timed(steps)
        others = others_busy(m0, machine_cpu(), time.process_time() - c0)
        limit = args.max_others_busy
        if others is not None and limit is not None and others > limit and redone < 2 * args.repeats:
            redone += 1
            continue
        samples.append(steps / elapsed)
        if others is not None:
            busy.append(others)
    samples.sort()
    mid = len(samples) // 2
    median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
    return {
        "d": d,
        "width": width,
        "batch": batch,
        "threads": args.threads,
        "stepsPerSec": median,
        "stepsPerSecMin": samples[0],
        "stepsPerSecMax": samples[-1],
        "gflops": 4 * batch * d * width * median / 1e9,
        "othersBusy": sum(busy) / len(busy) if len(busy) == len(samples) else None,
        "redone": redone,
    }


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine from /proc/stat (Linux), else None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    total = sum(fields)
    idle = fields[3] + fields[4]
    return ((total - idle) / 100.0, total / 100.0)  # USER_HZ = 100


def others_busy(m0, m1, own_cpu):
    """Share of all cores other processes kept busy: machine busy time minus ours, over total."""
    if m0 is None or m1 is None or m1[1] - m0[1] < 0.02:
        return None
    return min(1.0, max(0.0, (m1[0] - m0[0] - own_cpu) / (m1[1] - m0[1])))


if __name__ == "__main__":
    sys.exit(main())
