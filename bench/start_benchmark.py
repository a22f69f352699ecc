#!/usr/bin/python3
"""`virsh start` as the user meets it, on three private lab hosts side by side: one with the hook
installed as the package installs it, one with /usr/bin/true installed in its place (what libvirtd itself pays
for running any hook: it formats the XML and forks for each call), and one without any hook.

Rows, each interleaved run for run between the hosts, medians:
  - one domain without a config drive (what every other VM pays);
  - one domain with a config drive: the hook's host builds and places it (its ISO absent, as after every release),
    the other hosts find the same ISO already in place;
  - the host-boot storm: 50 domains started at once with 50 concurrent `virsh start`: the total time and the
    slowest start; 50 domains with drives and 50 without.
Guests start paused: libvirtd runs every hook exactly as for a running start, and no guest CPU competes with the
starts on this 2-core machine.
Usage: start_benchmark.py --cli CLI --hook HOOK --guest CACHE_DIR [--runs N] [--storm N] [--storms N]
"""
import os
import statistics
import subprocess
import sys
import time
import uuid as uuidlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import lab as lablib  # noqa: E402

USER_DATA = "<cd:user-data>#cloud-config\nruncmd:\n  - echo hello\n</cd:user-data><cd:hostname>bench</cd:hostname>"


class Guests:
    """The same domains defined on every host; on all but the first (the hook's) each drive is placed beforehand
    by `build`."""

    def __init__(self, hosts, cli, prefix, count, with_drive):
        self.names = []
        for i in range(count):
            name, domain_uuid = f"{prefix}-{i}", str(uuidlib.uuid4())
            iso = f"{lablib.POOL_INSIDE}/{domain_uuid}.iso"
            xml = hosts[0].domain_xml(name, domain_uuid, USER_DATA if with_drive else None,
                                      iso if with_drive else None, first_cdrom=False)
            for lab in hosts:
                lab.define(xml)
            for lab in hosts[1:] if with_drive else []:
                path = os.path.join(lab.dir, f"{name}.xml")
                with open(path, "w") as f:
                    f.write(xml)
                os.makedirs(lab.pool, exist_ok=True)
                subprocess.run([cli, "build", "--domain-xml", path, "-o", os.path.join(lab.pool, f"{domain_uuid}.iso")],
                               check=True, capture_output=True)
            self.names.append(name)


def start(lab, name):
    began = time.perf_counter()
    lab.virsh("start", "--paused", name)
    return time.perf_counter() - began


def storm(lab, names):
    """Starts every domain at once; returns (seconds until the last is running, the slowest single `virsh start`
    from its spawn to its exit), then destroys them all."""
    virsh = "/usr/bin/virsh"
    began = time.perf_counter()
    spawned = {}
    for name in names:
        pid = os.posix_spawn(virsh, [virsh, "-q", "-c", lab.uri, "start", "--paused", name], os.environ,
                             file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
        spawned[pid] = (name, time.perf_counter())
    slowest = 0.0
    while spawned:
        pid, status = os.wait()
        name, at = spawned.pop(pid)
        slowest = max(slowest, time.perf_counter() - at)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"virsh start {name} failed (its error is above)")
    total = time.perf_counter() - began
    destroy_all(lab, names)
    return total, slowest


def destroy_all(lab, names):
    for process in [subprocess.Popen(["virsh", "-q", "-c", lab.uri, "destroy", name], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL) for name in names]:
        process.wait()


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def main():
    parser = lablib.bench_parser(runs=15)
    parser.add_argument("--storm", type=int, default=50)
    parser.add_argument("--storms", type=int, default=3)
    args = parser.parse_args()
    cli = os.path.abspath(args.cli)
    kernel, initrd = lablib.guest_image(args.guest)
    hosts = [lablib.Lab(args.hook, kernel, initrd), lablib.Lab("/usr/bin/true", kernel, initrd),
             lablib.Lab(None, kernel, initrd)]
    hooked, noop, bare = hosts
    try:
        single_plain = Guests(hosts, cli, "plain", 1, with_drive=False).names[0]
        single_drive = Guests(hosts, cli, "drive", 1, with_drive=True).names[0]
        print(f"virsh start --paused, one domain ({args.runs} runs, interleaved), medians")
        for name, what in ((single_plain, "without a config drive"), (single_drive, "with a config drive")):
            times = [[] for _ in hosts]
            for i in range(args.runs + 1):
                for which in (i % 3, (i + 1) % 3, (i + 2) % 3):
                    elapsed = start(hosts[which], name)
                    hosts[which].virsh("destroy", name)
                    if i > 0:  # the first round warms the hosts up
                        times[which].append(elapsed)
            ours, true, none = (statistics.median(t) for t in times)
            print(f"  {what:24} hook {ms(ours)}   /usr/bin/true as the hook {ms(true)}   no hook {ms(none)}   "
                  f"ratio to no hook {ours / none:5.2f}")

        drives = Guests(hosts, cli, "storm-drive", args.storm, with_drive=True).names
        plains = Guests(hosts, cli, "storm-plain", args.storm, with_drive=False).names
        storms = [(f"{args.storm} drives, hook installed (builds them)", hooked, drives),
                  (f"{args.storm} drives, /usr/bin/true as the hook", noop, drives),
                  (f"{args.storm} drives, no hook (ISOs in place)", bare, drives),
                  (f"{args.storm} without drives, hook installed", hooked, plains),
                  (f"{args.storm} without drives, /usr/bin/true as the hook", noop, plains),
                  (f"{args.storm} without drives, no hook", bare, plains)]
        results = {key: [] for key, _, _ in storms}
        for i in range(args.storms):
            for key, lab, names in (storms if i % 2 == 0 else list(reversed(storms))):
                results[key].append(storm(lab, names))
        print(f"{args.storm} domains started at once ({args.storms} storms each, interleaved), medians")
        medians = {}
        for key, _, _ in storms:
            medians[key] = (statistics.median(r[0] for r in results[key]), statistics.median(r[1] for r in results[key]))
            print(f"  {key:52} total {ms(medians[key][0])}   slowest start {ms(medians[key][1])}")
        totals = [medians[key][0] for key, _, _ in storms]
        print(f"  ratio of totals, hook against no hook: {totals[0] / totals[2]:.2f} with drives, "
              f"{totals[3] / totals[5]:.2f} without; /usr/bin/true against no hook: {totals[1] / totals[2]:.2f}, "
              f"{totals[4] / totals[5]:.2f}")
    finally:
        for lab in hosts:
            lab.close()


if __name__ == "__main__":
    main()
