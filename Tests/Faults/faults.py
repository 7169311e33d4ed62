"""Faults, injected on purpose (make faults): each part prints its counts and fails loudly.

1. kill -9 of `forum serve` at ten random moments while twenty desks check people in through
   the API, each retrying its scan with the same nonce until it is answered. While the server
   is down the database file is opened and checked: every check-in acknowledged so far is there
   with the answer given, no participant is checked in twice, `PRAGMA integrity_check` is ok.
2. A database another process holds locked, and one the system will not let us write, at start:
   `forum serve` stops within seconds with exit code 1 and says why in Russian.
3. The disk fills up under the server (its database on a small tmpfs): a scan is answered 507
   with a problem document, the server keeps answering, a real `forum desk` falls back to its
   own decisions and keeps them; once space returns, everything it showed reaches the server.
4. A real `forum desk` holding 600 offline scans is killed with SIGKILL at ten random moments
   while it uploads: afterwards every scan it showed is on the server exactly once.

Usage: faults.py PATH-TO-forum. Runs on a scratch folder; needs nothing but Python 3.
"""
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from forumops_server import Server  # noqa: E402
from script_checks import check, desk_process, run_forum, verdict  # noqa: E402

FORUM = os.path.abspath(sys.argv[1])
PEOPLE = 7500
# A desk scans a badge every 30 ms at most: the morning lasts longer than the ten kills.
PACE = 0.03
DESKS = 20
KILLS = 10
def scratch_forum(people, folder=None):
    """A scratch database with `people` registered, the badge key made and the entrance open;
    returns (env, desk token)."""
    folder = folder or tempfile.mkdtemp(prefix="forumops-faults-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env["FORUM_DATABASE"] = os.path.join(folder, "forum.sqlite")

    def forum(*arguments):
        return run_forum(FORUM, env, *arguments)

    forum("db", "migrate")
    forum("demo", "roster", "--count", str(people), "--seed", "14", "--output", os.path.join(folder, "roster.csv"))
    forum("participants", "import", os.path.join(folder, "roster.csv"))
    forum("keys", "init")
    forum("checkins", "open", "entrance", "--until", "2099-01-01 10:00")
    return env, forum("tokens", "create", "--role", "desk", "--name", "faults")


def kill_nine():
    print(f"kill -9 of forum serve at {KILLS} random moments, {DESKS} desks checking in {PEOPLE} people:")
    env, token = scratch_forum(PEOPLE)
    database = env["FORUM_DATABASE"]
    server = Server(FORUM, env)
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
                except (OSError, http.client.HTTPException, ValueError):  # refused, reset, cut mid-answer
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


def badge_codes(env, people):
    """The current badge code of participants 1…people, as a scanner reads them."""
    codes = []
    for participant in range(1, people + 1):
        result = subprocess.run([FORUM, "badges", "code", str(participant)], env=env, capture_output=True, text=True)
        if result.returncode == 0:
            codes.append(result.stdout.strip())
    return codes


class Desk:
    """A real `forum desk --json`, fed codes on its input like a scanner; its answers collected."""

    def __init__(self, env, token, port, state):
        self.process = desk_process(FORUM, port, 6, state, token, env)
        self.answers = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            if line.strip():
                self.answers.append(json.loads(line))

    def scan(self, code):
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()

    def wait_for(self, count, seconds=60):
        deadline = time.time() + seconds
        while len(self.answers) < count and time.time() < deadline:
            time.sleep(0.02)
        return len(self.answers) >= count

    def kill(self):
        self.process.kill()
        self.process.wait()

    def finish(self, seconds=120):
        """Ends the input: the desk uploads what waits and leaves; its exit code."""
        self.process.stdin.close()
        return self.process.wait(timeout=seconds)


def trail(database):
    connection = sqlite3.connect(database)
    try:
        return connection.execute("SELECT nonce, result, source FROM checkin").fetchall()
    finally:
        connection.close()


def shown_scans_reached_the_server(shown, database, what):
    rows = trail(database)
    stored = {nonce: (result, source) for nonce, result, source in rows}
    lost = [answer["nonce"] for answer in shown if answer["nonce"] not in stored]
    differ = [answer["nonce"] for answer in shown if answer["nonce"] in stored and stored[answer["nonce"]][0] != answer["result"]
              and not answer["offline"]]
    doubled = len(rows) - len(stored)
    check(not lost and not differ and doubled == 0, f"{what}: {len(shown)} scans shown, {len(rows)} in the trail, lost {len(lost)}, "
          f"answered otherwise online {len(differ)}, doubled {doubled}")


def disk_full():
    print("the disk fills up under the server:")
    mount = tempfile.mkdtemp(prefix="forumops-small-disk-")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount], capture_output=True).returncode != 0:
        print("  – a small file system cannot be mounted here (needs root): skipped")
        return
    try:
        env, token = scratch_forum(40, folder=mount)
        database = env["FORUM_DATABASE"]
        codes = badge_codes(env, 40)
        server = Server(FORUM, env)
        port = server.port
        server.start()
        desk = Desk(env, token, port, os.path.join(tempfile.mkdtemp(prefix="forumops-desk-"), "desk.sqlite"))
        for code in codes[:5]:
            desk.scan(code)
        check(desk.wait_for(5) and not any(answer["offline"] for answer in desk.answers), "with space: 5 scans answered by the server")
        # Fill the disk to the last block. Unbuffered: a write the disk refused must not be
        # tried again (and fail again) when the file is closed.
        filler = os.path.join(mount, "filler")
        with open(filler, "wb", buffering=0) as file:
            try:
                while True:
                    file.write(b"\0" * 65536)
            except OSError:
                pass
        statuses, problem = [], None
        for number in range(40):
            body = json.dumps({"participantId": 40 - number % 35, "list": "entrance", "desk": "Вход 8", "nonce": f"full-{number}"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/checkins", data=body, method="POST",
                                             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
                if error.code == 507:
                    problem = (error.headers.get("Content-Type"), json.load(error))
        check(problem is not None and problem[0].startswith("application/problem+json") and problem[1].get("type") == "urn:forumops:problem:disk-full",
              f"disk full: scans answered {sorted(set(statuses))}, a 507 problem document «{problem[1]['title'] if problem else '-'}»")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            check(response.status == 200, "the server still answers (no crash, no hang)")
        for code in codes[5:30]:
            desk.scan(code)
        check(desk.wait_for(30) and all(answer["offline"] for answer in desk.answers[5:]), "the desk answers the next 25 scans itself and keeps them")
        os.remove(filler)
        check(desk.finish() == 0, "space is back: the desk uploads its queue and leaves")
        server.kill()
        shown_scans_reached_the_server(desk.answers, database, "after the disk filled")
    finally:
        subprocess.run(["umount", "-l", mount])


OFFLINE_SCANS = 600


def desk_killed_while_uploading():
    print("forum desk killed with SIGKILL at 10 random moments while it uploads:")
    env, token = scratch_forum(60)
    database = env["FORUM_DATABASE"]
    codes = badge_codes(env, 60)
    server = Server(FORUM, env)
    port = server.port
    server.start()
    state = os.path.join(tempfile.mkdtemp(prefix="forumops-desk-"), "desk.sqlite")
    desk = Desk(env, token, port, state)
    for code in codes[:3]:
        desk.scan(code)
    desk.wait_for(3)
    server.kill()
    for scan in range(OFFLINE_SCANS):
        desk.scan(codes[3 + scan % 55])
    check(desk.wait_for(3 + OFFLINE_SCANS) and all(answer["offline"] for answer in desk.answers[3:]), f"{OFFLINE_SCANS} scans answered offline and kept")
    shown = desk.answers
    desk.kill()
    server.start()
    counts = [len(trail(database))]
    for kill in range(10):
        uploading = Desk(env, token, port, state)
        # Killed once its upload is under way, a moment later.
        deadline = time.time() + 30
        while len(trail(database)) == counts[-1] and time.time() < deadline:
            time.sleep(0.005)
        time.sleep(random.uniform(0, 0.03))
        uploading.kill()
        counts.append(len(trail(database)))
    print(f"    rows on the server before and after each kill: {counts}")
    check(sum(1 for before, after in zip(counts, counts[1:]) if after < 3 + OFFLINE_SCANS) >= 5, "at least 5 kills came mid-upload")
    last = Desk(env, token, port, state)
    check(last.finish() == 0, "an eleventh start uploads the rest and leaves")
    server.kill()
    shown_scans_reached_the_server(shown, database, "after 10 kills")


if __name__ == "__main__":
    kill_nine()
    refused_at_start()
    disk_full()
    desk_killed_while_uploading()
    verdict("faults")
