#!/usr/bin/env python3
"""Writes a gzip'd cpio "newc" initramfs: a busybox binary, /init and the
scripts given, with the directories and device nodes early boot needs.

usage: mkinitramfs.py OUT BUSYBOX INIT [SCRIPT...]   (scripts go to /etc)
"""
import gzip
import os
import stat
import sys

S_DIR = stat.S_IFDIR | 0o755
S_EXE = stat.S_IFREG | 0o755
S_CHR = stat.S_IFCHR | 0o600


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    """One newc record: the header, the NUL-terminated name and the data,
    each padded to 4 bytes."""
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name) + 1, 0)
    head = b"070701" + b"".join(b"%08X" % f for f in fields)
    rec = head + name.encode() + b"\0"
    rec += b"\0" * (-len(rec) % 4)
    rec += data + b"\0" * (-len(data) % 4)
    return rec


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    out, busybox, init, scripts = argv[1], argv[2], argv[3], argv[4:]
    read = lambda p: open(p, "rb").read()
    files = [(d, S_DIR, b"", (0, 0)) for d in ("bin", "sbin", "dev", "etc",
                                               "proc", "sys", "tmp", "root")]
    files.append(("dev/console", S_CHR, b"", (5, 1)))
    files.append(("bin/busybox", S_EXE, read(busybox), (0, 0)))
    files.append(("init", S_EXE, read(init), (0, 0)))
    for s in scripts:
        files.append(("etc/" + os.path.basename(s), S_EXE, read(s), (0, 0)))
    recs = [entry(i + 1, *f) for i, f in enumerate(files)]
    recs.append(entry(0, "TRAILER!!!", 0))
    with open(out, "wb") as f:
        f.write(gzip.compress(b"".join(recs), mtime=0))


if __name__ == "__main__":
    main(sys.argv)
