#!/usr/bin/env python3
"""Independent reference for the RL statistics of the plot package (dev.alphaex.plot.stats).

Computes, with numpy and scipy only, the point estimates and percentile bootstrap intervals of
the aggregate metrics of Agarwal et al. (NeurIPS 2021, the rliable library), written from their
definitions:
  IQM                 scipy.stats.trim_mean(all scores of all runs and tasks, 0.25)
  mean, median        of the per-task mean scores
  optimality gap      gamma - mean(minimum(all scores, gamma))
  score distribution  mean(all scores > tau), for each tau (performance profile)
  P(X > Y)            per task Mann-Whitney U of X over Y (scipy, alternative='greater') / (nx ny),
                      0.5 where the two score lists are equal, averaged over tasks
The bootstrap is stratified (each task's runs resampled with replacement within the task; for
P(X > Y) X and Y independently); its resamples are read from the input (run indices drawn by the
Java code's generator) so that both sides resample identically. Intervals are numpy quantiles
(linear) at (1 - c) / 2 and (1 + c) / 2 of the bootstrap distribution.

Usage: rliable_reference.py CASES.json > EXPECTED.json   (Debian: python3-numpy python3-scipy)
"""
import json
import sys

import numpy as np
import scipy.stats


def iqm(tasks):
    return float(scipy.stats.trim_mean(np.concatenate(tasks), 0.25))


def task_means(tasks):
    return np.array([np.mean(t) for t in tasks])


def mean(tasks):
    return float(np.mean(task_means(tasks)))


def median(tasks):
    return float(np.median(task_means(tasks)))


def optimality_gap(tasks, gamma):
    return float(gamma - np.mean(np.minimum(np.concatenate(tasks), gamma)))


def profile(tasks, taus):
    scores = np.concatenate(tasks)
    return [float(np.mean(scores > tau)) for tau in taus]


def probability_of_improvement(xs, ys):
    probabilities = []
    for x, y in zip(xs, ys):
        if np.array_equal(x, y):
            probabilities.append(0.5)
        else:
            u = scipy.stats.mannwhitneyu(x, y, alternative="greater").statistic
            probabilities.append(u / (len(x) * len(y)))
    return float(np.mean(probabilities))


def interval(values, confidence):
    lo, hi = np.quantile(np.array(values), [(1 - confidence) / 2, (1 + confidence) / 2])
    return [float(lo), float(hi)]


def resample(tasks, drawn):
    return [t[np.array(d)] for t, d in zip(tasks, drawn)]


def case(c):
    x = [np.array(t, dtype=float) for t in c["x"]]
    y = [np.array(t, dtype=float) for t in c["y"]]
    gamma, taus, conf = c["gamma"], c["taus"], c["confidence"]
    statistics = {
        "iqm": iqm,
        "median": median,
        "mean": mean,
        "optimalityGap": lambda s: optimality_gap(s, gamma),
    }
    out = {"name": c["name"]}
    boot = [resample(x, drawn) for drawn in c["xIndices"]]
    for name, f in statistics.items():
        out[name] = {"estimate": f(x), "interval": interval([f(b) for b in boot], conf)}
    dist = np.array([profile(b, taus) for b in boot])
    out["profile"] = {
        "estimate": profile(x, taus),
        "lo": [interval(dist[:, k], conf)[0] for k in range(len(taus))],
        "hi": [interval(dist[:, k], conf)[1] for k in range(len(taus))],
    }
    k = len(x)
    pairs = [(resample(x, d[:k]), resample(y, d[k:])) for d in c["pairIndices"]]
    out["probabilityOfImprovement"] = {
        "estimate": probability_of_improvement(x, y),
        "interval": interval([probability_of_improvement(bx, by) for bx, by in pairs], conf),
    }
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    json.dump({"numpy": np.__version__, "scipy": scipy.__version__, "cases": [case(c) for c in cases]},
              sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
