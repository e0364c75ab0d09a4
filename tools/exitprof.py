#!/usr/bin/env python3
"""Per-function instruction profile of one guest exit, from a QEMU trace.

Run QEMU with -accel tcg -d in_asm,exec,nochain -D trace.log (each
translated block once, then a line per block executed; add -dfilter with
the guest's and the hypervisor's ranges to keep the log small), then:

  tools/exitprof.py trace.log build/hv.elf GUEST_PC...

Each GUEST_PC is the address of an exiting guest instruction, as QEMU's
"vmexit(...)" line reports it (SVM). Its profile covers the hypervisor
instructions from that exit up to the next guest instruction, for the
middle one of its exits (the first and last are often unlike the rest).
QEMU cannot disassemble the nested guest's code, so a guest block counts
as its first instruction only; the hypervisor's blocks are listed.
"""
import re
import subprocess
import sys
from bisect import bisect_right
from collections import Counter

TRACE = re.compile(r'Trace \d+: (\S+) \[[0-9a-f]+/([0-9a-f]+)/')
INSN = re.compile(r'0x([0-9a-f]+):')
REWOUND = 'cpu_io_recompile: rewound execution of TB to '
VMEXIT = re.compile(r'^vmexit\([0-9a-f]+, [0-9a-f]+, [0-9a-f]+, ([0-9a-f]+)\)')


def symbols(elf):
    out = subprocess.run(['nm', '-n', elf], capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'tTwW':
            syms.append((int(parts[0], 16), parts[2]))
    return [a for a, _ in syms], [n for _, n in syms]


def is_insn_start(line):
    """An in_asm line that starts an instruction: QEMU prints the bytes of
    a long instruction on a second line with no mnemonic after them."""
    toks = line.split()[1:]
    return bool(toks) and not all(re.fullmatch(r'[0-9a-f]{2}', t) for t in toks)


def trace_pcs(path):
    """('pc', address) for every instruction executed, ('exit', guest RIP)
    for every exit to the hypervisor. A block's instructions are
    those of the translation in_asm listed last for its PC before the
    block first ran (a PC can have several translations of different
    lengths, told apart by their host addresses). A block that an I/O
    access cut short ("cpu_io_recompile: rewound execution of TB to X")
    counts up to X only: QEMU runs the rest again in a new block."""
    fresh = {}
    by_host = {}
    block = None
    pending = []
    with open(path, errors='replace') as f:
        for line in f:
            if line.startswith('IN:'):
                block = []
                continue
            if block is not None:
                m = INSN.match(line)
                if m:
                    if is_insn_start(line):
                        block.append(int(m.group(1), 16))
                    continue
                if block:
                    fresh[block[0]] = block
                block = None
            if line.startswith(REWOUND):
                stop = int(line.split()[-1], 16)
                if stop in pending:
                    del pending[pending.index(stop):]
                continue
            m = VMEXIT.match(line)
            if m:
                yield from (('pc', pc) for pc in pending)
                pending = []
                yield 'exit', int(m.group(1), 16)
                continue
            m = TRACE.search(line)
            if m:
                yield from (('pc', pc) for pc in pending)
                host, pc = m.group(1), int(m.group(2), 16)
                if pc in fresh:
                    by_host[host] = fresh.pop(pc)
                b = by_host.get(host)
                pending = list(b) if b and b[0] == pc else [pc]
    yield from (('pc', pc) for pc in pending)


def exits(events, guest_pcs, lo, hi):
    """Lists of hypervisor PCs per exit, by the guest PC that exited."""
    runs = {pc: [] for pc in guest_pcs}
    run = None
    for kind, pc in events:
        if kind == 'exit':
            start, run = pc, ([] if pc in runs else None)
        elif run is not None:
            if lo <= pc < hi:
                run.append(pc)
            else:
                runs[start].append(run)
                run = None
    return runs


def profile(addrs, names, guest_pc, runs):
    if not runs:
        print('no exit at 0x%x' % guest_pc)
        return
    run = runs[len(runs) // 2]
    per_fn = Counter(names[bisect_right(addrs, pc) - 1] for pc in run)
    print('0x%x: %d exits; the middle one ran %d hypervisor instructions' %
          (guest_pc, len(runs), len(run)))
    for name, n in per_fn.most_common():
        print('%6d  %s' % (n, name))


def main():
    trace, elf = sys.argv[1], sys.argv[2]
    guest_pcs = [int(a, 16) for a in sys.argv[3:]]
    addrs, names = symbols(elf)
    lo, hi = addrs[0], addrs[-1] + 0x10000
    runs = exits(trace_pcs(trace), guest_pcs, lo, hi)
    for pc in guest_pcs:
        profile(addrs, names, pc, runs[pc])


if __name__ == '__main__':
    main()
