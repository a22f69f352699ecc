#!/usr/bin/python3
"""The guest follower's run when nothing changed, as a process, beside cloud-init's own reading of the same drive.

What a guest pays at every boot (the boothook) and at every change of medium when the drive holds what was applied:
the Python interpreter, cloud-init's reader, the devices labelled config-2 (blkid), the drive read, one digest
compared with the record. Its baseline is the floor of any reading of the drive with cloud-init's reader: a process
that imports it and reads the same drive (read_config_drive). Both run natively on this machine, interleaved run for
run. This machine's kernel has no iso9660: the drive, an ISO the CLI builds, is read on both sides from its files
extracted with pycdlib, where a guest mounts it (the follower asks blkid for labelled CD-ROMs as it always does,
then is handed the files).
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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import drive_files  # noqa: E402

FOLLOWER = """
import sys
sys.path.insert(0, sys.argv[1])
import follow_drive
paths = follow_drive.Paths(sys.argv[2])
follow_drive.config_drive_cdroms()
from cloudinit.sources import DataSourceConfigDrive
read = DataSourceConfigDrive.read_config_drive
follow_drive.follow(paths, "--boot", make_guest=None,
                    drive_source=lambda: follow_drive.trusted_drive(paths, lambda: [sys.argv[3]], read))
"""
READER = """
import sys
from cloudinit.sources import DataSourceConfigDrive
DataSourceConfigDrive.read_config_drive(sys.argv[3])
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
        tree = os.path.join(work, "tree")
        drive_files.extract_rock_ridge(iso, tree)
        root = os.path.join(work, "root")
        paths = follow_drive.Paths(root)
        os.makedirs(os.path.dirname(paths.instance_id))
        with open(paths.instance_id, "w") as f:
            f.write("i-bench\n")
        from cloudinit.sources import DataSourceConfigDrive

        drive = follow_drive.trusted_drive(paths, lambda: [tree], DataSourceConfigDrive.read_config_drive)
        follow_drive.Record(paths).set(drive=drive.digest())
        follower, reader = [], []
        timed(FOLLOWER, GUEST, root, tree)  # warm-up: the page cache holds Python and cloud-init for both
        for _ in range(args.runs):
            follower.append(timed(FOLLOWER, GUEST, root, tree))
            reader.append(timed(READER, GUEST, root, tree))
    ratios = [a / b for a, b in zip(follower, reader)]
    print(f"runs: {args.runs}, interleaved; medians (min-max)")
    print(f"the follower, drive unchanged: {statistics.median(follower) * 1000:.0f} ms "
          f"({min(follower) * 1000:.0f}-{max(follower) * 1000:.0f})")
    print(f"cloud-init's reader, the same drive: {statistics.median(reader) * 1000:.0f} ms "
          f"({min(reader) * 1000:.0f}-{max(reader) * 1000:.0f})")
    print(f"ratio follower/reader, run for run: {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")


if __name__ == "__main__":
    main()
