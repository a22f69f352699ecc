#!/usr/bin/python3
"""Live migration with and without a config drive, side by side: two guests on the same two lab hosts,
migrated back and forth in alternation. Prints medians of the wall time of `virsh migrate`, and of libvirt's own
"Time elapsed" and "Total downtime" (domjobinfo --completed on the destination, which always keeps the domain).
Usage: migration_benchmark.py --hook HOOK --guest CACHE_DIR [--runs N]
"""
import argparse
import os
import re
import statistics
import sys
import time
import uuid as uuidlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import lab as lablib  # noqa: E402


def completed_job(lab, name):
    """(elapsed, downtime) in ms of the domain's last completed job. Reading them clears them, so once."""
    deadline = time.monotonic() + 10  # the destination records the job a moment after `virsh migrate` returns
    while True:
        text = lab.virsh("domjobinfo", name, "--completed").stdout
        found = [re.search(rf"^{field}:\s+(\d+)", text, re.M) for field in ("Time elapsed", "Total downtime")]
        if all(found):
            return tuple(float(f.group(1)) for f in found)
        if time.monotonic() > deadline:
            raise SystemExit(f"{name}: no completed job in domjobinfo --completed:\n{text}")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hook", required=True)
    parser.add_argument("--guest", required=True)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    kernel, initrd = lablib.guest_image(args.guest)
    hosts = [lablib.Lab(args.hook, kernel, initrd) for _ in range(2)]
    try:
        a = hosts[0]
        guests = {}
        for name, with_drive in (("with-drive", True), ("without-drive", False)):
            domain_uuid = str(uuidlib.uuid4())
            if with_drive:
                xml = a.domain_xml(name, domain_uuid, "<cd:user-data>#cloud-config\n</cd:user-data>",
                                   f"{lablib.POOL_INSIDE}/{domain_uuid}.iso", cmdline="vcd.loop=86400")
            else:
                xml = a.domain_xml(name, domain_uuid, metadata=None, cmdline="vcd.loop=86400")
            # Transient guests: on a host where a persistent definition waits, libvirt keeps no completed job.
            path = os.path.join(a.dir, f"{name}.xml")
            with open(path, "w") as f:
                f.write(xml)
            a.virsh("create", path)
            a.wait_for_console(name, "VCD-END")
            guests[name] = {"at": 0, "wall": [], "elapsed": [], "downtime": []}
        for _ in range(args.runs):
            for name, stats in guests.items():
                source, destination = hosts[stats["at"]], hosts[1 - stats["at"]]
                start = time.perf_counter()
                source.virsh("migrate", "--live", name, destination.uri, "--migrateuri",
                             f"tcp://127.0.0.1:{lablib.free_port()}")
                stats["wall"].append((time.perf_counter() - start) * 1000)
                elapsed, downtime = completed_job(destination, name)
                stats["elapsed"].append(elapsed)
                stats["downtime"].append(downtime)
                stats["at"] = 1 - stats["at"]
        print(f"live migration, 256 MiB TCG guest ({args.runs} runs each, interleaved), medians in ms")
        print(f"  {'':15} {'virsh migrate':>14} {'libvirt elapsed':>16} {'downtime':>9}")
        for name, stats in guests.items():
            print(f"  {name:15} {statistics.median(stats['wall']):14.0f} "
                  f"{statistics.median(stats['elapsed']):16.0f} {statistics.median(stats['downtime']):9.0f}")
        w, wo = guests["with-drive"], guests["without-drive"]
        print(f"  ratio (with/without): wall {statistics.median(w['wall']) / statistics.median(wo['wall']):.2f}, "
              f"downtime {statistics.median(w['downtime']) / statistics.median(wo['downtime']):.2f}")
    finally:
        for lab in hosts:
            lab.close()


if __name__ == "__main__":
    main()
