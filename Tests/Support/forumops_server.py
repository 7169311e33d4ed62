"""`forum serve` as the fault and soak scripts run it: on a free port, started and killed with
SIGKILL at will (no shutdown, no checkpoint), its peak RSS read from /proc while it lives."""
import socket
import subprocess
import sys
import threading
import time
import urllib.request


class Server:
    def __init__(self, forum, env):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.forum, self.env, self.process, self.peak_kb = forum, dict(env, FORUM_LOG_LEVEL="error"), None, 0
        threading.Thread(target=self._watch, daemon=True).start()

    def start(self):
        """Starts it and waits until it answers /healthz."""
        self.process = subprocess.Popen([self.forum, "serve", "--port", str(self.port)], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        sys.exit("forum serve did not answer within 60 s")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def _watch(self):
        while True:
            try:
                with open(f"/proc/{self.process.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
            except (OSError, AttributeError):
                pass
            time.sleep(0.5)
