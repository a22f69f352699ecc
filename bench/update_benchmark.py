#!/usr/bin/python3
"""`virt-configdrive update` on a running VM, end to end, against the bare media swap it wraps.

Both run side by side, interleaved, on one guest in a private lab host: the CLI (rebuild, eject, place, insert,
metadata) and, as the baseline, `virsh change-media --eject` + `--insert` of a ready ISO (the part libvirt and
qemu do anyway). Prints medians and their ratio.
Usage: update_benchmark.py --cli CLI --hook HOOK --guest CACHE_DIR [--runs N]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid as uuidlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import lab as lablib  # noqa: E402


def timed(run):
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main():
    args = lablib.bench_parser(runs=15).parse_args()
    cli = os.path.abspath(args.cli)
    kernel, initrd = lablib.guest_image(args.guest)
    lab = lablib.Lab(args.hook, kernel, initrd)
    files = tempfile.mkdtemp(prefix="vcd-bench-")
    try:
        domain_uuid = str(uuidlib.uuid4())
        # The guest reads its drive once and then leaves it alone: no tray is ever locked.
        lab.define(lab.domain_xml("bench-vm", domain_uuid, metadata=None, cmdline="vcd.loop=86400", first_cdrom=False))
        user_data = []
        for i in range(2):
            path = os.path.join(files, f"user-data-{i}")
            with open(path, "w") as f:
                f.write(f"#cloud-config\n# revision {i}\n" + "x" * 4096)
            user_data.append(path)
        subprocess.run([lablib.LAB, "exec", lab.dir, cli, "-c", lab.uri, "enable", "bench-vm", "--user-data",
                        user_data[0]], check=True, capture_output=True)
        lab.virsh("start", "bench-vm")
        lab.wait_for_console("bench-vm", "VCD-END")
        iso = f"{lablib.POOL_INSIDE}/{domain_uuid}.iso"

        def update(i):
            subprocess.run([lablib.LAB, "exec", lab.dir, cli, "-c", lab.uri, "update", "bench-vm", "--user-data",
                            user_data[i % 2]], check=True, capture_output=True)

        def change_media():
            for action in (["--eject"], ["--insert", iso]):
                subprocess.run([lablib.LAB, "exec", lab.dir, "virsh", "-q", "-c", lab.uri, "change-media",
                                "bench-vm", "hdd", *action], check=True, capture_output=True)

        update(1)  # warm up both paths once
        change_media()
        cli_times, baseline_times = [], []
        for i in range(args.runs):
            cli_times.append(timed(lambda: update(i)))
            baseline_times.append(timed(change_media))
        cli_median, baseline_median = statistics.median(cli_times), statistics.median(baseline_times)
        print(f"update on a running VM ({args.runs} runs, interleaved)")
        print(f"  virt-configdrive update        median {cli_median * 1000:8.1f} ms")
        print(f"  virsh change-media eject+insert median {baseline_median * 1000:8.1f} ms (baseline)")
        print(f"  ratio                                 {cli_median / baseline_median:8.2f}")
    finally:
        lab.close()
        subprocess.run(["rm", "-rf", files], check=False)


if __name__ == "__main__":
    main()
