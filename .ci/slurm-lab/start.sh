#!/usr/bin/env bash
# .ci/slurm-lab/start.sh [KEY_DIR]
#
# The project's real two-cluster Slurm lab on loopback (Debian 12, run as root, no systemd).
# Idempotent: installs missing Debian packages, then starts whatever part of the lab is not
# already running, and waits until both clusters answer over ssh.
#
#   cluster "clustera": slurmctld :7817 + slurmd :7818, CPUs=$AX_LAB_CPUS_A (64)
#   cluster "clusterb": slurmctld :7827 + slurmd :7828, CPUs=$AX_LAB_CPUS_B (32)
#   slurmdbd :7819 + private mariadbd (unix socket only)  -> real sacct
#   private munged (own key + socket), sshd on 127.0.0.1:$AX_LAB_SSH_PORT (2322)
#   users axa (-> clustera) and axb (-> clusterb): key-only ssh,
#   SLURM_CONF chosen per user via ~/.ssh/environment.
#   a second sshd, "sshd-mfa", on 127.0.0.1:$AX_LAB_MFA_PORT (2323): key AND a TOTP code
#   (AuthenticationMethods publickey,keyboard-interactive; PAM service /etc/pam.d/sshd-mfa with
#   libpam-google-authenticator); user axm (-> clustera). Codes: oathtool --totp -b @KEY_DIR/totp_secret.
# The ports differ from ../shared/slurm-lab's (68xx, 2222) so the two never collide.
#
# KEY_DIR (default /tmp/alphaex-slurm-lab/keys) receives: id_ed25519, id_ed25519.pub,
#   known_hosts, ssh_config (Host cluster-a / cluster-b / cluster-a-mfa / ...), lab.env,
#   totp_secret (axm's TOTP secret, base32; it stays there and in ~axm, never in the repo or a log)
# Everything else lives in $AX_LAB_DIR (default /tmp/alphaex-slurm-lab/lab).
# Stop with stop.sh (add --purge to delete state, keys and users).
set -euo pipefail
umask 022

KEY_DIR=${1:-${AX_LAB_KEY_DIR:-/tmp/alphaex-slurm-lab/keys}}
LAB=${AX_LAB_DIR:-/tmp/alphaex-slurm-lab/lab}
SSH_PORT=${AX_LAB_SSH_PORT:-2322}
MFA_PORT=${AX_LAB_MFA_PORT:-2323}
CPUS_A=${AX_LAB_CPUS_A:-64}
CPUS_B=${AX_LAB_CPUS_B:-32}
KEY_OWNER=${AX_LAB_KEY_OWNER:-}      # chown KEY_DIR to this user (if tests don't run as root)
DBD_PORT=7819
USER_A=axa
USER_B=axb
USER_M=axm      # lands on clustera, like axa, but through sshd-mfa (key + TOTP code)
T_START=$(date +%s.%N)

[ "$(id -u)" -eq 0 ] || { echo "alphaex-slurm-lab: must run as root" >&2; exit 1; }
KEY_DIR=$(realpath -m "$KEY_DIR"); LAB=$(realpath -m "$LAB")
elapsed() { awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $T_START}"; }
log() { echo "[alphaex-slurm-lab +$(elapsed)s] $*"; }
die() { echo "[alphaex-slurm-lab] $*" >&2; exit 1; }
unset SLURM_CONF

# ---------------------------------------------------------------- packages
# libpam-google-authenticator + oathtool: sshd-mfa's TOTP codes; python3: the pseudo-terminal on which the
# tests answer them (src/test/python/pty_relay.py)
PKGS="munge slurmctld slurmd slurm-client slurmdbd mariadb-server openssh-server openssh-client
  libpam-google-authenticator oathtool python3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing:$missing"
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # keep postinst from starting system services
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; policy_added=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # another apt may be running (other engineers, unattended jobs): wait for its lock, not fail
  APT="apt-get -o DPkg::Lock::Timeout=300 -y -q --no-install-recommends"
  $APT install $missing >/dev/null ||
    { apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null && $APT install $missing >/dev/null; }
  [ $policy_added = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

HOST=$(hostname -s)

# ---------------------------------------------------------------- helpers
# alive PIDFILE COMM : pid file names a live (non-zombie) process with that comm
alive() {
  local pid; pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/status" ] || return 1
  grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" && return 1
  [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$2" ]
}
wait_for() {  # wait_for SECONDS DESCRIPTION CMD...
  local t=$1 what=$2; shift 2
  local end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then
      echo "[alphaex-slurm-lab] TIMEOUT waiting for $what; logs in $LAB/log" >&2
      tail -n 20 "$LAB"/log/*.log "$LAB"/mysql/*.err 2>/dev/null >&2 || true
      exit 1
    fi
    sleep 0.1
  done
}
stop_pid() {  # PIDFILE COMM: TERM the process the pid file names (if it is COMM), wait <=10 s
  alive "$1" "$2" || return 0
  local pid i; pid=$(cat "$1"); kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$2" ] || break; sleep 0.1; done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- directories
mkdir -p "$LAB"/{etc/a,etc/b,run,log,state/a/ctld,state/a/d,state/b/ctld,state/b/d,ssh,munge,mysql}
chmod 755 "$LAB"
chown slurm:slurm "$LAB"/{run,log} "$LAB"/state/{a,b}/{ctld,d}
chown munge:munge "$LAB/munge"; chmod 755 "$LAB/munge"
chown mysql:mysql "$LAB/mysql"; chmod 755 "$LAB/mysql"
mkdir -p /run/sshd && chmod 755 /run/sshd
echo "$KEY_DIR" > "$LAB/keydir"

# ---------------------------------------------------------------- config files
DBPASS_FILE=$LAB/etc/dbpass
[ -s "$DBPASS_FILE" ] || { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$DBPASS_FILE"; chmod 600 "$DBPASS_FILE"; }
DBPASS=$(cat "$DBPASS_FILE")

write_slurm_conf() {  # letter name ctldport slurmdport cpus
  local c=$1 name=$2 cport=$3 dport=$4 cpus=$5
  cat > "$LAB/etc/$c/slurm.conf.new" <<EOF
# generated by start.sh
ClusterName=$name
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=slurm
MailProg=/bin/true
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$LAB/munge/munge.socket
CommunicationParameters=NoInAddrAny
StateSaveLocation=$LAB/state/$c/ctld
SlurmdSpoolDir=$LAB/state/$c/d
SlurmctldPidFile=$LAB/run/slurmctld-$c.pid
SlurmdPidFile=$LAB/run/slurmd-$c.pid
SlurmctldLogFile=$LAB/log/slurmctld-$c.log
SlurmdLogFile=$LAB/log/slurmd-$c.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$DBD_PORT
AccountingStoragePass=$LAB/munge/munge.socket
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_interval=1,bf_interval=1,default_queue_depth=1000
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
PreemptType=preempt/partition_prio
PreemptMode=CANCEL
ReturnToService=2
MinJobAge=600
KillWait=5
MaxJobCount=300000
MaxArraySize=100001
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=262144 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP PriorityTier=1
PartitionName=urgent Nodes=ALL MaxTime=INFINITE State=UP PriorityTier=10 PreemptMode=OFF
EOF
  if [ -f "$LAB/etc/$c/slurm.conf" ] && ! cmp -s "$LAB/etc/$c/slurm.conf.new" "$LAB/etc/$c/slurm.conf"; then
    # e.g. other CPUs: node sizes only change with a restart of that cluster's daemons
    log "$name config changed: restarting its slurmctld and slurmd"
    stop_pid "$LAB/run/slurmd-$c.pid" slurmd
    stop_pid "$LAB/run/slurmctld-$c.pid" slurmctld
  fi
  mv -f "$LAB/etc/$c/slurm.conf.new" "$LAB/etc/$c/slurm.conf"
  chmod 644 "$LAB/etc/$c/slurm.conf"
}
write_slurm_conf a clustera 7817 7818 "$CPUS_A"
write_slurm_conf b clusterb 7827 7828 "$CPUS_B"
CONF_A=$LAB/etc/a/slurm.conf; CONF_B=$LAB/etc/b/slurm.conf

# slurmdbd finds slurmdbd.conf next to $SLURM_CONF
cat > "$LAB/etc/a/slurmdbd.conf" <<EOF
AuthType=auth/munge
AuthInfo=socket=$LAB/munge/munge.socket
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$DBD_PORT
SlurmUser=slurm
LogFile=$LAB/log/slurmdbd.log
PidFile=$LAB/run/slurmdbd.pid
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageLoc=slurm_acct_db
StorageUser=slurm
StoragePass=$DBPASS
EOF
chown slurm:slurm "$LAB/etc/a/slurmdbd.conf"; chmod 600 "$LAB/etc/a/slurmdbd.conf"

cat > "$LAB/mysql/my.cnf" <<EOF
[mysqld]
user=mysql
datadir=$LAB/mysql/data
socket=$LAB/mysql/mysqld.sock
pid-file=$LAB/mysql/mysqld.pid
log-error=$LAB/mysql/mysqld.err
skip-networking
innodb_buffer_pool_size=256M
innodb_lock_wait_timeout=900
[client]
socket=$LAB/mysql/mysqld.sock
EOF

# ---------------------------------------------------------------- users + keys
mkdir -p "$KEY_DIR"; chmod 700 "$KEY_DIR"
[ -s "$KEY_DIR/id_ed25519" ] || { rm -f "$KEY_DIR/id_ed25519.pub"; ssh-keygen -q -t ed25519 -N '' -C alphaex-slurm-lab -f "$KEY_DIR/id_ed25519"; }
# ssh-agent: a second key, encrypted with a random passphrase that is never written anywhere, loaded into
# an ssh-agent of the lab's own (socket $KEY_DIR/agent.sock, pid file run/ssh-agent.pid). Logins with
# this key can only have been signed by the agent. A lab restarted without its agent gets a new key.
AGENT_SOCK=$KEY_DIR/agent.sock
as_owner() { if [ -n "$KEY_OWNER" ]; then runuser -u "${KEY_OWNER%%:*}" -- "$@"; else "$@"; fi; }
agent_ok() { [ -S "$AGENT_SOCK" ] && SSH_AUTH_SOCK=$AGENT_SOCK as_owner ssh-add -l >/dev/null 2>&1; }
if ! agent_ok || [ ! -s "$KEY_DIR/id_ed25519_agent" ]; then
  stop_pid "$LAB/run/ssh-agent.pid" ssh-agent
  rm -f "$AGENT_SOCK" "$KEY_DIR/id_ed25519_agent" "$KEY_DIR/id_ed25519_agent.pub"
  AX_PASS=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  ssh-keygen -q -t ed25519 -N "$AX_PASS" -C alphaex-slurm-lab-agent -f "$KEY_DIR/id_ed25519_agent"
  [ -n "$KEY_OWNER" ] && chown "$KEY_OWNER" "$KEY_DIR" "$KEY_DIR"/id_ed25519_agent*
  agent_out=$(as_owner ssh-agent -s -a "$AGENT_SOCK")
  agent_pid=$(printf '%s\n' "$agent_out" | sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p')
  [ -n "$agent_pid" ] || die "ssh-agent did not start: $agent_out"
  echo "$agent_pid" > "$LAB/run/ssh-agent.pid"
  printf '#!/bin/sh\nprintf "%%s\\n" "$AX_PASS"\n' > "$LAB/ssh/askpass"; chmod 755 "$LAB/ssh/askpass"
  AX_PASS=$AX_PASS SSH_AUTH_SOCK=$AGENT_SOCK SSH_ASKPASS=$LAB/ssh/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none \
    as_owner ssh-add -q "$KEY_DIR/id_ed25519_agent" </dev/null || die "ssh-add of the agent key failed"
  unset AX_PASS
  log "ssh-agent started ($agent_pid) with the passphrase-protected key"
fi
[ -s "$LAB/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C alphaex-slurm-lab-host -f "$LAB/ssh/ssh_host_ed25519_key"

touch "$LAB/created-users"
setup_user() {  # user slurm.conf
  local u=$1 conf=$2
  if ! id -u "$u" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$u"; echo "$u" >> "$LAB/created-users"
  fi
  # '!' = locked: sshd (UsePAM no) would refuse even key logins; '*' = no password but not locked
  [ "$(getent shadow "$u" | cut -d: -f2 | cut -c1)" = "!" ] && usermod -p '*' "$u"
  local h; h=$(getent passwd "$u" | cut -d: -f6)
  install -d -m 700 -o "$u" -g "$u" "$h/.ssh"
  cat "$KEY_DIR/id_ed25519.pub" "$KEY_DIR/id_ed25519_agent.pub" > "$h/.ssh/authorized_keys"
  chown "$u:$u" "$h/.ssh/authorized_keys"; chmod 600 "$h/.ssh/authorized_keys"
  echo "SLURM_CONF=$conf" > "$h/.ssh/environment"
  chown "$u:$u" "$h/.ssh/environment"; chmod 600 "$h/.ssh/environment"
}
setup_user $USER_A "$CONF_A"
setup_user $USER_B "$CONF_B"
setup_user $USER_M "$CONF_A"

# axm's second factor: a TOTP secret (160 random bits, base32), kept across restarts. The PAM module
# reads ~axm/.google_authenticator (owned by axm, not readable by others); tests compute codes from
# KEY_DIR/totp_secret with oathtool. No DISALLOW_REUSE and no RATE_LIMIT: the tests log in several
# times within one 30 s step; counting attempts is the tests' job (sshd-mfa logs every one, VERBOSE).
TOTP_SECRET_FILE=$KEY_DIR/totp_secret
if ! grep -Eq '^[A-Z2-7]{32}$' "$TOTP_SECRET_FILE" 2>/dev/null; then
  (umask 077; head -c 20 /dev/urandom | base32 | tr -d '=\n' > "$TOTP_SECRET_FILE")
fi
chmod 600 "$TOTP_SECRET_FILE"
M_HOME=$(getent passwd "$USER_M" | cut -d: -f6)
(umask 077; { cat "$TOTP_SECRET_FILE"; printf '\n" TOTP_AUTH\n" WINDOW_SIZE 3\n'; } > "$M_HOME/.google_authenticator.new")
chown "$USER_M:$USER_M" "$M_HOME/.google_authenticator.new"; chmod 400 "$M_HOME/.google_authenticator.new"
mv -f "$M_HOME/.google_authenticator.new" "$M_HOME/.google_authenticator"
# OpenSSH takes its PAM service name from its program name: sshd started as .../sshd-mfa uses this file
PAM_MFA=/etc/pam.d/sshd-mfa
cat > "$PAM_MFA.new" <<'EOF_PAM'
# written by AlphaEx's .ci/slurm-lab/start.sh (removed by stop.sh --purge): the lab's sshd-mfa asks a TOTP code
auth     required pam_google_authenticator.so
account  required pam_unix.so
session  required pam_permit.so
password required pam_deny.so
EOF_PAM
chmod 644 "$PAM_MFA.new"; mv -f "$PAM_MFA.new" "$PAM_MFA"

{ echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$LAB/ssh/ssh_host_ed25519_key.pub")"
  echo "[127.0.0.1]:$MFA_PORT $(cut -d' ' -f1,2 "$LAB/ssh/ssh_host_ed25519_key.pub")"; } > "$KEY_DIR/known_hosts"
cat > "$KEY_DIR/ssh_config" <<EOF
Host cluster-a
  User $USER_A
Host cluster-b
  User $USER_B
Host cluster-a cluster-b
  HostName 127.0.0.1
  Port $SSH_PORT
  IdentityFile $KEY_DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $KEY_DIR/known_hosts
  StrictHostKeyChecking yes
  PasswordAuthentication no
  BatchMode yes
  LogLevel ERROR
# cluster-a reached through cluster-b's login as a jump host (ProxyJump; the lab's sshd forwards only to itself)
Host cluster-a-jump
  HostName 127.0.0.1
  Port $SSH_PORT
  User $USER_A
  ProxyJump cluster-b
  IdentityFile $KEY_DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $KEY_DIR/known_hosts
  StrictHostKeyChecking yes
# cluster-a with a passphrase-protected key that only the lab's ssh-agent can use
Host cluster-a-agent
  HostName 127.0.0.1
  Port $SSH_PORT
  User $USER_A
  IdentityAgent $KEY_DIR/agent.sock
  IdentityFile $KEY_DIR/id_ed25519_agent
  IdentitiesOnly yes
  UserKnownHostsFile $KEY_DIR/known_hosts
  StrictHostKeyChecking yes
# clustera behind a second factor (sshd-mfa: the key, then a TOTP code asked by keyboard-interactive)
Host cluster-a-mfa
  ControlMaster no
  ControlPath none
# the same with OpenSSH connection sharing, as the Alliance recommends: \`ssh -fNM cluster-a-mfa-cm\`
# asks the code once; later ssh/sftp/scp to this alias ride on that master
Host cluster-a-mfa-cm
  ControlMaster auto
  ControlPath $KEY_DIR/cm-%r@%h:%p
  ControlPersist 10m
Host cluster-a-mfa cluster-a-mfa-cm
  HostName 127.0.0.1
  Port $MFA_PORT
  User $USER_M
  IdentityFile $KEY_DIR/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $KEY_DIR/known_hosts
  StrictHostKeyChecking yes
EOF
cat > "$KEY_DIR/lab.env" <<EOF
AX_LAB_DIR=$LAB
AX_LAB_KEY_DIR=$KEY_DIR
AX_LAB_SSH_HOST=127.0.0.1
AX_LAB_SSH_PORT=$SSH_PORT
AX_LAB_SSH_KEY=$KEY_DIR/id_ed25519
AX_LAB_KNOWN_HOSTS=$KEY_DIR/known_hosts
AX_LAB_SSH_CONFIG=$KEY_DIR/ssh_config
AX_LAB_AGENT_SOCK=$KEY_DIR/agent.sock
AX_LAB_A_USER=$USER_A
AX_LAB_A_CLUSTER=clustera
AX_LAB_A_CPUS=$CPUS_A
AX_LAB_A_SLURM_CONF=$CONF_A
AX_LAB_B_USER=$USER_B
AX_LAB_B_CLUSTER=clusterb
AX_LAB_B_CPUS=$CPUS_B
AX_LAB_B_SLURM_CONF=$CONF_B
AX_LAB_MFA_PORT=$MFA_PORT
AX_LAB_M_USER=$USER_M
AX_LAB_M_SLURM_CONF=$CONF_A
AX_LAB_MFA_LOG=$LAB/log/sshd-mfa.log
AX_LAB_TOTP_SECRET=$TOTP_SECRET_FILE
EOF
[ -n "$KEY_OWNER" ] && chown -R "$KEY_OWNER" "$KEY_DIR"

cat > "$LAB/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $LAB/ssh/ssh_host_ed25519_key
PidFile $LAB/run/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
UsePAM no
AllowUsers $USER_A $USER_B
PermitUserEnvironment SLURM_CONF
X11Forwarding no
AllowTcpForwarding local
PermitOpen 127.0.0.1:$SSH_PORT
PrintMotd no
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp internal-sftp
EOF
if [ "$(sha256sum < "$LAB/ssh/sshd_config")" != "$(cat "$LAB/ssh/sshd_config.sha256" 2>/dev/null)" ]; then
  stop_pid "$LAB/run/sshd.pid" sshd  # a running sshd started on another config: restarted below
  sha256sum < "$LAB/ssh/sshd_config" > "$LAB/ssh/sshd_config.sha256"
fi
# sshd-mfa: the key first, then keyboard-interactive through PAM (service sshd-mfa). LogLevel VERBOSE logs
# every attempt ("Partial publickey", "Postponed/Accepted/Failed keyboard-interactive/pam") for the tests.
cat > "$LAB/ssh/sshd_mfa_config" <<EOF
Port $MFA_PORT
ListenAddress 127.0.0.1
HostKey $LAB/ssh/ssh_host_ed25519_key
PidFile $LAB/run/sshd-mfa.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication yes
AuthenticationMethods publickey,keyboard-interactive
UsePAM yes
PermitRootLogin no
AllowUsers $USER_M
PermitUserEnvironment SLURM_CONF
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel VERBOSE
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp internal-sftp
EOF
if [ "$(sha256sum < "$LAB/ssh/sshd_mfa_config")" != "$(cat "$LAB/ssh/sshd_mfa_config.sha256" 2>/dev/null)" ]; then
  stop_pid "$LAB/run/sshd-mfa.pid" sshd-mfa  # started on another config: restarted below
  sha256sum < "$LAB/ssh/sshd_mfa_config" > "$LAB/ssh/sshd_mfa_config.sha256"
fi
ln -sfn /usr/sbin/sshd "$LAB/ssh/sshd-mfa"
# answers sshd-mfa's question in start.sh's own readiness check (ssh's SSH_ASKPASS); the secret stays in KEY_DIR
printf '#!/bin/sh\nexec oathtool --totp -b @%s\n' "$TOTP_SECRET_FILE" > "$LAB/ssh/totp-askpass"
chmod 700 "$LAB/ssh/totp-askpass"

# ---------------------------------------------------------------- munge
MUNGE_SOCK=$LAB/munge/munge.socket
if ! alive "$LAB/munge/munged.pid" munged; then
  [ -s "$LAB/munge/munge.key" ] || { mungekey --create --keyfile="$LAB/munge/munge.key"; }
  chown munge:munge "$LAB/munge/munge.key"; chmod 600 "$LAB/munge/munge.key"
  rm -f "$MUNGE_SOCK" "$MUNGE_SOCK.lock"
  runuser -u munge -- /usr/sbin/munged --socket="$MUNGE_SOCK" --key-file="$LAB/munge/munge.key" \
    --pid-file="$LAB/munge/munged.pid" --log-file="$LAB/munge/munged.log" \
    --seed-file="$LAB/munge/munged.seed" --num-threads=4 </dev/null >/dev/null 2>&1
  log "munged started"
fi
wait_for 20 munged munge --socket="$MUNGE_SOCK" -n

# ---------------------------------------------------------------- mariadb + slurmdbd
MYCNF=$LAB/mysql/my.cnf
if ! alive "$LAB/mysql/mysqld.pid" mariadbd; then
  if [ ! -d "$LAB/mysql/data/mysql" ]; then
    mariadb-install-db --defaults-file="$MYCNF" --user=mysql --auth-root-authentication-method=socket \
      --skip-test-db >"$LAB/log/mariadb-install.log" 2>&1
  fi
  setsid /usr/sbin/mariadbd --defaults-file="$MYCNF" </dev/null >/dev/null 2>&1 &
  log "mariadbd started"
fi
wait_for 60 mariadbd mariadb-admin --defaults-file="$MYCNF" ping
mariadb --defaults-file="$MYCNF" -e "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
  CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DBPASS';
  ALTER USER 'slurm'@'localhost' IDENTIFIED BY '$DBPASS';
  GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"

if ! alive "$LAB/run/slurmdbd.pid" slurmdbd; then
  SLURM_CONF=$CONF_A MYSQL_UNIX_PORT=$LAB/mysql/mysqld.sock /usr/sbin/slurmdbd </dev/null >/dev/null 2>&1
  log "slurmdbd started"
fi
wait_for 60 "slurmdbd port $DBD_PORT" port_open $DBD_PORT

# ---------------------------------------------------------------- slurmctld + slurmd
for c in a b; do
  conf=$LAB/etc/$c/slurm.conf
  if ! alive "$LAB/run/slurmctld-$c.pid" slurmctld; then
    SLURM_CONF=$conf /usr/sbin/slurmctld </dev/null >/dev/null 2>&1; log "slurmctld ($c) started"
  fi
  if ! alive "$LAB/run/slurmd-$c.pid" slurmd; then
    SLURM_CONF=$conf /usr/sbin/slurmd </dev/null >/dev/null 2>&1; log "slurmd ($c) started"
  fi
done

# ---------------------------------------------------------------- sshd
if ! alive "$LAB/run/sshd.pid" sshd; then
  /usr/sbin/sshd -t -f "$LAB/ssh/sshd_config"
  /usr/sbin/sshd -f "$LAB/ssh/sshd_config" -E "$LAB/log/sshd.log" </dev/null >/dev/null 2>&1
  log "sshd started on 127.0.0.1:$SSH_PORT"
fi
if ! alive "$LAB/run/sshd-mfa.pid" sshd-mfa; then
  "$LAB/ssh/sshd-mfa" -t -f "$LAB/ssh/sshd_mfa_config"
  touch "$LAB/log/sshd-mfa.log"; chmod 644 "$LAB/log/sshd-mfa.log"  # the tests count attempts in it
  "$LAB/ssh/sshd-mfa" -f "$LAB/ssh/sshd_mfa_config" -E "$LAB/log/sshd-mfa.log" </dev/null >/dev/null 2>&1
  log "sshd-mfa started on 127.0.0.1:$MFA_PORT (key + TOTP code)"
fi

# ---------------------------------------------------------------- readiness
node_ready() {  # conf: node responding and usable (idle/mixed/allocated, no '*')
  local s; s=$(SLURM_CONF=$1 sinfo -h -n "$HOST" -o '%T' 2>/dev/null | head -n1)
  case "$s" in idle|mixed|allocated) return 0;; *) return 1;; esac
}
cluster_in_db() {  # name: registered with slurmdbd (needed for sacct)
  SLURM_CONF=$CONF_A sacctmgr -n -P list cluster format=cluster,controlport 2>/dev/null | grep -Eq "^$1\|[1-9]"
}
ssh_ok() { ssh -F "$KEY_DIR/ssh_config" "$1" 'sinfo -h -o %T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)$'; }
log "daemons up, waiting for readiness"
wait_for 60 "clustera node idle" node_ready "$CONF_A"
wait_for 60 "clusterb node idle" node_ready "$CONF_B"
wait_for 60 "clustera in slurmdbd" cluster_in_db clustera
wait_for 60 "clusterb in slurmdbd" cluster_in_db clusterb
log "nodes idle, clusters registered in slurmdbd"
wait_for 30 "ssh cluster-a" ssh_ok cluster-a
wait_for 30 "ssh cluster-b" ssh_ok cluster-b
ssh_true() { ssh -F "$KEY_DIR/ssh_config" -o BatchMode=yes "$1" true; }
wait_for 30 "ssh cluster-a-jump (ProxyJump through cluster-b)" ssh_true cluster-a-jump
wait_for 30 "ssh cluster-a-agent (key in ssh-agent)" ssh_true cluster-a-agent
mfa_ok() {  # one real login: the key, then the current TOTP code through SSH_ASKPASS (no terminal here)
  SSH_ASKPASS=$LAB/ssh/totp-askpass SSH_ASKPASS_REQUIRE=force DISPLAY=none \
    ssh -F "$KEY_DIR/ssh_config" -o BatchMode=no -o NumberOfPasswordPrompts=1 cluster-a-mfa 'sinfo -h -o %T' </dev/null 2>/dev/null |
    grep -Eq '^(idle|mixed|allocated)$'
}
# a login with a second factor is not retried every 0.1 s like the checks above: the port first, then
# at most 3 logins 2 s apart (a failed one is a failed authentication on sshd-mfa's side)
wait_for 30 "sshd-mfa port $MFA_PORT" port_open "$MFA_PORT"
for try in 1 2 3; do
  mfa_ok && break
  [ $try = 3 ] && { tail -n 20 "$LAB/log/sshd-mfa.log" >&2; die "ssh cluster-a-mfa (key + TOTP code) failed 3 times"; }
  sleep 2
done

echo "ALPHAEX-SLURM-LAB READY cluster-a=$USER_A@127.0.0.1:$SSH_PORT(clustera,cpus=$CPUS_A) cluster-b=$USER_B@127.0.0.1:$SSH_PORT(clusterb,cpus=$CPUS_B) cluster-a-mfa=$USER_M@127.0.0.1:$MFA_PORT(clustera,key+totp) ssh_config=$KEY_DIR/ssh_config elapsed=$(elapsed)s"
