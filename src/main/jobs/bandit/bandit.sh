#!/bin/sh
# One run of the 10-armed testbed (Sutton & Barto, Reinforcement Learning, 2nd ed., section 2.3):
# epsilon-greedy action selection with sample-average estimates (ties broken at random), the
# true values q*(a) ~ N(0, 1), rewards ~ N(q*(a), 1). Usage: bandit.sh [STEPS]
#
# The job contract (README, "What a job script can rely on"):
#   ALPHAEX_INDEX (or ALPHAEX_BASE + SLURM_ARRAY_TASK_ID)  the job's index; seeds the run
#   ALPHAEX_CONFIG  the configuration as JSON (local cluster), else looked up with the CLI:
#                   java -jar "$ALPHAEX_JAR" sweep "$ALPHAEX_SWEEP" "$index"
#   ALPHAEX_RESULTS the folder to write "<index>.csv" to
# Writes step,reward,optimal_action (1 when the action taken was the best arm), one row per step.
# awk, not a JVM per job: a run takes milliseconds, so 300 runs stay quick.
set -eu
steps=${1:-1000}
index=${ALPHAEX_INDEX:-$((ALPHAEX_BASE + SLURM_ARRAY_TASK_ID))}
config=${ALPHAEX_CONFIG:-}
if [ -z "$config" ]; then
  config=$(java -jar "${ALPHAEX_JAR:?set ALPHAEX_JAR to alphaex.jar, or run on the local cluster}" sweep "$ALPHAEX_SWEEP" "$index")
fi
epsilon=$(printf '%s\n' "$config" | sed -n 's/.*"epsilon":\([-0-9.eE+]*\).*/\1/p')
[ -n "$epsilon" ] || { echo "bandit.sh: no epsilon in configuration $config" >&2; exit 2; }
out=${ALPHAEX_RESULTS:?ALPHAEX_RESULTS is not set}
mkdir -p "$out"
tmp="$out/.$index.csv.tmp"
awk -v seed="$index" -v eps="$epsilon" -v steps="$steps" '
function normal(   u1, u2) {
  u1 = rand(); if (u1 < 1e-12) u1 = 1e-12
  u2 = rand()
  return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2)
}
BEGIN {
  srand(seed + 1)
  k = 10; best = 1
  for (a = 1; a <= k; a++) { q[a] = normal(); Q[a] = 0; N[a] = 0; if (q[a] > q[best]) best = a }
  print "step,reward,optimal_action"
  for (t = 1; t <= steps; t++) {
    if (rand() < eps) {
      act = 1 + int(rand() * k)
    } else {
      m = Q[1]; for (a = 2; a <= k; a++) if (Q[a] > m) m = Q[a]
      n = 0; for (a = 1; a <= k; a++) if (Q[a] == m) ties[++n] = a
      act = ties[1 + int(rand() * n)]
    }
    r = q[act] + normal()
    N[act]++; Q[act] += (r - Q[act]) / N[act]
    printf "%d,%.6f,%d\n", t, r, (act == best)
  }
}' > "$tmp"
mv -f "$tmp" "$out/$index.csv"
