#!/usr/bin/env bash
# .ci/slurm-lab/stop.sh [--purge]
# Stops exactly the daemons start.sh started, identified by their pid
# files under $AX_LAB_DIR (default /tmp/alphaex-slurm-lab/lab); a pid is only signalled
# if /proc/PID/comm is the expected daemon name. Jobs still in the queues are
# cancelled first so that no slurmstepd/job process outlives its slurmd.
# --purge additionally deletes the lab dir (state, accounting DB, logs), the
# key dir and the users that start.sh created.
set -uo pipefail
LAB=$(realpath -m "${AX_LAB_DIR:-/tmp/alphaex-slurm-lab/lab}")
PURGE=0; [ "${1:-}" = "--purge" ] && PURGE=1
[ "$(id -u)" -eq 0 ] || { echo "alphaex-slurm-lab: must run as root" >&2; exit 1; }
[ -d "$LAB" ] || { echo "[alphaex-slurm-lab] nothing to stop ($LAB missing)"; exit 0; }
unset SLURM_CONF

live_pid() {  # PIDFILE COMM -> prints pid if it is a live (non-zombie) COMM
  local pid; pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" && return 1
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$2" ] || return 1
  echo "$pid"
}
pid_alive() {  # PID COMM: live, non-zombie process with that comm
  [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" &&
    [ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ]
}
stop_one() {  # PIDFILE COMM   (waits on the pid itself: some daemons unlink their pid file early)
  local pid i
  if pid=$(live_pid "$1" "$2"); then
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 100); do pid_alive "$pid" "$2" || break; sleep 0.1; done
    if pid_alive "$pid" "$2"; then
      echo "[alphaex-slurm-lab] $2 ($pid) still running 10s after SIGTERM, sending SIGKILL"; kill -KILL "$pid" 2>/dev/null
      for i in $(seq 1 50); do pid_alive "$pid" "$2" || break; sleep 0.1; done
    fi
    echo "[alphaex-slurm-lab] stopped $2 ($pid)"
  fi
  rm -f "$1"
}

# 1. cancel remaining jobs and wait for them to leave the nodes (max ~20 s)
for c in a b; do
  conf=$LAB/etc/$c/slurm.conf
  [ -f "$conf" ] && live_pid "$LAB/run/slurmctld-$c.pid" slurmctld >/dev/null || continue
  jobs=$(SLURM_CONF=$conf timeout 10 squeue -h -o '%A' 2>/dev/null | sort -u)
  [ -n "$jobs" ] || continue
  echo "[alphaex-slurm-lab] cancelling $(echo "$jobs" | wc -l) job(s) on cluster $c"
  SLURM_CONF=$conf scancel $jobs 2>/dev/null
  for i in $(seq 1 200); do
    [ -z "$(SLURM_CONF=$conf timeout 10 squeue -h -t R,CG,S -o %A 2>/dev/null)" ] && break; sleep 0.1
  done
done

# 2. daemons, reverse start order. First an OpenSSH master a test may have left on the lab's
#    connection-sharing alias (its own "ssh -O exit"; no master: nothing happens)
KEY_DIR=$(cat "$LAB/keydir" 2>/dev/null || true)
if [ -n "$KEY_DIR" ] && [ -f "$KEY_DIR/ssh_config" ] && grep -q '^Host cluster-a-mfa-cm$' "$KEY_DIR/ssh_config"; then
  ssh -F "$KEY_DIR/ssh_config" -O exit cluster-a-mfa-cm >/dev/null 2>&1 && echo "[alphaex-slurm-lab] closed the ssh master of cluster-a-mfa-cm"
fi
stop_one "$LAB/run/sshd-mfa.pid" sshd-mfa
stop_one "$LAB/run/sshd.pid" sshd
stop_one "$LAB/run/ssh-agent.pid" ssh-agent
for c in b a; do
  stop_one "$LAB/run/slurmd-$c.pid" slurmd
  stop_one "$LAB/run/slurmctld-$c.pid" slurmctld
done
stop_one "$LAB/run/slurmdbd.pid" slurmdbd
stop_one "$LAB/mysql/mysqld.pid" mariadbd
stop_one "$LAB/munge/munged.pid" munged

if [ $PURGE = 1 ]; then
  # the PAM service file start.sh wrote for sshd-mfa (only if it is still ours)
  grep -q "AlphaEx's .ci/slurm-lab/start.sh" /etc/pam.d/sshd-mfa 2>/dev/null && rm -f /etc/pam.d/sshd-mfa &&
    echo "[alphaex-slurm-lab] removed /etc/pam.d/sshd-mfa"
  for u in $(cat "$LAB/created-users" 2>/dev/null); do
    id -u "$u" >/dev/null 2>&1 && userdel -r "$u" 2>/dev/null; echo "[alphaex-slurm-lab] removed user $u"
  done
  [ -n "$KEY_DIR" ] && [ -d "$KEY_DIR" ] && rm -rf "$KEY_DIR" && echo "[alphaex-slurm-lab] removed $KEY_DIR"
  rm -rf "$LAB" && echo "[alphaex-slurm-lab] removed $LAB"
fi
echo "ALPHAEX-SLURM-LAB STOPPED"
