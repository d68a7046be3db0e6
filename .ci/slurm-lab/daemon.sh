#!/usr/bin/env bash
# .ci/slurm-lab/daemon.sh stop|start|status slurmctld|slurmd a|b
#
# Stops or starts ONE Slurm daemon of the lab (started by start.sh), e.g. to take a cluster's controller
# down for an outage test while the rest of the lab runs on. Run as root.
#   stop:   SIGTERM to the pid its pid file names (only if that process is the expected daemon; slurmctld
#           saves its state, so queued and running jobs survive), waits until it is gone (<= 10 s)
#   start:  starts it on the cluster's slurm.conf (state recovered) and waits until the cluster answers
#           squeue again (<= 60 s)
#   status: prints "up" or "down" (exit 0 / 3)
set -euo pipefail
ACTION=${1:-}; DAEMON=${2:-}; C=${3:-}
LAB=$(realpath -m "${AX_LAB_DIR:-/tmp/alphaex-slurm-lab/lab}")
usage() { echo "usage: $0 stop|start|status slurmctld|slurmd a|b" >&2; exit 2; }
case "$ACTION" in stop|start|status) ;; *) usage;; esac
case "$DAEMON" in slurmctld|slurmd) ;; *) usage;; esac
case "$C" in a|b) ;; *) usage;; esac
[ "$(id -u)" -eq 0 ] || { echo "alphaex-slurm-lab: must run as root" >&2; exit 1; }
CONF=$LAB/etc/$C/slurm.conf
PIDFILE=$LAB/run/$DAEMON-$C.pid
[ -f "$CONF" ] || { echo "alphaex-slurm-lab: $CONF missing: start the lab first (.ci/slurm-lab/start.sh)" >&2; exit 1; }
unset SLURM_CONF

alive_pid() {  # prints the pid if the pid file names a live (non-zombie) $DAEMON
  local pid; pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" && return 1
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$DAEMON" ] || return 1
  echo "$pid"
}
log() { echo "[alphaex-slurm-lab] $*"; }

case "$ACTION" in
  status)
    if alive_pid >/dev/null; then echo up; else echo down; exit 3; fi;;
  stop)
    if pid=$(alive_pid); then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$DAEMON" ] || break; sleep 0.1; done
      if [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$DAEMON" ]; then
        log "$DAEMON ($C, $pid) still running 10 s after SIGTERM"; exit 1
      fi
      log "stopped $DAEMON ($C, $pid)"
    else
      log "$DAEMON ($C) was not running"
    fi;;
  start)
    if alive_pid >/dev/null; then
      log "$DAEMON ($C) already running"
    else
      SLURM_CONF=$CONF "/usr/sbin/$DAEMON" </dev/null >/dev/null 2>&1
      log "started $DAEMON ($C)"
    fi
    end=$(( $(date +%s) + 60 ))
    until SLURM_CONF=$CONF timeout 10 squeue -h -o %A >/dev/null 2>&1; do
      [ "$(date +%s)" -lt "$end" ] || { log "cluster $C does not answer squeue 60 s after starting $DAEMON"; exit 1; }
      sleep 0.2
    done;;
esac
