"""Reading a config drive's files back with pycdlib, by their Rock Ridge names (what a Linux guest sees)."""
import io
import os

import pycdlib


def extract_rock_ridge(iso_path, into):
    """Writes every file of the ISO under its Rock Ridge path below `into`; returns the volume label."""
    iso = pycdlib.PyCdlib()
    iso.open(iso_path)
    try:
        for root, _dirs, files in iso.walk(rr_path="/"):
            for name in files:
                target = os.path.join(into, root.lstrip("/"), name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    out.write(_read(iso, os.path.join(root, name)))
        return iso.pvd.volume_identifier.decode().rstrip()
    finally:
        iso.close()


def read_file(iso_path, rr_path):
    """The bytes of one file of the ISO."""
    iso = pycdlib.PyCdlib()
    iso.open(iso_path)
    try:
        return _read(iso, rr_path)
    finally:
        iso.close()


def _read(iso, rr_path):
    data = io.BytesIO()
    iso.get_file_from_iso_fp(data, rr_path=rr_path)
    return data.getvalue()
