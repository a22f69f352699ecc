"""What cloud-init's own code makes of a config drive's network, as a booting guest with one NIC would.

cloud_init_networks(trees, mac) runs this file in a network namespace of its own holding one NIC (a tap named ens3
with the given MAC) and a /sys of its own, which is what cloud-init inspects on a guest. For each drive tree,
cloud-init's ConfigDrive datasource reads it (from its seed directory, as after mounting the drive), and
Init._find_networking_config chooses between the datasource's network config and cloud-init's fallback, as at
boot; cloud-init's network_state then says which interfaces get an address. Nothing here re-implements cloud-init.
The machine's own network is never touched. Run with Debian's /usr/bin/python3 (Debian's cloud-init).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

NIC = "ens3"


def cloud_init_networks(trees, mac):
    """For each tree: {"read": False, "error": …} when cloud-init cannot read the drive, else {"read": True,
    "source": "ds" | "fallback" | …, "config": what cloud-init applies, "addressed": [MACs of the interfaces that
    get an address]}."""
    script = (f'mount -t sysfs sysfs /sys && ip tuntap add dev {NIC} mode tap && ip link set {NIC} address "$1" && '
              'shift && exec /usr/bin/python3 "$@"')
    result = subprocess.run(["unshare", "-n", "-m", "--propagation", "private", "sh", "-c", script, "-", mac,
                             os.path.abspath(__file__), *trees], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"cloud-init's network probe failed: {result.stderr}")
    return json.loads(result.stdout)


def decide(tree):
    """cloud-init's datasource and network choice for one drive tree (inside the namespace)."""
    from cloudinit import distros, helpers, stages
    from cloudinit.net import network_state
    from cloudinit.sources import DataSourceConfigDrive
    from cloudinit.sources.helpers import openstack

    cloud = tempfile.mkdtemp(prefix="vcd-cloud-")
    try:
        paths = helpers.Paths({"cloud_dir": cloud, "run_dir": os.path.join(cloud, "run")})
        shutil.copytree(tree, os.path.join(paths.seed_dir, "config_drive"))
        distro = distros.fetch("debian")("debian", {}, paths)
        source = DataSourceConfigDrive.DataSourceConfigDrive({}, distro, paths)
        init = stages.Init(ds_deps=[])
        init._paths, init._distro, init.datasource = paths, distro, source
        # What cloud-init raises for a drive it cannot use is a verdict; anything else (an AttributeError or
        # TypeError of this harness's own making, say) fails the test that asked.
        try:
            if not source.get_data():
                return {"read": False, "error": "no config drive found"}
            config, chosen = init._find_networking_config()
        except (openstack.BrokenMetadata, openstack.NonReadable, ValueError, KeyError) as error:
            return {"read": False, "error": f"{type(error).__name__}: {error}"}
        state = network_state.parse_net_config_data(config) if config else None
        addressed = sorted({(iface.get("mac_address") or "").lower() for iface in state.iter_interfaces()
                            if iface.get("subnets")}) if state else []
        return {"read": True, "source": chosen.value, "config": config, "addressed": addressed}
    finally:
        shutil.rmtree(cloud, ignore_errors=True)


if __name__ == "__main__":
    import logging

    logging.disable(logging.CRITICAL)
    print(json.dumps([decide(tree) for tree in sys.argv[1:]]))
