#!/usr/bin/env python3
"""The restore drill of the organisers' runbook (make drill, in make test), with real processes.

Six `forum desk --json` admit 600 people. While they scan, `forum backup` copies the forum; the
scans go on (the server acknowledges more), then `forum serve` is killed with SIGKILL — the
machine is gone. The desks carry on offline. The organiser restores the backup on a new path
(`forum restore`), puts the same badge key beside it, starts a server there, and re-points every
desk at it with `--resend`: each desk uploads what it decided offline and sends again what the
dead server acknowledged after the backup. The drill ends by proving on the restored server that
every scan a desk showed is there exactly once, everyone is admitted once, the desks' queues are
empty and the database is sound.

Usage: restore_drill.py PATH-TO-forum. Exit 0 only if every count holds.
"""
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from forumops_server import Server  # noqa: E402
from script_checks import check, desk_process, run_forum, verdict  # noqa: E402

FORUM = os.path.abspath(sys.argv[1])
PEOPLE, DESKS = 600, 6
random.seed(15)
def forum(env, *arguments):
    return run_forum(FORUM, env, *arguments)


class Desk:
    """One `forum desk --json` process over its state file; restarted against another server."""

    def __init__(self, number, folder, env, token):
        self.number, self.env, self.token = number, env, token
        self.state = os.path.join(folder, f"desk-{number + 1}.sqlite")
        self.shown, self.process = [], None

    def start(self, server, *extra):
        self.process = desk_process(FORUM, server.port, self.number, self.state, self.token, self.env, "--timeout", "0.3", *extra)

    def scan(self, code):
        self.process.stdin.write(code + "\n")
        self.process.stdin.flush()
        self.shown.append(json.loads(self.process.stdout.readline()))

    def waiting(self):
        connection = sqlite3.connect(self.state)
        try:
            return connection.execute("SELECT COUNT(*) FROM scan WHERE uploaded_at IS NULL").fetchone()[0]
        finally:
            connection.close()

    def stop(self):
        self.process.stdin.close()
        self.process.stdout.read()
        return self.process.wait(timeout=60)


def main():
    print(f"restore drill: {PEOPLE} people, {DESKS} desks; backup, kill -9, restore elsewhere, desks re-pointed")
    folder = tempfile.mkdtemp(prefix="forumops-drill-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    old = dict(env, FORUM_DATABASE=os.path.join(folder, "old", "forum.sqlite"))
    os.makedirs(os.path.dirname(old["FORUM_DATABASE"]))
    forum(old, "db", "migrate")
    roster = os.path.join(folder, "roster.csv")
    forum(old, "demo", "roster", "--count", str(PEOPLE), "--seed", "15", "--output", roster)
    forum(old, "participants", "import", roster)
    forum(old, "keys", "init")
    forum(old, "checkins", "open", "entrance", "--until", "2099-01-01 10:00")
    tokens = [forum(old, "tokens", "create", "--role", "desk", "--name", f"Вход {desk + 1}") for desk in range(DESKS)]
    codes = [entry["code"] for entry in json.loads(forum(old, "badges", "code", "--all", "--json"))]
    random.shuffle(codes)

    server = Server(FORUM, old)
    server.start()
    desks = [Desk(number, folder, old, tokens[number]) for number in range(DESKS)]
    for desk in desks:
        desk.start(server)
    queue = iter(codes)

    def scan(count):
        for index in range(count):
            desks[index % DESKS].scan(next(queue))

    scan(240)
    backup = os.path.join(folder, "backup.sqlite")
    forum(old, "backup", "--out", backup)
    print(f"  backup taken after {sum(len(d.shown) for d in desks)} scans")
    scan(180)
    acknowledged_after = 180
    server.kill()
    print(f"  forum serve killed with SIGKILL after {acknowledged_after} more scans acknowledged online")
    scan(90)
    offline = sum(answer["offline"] for desk in desks for answer in desk.shown)
    print(f"  the desks answered {offline} scans offline")

    new = dict(env, FORUM_DATABASE=os.path.join(folder, "new", "forum.sqlite"))
    os.makedirs(os.path.dirname(new["FORUM_DATABASE"]))
    forum(new, "restore", backup)
    shutil.copy2(os.path.join(folder, "old", "forum.key"), os.path.join(folder, "new", "forum.key"))
    os.chmod(os.path.join(folder, "new", "forum.key"), 0o600)
    restored = Server(FORUM, new)
    restored.start()
    connection = sqlite3.connect(new["FORUM_DATABASE"])
    in_backup = {nonce for (nonce,) in connection.execute("SELECT nonce FROM checkin")}
    connection.close()
    lacking = [answer for desk in desks for answer in desk.shown if answer["nonce"] not in in_backup]
    lacking_online = sum(not answer["offline"] for answer in lacking)
    print(f"  restored on a new path, same key; serving on port {restored.port}")
    check(lacking_online >= acknowledged_after, f"the backup lacks {len(lacking)} shown scans: {lacking_online} the dead server acknowledged, {len(lacking) - lacking_online} decided offline")
    exits = [desk.stop() for desk in desks]
    for desk in desks:
        desk.start(restored, "--resend")
    scan(PEOPLE - 510)
    deadline = time.time() + 60
    while any(desk.waiting() for desk in desks) and time.time() < deadline:
        time.sleep(0.2)
    waiting = sum(desk.waiting() for desk in desks)
    exits += [desk.stop() for desk in desks]
    restored.kill()

    connection = sqlite3.connect(new["FORUM_DATABASE"])
    try:
        rows = dict(connection.execute("SELECT nonce, COUNT(*) FROM checkin GROUP BY nonce").fetchall())
        admitted = connection.execute("""SELECT COUNT(DISTINCT participant_id), COUNT(*) FROM checkin
            WHERE list_slug = 'entrance' AND result = 'ok' AND annulled_at IS NULL""").fetchone()
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    shown = [answer["nonce"] for desk in desks for answer in desk.shown]
    missing = [nonce for nonce in shown if nonce not in rows]
    doubled = [nonce for nonce, count in rows.items() if count > 1]
    check(all(code == 0 for code in exits), f"every desk left cleanly both times (exit codes {sorted(set(exits))})")
    check(not missing and not doubled, f"{len(shown)} scans shown by the desks: {len(shown) - len(missing)} on the restored server, missing {len(missing)}, doubled {len(doubled)}")
    check(admitted == (PEOPLE, PEOPLE), f"admitted on the restored server: {admitted[0]} people, {admitted[1]} standing check-ins")
    check(waiting == 0, f"desks' queues empty: {waiting} waiting")
    check(integrity == "ok", f"restored database integrity_check: {integrity}")
    shutil.rmtree(folder, ignore_errors=True)
    verdict("restore drill")


if __name__ == "__main__":
    main()
