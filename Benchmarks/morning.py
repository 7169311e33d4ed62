"""A simulated morning at the doors, to watch the dashboard: `forum serve` on a scratch
database with the 7,500-person demo roster, 20 desks (each its own token) scanning people
through the API at a rate that rises minute by minute, one desk losing the server for a while
and uploading its queue late, and a headless Chromium screenshot of the kiosk page every
minute.

Usage: python3 Benchmarks/morning.py PATH-TO-forum OUTPUT-FOLDER [MINUTES]
(`make morning` runs it with the release build for 8 minutes.)
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone

FORUM = os.path.abspath(sys.argv[1])
OUTPUT = os.path.abspath(sys.argv[2])
MINUTES = int(sys.argv[3]) if len(sys.argv) > 3 else 8
DESKS = 20
PEOPLE = 7500
OFFLINE_DESK = 7  # loses the server for minutes 3–5 of the run


def forum(*arguments, env):
    return subprocess.run([FORUM, *arguments], env=env, capture_output=True, text=True, check=True, timeout=300).stdout.strip()


def main():
    os.makedirs(OUTPUT, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="forumops-morning-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env["FORUM_DATABASE"] = os.path.join(folder, "forum.sqlite")
    forum("db", "migrate", env=env)
    forum("demo", "roster", "--count", str(PEOPLE), "--seed", "2027", "--output", os.path.join(folder, "roster.csv"), env=env)
    forum("participants", "import", os.path.join(folder, "roster.csv"), env=env)
    forum("agenda", "import", "Agenda", env=env)
    forum("checkins", "open", "entrance", "--until", "2099-01-01 10:00", env=env)
    tokens = [forum("tokens", "create", "--role", "desk", "--name", f"Ноутбук {desk}", env=env) for desk in range(1, DESKS + 1)]

    server = subprocess.Popen([FORUM, "serve", "--port", "0"], env=dict(env, FORUM_LOG_LEVEL="warning"), stderr=subprocess.PIPE, text=True)
    base = None
    while base is None:
        match = re.search(r"(https?://127\.0\.0\.1:\d+)", server.stderr.readline())
        base = match.group(1) if match else None
    kiosk = forum("dashboard", "kiosk", "--hours", "2", "--name", "Экран в холле", env=dict(env, FORUM_HTTP_PUBLIC_URL=base))
    print(f"server {base}, kiosk {kiosk}", flush=True)

    queue = list(range(1, PEOPLE + 1))
    random.Random(15).shuffle(queue)
    lock = threading.Lock()
    start = time.time()
    stop = threading.Event()

    def scan(token, desk, participant, nonce, scanned_at=None):
        body = {"participantId": participant, "list": "entrance", "desk": f"Вход {desk}", "nonce": nonce}
        if scanned_at:
            body.update(offline=True, scannedAt=scanned_at)
        request = urllib.request.Request(base + "/api/v1/checkins", data=json.dumps(body).encode(), method="POST",
                                         headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["result"]

    def desk_loop(desk):
        token, held = tokens[desk - 1], []
        rng = random.Random(desk)
        while not stop.is_set():
            minute = (time.time() - start) / 60
            # People a minute at this desk: 2 at first, rising to 9 by the fifth minute; a slower desk or two.
            rate = min(9, 2 + 1.6 * minute) * (0.7 if desk in (3, 12) else 1)
            time.sleep(rng.expovariate(rate / 60))
            with lock:
                if not queue:
                    return
                participant = queue.pop()
            nonce = f"d{desk}-{participant}"
            if desk == OFFLINE_DESK and 3 <= minute < 5:
                held.append((participant, nonce, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")))
                continue
            for waiting in held:  # back online: the queue goes up first
                scan(token, desk, *waiting)
            held = []
            scan(token, desk, participant, nonce)

    threads = [threading.Thread(target=desk_loop, args=(desk,), daemon=True) for desk in range(1, DESKS + 1)]
    for thread in threads:
        thread.start()
    try:
        for minute in range(1, MINUTES + 1):
            time.sleep(max(0, start + minute * 60 - time.time()))
            shot = os.path.join(OUTPUT, f"morning-{minute:02d}.png")
            subprocess.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1700", f"--screenshot={shot}", kiosk],
                           capture_output=True, timeout=60)
            with lock:
                left = len(queue)
            print(f"minute {minute}: {PEOPLE - left} people scanned, screenshot {shot}", flush=True)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=15)


if __name__ == "__main__":
    main()
