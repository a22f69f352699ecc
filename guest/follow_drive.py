#!/usr/bin/python3
"""virt-configdrive's part in the guest: the guest follows its config drive, without a new instance id.

cloud-init gives the default user its SSH keys and password, and sets the hostname, once per instance; and a guest
whose instance id is its SMBIOS UUID restores cloud-init's datasource from its cache at every later boot. So what
the host changes on the drive after the first boot would never reach the guest. This script travels in the drive's
vendor data and applies it, for the default user cloud-init's config names:

- the drive's SSH keys: the keys this script (or cloud-init, at the instance's first boot) gave the user and the
  drive no longer lists are removed; keys added in the guest by hand stay;
- the hostname, unless cloud-init's config keeps or sets one of its own (preserve_hostname, hostname, fqdn);
- the password, the SHA-512 crypt hash of the drive's password part (cloud-init's set_passwords has the same);
- the network data, at the next boot: the running guest's network stays as it is.

It runs:
- at every boot, as a boothook (cloud-init runs it before its own modules). It installs its copy under
  /var/lib/cloud/virt-configdrive, a udev rule under /run that starts it (--media-change) in a transient systemd
  unit when a CD-ROM's medium changes, and a systemd unit that runs it at every later boot (--before-network) where
  cloud-init renders the network, after its init-local stage and before the network starts. There it also renders
  the network: cloud-init itself renders it only for a new instance, and its update event, which would make it
  re-read the drive at every boot, breaks a config drive's datasource (its network_config is then the UNSET string
  the update leaves there). A boothook that follows that unit's run has nothing left to do, and reads nothing.
- once per instance, after cloud-init's own modules (--instance-done, from a vendor data script): at an instance's
  first boot the default user does not exist yet when boothooks run, and cloud-init applies the drive itself; this
  run records what it applied.

It trusts only a CD-ROM labelled config-2 whose instance id is the one cloud-init runs, takes only well-formed
values (a key line, a hostname, a SHA-512 crypt hash), and records what it applied, after applying it, in a
root-only file under /var/lib/cloud/. When the drive still says what that record says, it costs reading the drive
and comparing one digest: cloud-init's stages and distro are loaded only when something changed.
"""
import base64
import email
import fcntl
import hashlib
import json
import os
import pwd
import re
import socket
import struct
import subprocess
import sys
import syslog
import time

# cloud-init's modules are imported where they are needed: a boothook with nothing to do imports none of them.

JOURNAL = False  # say() also writes to syslog (main sets it)
# How the drive's password part begins: the cloud-config part that gives cloud-init's set_passwords the hash.
PASSWORD_PART = "#cloud-config\n# virt-configdrive: password\n"
# How this script's part begins on the drive.
FOLLOWER_PART = "#cloud-boothook\n#!/usr/bin/python3\n\"\"\"virt-configdrive's part in the guest"
SHA512_CRYPT = re.compile(r"\$6\$(rounds=[0-9]{1,9}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}")
HOSTNAME_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# A read that overlaps a change of medium can fail where the new medium is not yet whole (the guest's kernel logs I/O
# errors on the CD-ROM), and cloud-init's reader takes an optional file it could not read for an absent one. A run
# started by a change of medium reads the drive again after a pause, as often as this, until it reads it whole;
# udev polls removable media every 2 s.
MEDIA_CHANGE_READS = 6
MEDIA_CHANGE_PAUSE = 2.0
# Where cloud-init renders the network: after its init-local stage, before the network starts. Pulled in by
# cloud-init.target, so that a guest whose cloud-init is off runs none of it.
NETWORK_UNIT = """[Unit]
Description=virt-configdrive: the guest follows its config drive, before the network starts
Documentation=man:virt-configdrive(1)
DefaultDependencies=no
Wants=network-pre.target
After=cloud-init-local.service systemd-remount-fs.service local-fs.target
Before=network-pre.target shutdown.target
Conflicts=shutdown.target
RequiresMountsFor=/var/lib/cloud
ConditionPathExists=%(script)s

[Service]
Type=oneshot
ExecStart=/usr/bin/python3 %(script)s --before-network

[Install]
WantedBy=cloud-init.target
"""
# A CD-ROM's medium changed (inserted or ejected). The unit is transient and named after the event, so that no change
# is lost to a run still going; runs take turns on the lock.
UDEV_RULE = """# virt-configdrive: the guest follows its config drive when the CD-ROM's medium changes.
ACTION=="change", SUBSYSTEM=="block", KERNEL=="sr[0-9]*", ENV{DISK_MEDIA_CHANGE}=="1", \\
  RUN+="/usr/bin/systemd-run --no-block --collect --unit=virt-configdrive-follow-$env{SEQNUM} \\
  /usr/bin/python3 %s --media-change"
"""


class Paths:
    """Where the script keeps its copy, its record and its triggers, and where cloud-init keeps its instance id."""

    def __init__(self, root="/"):
        self.state_dir = os.path.join(root, "var/lib/cloud/virt-configdrive")
        self.record = os.path.join(self.state_dir, "applied.json")
        # Earlier releases recorded the applied password alone, as the sha256 of its hash.
        self.old_password_record = os.path.join(root, "var/lib/cloud/virt-configdrive-password.sha256")
        self.instance_id = os.path.join(root, "var/lib/cloud/data/instance-id")
        self.script = os.path.join(self.state_dir, "follow_drive.py")
        self.run_dir = os.path.join(root, "run/virt-configdrive")
        self.lock = os.path.join(self.run_dir, "lock")
        # This boot's drive was followed before the network started: the boothook has nothing left to do.
        self.followed_early = os.path.join(self.run_dir, "followed-before-network")
        self.udev_rule = os.path.join(root, "run/udev/rules.d/90-virt-configdrive.rules")
        self.network_unit = os.path.join(root, "etc/systemd/system/virt-configdrive-network.service")
        self.network_unit_wanted = os.path.join(root, "etc/systemd/system/cloud-init.target.wants",
                                                "virt-configdrive-network.service")


def say(message):
    """One line on stderr and, when run in the guest (main), in its journal: cloud-init keeps a boothook's output
    only when it fails."""
    print("virt-configdrive: " + message, file=sys.stderr)
    if JOURNAL:
        syslog.syslog(syslog.LOG_INFO, message)


def sha256(text):
    return hashlib.sha256(text.encode()).hexdigest()


def key_problem(line):
    """Why `line` is not one OpenSSH public key line (type, base64 blob of that type, comment), or None."""
    if not isinstance(line, str) or any(c in line for c in "\r\n\0"):
        return "not one line of text"
    from cloudinit import ssh_util

    parsed = ssh_util.AuthKeyLineParser().parse(line)
    if not parsed.valid() or parsed.options:
        return "not a public key line"
    try:
        blob = base64.b64decode(parsed.base64, validate=True)
    except ValueError:
        return "its key is not base64"
    # The blob begins with its own type, as a length-prefixed string (RFC 4253 6.6).
    if len(blob) < 4 or blob[4:4 + struct.unpack(">I", blob[:4])[0]] != parsed.keytype.encode():
        return "its key is not of its type " + parsed.keytype
    return None


def hostname_problem(name):
    if not isinstance(name, str) or not 0 < len(name) <= 253:
        return "not a host name"
    if not all(HOSTNAME_LABEL.fullmatch(label) for label in name.split(".")):
        return "not a host name (letters, digits and hyphens, in labels of 1 to 63)"
    return None


def vendor_parts(vendordata):
    """The text of each part of a vendor data "cloud-init" string, as the CLI writes it (one MIME multipart string,
    or one part)."""
    parts = vendordata.get("cloud-init") if isinstance(vendordata, dict) else None
    if not isinstance(parts, str):
        return []
    texts = [part.get_payload() for part in email.message_from_string(parts).walk()]
    return [text for text in texts if isinstance(text, str)]


def password_hash(vendordata):
    """The `password` of the drive's password part, or None when its vendor data has none."""
    for text in vendor_parts(vendordata):
        if text.startswith(PASSWORD_PART):
            try:
                return json.loads(text[len(PASSWORD_PART):]).get("password")
            except (ValueError, AttributeError):
                return ""  # damaged: refused as not a hash
    return None


def carries_follower(vendordata):
    """Whether the drive's vendor data carries this script (the operator turns it off for a domain with
    --guest-follows no; cloud-init still runs the copy its cache holds)."""
    return any(text.startswith(FOLLOWER_PART) for text in vendor_parts(vendordata))


class Drive:
    """What a config drive, as cloud-init's reader gives it (read_config_drive), asks of the guest: its instance id,
    the SSH keys, hostname and password hash that are well formed, and its network data (network_data.json, None
    without). `refused` says what was not well formed, and why."""

    def __init__(self, results):
        from cloudinit.sources import normalize_pubkey_data

        self.network = results.get("networkdata")
        # The CLI writes vendor_data.json on every drive, as a JSON object: without it, the read was not whole.
        self.whole = isinstance(results.get("vendordata"), dict)
        self.follower = carries_follower(results.get("vendordata"))
        metadata = results.get("metadata") or {}
        self.instance_id = metadata.get("instance-id")
        self.refused = []
        self.keys = []
        for key in normalize_pubkey_data(metadata.get("public_keys")):
            problem = key_problem(key)
            if problem:
                self.refused.append(f"SSH key {str(key)[:40]!r}: {problem}")
            elif key.strip() not in self.keys:
                self.keys.append(key.strip())
        self.hostname = metadata.get("hostname") or None
        if self.hostname is not None and hostname_problem(self.hostname):
            self.refused.append(f"hostname {str(self.hostname)[:64]!r}: {hostname_problem(self.hostname)}")
            self.hostname = None
        self.password = password_hash(results.get("vendordata"))
        if self.password is not None and not (isinstance(self.password, str)
                                              and SHA512_CRYPT.fullmatch(self.password)):
            self.refused.append("password: not a SHA-512 crypt hash")
            self.password = None

    def digest(self):
        """One digest of what this script applies from the drive while the guest runs."""
        return sha256(json.dumps([self.instance_id, sorted(self.keys), self.hostname, self.password]))

    def network_digest(self):
        """One digest of what the guest's network follows at its next boot."""
        return sha256(json.dumps([self.instance_id, self.network], sort_keys=True))


def is_cdrom(device):
    """Whether `device` is a CD-ROM: a SCSI device of type 5, as the kernel's sr driver gives every CD-ROM."""
    name = os.path.basename(os.path.realpath(device))
    try:
        with open(f"/sys/class/block/{name}/device/type") as f:
            return f.read().strip() == "5"
    except OSError:
        return False


def config_drive_cdroms():
    """The CD-ROMs labelled as a config drive, in the order cloud-init tries labelled devices (the last first)."""
    from cloudinit import util
    from cloudinit.sources import DataSourceConfigDrive

    labelled = set()
    for label in DataSourceConfigDrive.LABEL_TYPES:
        labelled.update(util.find_devs_with("LABEL=" + label, no_cache=True))
    return sorted((device for device in labelled if is_cdrom(device)), reverse=True)


def running_instance_id(paths):
    try:
        with open(paths.instance_id) as f:
            return f.read().strip() or None
    except FileNotFoundError:
        return None


def read_cdrom(device):
    """cloud-init's reading of a config drive: mounted, read, unmounted."""
    from cloudinit import util
    from cloudinit.sources import DataSourceConfigDrive

    return util.mount_cb(device, DataSourceConfigDrive.read_config_drive)


def trusted_drive(paths, devices=config_drive_cdroms, read=read_cdrom, unread=None):
    """The drive of the instance cloud-init runs: the first config-2 CD-ROM whose instance id is that one, or None.
    read(device) gives cloud-init's reading of a device; a device it could not read is added to `unread`."""
    instance = running_instance_id(paths)
    if instance is None:
        say("cloud-init runs no instance yet: nothing applied")
        return None
    found = devices()
    if not found:
        say("no CD-ROM labelled config-2: nothing applied")
    for device in found:
        try:
            drive = Drive(read(device))
        except Exception as error:  # noqa: BLE001 (an unreadable or damaged drive is left alone, and said so)
            say(f"{device}: not read as a config drive: {error}")
            if unread is not None:
                unread.append(device)
            continue
        if drive.instance_id == instance:
            return drive
        say(f"{device}: its instance id {str(drive.instance_id)[:64]!r} is not {instance!r}, cloud-init's: left alone")
    return None


class Record:
    """What this script applied to the guest, as a root-only JSON file (only written after applying it)."""

    def __init__(self, paths):
        self.paths = paths
        try:
            with open(paths.record) as f:
                self.values = json.load(f)
            if not isinstance(self.values, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            self.values = {}
            self._take_old_password_record()
        except ValueError as error:
            say(f"{paths.record}: {error}: starting anew")
            self.values = {}

    def _take_old_password_record(self):
        try:
            with open(self.paths.old_password_record) as f:
                self.values["password_sha256"] = f.read().strip()
        except FileNotFoundError:
            pass

    def get(self, key, default=None):
        return self.values.get(key, default)

    def set(self, **values):
        self.values.update(values)
        os.makedirs(self.paths.state_dir, mode=0o700, exist_ok=True)
        os.chmod(self.paths.state_dir, 0o700)
        temporary = self.paths.record + ".new"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(self.values, f, indent=1, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.paths.record)


class Guest:
    """The guest as cloud-init sees it: its config, its default user, and its distro's ways to set a password and
    a hostname. Made only when the drive asks for a change: loading cloud-init's stages is what costs."""

    def __init__(self, cfg, distro, init=None):
        from cloudinit.distros import ug_util

        self.cfg = cfg
        self.distro = distro
        self.init = init
        users, _ = ug_util.normalize_users_groups(cfg, distro)
        self.user, _ = ug_util.extract_default(users)

    @classmethod
    def from_cloud_init(cls):
        from cloudinit import stages

        init = stages.Init()
        init.read_cfg()
        return cls(init.cfg, init.distro, init)

    def takes_vendor_data(self):
        """cloud-init's own test: a guest refuses vendor data with `vendor_data: {enabled: false}`."""
        from cloudinit import util

        settings = self.cfg.get("vendor_data", {})
        return isinstance(settings, dict) and util.is_true(settings.get("enabled"))

    def user_exists(self):
        try:
            pwd.getpwnam(self.user)
            return True
        except KeyError:
            return False

    def hostname_is_ours(self):
        """cloud-init takes the drive's hostname unless its config keeps the guest's or names another."""
        from cloudinit import util

        return not (util.get_cfg_option_bool(self.cfg, "preserve_hostname", False)
                    or self.cfg.get("hostname") or self.cfg.get("fqdn"))

    def set_keys(self, keys, removed):
        """The user's authorized_keys with `keys`, without the lines of the keys in `removed` (by their blob)."""
        from cloudinit import ssh_util, util

        parser = ssh_util.AuthKeyLineParser()
        gone = {parser.parse(key).base64 for key in removed}
        path, entries = ssh_util.extract_authorized_keys(self.user)
        # Written as root: never through a link the user could point elsewhere.
        if os.path.islink(path) or os.path.islink(os.path.dirname(path)):
            raise OSError(f"{path}: a symbolic link, left alone")
        kept = [entry for entry in entries if not (entry.valid() and entry.base64 in gone)]
        content = ssh_util.update_authorized_keys(kept, [parser.parse(key) for key in keys])
        with open(path) as f:
            if f.read() == content:
                return False
        util.write_file(path, content, preserve_mode=True)
        return True

    def set_network(self, network):
        """The network cloud-init would configure from a drive with `network` (its network_data.json, None without),
        rendered by cloud-init's own code, where cloud-init renders it: a config of the kernel command line or of
        cloud-init's config wins, and with none the fallback (DHCP on the first NIC) applies. False when cloud-init's
        config disables the network config."""
        from cloudinit import sources
        from cloudinit.sources import DataSourceConfigDrive

        drive = DataSourceConfigDrive.DataSourceConfigDrive(self.init.cfg, self.distro, self.init.paths)
        drive.network_json = network if network is not None else sources.UNSET
        self.init.datasource = drive
        config, _ = self.init._find_networking_config()
        if config is None:
            return False
        self.init._apply_netcfg_names(config)
        self.distro.apply_network_config(config, bring_up=False)
        return True

    def set_password(self, crypt_hash):
        self.distro.chpasswd([(self.user, crypt_hash)], hashed=True)

    def set_hostname(self, name):
        short = name.split(".")[0]
        if socket.gethostname() in (short, name):
            return False
        self.distro.set_hostname(short, name if "." in name else None)
        return True


def apply(drive, record, guest, instance_done=False):
    """Makes the guest hold what `drive` asks, recording each item once it is applied. instance_done: cloud-init
    has just run this instance's modules, and set_passwords gave the user the drive's password."""
    managed = record.get("keys", [])
    if sorted(managed) != sorted(drive.keys):
        if guest.set_keys(drive.keys, removed=[key for key in managed if key not in drive.keys]):
            say(f"the SSH keys of {guest.user}: the drive's {len(drive.keys)}, and those added in the guest")
        record.set(keys=drive.keys)
    if drive.password and sha256(drive.password) != record.get("password_sha256"):
        if instance_done and record.get("password_sha256") is None:
            pass  # set_passwords applied it, or the operator's own chpasswd replaced it: both stay
        else:
            guest.set_password(drive.password)
            say(f"the password of {guest.user} set")
        record.set(password_sha256=sha256(drive.password))
    if drive.hostname and drive.hostname != record.get("hostname") and guest.hostname_is_ours():
        if guest.set_hostname(drive.hostname):
            say(f"hostname {drive.hostname}")
        record.set(hostname=drive.hostname)
    if instance_done and record.get("network") is None:
        record.set(network=drive.network_digest())  # cloud-init rendered it at this instance's first boot
    record.set(drive=drive.digest(), instance_id=drive.instance_id, refused=drive.refused)


def read_drive(paths, trigger, drive_source=None):
    """The trusted drive, read whole, or None. On a change of medium, a read that was not whole (a CD-ROM labelled
    config-2 that could not be read, or a drive without its vendor data) is tried again after a pause: the run that
    gave up would leave the change unapplied until the next one."""
    reads = MEDIA_CHANGE_READS if trigger == "--media-change" else 1
    for attempt in range(1, reads + 1):
        unread = []
        drive = drive_source() if drive_source else trusted_drive(paths, unread=unread)
        if (drive is None and not unread) or (drive is not None and drive.whole):
            return drive
        if attempt < reads:
            time.sleep(MEDIA_CHANGE_PAUSE)
    say("the drive was not read whole: nothing applied")
    return None


def follow(paths, trigger, make_guest=Guest.from_cloud_init, drive_source=None):
    """One run: the drive read, compared with the record, and applied when it differs. --before-network also
    renders the network the drive holds, when it changed, and spares this boot's boothook its read."""
    os.makedirs(paths.run_dir, mode=0o700, exist_ok=True)
    with open(paths.lock, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if trigger == "--boot" and os.path.exists(paths.followed_early):
            say("boot: the drive was followed before the network started")
            return
        drive = read_drive(paths, trigger, drive_source)
        if drive is None:
            return
        if not drive.follower:
            say("the drive carries no guest follower (turned off on the host): nothing applied, its triggers removed")
            uninstall(paths)
            return
        for problem in drive.refused:
            say(problem)
        early = trigger == "--before-network"
        if apply_changes(drive, Record(paths), trigger, make_guest) and early:
            with open(paths.followed_early, "w"):
                pass


def apply_changes(drive, record, trigger, make_guest):
    """What the drive changed since the record, applied (the network only --before-network). False when nothing
    could be applied yet: no default user, or the guest refuses vendor data."""
    early = trigger == "--before-network"
    network_changed = early and record.get("network") != drive.network_digest()
    if record.get("drive") == drive.digest() and not network_changed:
        say(f"{trigger[2:]}: the drive holds what was applied")
        return True
    guest = make_guest()
    if not guest.takes_vendor_data():
        say("vendor_data is disabled in cloud-init's config: nothing applied")
        if early:
            uninstall(record.paths)
        return False
    if network_changed:
        if record.get("network") is not None and guest.set_network(drive.network):
            say("the network the drive holds, for this boot and the next ones")
        record.set(network=drive.network_digest())
    if record.get("drive") == drive.digest():
        return True
    if not guest.user:
        say("cloud-init's config names no default user: nothing applied")
        return False
    if not guest.user_exists():
        say(f"{trigger[2:]}: {guest.user} does not exist yet: cloud-init makes it and applies the drive")
        return False
    apply(drive, record, guest, instance_done=trigger == "--instance-done")
    return True


def write_if_changed(path, text, mode):
    """Whether `path` had to be written to hold `text` (replaced whole, never half-written)."""
    try:
        with open(path) as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".new", "w") as f:
        f.write(text)
    os.chmod(path + ".new", mode)
    os.replace(path + ".new", path)
    return True


def install(paths, script):
    """This script's copy (root-only: it is run by the interpreter, from where Debian's initramfs mounts /run noexec),
    the udev rule that runs it when the medium changes (under /run: gone at the next boot, so that a guest that
    refuses vendor data from then on runs none of it) and the unit that runs it before the network starts."""
    os.makedirs(paths.state_dir, mode=0o700, exist_ok=True)
    with open(script) as f:
        write_if_changed(paths.script, f.read(), 0o600)
    if write_if_changed(paths.udev_rule, UDEV_RULE % paths.script, 0o644):
        subprocess.run(["udevadm", "control", "--reload"], check=False)
    write_if_changed(paths.network_unit, NETWORK_UNIT % {"script": paths.script}, 0o644)
    if not os.path.lexists(paths.network_unit_wanted):
        os.makedirs(os.path.dirname(paths.network_unit_wanted), exist_ok=True)
        os.symlink(paths.network_unit, paths.network_unit_wanted)


def uninstall(paths):
    """The unit and the udev rule that would run this script: a guest that refuses vendor data, or whose drive no
    longer carries it, gets none of it."""
    for path in (paths.network_unit_wanted, paths.network_unit, paths.udev_rule):
        if os.path.lexists(path):
            os.unlink(path)


def main(argv):
    global JOURNAL
    JOURNAL = True
    syslog.openlog("virt-configdrive")
    paths = Paths()
    trigger = argv[1] if len(argv) > 1 else "--boot"
    if trigger not in ("--boot", "--media-change", "--instance-done", "--before-network"):
        say(f"usage: {argv[0]} [--boot|--media-change|--instance-done|--before-network], not {trigger!r}")
        return 2
    try:
        if trigger == "--boot":
            install(paths, os.path.abspath(argv[0]))
        follow(paths, trigger)
    except Exception as error:
        say(f"{trigger[2:]}: failed: {error!r}")
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
