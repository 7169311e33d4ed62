#!/usr/bin/env python3
"""E-tickets sent by `forum tickets send` to a real SMTP server — aiosmtpd with STARTTLS and a
login, as a submission relay behaves — and read back as a participant's mail program would:
headers decoded by RFC 2047, the QR code decoded by zbarimg from the inline PNG and from the
badge PDF (rendered by pdftoppm), a rerun that sends nothing twice, a reprint that sends the new
code, an address the relay refuses, a cancellation notice, a dry run into .eml files, a relay
without STARTTLS and a wrong password refused without sending.

Usage: smtp_check.py PATH-TO-forum   (run with the tools venv's python: aiosmtpd)
Exit 0 only if every check holds.
"""
import email
import email.policy
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from script_checks import check, run_forum, verdict  # noqa: E402

FORUM = sys.argv[1]
# aiosmtpd logs a deprecation of its own on every login.
logging.getLogger("mail.log").setLevel(logging.ERROR)
USER, PASSWORD = "forumops", "пароль-s3cret"


class Mailbox:
    """Keeps every message accepted; refuses recipients whose address starts with «bounce»."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 Нет такого ящика"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos[:], email.message_from_bytes(envelope.original_content, policy=email.policy.default)))
        return "250 Message accepted"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    return AuthResult(success=ok, handled=False)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def relay(folder, mailbox, starttls=True):
    context = None
    if starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(os.path.join(folder, "relay.pem"), os.path.join(folder, "relay.key"))
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port(), server_hostname="localhost", tls_context=context,
                            require_starttls=starttls, authenticator=authenticator, auth_require_tls=starttls)
    controller.start()
    return controller


def decode_qr(path):
    result = subprocess.run(["zbarimg", "--quiet", "--raw", path], capture_output=True, text=True)
    return result.stdout.strip()


def forum(env, *arguments):
    return subprocess.run([FORUM, *arguments], env=env, capture_output=True, text=True, timeout=300)


def main():
    folder = tempfile.mkdtemp(prefix="forum-smtp-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-keyout", os.path.join(folder, "relay.key"),
                    "-out", os.path.join(folder, "relay.pem")], check=True, capture_output=True)
    mailbox = Mailbox()
    controller = relay(folder, mailbox)
    config = os.path.join(folder, "forum.json")
    with open(config, "w") as file:
        json.dump({"database": {"path": os.path.join(folder, "forum.sqlite")},
                   "http": {"publicUrl": "https://forum.example.ru"},
                   "mail": {"host": "localhost", "port": controller.port, "security": "starttls", "username": USER,
                            "trustedCertificates": os.path.join(folder, "relay.pem"), "from": "bilet@forum.example.ru",
                            "fromName": "Форум «Малая Родина — сила России»", "perMinute": 6000}}, file)
    env = dict(os.environ, FORUM_CONFIG=config, FORUM_MAIL_PASSWORD=PASSWORD)
    print("e-tickets through aiosmtpd (STARTTLS, AUTH), read back as a mail program would")
    roster = os.path.join(folder, "roster.csv")
    run_forum(FORUM, env, "demo", "roster", "--count", "12", "--seed", "7", "--output", roster)
    run_forum(FORUM, env, "participants", "import", roster)
    run_forum(FORUM, env, "keys", "init")
    people = {p["id"]: p for p in json.loads(run_forum(FORUM, env, "participants", "list", "--json"))["items"]}

    sent = forum(env, "tickets", "send")
    check(sent.returncode == 0 and "Отправлено билетов: 12" in sent.stderr, f"12 tickets sent (exit {sent.returncode}) {sent.stderr.strip()[-300:]}")
    check(len(mailbox.messages) == 12, f"the relay received {len(mailbox.messages)} messages")
    first_id = min(people, key=int)
    person = people[first_id]
    received = [m for rcpt, m in mailbox.messages if rcpt == [person["email"]]]
    check(len(received) == 1, f"participant №{first_id} got one message")
    message = received[0]
    check(str(message["Subject"]).startswith("Ваш электронный билет — "), f"the subject decodes from RFC 2047: {message['Subject']}")
    check(message["To"].addresses[0].display_name.startswith(person["lastName"]), f"the recipient's Cyrillic name decodes: {message['To']}")
    # Python's address parser keeps the space between two encoded words (RFC 2047 drops it), so
    # the name is compared with its spaces collapsed.
    sender_name = " ".join(message["From"].addresses[0].display_name.split())
    check(sender_name == "Форум «Малая Родина — сила России»", f"the sender's name decodes: {message['From']}")
    text = message.get_body(("plain",)).get_content()
    check("https://forum.example.ru/feeds/" in text and "schedule.ics" in text, "the letter gives the personal calendar's address")
    html = message.get_body(("html",)).get_content()
    check("cid:qr@forumops" in html, "the HTML letter shows the QR code inline")
    parts = {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}
    png, pdf = parts.get("image/png"), parts.get("application/pdf")
    check(png is not None and pdf is not None, "the QR code as PNG and the badge as PDF are attached")
    code = run_forum(FORUM, env, "badges", "code", str(first_id))
    with open(os.path.join(folder, "qr.png"), "wb") as file:
        file.write(png.get_content())
    check(decode_qr(os.path.join(folder, "qr.png")) == code, "zbarimg decodes the inline PNG to the participant's badge code")
    with open(os.path.join(folder, "badge.pdf"), "wb") as file:
        file.write(pdf.get_content())
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", os.path.join(folder, "badge.pdf"), os.path.join(folder, "badge")], check=True)
    check(decode_qr(os.path.join(folder, "badge.png")) == code, "zbarimg decodes the badge PDF's QR code to the same code")

    again = forum(env, "tickets", "send")
    check(again.returncode == 0 and "Отправлено билетов: 0" in again.stderr and len(mailbox.messages) == 12, "a rerun sends nothing twice")

    second_id = sorted(people, key=int)[1]
    reprinted = forum(env, "badges", "reprint", str(second_id), "--notify")
    new_code = reprinted.stdout.strip()
    check(reprinted.returncode == 0 and len(mailbox.messages) == 13, f"a reprint with --notify mails the new ticket at once {reprinted.stderr.strip()[-200:]}")
    last = mailbox.messages[-1][1]
    with open(os.path.join(folder, "new.png"), "wb") as file:
        file.write(next(p for p in last.walk() if p.get_content_type() == "image/png").get_content())
    check(decode_qr(os.path.join(folder, "new.png")) == new_code and new_code != "", "the new letter's QR decodes to the new code")
    check("прежний QR-код больше не действует" in last.get_body(("plain",)).get_content(), "the new letter says the old code is void")
    check(forum(env, "tickets", "send").returncode == 0 and len(mailbox.messages) == 13, "the reprint's ticket is not sent again")
    run_forum(FORUM, env, "badges", "reprint", str(first_id))
    only_new = forum(env, "tickets", "send", "--only-new")
    check(only_new.returncode == 0 and len(mailbox.messages) == 13, "--only-new leaves a reprint without a letter")
    resent = forum(env, "tickets", "send", "--json")
    report = json.loads(resent.stdout or "{}")
    check(resent.returncode == 0 and report.get("sent") == 1 and len(mailbox.messages) == 14, f"the next run sends the reprinted badge: {report}")

    run_forum(FORUM, env, "participants", "add", "--last-name", "Отказов", "--first-name", "Пётр", "--email", "bounce@example.ru",
              "--region", "77", "--municipality", "Москва")
    refused = forum(env, "tickets", "send", "--json")
    report = json.loads(refused.stdout or "{}")
    check(refused.returncode == 1 and report.get("sent") == 0 and len(report.get("unsent", [])) == 1
          and "550" in report["unsent"][0]["reason"], f"an address the relay refuses is named, exit 1: {report}")
    check(forum(env, "tickets", "send").returncode == 1 and len(mailbox.messages) == 14, "and is tried again by the next run, nothing else is")

    cancelled_id = sorted(people, key=int)[2]
    cancelled = forum(env, "participants", "cancel", str(cancelled_id), "--notify")
    check(cancelled.returncode == 0 and len(mailbox.messages) == 15 and str(mailbox.messages[-1][1]["Subject"]).startswith("Регистрация отменена"),
          f"a cancellation with --notify tells the person {cancelled.stderr.strip()[-200:]}")

    drafts = os.path.join(folder, "drafts")
    run_forum(FORUM, env, "badges", "reprint", str(cancelled_id + 1))
    dry = forum(env, "tickets", "send", "--dry-run", "--out", drafts)
    files = sorted(os.listdir(drafts)) if os.path.isdir(drafts) else []
    check(dry.returncode == 0 and len(files) == 2 and len(mailbox.messages) == 15, f"a dry run writes .eml files and sends nothing: {files}")
    with open(os.path.join(drafts, next(f for f in files if f.startswith(f"ticket-{cancelled_id + 1}-")))) as file:
        draft = email.message_from_string(file.read(), policy=email.policy.default)
    check(str(draft["Subject"]).startswith("Ваш электронный билет"), "the .eml file is a whole message")
    check(oct(os.stat(drafts).st_mode & 0o777) == "0o700", "the drafts' folder is private")
    after = forum(env, "tickets", "send")
    check(len(mailbox.messages) == 16, "a dry run records nothing: the real run sends that ticket")

    plain = relay(folder, Mailbox(), starttls=False)
    env_plain = dict(env, FORUM_MAIL_PORT=str(plain.port))
    run_forum(FORUM, env, "badges", "reprint", str(first_id))
    insecure = forum(env_plain, "tickets", "send")
    check(insecure.returncode == 1 and "STARTTLS" in insecure.stderr, f"a relay without STARTTLS gets no password and no letter: {insecure.stderr.strip()[-200:]}")
    wrong = forum(dict(env, FORUM_MAIL_PASSWORD="wrong"), "tickets", "send")
    check(wrong.returncode == 1 and "535" in wrong.stderr, f"a wrong password is refused clearly: {wrong.stderr.strip()[-200:]}")
    check(len(mailbox.messages) == 16, "neither sent anything")

    run_forum(FORUM, env, "participants", "add", "--last-name", "Главов", "--first-name", "Илья", "--email", "glava@мэрия-города.рф",
              "--region", "16", "--municipality", "Казань")
    forum(env, "tickets", "send")
    punycode = "glava@xn----8sbierxrane1l0a.xn--p1ai"
    delivered = [m for rcpt, m in mailbox.messages[16:] if rcpt == [punycode]]
    check(len(delivered) == 1 and delivered[0]["To"].addresses[0].domain == "xn----8sbierxrane1l0a.xn--p1ai",
          f"an address at a Cyrillic domain (мэрия-города.рф) gets its ticket, the domain as IDNA: {[r for r, _ in mailbox.messages[16:]]}")
    plain.stop()
    controller.stop()
    verdict("smtp-check")


main()
