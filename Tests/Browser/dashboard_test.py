"""The organisers' dashboard in a real browser (headless Chromium driven by Selenium).

Starts `forum serve` on a scratch database with a demo roster, signs in with an admin token,
reads the figures, makes check-ins through the API and sees the figures change without a
reload, checks that the page breaks no Content-Security-Policy rule, signs out, and opens a
kiosk link. Usage: dashboard_test.py PATH-TO-forum [SCREENSHOT-FOLDER]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

FORUM = os.path.abspath(sys.argv[1])
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
PEOPLE = 120


def forum(*arguments, env):
    result = subprocess.run([FORUM, *arguments], env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        sys.exit(f"forum {' '.join(arguments)} failed: {result.stderr}")
    return result.stdout.strip()


def arrives_at(browser, path, seconds=30):
    """Waits for a form's answer (a redirect after a POST) to load: a click returns before a slow server answers."""
    try:
        WebDriverWait(browser, seconds).until(lambda _: browser.current_url.endswith(path))
        return True
    except Exception:
        print(f"  … still at {browser.current_url}: {browser.find_element(By.TAG_NAME, 'body').text[:300]!r}")
        return False


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"  ✔ {message}")


def main():
    folder = tempfile.mkdtemp(prefix="forumops-browser-")
    env = dict(os.environ, FORUM_DATABASE=os.path.join(folder, "forum.sqlite"))
    env = {key: value for key, value in env.items() if not key.startswith("FORUM_") or key == "FORUM_DATABASE"}
    forum("db", "migrate", env=env)
    forum("demo", "roster", "--count", str(PEOPLE), "--seed", "11", "--output", os.path.join(folder, "roster.csv"), env=env)
    forum("participants", "import", os.path.join(folder, "roster.csv"), env=env)
    forum("checkins", "open", "entrance", "--until", "2099-01-01 10:00", env=env)
    admin = forum("tokens", "create", "--role", "admin", "--name", "Штаб", env=env)
    desk = forum("tokens", "create", "--role", "desk", "--name", "Вход 1", env=env)

    # Warnings only: nobody reads the server's log after its first line, so it must stay small.
    server = subprocess.Popen([FORUM, "serve", "--port", "0"], env=dict(env, FORUM_LOG_LEVEL="warning"), stderr=subprocess.PIPE, text=True)
    try:
        base = None
        deadline = time.time() + 30
        while base is None and time.time() < deadline:
            line = server.stderr.readline()
            match = re.search(r"(https?://127\.0\.0\.1:\d+)", line)
            if match:
                base = match.group(1)
        check(base is not None, f"forum serve answers at {base}")
        env_kiosk = dict(env, FORUM_HTTP_PUBLIC_URL=base)
        kiosk = forum("dashboard", "kiosk", "--hours", "1", "--name", "Экран в холле", env=env_kiosk)

        def scan(participant, nonce):
            body = json.dumps({"participantId": participant, "list": "entrance", "desk": "Вход 1", "nonce": nonce}).encode()
            request = urllib.request.Request(base + "/api/v1/checkins", data=body, method="POST",
                                             headers={"Authorization": "Bearer " + desk, "Content-Type": "application/json"})
            with urllib.request.urlopen(request) as response:
                return json.load(response)["result"]

        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600", "--disable-dev-shm-usage"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            browser.get(base + "/dashboard")
            check(browser.current_url.endswith("/dashboard/sign-in"), "without a session the dashboard sends to the sign-in page")
            browser.find_element(By.ID, "token").send_keys(desk)
            browser.find_element(By.ID, "sign-in").click()
            WebDriverWait(browser, 30).until(lambda _: browser.find_elements(By.ID, "message"))
            check("только токен организатора" in browser.find_element(By.ID, "message").text, "a desk token cannot sign in")
            browser.find_element(By.ID, "token").send_keys(admin)
            browser.find_element(By.ID, "sign-in").click()
            check(arrives_at(browser, "/dashboard"), "an admin token signs in")
            cookie = browser.get_cookie("forumops_session")
            check(cookie is not None and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")

            def figure(name):
                return browser.find_element(By.ID, name).text

            check(figure("registered") == str(PEOPLE) and figure("arrived") == "0", f"the page shows {PEOPLE} registered, 0 arrived")
            browser.execute_script("window.forumopsMarker = 'same page';")
            results = [scan(participant, f"browser-{participant}") for participant in range(1, 8)]
            check(results == ["ok"] * 7, "7 participants checked in through the API")
            WebDriverWait(browser, 20).until(lambda _: figure("arrived") == "7")
            check(figure("arrived") == "7" and figure("no-shows") == str(PEOPLE - 7), "the figures change to 7 arrived without a reload")
            check(browser.execute_script("return window.forumopsMarker") == "same page", "the page was not reloaded")
            check("Вход 1" in browser.find_element(By.ID, "desks").text, "the desk appears in the desks' table")
            if SHOTS:
                browser.save_screenshot(os.path.join(SHOTS, "dashboard.png"))
            violations = [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]
            check(not violations, f"no Content-Security-Policy violation ({violations[:1]})")

            browser.find_element(By.CSS_SELECTOR, "header form button").click()
            check(arrives_at(browser, "/dashboard/sign-in"), "signing out returns to the sign-in page")
            browser.get(base + "/dashboard")
            check(browser.current_url.endswith("/dashboard/sign-in"), "after signing out the dashboard needs a sign-in again")

            browser.get(kiosk)
            check("только просмотр" in browser.find_element(By.TAG_NAME, "header").text and figure("arrived") == "7", "the kiosk link shows the figures read-only")
            check(not browser.find_elements(By.CSS_SELECTOR, "header form"), "the kiosk page has no sign-out and no form")
            if SHOTS:
                browser.save_screenshot(os.path.join(SHOTS, "kiosk.png"))
        finally:
            browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=15)
    print("browser test passed")


if __name__ == "__main__":
    main()
