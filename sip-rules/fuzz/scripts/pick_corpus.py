#!/usr/bin/env python3
# Greedy max-coverage pick from a libFuzzer merge control file: up to 40 files, 64 KiB in all,
# the seed first, then each time the file adding the most not-yet-covered edges (COV lines).
import os, shutil, sys
ctl, seed, out = sys.argv[1:4]
lines = open(ctl).read().split("\n")
n = int(lines[0]); files = lines[2:2 + n]
cov = {}
for l in lines[2 + n:]:
    p = l.split()
    if p and p[0] == "COV":
        cov[int(p[1])] = set(p[2:])
allcov = set().union(*cov.values())
size = {i: os.path.getsize(f) for i, f in enumerate(files)}
seed_data = open(seed, "rb").read()
chosen = [i for i, f in enumerate(files) if open(f, "rb").read() == seed_data][:1]
got = set().union(*(cov.get(i, set()) for i in chosen))
budget = 64 * 1024 - sum(size[i] for i in chosen)
while len(chosen) < 40:
    best = max((i for i in cov if i not in chosen and size[i] <= budget),
               key=lambda i: (len(cov[i] - got), -size[i]), default=None)
    if best is None or not cov[best] - got:
        break
    chosen.append(best); got |= cov[best]; budget -= size[best]
os.makedirs(out, exist_ok=True)
for f in os.listdir(out):
    os.remove(os.path.join(out, f))
for i in chosen:
    name = "plivo_invite.sip" if open(files[i], "rb").read() == seed_data else os.path.basename(files[i])
    shutil.copy(files[i], os.path.join(out, name))
print(f"{len(chosen)} files, {sum(size[i] for i in chosen)} B, edges {len(got)} of {len(allcov)}")
