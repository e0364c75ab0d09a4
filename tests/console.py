#!/usr/bin/env python3
"""hvctl's console typed into for real: QEMU with VM 0's COM1 on a pty,
driven with pexpect as a user at the terminal would. A background child
prints ticks at the idle prompt, `vm console` to an echo child shows its
echo of typed keys, Ctrl-] returns to the prompt with both children
still running. Then the line editor: a mistyped command is recalled with
Up and mended with Left and Backspace; Tab completes a command. A VM
defined in a config module is created by its name and started; paused,
it prints no tick for a while, resumed, it ticks again. `exit 0` ends the
machine.

Usage: tests/console.py ISO LOG (the ISO boots hvctl without a script,
with the echo child as module "echo" and tests/scenarios/pty-console.cfg
as module "vms.cfg"; LOG receives the session)."""
import sys

import pexpect

PROMPT = "hvctl> "
BOOT_TIMEOUT = 120
STEP_TIMEOUT = 60
UP, LEFT, TAB = "\x1b[A", "\x1b[D", "\t"
QEMU_PASS = 33  # isa-debug-exit's status for the hypervisor's PASS


def qemu(iso, log):
    args = ["-accel", "tcg", "-cpu", "EPYC", "-m", "256", "-machine", "q35",
            "-display", "none", "-no-reboot", "-net", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-cdrom", iso, "-boot", "d", "-serial", "stdio"]
    return pexpect.spawn("qemu-system-x86_64", args, encoding="latin-1",
                         logfile=log, timeout=STEP_TIMEOUT)


def command(p, line, answer):
    p.send(line + "\r")
    p.expect_exact(answer)
    p.expect_exact(PROMPT)


def session(p):
    p.expect_exact(PROMPT, timeout=BOOT_TIMEOUT)
    command(p, "vm create e echo", "vm e: created")
    command(p, "vm create a echo args=tick=3000", "vm a: created")
    command(p, "vm start a", "vm a: running in the background")
    p.expect(r"\[a\] tick 2")  # at the prompt, nothing typed
    p.send("vm console e\r")
    p.expect_exact("Ctrl-] detaches")
    p.expect_exact("echo: ready")
    p.send("hello\r")
    p.expect(r"\r\nline 1: hello")
    p.send("\x1d")
    p.expect_exact("detached from e, it keeps running")
    p.expect_exact(PROMPT)
    p.expect(r"\[a\] tick")  # a runs on at the prompt
    command(p, "vm list", "vm list: 2 VM(s)")
    command(p, "expect e running", "expect e running: ok")
    command(p, "expect a running", "expect a running: ok")
    return edit_lines(p) and defined_vm_paused(p) and leave(p)


def edit_lines(p):
    """Up recalls the last line; Left and Backspace mend its middle."""
    command(p, "vm lxist", "error: vm create|run")
    # recall "vm lxist", step left over "ist", erase the "x" before them
    p.send(UP + LEFT * 3 + "\x7f" + "\r")
    p.expect(r"vm list: 2 VM\(s\)")
    p.expect_exact(PROMPT)
    p.send("sta" + TAB)  # the one command starting "sta"
    p.expect_exact("stats")
    p.send("\r")
    p.expect_exact("stats: hypervisor")
    p.expect_exact(PROMPT)
    return True


def defined_vm_paused(p):
    """A VM from the config module, paused: no tick; resumed: ticks."""
    command(p, "vm create ticker", "vm ticker: created")
    command(p, "vm start ticker", "vm ticker: running in the background")
    p.expect(r"\[ticker\] tick 2")
    command(p, "vm pause ticker", "vm ticker: paused")
    try:  # a tick still in flight may arrive; none after a quiet spell
        p.expect(r"\[ticker\] tick", timeout=STEP_TIMEOUT // 4)
        p.expect(r"\[ticker\] tick", timeout=STEP_TIMEOUT // 4)
        print("console: ticker ticked twice while paused")
        return False
    except pexpect.TIMEOUT:
        pass
    command(p, "vm resume ticker", "vm ticker: resumed")
    p.expect(r"\[ticker\] tick")
    return True


def leave(p):
    p.send("exit 0\r")
    p.expect(pexpect.EOF)
    p.close()
    return p.exitstatus == QEMU_PASS


def main():
    iso, log_path = sys.argv[1], sys.argv[2]
    with open(log_path, "w", encoding="latin-1") as log:
        p = qemu(iso, log)
        try:
            if not session(p):
                print("console: QEMU ended with status %s" % p.exitstatus)
                return 1
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            print("console: %s; the session is in %s" % (type(e).__name__, log_path))
            p.terminate(force=True)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
