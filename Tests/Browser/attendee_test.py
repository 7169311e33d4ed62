"""The attendee's pages in a real browser (headless Chromium driven by Selenium), phone-sized:
the programme, a session page, and «Мой форум» at a personal link, where one participant signs
up and withdraws with JavaScript off and another with it on; axe-core (axe-selenium-python)
finds no serious or critical accessibility violation on /programme, a session page and /my.

Usage: attendee_test.py PATH-TO-forum [SCREENSHOT-FOLDER]
"""
import json
import os
import sys
import tempfile

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from forumops_server import Server  # noqa: E402
from script_checks import check, run_forum, verdict  # noqa: E402

FORUM = os.path.abspath(sys.argv[1])
SHOTS = sys.argv[2] if len(sys.argv) > 2 else None
AGENDA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Agenda")


def browser(javascript):
    """Chromium with JavaScript on — as a phone, 390 CSS pixels wide, by its device emulation — or
    off (a small window: chromedriver's clicks hang in the emulation without JavaScript)."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=500,900"]:
        options.add_argument(argument)
    if javascript:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 1.0}})
    else:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def serious(driver, url):
    """axe-core's serious and critical violations on the page at `url` (needs JavaScript)."""
    driver.get(url)
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    check(len(results.get("passes", [])) > 10, f"axe-core ran its rules on {url.split('/my/')[0]}… ({len(results.get('passes', []))} passed)")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def sign_up_and_withdraw(driver, base, token, who):
    """Signs up for the first session offered, sees the seat, then withdraws, as `who`."""
    driver.get(f"{base}/my/{token}")
    check("Мой форум" in driver.find_element(By.TAG_NAME, "h1").text, f"{who}: «Мой форум» opens at the personal link")
    form = driver.find_element(By.CSS_SELECTOR, "form[action$='/sign-up']")
    session = form.find_element(By.NAME, "session").get_attribute("value")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 20).until(lambda _: "done=" in driver.current_url)
    message = driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    check("Вы записаны" in message and "Место за вами" in driver.page_source, f"{who}: signed up for {session}: «{message}»")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/withdraw'] button").click()
    WebDriverWait(driver, 20).until(lambda _: "done=withdrawn" in driver.current_url)
    check("снята" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text, f"{who}: withdrew again")
    return session


def main():
    folder = tempfile.mkdtemp(prefix="forumops-attendee-")
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env["FORUM_DATABASE"] = os.path.join(folder, "forum.sqlite")
    print("the attendee's pages in Chromium, JavaScript off, and on as a 390-pixel phone; axe-core")
    run_forum(FORUM, env, "demo", "roster", "--count", "60", "--seed", "12", "--output", os.path.join(folder, "roster.csv"))
    run_forum(FORUM, env, "participants", "import", os.path.join(folder, "roster.csv"))
    run_forum(FORUM, env, "agenda", "import", AGENDA)
    run_forum(FORUM, env, "agenda", "publish", "--note", "Выпуск 1")
    run_forum(FORUM, env, "keys", "init")
    run_forum(FORUM, env, "agenda", "signup", "open")
    tokens = [json.loads(run_forum(FORUM, env, "participants", "show", str(n), "--json"))["personalCalendar"].split("/")[-2] for n in (1, 2)]

    server = Server(FORUM, env)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:

        plain = browser(javascript=False)
        try:
            plain.get(base + "/programme")
            check(plain.find_element(By.TAG_NAME, "h1").text == "Программа форума", "the programme page opens without JavaScript")
            check(len(plain.find_elements(By.CSS_SELECTOR, "li.card")) > 50, "every session of the published programme has its card")
            Select(plain.find_element(By.ID, "kind")).select_by_visible_text("Круглый стол")
            plain.find_element(By.CSS_SELECTOR, ".filters button").click()
            WebDriverWait(plain, 20).until(lambda _: "kind=round_table" in plain.current_url)
            kinds = {card.text for card in plain.find_elements(By.CSS_SELECTOR, "li.card .kind")}
            check(kinds == {"КРУГЛЫЙ СТОЛ"}, f"the filter by format works without JavaScript: {kinds}")
            session = sign_up_and_withdraw(plain, base, tokens[0], "JavaScript off")
        finally:
            plain.quit()

        scripted = browser(javascript=True)
        try:
            sign_up_and_withdraw(scripted, base, tokens[1], "JavaScript on")
            widths = scripted.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            check(widths[1] == 390 and widths[0] <= widths[1], f"a phone's 390 pixels: nothing is wider than the screen ({widths[0]})")
            if SHOTS:
                scripted.find_element(By.CSS_SELECTOR, "form[action$='/sign-up'] button").click()
                WebDriverWait(scripted, 20).until(lambda _: "done=" in scripted.current_url)
                scripted.save_screenshot(os.path.join(SHOTS, "my-forum-phone.png"))
                scripted.get(base + "/programme")
                scripted.save_screenshot(os.path.join(SHOTS, "programme-phone.png"))
            for path in ["/programme", f"/programme/sessions/{session}", f"/my/{tokens[1]}"]:
                found = serious(scripted, base + path)
                check(not found, f"axe-core: no serious or critical violation on {path.replace(tokens[1], 'TOKEN')} {found[:3]}")
        finally:
            scripted.quit()
    finally:
        server.kill()
    verdict("attendee pages in a browser")


if __name__ == "__main__":
    main()
