"""What the script tests share: checks printed as ✔ or ✘ and counted, the verdict that fails the
script on any of them, `forum` run as a step that must succeed, and a `forum desk --json` process."""
import subprocess
import sys

failures = []


def check(condition, message):
    print(("  ✔ " if condition else "  ✘ ") + message)
    if not condition:
        failures.append(message)


def verdict(name):
    """Exits 1 naming how many checks failed, or says that all held."""
    if failures:
        sys.exit(f"{name}: {len(failures)} failed")
    print(f"{name}: all held")


def run_forum(forum, env, *arguments, timeout=300):
    """A `forum` command that must succeed; its standard output, trimmed."""
    result = subprocess.run([forum, *arguments], env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"forum {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout.strip()


def desk_process(forum, port, number, state, token, env, *extra):
    """`forum desk --json` as desk «Вход NUMBER+1» over its state file, fed on stdin."""
    return subprocess.Popen(
        [forum, "desk", "--server", f"http://127.0.0.1:{port}", "--desk", f"Вход {number + 1}", "--state", state, "--json", *extra],
        env=dict(env, FORUM_DESK_TOKEN=token), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, bufsize=1)
