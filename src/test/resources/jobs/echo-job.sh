#!/bin/sh
# A job for the quoting integration test (dev.alphaex.it.SlurmCampaignIT): writes what it received, byte for
# byte, next to its log: $NASTY to <index>.env, its arguments NUL-terminated to <index>.args; then its log
# $ALPHAEX_RESULTS/<index>.csv.
set -eu
i=$((ALPHAEX_BASE + SLURM_ARRAY_TASK_ID))
mkdir -p "$ALPHAEX_RESULTS"
printf '%s' "$NASTY" > "$ALPHAEX_RESULTS/$i.env"
printf '%s\0' "$@" > "$ALPHAEX_RESULTS/$i.args"
printf 'step,value\n1,%s\n' "$i" > "$ALPHAEX_RESULTS/.$i.tmp"
mv -f "$ALPHAEX_RESULTS/.$i.tmp" "$ALPHAEX_RESULTS/$i.csv"
