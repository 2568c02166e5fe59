#!/usr/bin/env python3
"""Lays out, under DEST, the files that one stage of deploy/docker/Dockerfile puts in its image
(its COPY lines and those of the stages it is built FROM), so that a service can be run from that
layout exactly as in the container: same working directory, same relative paths. Files copied
from the build stage's /src come from the repository, its compiled binaries from BIN_DIR.

    image_layout.py DOCKERFILE STAGE DEST BIN_DIR   -> prints the working directory and entrypoint
"""
import os
import re
import shutil
import sys


def stages(path):
    """name -> {"base": parent stage or image, "lines": [instruction lines]}"""
    out, current = {}, None
    text = open(path).read().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"FROM\s+(\S+)(?:\s+AS\s+(\S+))?", line, re.I)
        if m:
            current = m.group(2) or m.group(1)
            out[current] = {"base": m.group(1), "lines": []}
        elif current and line and not line.startswith("#"):
            out[current]["lines"].append(line)
    return out


def chain(all_stages, name):
    seq = []
    while name in all_stages:
        seq.insert(0, name)
        name = all_stages[name]["base"]
    return seq


def main():
    dockerfile, stage, dest, bin_dir = sys.argv[1:5]
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(dockerfile))))
    all_stages = stages(dockerfile)
    if stage not in all_stages:
        sys.exit("no stage %s" % stage)
    workdir, entry = "/", None
    for name in chain(all_stages, stage):
        for line in all_stages[name]["lines"]:
            word = line.split()[0].upper()
            if word == "WORKDIR":
                workdir = line.split()[1]
            elif word == "ENTRYPOINT":
                entry = re.findall(r'"([^"]+)"', line)[0]
            elif word == "COPY":
                args = line.split()[1:]
                from_build = any(a.startswith("--from=") for a in args)
                src, dst = [a for a in args if not a.startswith("--")]
                if from_build:
                    if src.startswith("/src/build/release/bin/"):
                        src = os.path.join(bin_dir, os.path.basename(src))
                    elif src.startswith("/src/"):
                        src = os.path.join(repo, src[len("/src/"):])
                    else:
                        sys.exit("cannot place %s" % src)
                else:
                    src = os.path.join(repo, src)
                target = dst if dst.startswith("/") else os.path.join(workdir, dst)
                target = os.path.join(dest, target.lstrip("/"))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if os.path.isdir(src):
                    shutil.copytree(src, target, dirs_exist_ok=True)
                else:
                    shutil.copy2(src, target)
    print(os.path.join(dest, workdir.lstrip("/")), os.path.join(dest, entry.lstrip("/")))


if __name__ == "__main__":
    main()
