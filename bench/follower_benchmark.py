#!/usr/bin/python3
"""The guest follower's run when nothing changed, as a process, beside cloud-init's own reading of the same drive.

What a guest pays at every boot (the boothook) and at every change of medium when the drive holds what was applied:
the Python interpreter, cloud-init's reader, the devices labelled config-2 (blkid), the drive mounted, read and
unmounted, one digest compared with the record. Its baseline is the floor of any reading of the drive with
cloud-init's reader: a process that imports it and reads the same drive (mount_cb, read_config_drive). Both are run
natively on this machine, interleaved run for run, the drive a loop device of an ISO the CLI builds (a loop device
is no CD-ROM: the follower is handed it, after asking blkid for labelled CD-ROMs as it always does).
Usage: follower_benchmark.py --cli CLI [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

GUEST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "guest")

FOLLOWER = """
import sys
sys.path.insert(0, sys.argv[1])
import follow_drive
paths = follow_drive.Paths(sys.argv[2])
follow_drive.config_drive_cdroms()
follow_drive.follow(paths, "--boot", make_guest=None,
                    drive_source=lambda: follow_drive.trusted_drive(paths, devices=lambda: [sys.argv[3]]))
"""
READER = """
import sys
from cloudinit import util
from cloudinit.sources import DataSourceConfigDrive
util.mount_cb(sys.argv[3], DataSourceConfigDrive.read_config_drive)
"""


def timed(program, *args):
    start = time.perf_counter()
    subprocess.run(["/usr/bin/python3", "-c", program, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, GUEST)
    import follow_drive

    with tempfile.TemporaryDirectory() as work:
        iso = os.path.join(work, "drive.iso")
        keys = [f"--ssh-key=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{n:040d} k{n}" for n in range(3)]
        subprocess.run([args.cli, "build", "--instance-id", "i-bench", "--hostname", "web1", *keys,
                        "--password-stdin", "-o", iso], input="Bench-pw-1\n", text=True, check=True)
        loop = subprocess.run(["losetup", "--find", "--show", "--read-only", iso], capture_output=True, text=True,
                              check=True).stdout.strip()
        try:
            root = os.path.join(work, "root")
            paths = follow_drive.Paths(root)
            os.makedirs(os.path.dirname(paths.instance_id))
            with open(paths.instance_id, "w") as f:
                f.write("i-bench\n")
            drive = follow_drive.trusted_drive(paths, devices=lambda: [loop])
            follow_drive.Record(paths).set(drive=drive.digest())
            follower, reader = [], []
            timed(FOLLOWER, GUEST, root, loop)  # warm-up: the page cache holds Python and cloud-init for both
            for _ in range(args.runs):
                follower.append(timed(FOLLOWER, GUEST, root, loop))
                reader.append(timed(READER, GUEST, root, loop))
        finally:
            subprocess.run(["losetup", "-d", loop], check=False)
    ratios = [a / b for a, b in zip(follower, reader)]
    print(f"runs: {args.runs}, interleaved; medians (min-max)")
    print(f"the follower, drive unchanged: {statistics.median(follower) * 1000:.0f} ms "
          f"({min(follower) * 1000:.0f}-{max(follower) * 1000:.0f})")
    print(f"cloud-init's reader, the same drive: {statistics.median(reader) * 1000:.0f} ms "
          f"({min(reader) * 1000:.0f}-{max(reader) * 1000:.0f})")
    print(f"ratio follower/reader, run for run: {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
