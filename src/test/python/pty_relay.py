#!/usr/bin/env python3
"""Runs a command on a new pseudo-terminal, as if a user had started it in a terminal window.

    python3 pty_relay.py COMMAND [ARG...]

The command's controlling terminal is the new pty (so /dev/tty works), and it runs in the terminal's
foreground process group under a session leader of its own, as a shell starts it;
this process relays its own stdin to the terminal (what the "user" types) and the terminal's output
to its own stdout. It exits with the command's exit status as soon as the command has exited, not
when the terminal closes: `ssh -fNM` leaves a master process behind that still holds the terminal.
Used by the tests that answer a second-factor question (src/test/java/dev/alphaex/ssh/Pty.java).
"""
import os
import pty
import select
import signal
import sys
import time


def shell(argv):
    """The terminal's session leader, as a login shell is: runs the command in its own foreground process
    group and waits for it, then stays a moment longer, so that what the command detached (ssh -f forks,
    then calls setsid) has left the session before the leader's exit hangs the terminal up on it."""
    r, w = os.pipe()
    cmd = os.fork()
    if cmd == 0:
        os.close(w)
        os.setpgid(0, 0)
        os.read(r, 1)  # until it is the terminal's foreground group
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    os.close(r)
    os.setpgid(cmd, cmd)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    os.tcsetpgrp(0, cmd)
    os.write(w, b"x")
    os.close(w)
    _, st = os.waitpid(cmd, 0)
    time.sleep(0.5)
    code = os.waitstatus_to_exitcode(st)
    return code if code >= 0 else 128 - code


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    pid, fd = pty.fork()
    if pid == 0:
        os._exit(shell(sys.argv[1:]))
    stdin_open = True
    status = None
    drain_until = None
    while True:
        watched = [fd] + ([0] if stdin_open else [])
        ready, _, _ = select.select(watched, [], [], 0.05)
        if fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal is closed
                data = b""
            if data:
                os.write(1, data)
        if 0 in ready:
            data = os.read(0, 65536)
            if data:
                while data:
                    data = data[os.write(fd, data):]
            else:
                stdin_open = False
        if status is None:
            done, st = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(st)
                drain_until = time.monotonic() + 0.3  # what the command wrote last
        elif time.monotonic() > drain_until:
            return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
