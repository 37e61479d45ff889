#!/usr/bin/env python3
"""Builds the bad inputs of tests/e2e/bad_archives.sh, each mixed with good articles.

    make_bad_archives.py DIR

Writes into DIR (created) one file per bad input; DIR.good: the document names of every
good article among them, one per line, as `crosscheck run DIR` names them (every good
article has text of its own, so none is a duplicate of another); DIR.facts: where the
damage is, as shell assignments (corrupt_tar_offset=..., the byte offset of each bad
WARC record).

  trunc.tar.gz      a tar.gz cut in the middle of its last member (zz_filler.txt)
  feed.jsonl.gz     a gzipped JSONL feed cut in the middle of a line
  corrupt.tar       the header of its second member (damaged.txt) overwritten
  corrupt.zip       the deflate data of its second member (bad.txt) overwritten
  notarchive.zip    text under an archive's name
  lengths.warc      records with a Content-Length too short (/short), too long (/long,
                    which swallows the next record's header) and cut by the end of the
                    file (/cut), among good records
  bomb.zip          a member of 3.5 MiB of text that deflates to a few KiB (bomb.txt):
                    under the test's size limit, so that only its ratio gives it away
  bomb.tar.gz       the same in a tar.gz
  big.tar           a member of 5 MiB of text (big.txt), over the test's limit of 4 MiB
  binary.tar        a member of binary data (blob.dat)
  html.tar          200000 nested <div>s (deep.html) and HTML whose markup never ends,
                    so no article text comes out (malformed.html)
  empty.tar         a tar with no members; empty.zip a zip with none
  gone.tar.gz       a link to nothing: a file that cannot be read (the tests run as
                    root, which reads files whatever their permissions, so a mode of 000
                    would prove nothing)
"""
import gzip
import io
import json
import os
import random
import sys
import tarfile
import zipfile
import zlib

MTIME = 1741860000
TOWNS = ["Brannock", "Aschford", "Kessig", "Norrhaven", "Tallow", "Lenn", "Pelzburg",
         "Veldmark", "Ostria", "Skarva", "Harbour", "Meridian", "Northwind", "Brask"]
WORDS = ("the river rose overnight and officials said crews worked through the night to "
         "reopen roads while residents waited in shelters near the valley").split()

good = []
facts = {}
counter = [0]


def article(tag):
    """A short article of its own, and its name."""
    counter[0] += 1
    n = counter[0]
    town = TOWNS[n % len(TOWNS)]
    text = (f"Flooding report {n} from {town}\n\n"
            f"Officials in {town} said {n * 17 + 3} people were evacuated on Monday after "
            f"the river rose ({tag}).\n\nRescuers said {n + 2} homes were damaged.\n")
    return f"good_{n}.txt", text.encode()


def filler(size, seed):
    rng = random.Random(seed)
    out, total = [], 0
    while total < size:
        w = rng.choice(WORDS) + (". " if rng.random() < 0.08 else " ")
        out.append(w)
        total += len(w)
    return "".join(out).encode()[:size]


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = MTIME
    tar.addfile(info, io.BytesIO(data))


def tar_bytes(members, mode="w"):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tar:
        for name, data in members:
            add(tar, name, data)
    return buf.getvalue()


def with_good(path, members_between, tag, before=1, after=1):
    """Good articles before and after the bad members; records their document names."""
    pre = [article(tag) for _ in range(before)]
    post = [article(tag) for _ in range(after)]
    for name, _ in pre + post:
        good.append(f"{path}:{name}")
    return pre + members_between + post


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def warc(wtype, uri, block):
    head = (f"WARC/1.1\r\nWARC-Type: {wtype}\r\nWARC-Date: 2025-03-16T09:30:00Z\r\n"
            f"WARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {{}}\r\n\r\n")
    return head, block


def response(body):
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body


def main():
    out = sys.argv[1].rstrip("/")
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)

    # truncated gzip: the cut falls well inside the last member, after more than the
    # 64 KiB libarchive decompresses at a time, so the members before it are read
    members = with_good(p("trunc.tar.gz"), [], "trunc", before=2, after=0)
    members.append(("zz_filler.txt", filler(400000, 1)))
    data = tar_bytes(members, "w:gz")
    write(p("trunc.tar.gz"), data[: len(data) * 6 // 10])

    lines = []
    for i in range(400):
        name, text = article("jsonl")
        lines.append((json.dumps({"id": f"g{i}", "text": text.decode()}) + "\n").encode())
    feed = gzip.compress(b"".join(lines), mtime=0)
    cut = feed[: len(feed) // 2]
    # the good lines are those wholly before the cut: what zlib recovers from it
    whole = zlib.decompressobj(31).decompress(cut).count(b"\n")
    for i in range(whole):
        good.append(f"{p('feed.jsonl.gz')}:g{i}")
    write(p("feed.jsonl.gz"), cut)

    members = with_good(p("corrupt.tar"), [("damaged.txt", filler(3000, 3))], "tar")
    data = bytearray(tar_bytes(members))
    second = 512 + (len(members[0][1]) + 511) // 512 * 512
    data[second:second + 160] = b"\xa5" * 160   # the name, mode, sizes and checksum
    facts["corrupt_tar_offset"] = second
    write(p("corrupt.tar"), bytes(data))

    zpath = p("corrupt.zip")
    members = with_good(zpath, [("bad.txt", filler(20000, 4))], "zip")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 13, 0, 0, 0)), d,
                       zipfile.ZIP_DEFLATED)
    data = bytearray(buf.getvalue())
    at = data.find(b"bad.txt") + len(b"bad.txt") + 40
    data[at:at + 64] = bytes((i * 37) & 0xFF for i in range(64))
    write(zpath, bytes(data))

    write(p("notarchive.zip"), b"This is a note, not a zip archive.\n" * 20)

    wpath = p("lengths.warc")
    recs = []
    for uri, delta in [("https://bad.example/a", 0), ("https://bad.example/short", -40),
                       ("https://bad.example/b", 0), ("https://bad.example/long", 120),
                       ("https://bad.example/c", 0), ("https://bad.example/d", 0),
                       ("https://bad.example/cut", 0)]:
        name, text = article("warc")
        head, block = warc("response", uri, response(text))
        recs.append((head.format(len(block) + delta).encode(), block))
        if delta == 0 and not uri.endswith("/cut"):
            good.append(f"{wpath}:{uri}")
    data = b"".join(h + b + b"\r\n\r\n" for h, b in recs)
    at = 0
    for (h, b), uri in zip(recs, ["a", "short", "b", "long", "c", "d", "cut"]):
        if uri in ("short", "long", "cut"):
            facts[f"warc_{uri}_offset"] = at
        at += len(h) + len(b) + 4
    write(wpath, data[: len(data) - len(recs[-1][1]) // 2])

    bomb = b"a " * (7 << 18)   # 3.5 MiB
    members = with_good(p("bomb.zip"), [("bomb.txt", bomb)], "bomb zip")
    with zipfile.ZipFile(p("bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, d in members:
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 13, 0, 0, 0)), d,
                       zipfile.ZIP_DEFLATED)
    members = with_good(p("bomb.tar.gz"), [("bomb.txt", bomb)], "bomb tar")
    write(p("bomb.tar.gz"), tar_bytes(members, "w:gz"))

    members = with_good(p("big.tar"), [("big.txt", filler(5 << 20, 5))], "big")
    write(p("big.tar"), tar_bytes(members))

    rng = random.Random(6)
    blob = b"\x7fELF\x02\x01\x01\x00" + bytes(rng.getrandbits(8) for _ in range(8192))
    members = with_good(p("binary.tar"), [("blob.dat", blob)], "binary")
    write(p("binary.tar"), tar_bytes(members))

    deep = (b"<!DOCTYPE html><html><head><title>Deep</title></head><body>" +
            b"<div>" * 200000 + b"<p>Officials said 12 people were hurt.</p>" +
            b"</div>" * 200000 + b"</body></html>")
    malformed = (b"<!DOCTYPE html><html><head><title>Broken page</head><body><!-- "
                 b"<p>Officials said 30 people were evacuated.</p><p>More text here.</p>" * 50)
    members = with_good(p("html.tar"), [("deep.html", deep), ("malformed.html", malformed)],
                        "html")
    write(p("html.tar"), tar_bytes(members))

    write(p("empty.tar"), tar_bytes([]))
    with zipfile.ZipFile(p("empty.zip"), "w"):
        pass

    gone = p("gone.tar.gz")
    if os.path.lexists(gone):
        os.remove(gone)
    os.symlink("nowhere/gone.tar.gz", gone)

    with open(out + ".good", "w") as f:
        f.write("\n".join(good) + "\n")
    with open(out + ".facts", "w") as f:
        f.write("".join(f"{k}={v}\n" for k, v in sorted(facts.items())))


if __name__ == "__main__":
    main()
