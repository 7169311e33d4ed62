"""Faults, injected on purpose (make faults): each part prints its counts and fails loudly.

1. kill -9 of `forum serve` at ten random moments while twenty desks check people in through
   the API, each retrying its scan with the same nonce until it is answered. While the server
   is down the database file is opened and checked: every check-in acknowledged so far is there
   with the answer given, no participant is checked in twice, `PRAGMA integrity_check` is ok.
2. A database another process holds locked, and one the system will not let us write, at start:
   `forum serve` stops within seconds with exit code 1 and says why in Russian.

Usage: faults.py PATH-TO-forum. Runs on a scratch folder; needs nothing but Python 3.
"""
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

FORUM = os.path.abspath(sys.argv[1])
PEOPLE = 7500
# A desk scans a badge every 30 ms at most: the morning lasts longer than the ten kills.
PACE = 0.03
DESKS = 20
KILLS = 10
failures = []


def check(condition, message):
    print(("  ✔ " if condition else "  ✘ ") + message)
    if not condition:
        failures.append(message)


def scratch_forum(people):
    """A scratch database with `people` registered and the entrance open; returns (env, desk token)."""
    folder = tempfile.mkdtemp(prefix="forumops-faults-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env["FORUM_DATABASE"] = os.path.join(folder, "forum.sqlite")

    def forum(*arguments):
        result = subprocess.run([FORUM, *arguments], env=env, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            sys.exit(f"forum {' '.join(arguments)} failed: {result.stderr}")
        return result.stdout.strip()

    forum("db", "migrate")
    forum("demo", "roster", "--count", str(people), "--seed", "14", "--output", os.path.join(folder, "roster.csv"))
    forum("participants", "import", os.path.join(folder, "roster.csv"))
    forum("checkins", "open", "entrance", "--until", "2099-01-01 10:00")
    return env, forum("tokens", "create", "--role", "desk", "--name", "faults")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`forum serve` on a fixed port, started and killed at will."""

    def __init__(self, env, port):
        self.env, self.port, self.process = dict(env, FORUM_LOG_LEVEL="error"), port, None

    def start(self):
        self.process = subprocess.Popen([FORUM, "serve", "--port", str(self.port)], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        sys.exit("forum serve did not answer within 60 s")

    def kill(self):
        self.process.kill()  # SIGKILL: no shutdown, no checkpoint
        self.process.wait()


def kill_nine():
    print(f"kill -9 of forum serve at {KILLS} random moments, {DESKS} desks checking in {PEOPLE} people:")
    env, token = scratch_forum(PEOPLE)
    database = env["FORUM_DATABASE"]
    server = Server(env, free_port())
    server.start()
    acknowledged = {}  # nonce → (participant, result) the desk was told
    lock = threading.Lock()
    retries = [0]

    def desk(number):
        for participant in range(number + 1, PEOPLE + 1, DESKS):
            nonce = f"faults-{number}-{participant}"
            body = json.dumps({"participantId": participant, "list": "entrance", "desk": f"Вход {number + 1}", "nonce": nonce}).encode()
            while True:
                request = urllib.request.Request(f"http://127.0.0.1:{server.port}/api/v1/checkins", data=body, method="POST",
                                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as response:
                        result = json.load(response)["result"]
                    with lock:
                        acknowledged[nonce] = (participant, result)
                    time.sleep(PACE)
                    break
                except (OSError, urllib.error.URLError, ValueError):
                    with lock:
                        retries[0] += 1
                    time.sleep(0.05)  # the server is down: the same scan again, as a desk does

    def verify():
        with lock:
            told = dict(acknowledged)
        connection = sqlite3.connect(database)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
            stored = dict(connection.execute("SELECT nonce, result FROM checkin"))
            doubled = connection.execute("""SELECT COUNT(*) FROM (SELECT participant_id FROM checkin WHERE list_slug = 'entrance'
                AND result = 'ok' AND annulled_at IS NULL GROUP BY participant_id HAVING COUNT(*) > 1)""").fetchone()[0]
        finally:
            connection.close()
        lost = [nonce for nonce, (_, result) in told.items() if stored.get(nonce) != result]
        return integrity, len(told), len(stored), len(lost), doubled

    random.seed(2027)
    desks = [threading.Thread(target=desk, args=(number,)) for number in range(DESKS)]
    started = time.time()
    for thread in desks:
        thread.start()
    for kill in range(1, KILLS + 1):
        time.sleep(random.uniform(0.2, 1.2))
        server.kill()
        time.sleep(0.05)  # a desk reading its last answer records it
        integrity, told, stored, lost, doubled = verify()
        check(integrity == "ok" and lost == 0 and doubled == 0,
              f"kill {kill}: {told} acknowledged, {stored} rows, lost {lost}, doubled {doubled}, integrity {integrity}")
        server.start()
    for thread in desks:
        thread.join()
    elapsed = time.time() - started
    server.kill()
    integrity, told, stored, lost, doubled = verify()
    ok = sum(1 for _, result in acknowledged.values() if result == "ok")
    check(told == PEOPLE and ok == PEOPLE and lost == 0 and doubled == 0 and integrity == "ok",
          f"afterwards: {told} scans acknowledged ({ok} ok), {stored} rows, lost {lost}, doubled {doubled}, "
          f"integrity {integrity}; {retries[0]} retries, {elapsed:.1f} s")


def refused_at_start():
    print("a database forum serve cannot write, at start:")
    env, _ = scratch_forum(10)
    database = env["FORUM_DATABASE"]

    def serve():
        started = time.time()
        result = subprocess.run([FORUM, "serve", "--port", "0"], env=env, capture_output=True, text=True, timeout=60)
        return result.returncode, result.stderr.strip().splitlines()[-1:] or [""], time.time() - started

    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    status, (message,), seconds = serve()
    holder.execute("ROLLBACK")
    holder.close()
    check(status == 1 and "занята другим процессом" in message and seconds < 15,
          f"locked by another process: exit {status} after {seconds:.1f} s — {message}")

    if subprocess.run(["chattr", "+i", database], capture_output=True).returncode != 0:
        print("  – chattr +i is not possible here: the read-only case is skipped")
        return
    try:
        status, (message,), seconds = serve()
    finally:
        subprocess.run(["chattr", "-i", database])
    check(status == 1 and "запис" in message, f"not writable (chattr +i): exit {status} after {seconds:.1f} s — {message}")


if __name__ == "__main__":
    kill_nine()
    refused_at_start()
    if failures:
        sys.exit(f"faults: {len(failures)} failed")
    print("faults: all held")
