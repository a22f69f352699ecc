#!/usr/bin/python3
"""The layers' rule (ARCHITECTURE.md), read from the includes: each folder includes only the folders below it,
nothing in host/ includes doctor/, the hook includes neither doctor/ nor cli/, and only virt/ includes libvirt.
And ARCHITECTURE.md, which states the rule, keeps its lines under 120 characters.

Usage: layer_rules_test.py SOURCE_DIR
"""
import os
import re
import sys
import unittest

SOURCE = None
# Each folder and the project folders its files may include (its own always). Test files (*_test.cc) may also
# include tests/ (what the unit tests share).
MAY_INCLUDE = {
    "util": set(),
    "iso": {"util"},
    "domain": {"iso", "util"},
    "host": {"domain", "iso", "util"},
    "doctor": {"host", "domain", "iso", "util"},
    "hook": {"host", "domain", "iso", "util"},
    "virt": {"domain", "iso", "util"},
    "cli": {"virt", "doctor", "host", "domain", "iso", "util"},
    "fuzz": {"hook", "host", "domain", "iso", "util"},
    "bench": {"hook", "host", "domain", "iso", "util", "tests"},
    "tests": {"cli", "virt", "doctor", "hook", "host", "domain", "iso", "util"},
}
# Third-party headers only some folders may include.
ONLY_IN = {"libvirt/": {"virt"}}
# The headers that may include nlohmann/json.hpp: those of the modules that parse or dump JSON. Everything else
# carries JSON as JsonObjectText (util/json_object_text.h, nlohmann's json_fwd.hpp alone), so that a file includes
# nlohmann's 25 000 lines only when it looks inside JSON.
JSON_HEADERS = {"util/json_text.h", "iso/drive_inspection.h", "iso/cloud_init_password.h",
                "iso/cloud_init_vendor_data.h", "cli/guest_report.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)


def sources(folder):
    for name in sorted(os.listdir(os.path.join(SOURCE, folder))):
        if name.endswith((".cc", ".h", ".h.in")):
            yield name, os.path.join(SOURCE, folder, name)


class LayerRules(unittest.TestCase):
    def test_every_include_points_down(self):
        wrong, seen = [], 0
        for folder, allowed in MAY_INCLUDE.items():
            for name, path in sources(folder):
                with open(path) as f:
                    text = f.read()
                for kind, included in INCLUDE.findall(text):
                    seen += 1
                    # "../doctor/x.h" and <doctor/x.h> compile as well as "doctor/x.h": each is judged by the
                    # folder it reaches, and refused for its form.
                    reached = os.path.normpath(os.path.join(folder, included)) if ".." in included else included
                    top = reached.split("/")[0]
                    if top in MAY_INCLUDE and (kind == "<" or reached != included):
                        written = f"<{included}>" if kind == "<" else f'"{included}"'
                        wrong.append(f"{folder}/{name} includes {written}: a project header is included as "
                                     f'"{reached}"')
                    if top in MAY_INCLUDE and top != folder:
                        ok = top in allowed or (top == "tests" and name.endswith("_test.cc"))
                        if not ok:
                            wrong.append(f"{folder}/{name} includes {included}")
                    if (included == "nlohmann/json.hpp" and name.endswith(".h")
                            and f"{folder}/{name}" not in JSON_HEADERS):
                        wrong.append(f"{folder}/{name} includes <nlohmann/json.hpp> (a header of a JSON module only)")
                    for prefix, folders in ONLY_IN.items():
                        if included.startswith(prefix) and folder not in folders:
                            wrong.append(f"{folder}/{name} includes <{included}> (only {', '.join(sorted(folders))} may)")
        self.assertGreater(seen, 300, "too few includes read: is SOURCE_DIR the project?")
        self.assertEqual(wrong, [])

    def test_architecture_md_lines_fit(self):
        with open(os.path.join(SOURCE, "ARCHITECTURE.md")) as f:
            long_lines = [number for number, line in enumerate(f, 1) if len(line.rstrip("\n")) >= 120]
        self.assertEqual(long_lines, [], "ARCHITECTURE.md: lines of 120 characters or more")

    def test_every_source_folder_has_a_rule(self):
        folders = {entry for entry in os.listdir(SOURCE) if os.path.isdir(os.path.join(SOURCE, entry))
                   and any(name.endswith(".cc") for name in os.listdir(os.path.join(SOURCE, entry)))}
        self.assertEqual(folders - set(MAY_INCLUDE), set())


if __name__ == "__main__":
    SOURCE = sys.argv.pop(1)
    unittest.main(verbosity=2)
