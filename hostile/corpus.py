"""The corpus being written: case directories and the manifest."""

import gzip
import io
import json
import os
import socket
import tarfile

import templates as T

# Every scan fixes the date and fails on anything worth a look, so that a
# restricted item that is seen never exits 0.
SCAN_FLAGS = ["--as-of", "2026-11-28", "--fail-on", "review"]

# The readable input placed beside a bad one: its Micron DIMM must be reported.
KEEP = "keep.dmi"


class Special:
    """A file-system object that is not a regular file."""

    def __init__(self, kind, target=None):
        self.kind = kind  # fifo, socket, symlink, hardlink, dir
        self.target = target


def fifo():
    return Special("fifo")


def sock():
    return Special("socket")


def symlink(target):
    return Special("symlink", target)


def directory():
    return Special("dir")


class Corpus:
    """Collects cases; each `add` writes one case directory."""

    def __init__(self, out, rng):
        self.out = out
        self.rng = rng
        self.cases = []

    def add(self, cls, reader, desc, files, args=None, flags=(), stdin=None,
            expect=None, keep=False, command=None):
        """Writes one case.

        files: {relative path: bytes | str | Special}, created in order.
        args: the paths given to `scan` (default: the top-level names of files).
        command: a full argv instead of `scan ARGS SCAN_FLAGS FLAGS`.
        keep: adds a readable file beside the others and expects its report.
        """
        cid = f"{len(self.cases) + 1:04d}-{cls}-{reader}"
        root = os.path.join(self.out, cid)
        os.makedirs(root)
        files = dict(files)
        if args is None:
            args = sorted({p.split("/")[0] for p in files})
        expect = dict(expect or {})
        if keep:
            files[KEEP] = T.dmidecode().encode()
            args = list(args) + [KEEP]
            expect["keeps_others"] = KEEP
        for rel, content in files.items():
            self._write(root, rel, content)
        if command is None:
            command = ["scan", *args, *SCAN_FLAGS, *flags]
        stdin_name = None
        if stdin is not None:
            stdin_name = ".stdin"
            with open(os.path.join(root, stdin_name), "wb") as f:
                f.write(stdin if isinstance(stdin, bytes) else stdin.encode())
        self.cases.append({
            "id": cid,
            "class": cls,
            "reader": reader,
            "desc": desc,
            "argv": command,
            "stdin": stdin_name,
            "expect": expect,
        })
        return cid

    def _write(self, root, rel, content):
        path = os.path.join(root, rel)
        parent = os.path.dirname(path)
        os.makedirs(parent, exist_ok=True)
        if isinstance(content, Special):
            if content.kind == "fifo":
                os.mkfifo(path)
            elif content.kind == "socket":
                s = socket.socket(socket.AF_UNIX)
                here = os.getcwd()
                os.chdir(parent)
                try:
                    s.bind(os.path.basename(path))
                finally:
                    os.chdir(here)
                    s.close()
            elif content.kind == "symlink":
                os.symlink(content.target, path)
            elif content.kind == "hardlink":
                os.link(os.path.join(root, content.target), path)
            elif content.kind == "dir":
                os.makedirs(path, exist_ok=True)
            return
        data = content.encode() if isinstance(content, str) else content
        with open(path, "wb") as f:
            f.write(data)

    def write_manifest(self):
        with open(os.path.join(self.out, "manifest.json"), "w") as f:
            json.dump({"version": 1, "cases": self.cases}, f, indent=1, ensure_ascii=True)
            f.write("\n")


# The tar member types (each a one-byte `bytes`, so told apart from content by value).
MEMBER_TYPES = {tarfile.LNKTYPE, tarfile.SYMTYPE, tarfile.CHRTYPE, tarfile.BLKTYPE,
                tarfile.DIRTYPE, tarfile.FIFOTYPE}


def tar_bytes(members, compress=False):
    """A tar archive; members: (name, bytes) or (name, TarInfo-type, extra)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for m in members:
            name, data = m[0], m[1]
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            info.mode = 0o644
            if isinstance(data, bytes) and data not in MEMBER_TYPES:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
            else:
                info.type = data
                if len(m) > 2:
                    info.linkname = m[2]
                tf.addfile(info)
    raw = buf.getvalue()
    return gzip_bytes(raw) if compress else raw


def gzip_bytes(raw):
    return gzip.compress(raw, compresslevel=6, mtime=0)
