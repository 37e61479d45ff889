#!/usr/bin/env python3
"""Builds the archive fixtures of tests/e2e/archives.sh from a folder of articles.

    make_archives.py ARTICLES OUT

ARTICLES is a folder of .txt articles and .jsonl feeds (examples/articles). Into OUT go
the same articles in every container crosscheck reads, each of which must give the same
documents and claims as the folder itself:

  articles.tar, .tar.gz, .tar.bz2, .tar.xz, .tar.zst (zstd CLI, when installed), .zip:
      the files under news/2025/ (nested folders), with a folder entry, hidden members
      (.DS_Store, __MACOSX/, ._x) and a link, which are not articles
  nested.zip: articles.tar.gz inside a zip, under in/
  wire.jsonl.gz: every .jsonl feed of ARTICLES, gzipped
  articles.warc, articles.warc.gz: each .txt article as the text/plain payload of a
      response record (plain, chunked, gzip-encoded, both; one as a resource record), among
      records that are not articles (warcinfo, request, metadata, a redirect, an image, a
      revisit); the .warc.gz has one gzip member per record, as crawlers write them
  pages/: each .txt article as a simple HTML page, and pages.warc.gz with those pages as
      text/html responses; the two must agree

Python standard library only (tarfile, zipfile, gzip); names and dates are fixed so the
fixtures are the same on every run.
"""
import gzip
import html
import io
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
import zipfile

MTIME = 1741860000  # fixed, so archives are byte-identical between runs


def add_bytes(tar, name, data, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.mtime = MTIME
    info.type = kind
    info.linkname = link
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def build_tars(files, out):
    """files: list of (name, bytes). Returns the paths written."""
    written = []
    modes = [("articles.tar", "w"), ("articles.tar.gz", "w:gz"),
             ("articles.tar.bz2", "w:bz2"), ("articles.tar.xz", "w:xz")]
    for name, mode in modes:
        path = os.path.join(out, name)
        with tarfile.open(path, mode) as tar:
            add_bytes(tar, "news/2025", b"", tarfile.DIRTYPE)
            for fname, data in files:
                add_bytes(tar, "news/2025/" + fname, data)
            add_bytes(tar, "news/2025/.DS_Store", b"\x00\x00\x00\x01Bud1" + b"\x00" * 64)
            add_bytes(tar, "news/latest.txt", b"", tarfile.SYMTYPE, "2025/" + files[0][0])
        written.append(path)
    if shutil.which("zstd"):
        plain = os.path.join(out, "articles.tar")
        subprocess.run(["zstd", "-q", "-f", plain, "-o", os.path.join(out, "articles.tar.zst")],
                       check=True)
        written.append(os.path.join(out, "articles.tar.zst"))
    return written


def build_zip(files, path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("news/", date_time=(2025, 3, 13, 0, 0, 0)), b"")
        for fname, data in files:
            z.writestr(zipfile.ZipInfo("news/2025/" + fname, date_time=(2025, 3, 13, 0, 0, 0)),
                       data, zipfile.ZIP_DEFLATED)
            # what macOS's archiver adds beside every file
            z.writestr(zipfile.ZipInfo("__MACOSX/news/2025/._" + fname,
                                       date_time=(2025, 3, 13, 0, 0, 0)), b"\x00\x05\x16\x07")


def warc_record(wtype, uri, block, content_type=None, version="1.1", extra=()):
    rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{wtype}:{uri}:{len(block)}")
    head = [f"WARC/{version}", f"WARC-Type: {wtype}", f"WARC-Record-ID: <urn:uuid:{rid}>",
            "WARC-Date: 2025-03-16T09:30:00Z"]
    if uri:
        head.append(f"WARC-Target-URI: {'<' + uri + '>' if version == '1.0' else uri}")
    if content_type:
        head.append(f"Content-Type: {content_type}")
    head.extend(extra)
    head.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def http_response(body, ctype, status="200 OK", chunked=False, gzipped=False):
    head = [f"HTTP/1.1 {status}", f"Content-Type: {ctype}", "Server: fixture"]
    if gzipped:
        body = gzip.compress(body, mtime=0)
        head.append("Content-Encoding: gzip")
    if chunked:
        head.append("Transfer-Encoding: chunked")
        parts, step = [], 700
        for i in range(0, len(body), step):
            piece = body[i:i + step]
            parts.append(b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n")
        body = b"".join(parts) + b"0\r\n\r\n"
    else:
        head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def warc_records(articles, ctype, base):
    """Response records for (name, bytes) articles, in four encodings, among records that
    are not articles."""
    recs = [warc_record("warcinfo", None, b"software: make_archives.py\r\nformat: WARC 1.1\r\n",
                        "application/warc-fields")]
    http = "application/http; msgtype=response"
    for i, (fname, data) in enumerate(articles):
        uri = f"{base}/{fname}"
        recs.append(warc_record("request", uri, f"GET /{fname} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
                                "application/http; msgtype=request"))
        if i % 5 == 4:
            recs.append(warc_record("resource", uri, data, ctype))
        else:
            block = http_response(data, ctype, chunked=i % 5 in (1, 3), gzipped=i % 5 in (2, 3))
            recs.append(warc_record("response", uri, block, http, version="1.0" if i == 0 else "1.1"))
        recs.append(warc_record("metadata", uri, b"outlinks: none\r\n", "application/warc-fields"))
    recs.append(warc_record("response", f"{base}/moved", http_response(
        b"<html><body>Moved</body></html>", "text/html", status="301 Moved Permanently"), http))
    recs.append(warc_record("response", f"{base}/logo.png", http_response(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png"), http))
    recs.append(warc_record("revisit", f"{base}/{articles[0][0]}", b"HTTP/1.1 200 OK\r\n\r\n", http,
                            extra=("WARC-Profile: http://netpreserve.org/warc/1.1/revisit/"
                                   "identical-payload-digest",)))
    return recs


def write_warc(recs, path, per_record_gzip):
    with open(path, "wb") as f:
        for r in recs:
            f.write(gzip.compress(r, mtime=0) if per_record_gzip else r)


def page(text):
    """A .txt article as a simple HTML page: the first line the headline, then the rest
    as paragraphs."""
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    title = html.escape(paras[0]) if paras else ""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras[1:])
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title></head>\n<body><article><h1>{title}</h1>\n{body}\n"
            f"</article></body></html>\n").encode()


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    names = sorted(n for n in os.listdir(src) if not n.startswith("."))
    files = [(n, open(os.path.join(src, n), "rb").read()) for n in names]
    texts = [(n, d) for n, d in files if n.endswith(".txt")]
    feeds = [(n, d) for n, d in files if n.endswith(".jsonl")]

    build_tars(files, out)
    build_zip(files, os.path.join(out, "articles.zip"))
    with zipfile.ZipFile(os.path.join(out, "nested.zip"), "w", zipfile.ZIP_STORED) as z:
        z.write(os.path.join(out, "articles.tar.gz"), "in/articles.tar.gz")
    with open(os.path.join(out, "wire.jsonl.gz"), "wb") as f:
        f.write(gzip.compress(b"".join(d for _, d in feeds), mtime=0))

    recs = warc_records(texts, "text/plain; charset=utf-8", "https://news.example/2025")
    write_warc(recs, os.path.join(out, "articles.warc"), False)
    write_warc(recs, os.path.join(out, "articles.warc.gz"), True)

    pages = os.path.join(out, "pages")
    os.makedirs(pages, exist_ok=True)
    html_pages = []
    for n, d in texts:
        hname = n[:-4] + ".html"
        data = page(d.decode("utf-8"))
        with open(os.path.join(pages, hname), "wb") as f:
            f.write(data)
        html_pages.append((hname, data))
    recs = warc_records(html_pages, "text/html; charset=utf-8", "https://pages.example/2025")
    write_warc(recs, os.path.join(out, "pages.warc.gz"), True)


if __name__ == "__main__":
    main()
