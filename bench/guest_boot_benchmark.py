#!/usr/bin/python3
"""What the guest follower adds to a boot of the same instance when the drive is unchanged, under TCG.

Two cloud-init guests of the lab (scripts/cloud-guest-image, this machine's Debian release), alike but for
--guest-follows: "on" carries the follower in its vendor data, "off" does not. Both boot once (their first boots,
not counted), then --rounds times both at once, one core each: each boot from `virsh start` until the guest has
written its report and rebooted. Medians of the boot times, their ratio on/off round by round, and what the
follower's two runs took in the guests that carry it: the boothook (cloud-init's log, from running it to the next
line) and the unit before the network (systemd's journal, from starting it to its end).
Usage: guest_boot_benchmark.py --cli CLI --hook HOOK --image CACHE_DIR [--rounds N]
"""
import argparse
import datetime
import os
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import cloudinit_guest_test as guests  # noqa: E402
import lab as lablib  # noqa: E402

STAMP = r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d+)"


def seconds_between(first, second):
    parse = lambda text: datetime.datetime.strptime(text.replace(",", "."), "%Y-%m-%d %H:%M:%S.%f")  # noqa: E731
    return (parse(second) - parse(first)).total_seconds()


def boothook_seconds(report):
    """From cloud-init running the boothook to its next log line."""
    found = re.search(STAMP + r" - subp.py\[DEBUG\]: Running command \['[^']*/boothooks/[^']*'\].*\n" + STAMP,
                      report["FOLLOWLOG"])
    return seconds_between(found.group(1), found.group(2)) if found else None


def unit_seconds(report, year):
    """From systemd starting the network unit to its end (the journal's short-precise times: no year)."""
    started = re.search(r"^(\w{3} \d\d \d\d:\d\d:\d\d\.\d+) .*Starting virt-configdrive-network", report["FOLLOWLOG"],
                        re.M)
    ended = re.search(r"^(\w{3} \d\d \d\d:\d\d:\d\d\.\d+) .*(Finished|Deactivated).*virt-configdrive-network",
                      report["FOLLOWLOG"], re.M)
    if not (started and ended):
        return None
    parse = lambda text: datetime.datetime.strptime(f"{year} {text}", "%Y %b %d %H:%M:%S.%f")  # noqa: E731
    return (parse(ended.group(1)) - parse(started.group(1))).total_seconds()


class Bench(guests.CloudInitLab):
    """The lab and its helpers, outside unittest's runner."""

    def runTest(self):
        pass


def main():
    parser = argparse.ArgumentParser()
    for name in ("cli", "hook", "image"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    guests.ARGS = args
    Bench.setUpClass()
    bench = Bench()
    try:
        for name, follows in (("on", "yes"), ("off", "no")):
            bench.define(name, {"xml": lablib.loopback_nic(f"52:54:00:c2:00:0{1 if follows == 'yes' else 2}")})
            bench.cli("enable", name, "--guest-follows", follows, "--ssh-key", guests.key_pair(bench.files, name))
            bench.cli("update", name, "--password-stdin", stdin="Bench-Passw0rd\n")
        times = {"on": [], "off": []}
        follower = {"boothook": [], "unit": []}
        for round_ in range(args.rounds + 1):
            started = {}
            joins = {}
            for name in ("on", "off"):
                started[name] = time.monotonic()
                joins[name] = bench.in_background(lambda name=name: (bench.boot(name), time.monotonic()))
            for name in ("on", "off"):
                report, ended = joins[name]()
                if round_ == 0:
                    continue  # the first boot: cloud-init's own work, not the same instance's later boot
                times[name].append(ended - started[name])
                if name == "on":
                    follower["boothook"].append(boothook_seconds(report))
                    follower["unit"].append(unit_seconds(report, datetime.date.today().year))
                    assert "the drive holds what was applied" in report["FOLLOWLOG"], report["FOLLOWLOG"]
    finally:
        Bench.tearDownClass()
    ratios = [a / b for a, b in zip(times["on"], times["off"])]
    print(f"rounds: {args.rounds} (both guests at once, one core each); medians (min-max)")
    for name in ("on", "off"):
        print(f"boot, follower {name}: {statistics.median(times[name]):.1f} s "
              f"({min(times[name]):.1f}-{max(times[name]):.1f})")
    print(f"ratio on/off, round by round: {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})")
    for part, values in follower.items():
        known = [value for value in values if value is not None]
        if known:
            print(f"the follower's {part}, drive unchanged: {statistics.median(known):.2f} s "
                  f"({min(known):.2f}-{max(known):.2f}), {len(known)} of {len(values)} read")


if __name__ == "__main__":
    main()
