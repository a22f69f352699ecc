#!/usr/bin/python3
"""`virt-configdrive watch` in a private lab host: how long a metadata change set with plain virsh takes
to become the drive qemu holds, beside `virt-configdrive update` making the same kind of change; and what the watch
costs while idle, with 100 domains defined.

Latency: a domain with a drive runs paused (qemu changes media all the same, and no guest locks the tray); each run
sets new user data with `virsh metadata --live --set` and waits until qemu holds the new ISO (its inode among qemu's
open files), interleaved with `virt-configdrive update --user-data` timed until it returns (it waits for the same).
Idle: the watch's CPU time (utime + stime from /proc) over --idle seconds, and its RSS.
Usage: watch_benchmark.py --cli CLI --hook HOOK --guest CACHE_DIR [--runs N] [--domains N] [--idle SECONDS]
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


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def main():
    parser = lablib.bench_parser(runs=15)
    parser.add_argument("--domains", type=int, default=100)
    parser.add_argument("--idle", type=int, default=30)
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    kernel, initrd = lablib.guest_image(args.guest)
    lab = lablib.Lab(args.hook, kernel, initrd)
    files = tempfile.mkdtemp(prefix="vcd-watch-bench-")
    watch = None
    try:
        for i in range(args.domains):
            lab.define(lab.domain_xml(f"idle-{i}", str(uuidlib.uuid4()), metadata=None, first_cdrom=False))
        domain_uuid = str(uuidlib.uuid4())
        lab.define(lab.domain_xml("bench-vm", domain_uuid, metadata=None, first_cdrom=False))
        first = os.path.join(files, "first")
        with open(first, "w") as f:
            f.write("#cloud-config\n")
        subprocess.run([lablib.LAB, "exec", lab.dir, cli, "-c", lab.uri, "enable", "bench-vm", "--user-data", first],
                       check=True, capture_output=True)
        lab.virsh("start", "--paused", "bench-vm")
        out = open(os.path.join(files, "watch.out"), "w")
        watch = subprocess.Popen(["nsenter", f"--mount=/proc/{lab.daemon_pid}/ns/mnt", "--", cli, "-c", lab.uri,
                                  "watch"], stdout=out, stderr=subprocess.STDOUT)
        iso = os.path.join(lab.pool, f"{domain_uuid}.iso")

        def held_by_qemu():
            try:
                return os.stat(iso).st_ino in lab.open_iso_inodes("bench-vm")
            except FileNotFoundError:
                return False

        def by_watch(i):
            before = os.stat(iso).st_ino
            began = time.perf_counter()
            lab.virsh("metadata", "bench-vm", lablib.CD_NAMESPACE, "--key", "cd", "--live", "--set",
                      f"<configdrive><user-data>#cloud-config\n# watch {i}\n</user-data></configdrive>")
            while not (os.path.exists(iso) and os.stat(iso).st_ino != before and held_by_qemu()):
                if time.perf_counter() - began > 60:
                    raise SystemExit("watch did not swap the drive within 60 s")
                time.sleep(0.002)
            return time.perf_counter() - began

        def by_update(i):
            path = os.path.join(files, f"update-{i}")
            with open(path, "w") as f:
                f.write(f"#cloud-config\n# update {i}\n")
            began = time.perf_counter()
            subprocess.run([lablib.LAB, "exec", lab.dir, cli, "-c", lab.uri, "update", "bench-vm", "--user-data",
                            path], check=True, capture_output=True)
            return time.perf_counter() - began

        time.sleep(2)  # the watch connects and goes through the running domains
        by_watch(-1), by_update(-1)
        watch_times, update_times = [], []
        for i in range(args.runs):
            for run, times in ((by_watch, watch_times), (by_update, update_times))[:: 1 if i % 2 == 0 else -1]:
                times.append(run(i))
                time.sleep(0.5)  # the watch sees the update's own metadata change too, and finds the drive equal
        w, u = statistics.median(watch_times), statistics.median(update_times)
        print(f"metadata change to the new drive in qemu ({args.runs} runs, interleaved), medians")
        print(f"  virsh metadata --set, then watch          {w * 1000:8.1f} ms")
        print(f"  virt-configdrive update (the baseline)     {u * 1000:8.1f} ms   ratio {w / u:5.2f}")

        cpu_before = cpu_seconds(watch.pid)
        time.sleep(args.idle)
        idle_cpu = cpu_seconds(watch.pid) - cpu_before
        print(f"watch idle for {args.idle} s with {args.domains + 1} domains defined (1 running): "
              f"CPU {idle_cpu * 1000:.0f} ms ({idle_cpu / args.idle * 100:.2f} %), RSS "
              f"{memory_kib(watch.pid, 'VmRSS') / 1024:.1f} MiB (peak {memory_kib(watch.pid, 'VmHWM') / 1024:.1f} MiB)")
    finally:
        if watch is not None:
            watch.terminate()
            watch.wait(timeout=30)
        lab.close()
        subprocess.run(["rm", "-rf", files], check=False)


if __name__ == "__main__":
    main()
