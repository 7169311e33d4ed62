#!/usr/bin/env python3
"""The deployment recipes checked against this machine (`make deploy-check`, in `make test`):

- Config/forumops.service passes `systemd-analyze verify` without a word (its warnings, such as
  an option value it ignores, count as failures: a deliberately broken copy must be caught), and
  keeps the settings the README promises (dedicated user, sandbox, restart, SIGTERM with a stop
  timeout longer than the server's 10 s graceful shutdown);
- the Containerfile's runtime stage installs every library the `forum` binary links (`ldd`), by
  name or as a dependency apt brings with a named package; the Swift runtime, linked statically
  in the build stage (--static-swift-stdlib), is the only exception; and its toolchain image is
  the Swift version this project is built with here.

Usage: deploy_check.py PATH-TO-forum. Exit 0 only when every check holds.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from script_checks import check, verdict  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
def verify_unit(text, forum):
    """systemd-analyze verify's complaints about `text` with ExecStart pointed at `forum`."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "forumops.service")
        with open(path, "w") as unit:
            unit.write(text.replace("/usr/local/bin/forum", forum))
        result = subprocess.run(["systemd-analyze", "verify", path], capture_output=True, text=True)
        return result.returncode, (result.stdout + result.stderr).strip()


def service(forum):
    print("Config/forumops.service")
    text = open(os.path.join(ROOT, "Config", "forumops.service")).read()
    status, complaints = verify_unit(text, forum)
    check(status == 0 and complaints == "", f"systemd-analyze verify: exit {status}, {complaints or 'no warnings'}")
    status, complaints = verify_unit(text.replace("ProtectSystem=strict", "ProtectSystem=strictly"), forum)
    check(complaints != "", "a broken copy (ProtectSystem=strictly) is caught: " + (complaints.splitlines() or ["nothing said"])[-1])
    settings = dict(re.findall(r"^(\w+)=(.*)$", text, re.M))
    for key, value in [("User", "forumops"), ("StateDirectory", "forumops"), ("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"),
                       ("PrivateTmp", "yes"), ("Restart", "on-failure"), ("KillSignal", "SIGTERM"), ("UMask", "0077")]:
        check(settings.get(key) == value, f"{key}={settings.get(key)} (expected {value})")
    stop = int(settings.get("TimeoutStopSec", "0"))
    check(stop > 10, f"TimeoutStopSec={stop} s outlasts the graceful shutdown (10 s)")
    check("FORUM_DATABASE=/var/lib/forumops/" in text, "the database lives in /var/lib/forumops")


def package_of(library):
    for candidate in {library, os.path.realpath(library)}:
        for path in {candidate, "/usr" + candidate if candidate.startswith("/lib") else candidate}:
            result = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
            if result.returncode == 0:
                return result.stdout.split(":")[0].strip()
    return None


def container(forum):
    print("Containerfile")
    text = open(os.path.join(ROOT, "Containerfile")).read()
    stages = re.split(r"^FROM ", text, flags=re.M)
    build, runtime = stages[-2], stages[-1]
    named = set()
    for command in re.findall(r"apt-get -q install -y --no-install-recommends(.*?)(?:&&|$)", runtime.replace("\\\n", " "), re.S):
        named.update(word for word in command.split() if not word.startswith("-"))
    check(len(named) > 0, f"runtime packages: {' '.join(sorted(named))}")
    check("--static-swift-stdlib" in build, "the build stage links the Swift runtime statically")
    check(".resources" in build, "the build stage copies the resource bundles (the OpenAPI document)")
    version = re.search(r"Swift version (\d+\.\d+)", subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout + "")
    image = re.search(r"swift:(\d+\.\d+)", build)
    check(version and image and version.group(1) == image.group(1), f"toolchain image swift:{image and image.group(1)} = Swift here {version and version.group(1)}")

    closure = set(named)
    result = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
                             "--no-replaces", "--no-enhances", "--no-pre-depends"] + sorted(named), capture_output=True, text=True)
    for line in result.stdout.splitlines():
        match = re.match(r"^\s*(?:\|?Depends|PreDepends): <?([^>\s]+)>?", line) or re.match(r"^([a-z0-9][\w.+-]+)$", line)
        if match:
            closure.add(match.group(1).split(":")[0])
    toolchain = os.path.realpath(os.path.join(os.path.dirname(os.path.realpath(subprocess.run(["which", "swift"], capture_output=True, text=True).stdout.strip())), ".."))
    linked = re.findall(r"=> (/\S+)", subprocess.run(["ldd", forum], capture_output=True, text=True).stdout)
    check(len(linked) > 5, f"ldd {forum}: {len(linked)} libraries")
    for library in linked:
        if os.path.realpath(library).startswith(toolchain):
            continue
        package = package_of(library)
        check(package is not None and package in closure,
              f"{os.path.basename(library)} ← {package}" + ("" if package in named else " (brought by apt)" if package in closure else " — NOT in the runtime stage"))


if __name__ == "__main__":
    forum = os.path.realpath(sys.argv[1])
    service(forum)
    container(forum)
    verdict("deploy check")
