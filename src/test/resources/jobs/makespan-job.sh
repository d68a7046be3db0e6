#!/bin/sh
# The job of the makespan benchmark (dev.alphaex.bench.SlurmMakespanBenchmark): index
# i = ALPHAEX_BASE + SLURM_ARRAY_TASK_ID sleeps d(i) = 1 + (i*7919 mod 31)/10 seconds (the task
# durations: 300 tasks sum to 749 s), appends "index job task start end cluster" (epoch seconds) to $RUNS_LOG and
# writes its log $ALPHAEX_RESULTS/<index>.csv (temporary name, then rename).
set -eu
i=$((ALPHAEX_BASE + SLURM_ARRAY_TASK_ID))
r=$((i * 7919 % 31))
d="$((1 + r / 10)).$((r % 10))"
start=$(date +%s.%N)
sleep "$d"
end=$(date +%s.%N)
echo "$i $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID $start $end ${SLURM_CLUSTER_NAME:-?}" >> "$RUNS_LOG"
mkdir -p "$ALPHAEX_RESULTS"
printf 'step,seconds\n1,%s\n' "$d" > "$ALPHAEX_RESULTS/.$i.tmp"
mv -f "$ALPHAEX_RESULTS/.$i.tmp" "$ALPHAEX_RESULTS/$i.csv"
