#!/usr/bin/env python3
"""The file system's own rate for what a durable small upload does on disk, as a reference for
`bench/run.sh`: 64 threads each create a 12-byte staging file, fsync it, hard-link it into a folder
named by its hash (blobs/<aa>/<bb>/<sha256>), fsync that folder and remove the staging name —
the disk store's steps, without HTTP, multipart, hashing cost or a database.

Usage: bench/small-files.py FOLDER SECONDS  → prints files per second
"""
import hashlib
import os
import sys
import threading
import time

folder, seconds = sys.argv[1], float(sys.argv[2])
staging, blobs = os.path.join(folder, "staging"), os.path.join(folder, "blobs")
os.makedirs(staging, exist_ok=True)
os.makedirs(blobs, exist_ok=True)
deadline = time.monotonic() + seconds
counts = []


def worker(number):
    done = 0
    while time.monotonic() < deadline:
        content = b"%011d\n" % (number * 10_000_000 + done)
        digest = hashlib.sha256(content).hexdigest()
        staged = os.path.join(staging, "%d-%d.part" % (number, done))
        descriptor = os.open(staged, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644)
        os.write(descriptor, content)
        os.fsync(descriptor)
        os.close(descriptor)
        target = os.path.join(blobs, digest[:2], digest[2:4])
        os.makedirs(target, exist_ok=True)
        os.link(staged, os.path.join(target, digest))
        descriptor = os.open(target, os.O_RDONLY | os.O_DIRECTORY)
        os.fsync(descriptor)
        os.close(descriptor)
        os.unlink(staged)
        done += 1
    counts.append(done)


threads = [threading.Thread(target=worker, args=(n,)) for n in range(64)]
start = time.monotonic()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("%.0f" % (sum(counts) / (time.monotonic() - start)))
