#!/bin/sh
# A job for the campaign tests (local and Slurm): records that it ran (one line in $RUNS_LOG per start), sleeps
# $JOB_SLEEP seconds ($SLOW_SLEEP on the local cluster named $SLOW_CLUSTER), fails with exit 1 when its index is in
# $FAIL_INDICES or a file $FAIL_DIR/<index> exists (a test removes it to make the index pass), else writes its log
# $ALPHAEX_RESULTS/<index>.csv (temporary name, then rename).
set -eu
i=${ALPHAEX_INDEX:-$((ALPHAEX_BASE + SLURM_ARRAY_TASK_ID))}
echo "$i $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID $ALPHAEX_BASE $ALPHAEX_CAMPAIGN" >> "$RUNS_LOG"
case "${SLOW_CLUSTER:+$ALPHAEX_RESULTS}" in
  */local/"${SLOW_CLUSTER:-}"/*) sleep "$SLOW_SLEEP";;
  *) sleep "${JOB_SLEEP:-0}";;
esac
if [ -n "${FAIL_DIR:-}" ] && [ -e "$FAIL_DIR/$i" ]; then echo "index $i fails on purpose ($FAIL_DIR/$i)" >&2; exit 1; fi
case " ${FAIL_INDICES:-} " in
  *" $i "*) echo "index $i fails on purpose" >&2; exit 1;;
esac
mkdir -p "$ALPHAEX_RESULTS"
printf 'step,value\n1,%s\n2,%s\n' "$i" "$i" > "$ALPHAEX_RESULTS/.$i.tmp"
mv -f "$ALPHAEX_RESULTS/.$i.tmp" "$ALPHAEX_RESULTS/$i.csv"
