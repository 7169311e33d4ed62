"""A soak of the morning at the doors (make soak).

Twenty real `forum desk --json` processes, each fed by a thread as a scanner and a volunteer
would feed it, admit the 7,500 demo participants over a compressed morning (MINUTES, rising then
falling): ≈10 % of badges scanned again, ≈2 % at two desks, payloads typed with Caps Lock or the
Russian layout, people picked by surname, reprinted badges scanned in their old version first.
`forum serve` is killed with SIGKILL twice and restarted; feed readers poll /schedule.json with
ETags throughout. At the end the server's trail and every desk's state file prove that each
person was admitted exactly once, every scan a desk showed reached the server once, and every
desk's queue is empty; it prints throughput, the desks' scan-to-answer p50/p99 online and offline,
and the server's peak RSS.

Usage: soak.py PATH-TO-forum [MINUTES]. Exit 0 only if every count holds.
"""
import csv
import http.client
import json
import os
import random
import sqlite3
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
MINUTES = float(sys.argv[2]) if len(sys.argv) > 2 else 5
PEOPLE = 7500
DESKS = 20
KILLS_AT = (0.35, 0.7)  # shares of the morning when the server is killed
DOWN_SECONDS = 6
RUSSIAN_KEYS = dict(zip("QWERTYUIOP[]ASDFGHJKL;'ZXCVBNM,.`", "йцукенгшщзхъфывапролджэячсмитьбюё"))
random.seed(2027)
def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Forum:
    """The scratch forum: the database, the programme published, the badge key, the entrance open."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="forumops-soak-")
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
        self.env["FORUM_DATABASE"] = os.path.join(self.folder, "forum.sqlite")
        self.database = self.env["FORUM_DATABASE"]
        roster = os.path.join(self.folder, "roster.csv")
        self.run("db", "migrate")
        self.run("demo", "roster", "--count", str(PEOPLE), "--seed", "2027", "--output", roster)
        self.run("participants", "import", roster)
        self.run("agenda", "import", os.path.join(os.path.dirname(__file__), "..", "..", "Agenda"))
        self.run("agenda", "publish", "--note", "Выпуск для прогона")
        self.run("keys", "init")
        self.run("checkins", "open", "entrance", "--until", "2099-01-01 10:00")
        with open(roster, encoding="utf-8-sig") as file:
            self.surnames = [row[0] for row in csv.reader(file, delimiter=";")][1:]
        self.reprinted = random.sample(range(1, PEOPLE + 1), 20)
        old = {person: self.run("badges", "code", str(person)) for person in self.reprinted}
        for person in self.reprinted:
            self.run("badges", "reprint", str(person))
        self.codes = {int(entry["participant"]): entry["code"] for entry in json.loads(self.run("badges", "code", "--all", "--json"))}
        self.old_codes = old
        self.tokens = [self.run("tokens", "create", "--role", "desk", "--name", f"Вход {desk + 1}") for desk in range(DESKS)]

    def run(self, *arguments):
        return run_forum(FORUM, self.env, *arguments, timeout=600)


class Desk:
    """One `forum desk --json` and the thread that feeds it its share of the morning."""

    def __init__(self, number, forum, server, started):
        self.number, self.forum, self.started = number, forum, started
        self.state = os.path.join(forum.folder, f"desk-{number + 1}.sqlite")
        self.process = desk_process(FORUM, server.port, number, self.state, forum.tokens[number], forum.env)
        self.plan = []  # (seconds from the start, kind, participant)
        self.shown = []  # every answer line that was a scan's
        self.latency = {True: [], False: []}  # offline? → seconds from input to answer

    def _send(self, text):
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def _answered(self, sent, answer):
        self.latency[answer["offline"]].append(time.time() - sent)
        self.shown.append(answer)

    def feed(self):
        for moment, kind, person in sorted(self.plan):
            delay = self.started + moment - time.time()
            if delay > 0:
                time.sleep(delay)
            code = self.forum.codes[person]
            if kind == "pick":
                sent = time.time()
                found = self._send(self.forum.surnames[person - 1])
                place = next((index for index, match in enumerate(found) if match.get("id") == person), None)
                if place is not None:
                    self._answered(sent, self._send(str(place + 1)))
                    continue
                kind = "scan"  # a common surname: the volunteer scans after all
            if kind == "old":
                sent = time.time()
                self._answered(sent, self._send(self.forum.old_codes[person]))
            if kind == "caps":
                code = code.swapcase()
            elif kind == "russian":
                code = "".join(RUSSIAN_KEYS.get(letter, letter) for letter in code)
            sent = time.time()
            self._answered(sent, self._send(code))

    def finish(self):
        self.process.stdin.close()
        self.process.stdout.read()
        return self.process.wait(timeout=300)

    def waiting(self):
        connection = sqlite3.connect(self.state)
        try:
            return connection.execute("SELECT COUNT(*) FROM scan WHERE uploaded_at IS NULL").fetchone()[0]
        finally:
            connection.close()


def plan_morning(desks):
    """Each person at one desk, at a moment of a rising then falling morning; some again."""
    length = MINUTES * 60
    counts = {"scan": 0, "caps": 0, "russian": 0, "pick": 0, "old": 0, "again": 0, "two desks": 0}
    for person in range(1, PEOPLE + 1):
        desk = random.randrange(DESKS)
        moment = random.triangular(0, length * 0.9, length * 0.4)
        kind = "old" if person in desks[0].forum.reprinted else random.choices(["scan", "caps", "russian", "pick"], [80, 7, 7, 6])[0]
        counts[kind] += 1
        desks[desk].plan.append((moment, kind, person))
        if random.random() < 0.10:  # the same badge again, at the same desk, a little later
            counts["again"] += 1
            desks[desk].plan.append((moment + random.uniform(1, 20), "scan", person))
        if random.random() < 0.02:  # the same badge at another desk at about the same time
            counts["two desks"] += 1
            desks[(desk + 1 + random.randrange(DESKS - 1)) % DESKS].plan.append((moment + random.uniform(0, 2), "scan", person))
    return counts


def read_feeds(server, stop, tallies):
    etag = None
    while not stop.is_set():
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}/schedule.json", headers={"If-None-Match": etag} if etag else {})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                etag = response.headers.get("ETag")
                response.read()
                tallies["200"] += 1
        except urllib.error.HTTPError as error:
            tallies[str(error.code)] = tallies.get(str(error.code), 0) + 1
        except (OSError, http.client.HTTPException):  # the server is down, or was killed mid-answer
            tallies["down"] += 1
        time.sleep(0.5)


def main():
    print(f"soak: {PEOPLE} people, {DESKS} desks, a {MINUTES:g}-minute morning, forum serve killed twice")
    forum = Forum()
    server = Server(FORUM, forum.env)
    server.start()
    started = time.time() + 3
    desks = [Desk(number, forum, server, started) for number in range(DESKS)]
    counts = plan_morning(desks)
    print(f"  planned: {sum(len(desk.plan) for desk in desks)} inputs — " + ", ".join(f"{kind} {count}" for kind, count in counts.items()))
    stop, tallies = threading.Event(), {"200": 0, "down": 0}
    readers = [threading.Thread(target=read_feeds, args=(server, stop, tallies), daemon=True) for _ in range(3)]
    feeders = [threading.Thread(target=desk.feed) for desk in desks]
    for thread in readers + feeders:
        thread.start()
    for share in KILLS_AT:
        time.sleep(max(0, started + share * MINUTES * 60 - time.time()))
        server.kill()
        print(f"  server killed at {time.time() - started:.0f} s, back in {DOWN_SECONDS} s")
        time.sleep(DOWN_SECONDS)
        server.start()
    for thread in feeders:
        thread.join()
    elapsed = time.time() - started
    exits = [desk.finish() for desk in desks]
    stop.set()
    server.kill()

    shown = [answer for desk in desks for answer in desk.shown]
    connection = sqlite3.connect(forum.database)
    try:
        rows = connection.execute("SELECT nonce, result FROM checkin").fetchall()
        admitted = connection.execute("""SELECT COUNT(DISTINCT participant_id), COUNT(*) FROM checkin
            WHERE list_slug = 'entrance' AND result = 'ok' AND annulled_at IS NULL""").fetchone()
    finally:
        connection.close()
    stored = dict(rows)
    lost = [answer["nonce"] for answer in shown if answer["nonce"] not in stored]
    waiting = sum(desk.waiting() for desk in desks)
    old = [answer for answer in shown if answer["result"] == "revoked"]
    online, offline = [x for desk in desks for x in desk.latency[False]], [x for desk in desks for x in desk.latency[True]]
    check(all(code == 0 for code in exits), f"every desk left cleanly (exit codes {sorted(set(exits))})")
    check(admitted == (PEOPLE, PEOPLE), f"admitted: {admitted[0]} people, {admitted[1]} standing check-ins (each exactly once)")
    check(not lost and len(rows) == len(stored), f"{len(shown)} scans shown by the desks, {len(rows)} in the server's trail, lost {len(lost)}, doubled {len(rows) - len(stored)}")
    check(waiting == 0, f"desks' queues empty: {waiting} waiting")
    check(len(old) >= len(forum.reprinted), f"old versions of {len(forum.reprinted)} reprinted badges refused: {len(old)} refusals «revoked»")
    print(f"  throughput: {len(shown) / elapsed:.1f} scans/s over {elapsed:.0f} s (peak planned ≈ {2.2 * len(shown) / (MINUTES * 60):.0f}/s)")
    print(f"  scan to answer online: p50 {percentile(online, 0.5) * 1000:.0f} ms, p99 {percentile(online, 0.99) * 1000:.0f} ms ({len(online)} scans)")
    print(f"  scan to answer offline: p50 {percentile(offline, 0.5) * 1000:.0f} ms, p99 {percentile(offline, 0.99) * 1000:.0f} ms ({len(offline)} scans)")
    print(f"  feed readers: {tallies}")
    print(f"  server peak RSS: {server.peak_kb / 1024:.0f} MB")
    verdict("soak")


if __name__ == "__main__":
    main()
