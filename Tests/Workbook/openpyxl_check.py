#!/usr/bin/env python3
"""Workbooks made by openpyxl — the library behind many forms' and CRMs' Excel exports — imported
by `forum participants import FILE.xlsx` as an organiser would: Cyrillic text, numbers typed as
numbers (phones, region codes), dates, empty cells, a second sheet, bold header cells.

Usage: openpyxl_check.py PATH-TO-forum   (run with the tools venv's python: openpyxl)
Exit 0 only if every check holds.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile

from openpyxl import Workbook
from openpyxl.styles import Font

FORUM = sys.argv[1]
REGIONS = [16, "Респ. Татарстан", "Новосибирская обл.", "г. Москва", "ХМАО — Югра", "Кузбасс", 7, "Чувашия"]
failures = []


def check(condition, what):
    print(("  ✔ " if condition else "  ✘ ") + what)
    if not condition:
        failures.append(what)


def forum(env, *arguments):
    return subprocess.run([FORUM, *arguments], env=env, capture_output=True, text=True, timeout=120)


def workbook(path, rows, broken_row=None):
    book = Workbook()
    notes = book.active
    notes.title = "Инструкция"
    notes["A1"] = "Заполните лист «Участники»"
    sheet = book.create_sheet("Участники")
    sheet.append(["Фамилия", "Имя", "Отчество", "Электронная почта", "Телефон", "Регион", "Муниципальное образование",
                  "Наименование организации", "Занимаемая должность", "Дата заявки"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number in range(1, rows + 1):
        email = "broken@" if number == broken_row else f"person{number}@mail.ru"
        sheet.append(["Ёлкина" if number % 2 else "Фёдоров", "Алёна" if number % 2 else "Пётр", None if number % 3 == 0 else "Сергеевна",
                      email, 79120000000 + number, REGIONS[number % len(REGIONS)], f"Сельское поселение № {number}",
                      "Администрация «Рассвет»", "Глава", datetime.datetime(2026, 11, 1 + number % 28, 10, 30)])
    book.save(path)


def main():
    folder = tempfile.mkdtemp(prefix="forum-openpyxl-")
    env = dict(os.environ, FORUM_DATABASE=os.path.join(folder, "forum.sqlite"))
    print("workbooks made by openpyxl, imported by forum participants import")
    forum(env, "db", "migrate")

    good = os.path.join(folder, "анкеты.xlsx")
    workbook(good, 60)
    imported = forum(env, "participants", "import", good, "--sheet", "Участники", "--json")
    check(imported.returncode == 0, f"60 rows import from the sheet «Участники» (exit {imported.returncode}) {imported.stderr.strip()[:300]}")
    report = json.loads(imported.stdout or "{}")
    check(report.get("created") == 60 and report.get("sheet") == "Участники", f"created {report.get('created')}, sheet {report.get('sheet')}")
    check("не распознан" in imported.stderr and "Дата заявки" in imported.stderr, "the column forumops has no field for is named and skipped")
    listing = json.loads(forum(env, "participants", "list", "--json").stdout)
    people = {person["email"]: person for person in listing["items"]}
    first = people.get("person1@mail.ru", {})
    check(first.get("phone") == "+79120000001", f"a phone stored as a number reads as a phone: {first.get('phone')}")
    check(first.get("regionCode") == "16", f"«Респ. Татарстан» is 16: {first.get('regionCode')}")
    check([people.get(f"person{n}@mail.ru", {}).get("regionCode") for n in range(2, 8)] == ["54", "77", "86", "42", "07", "21"],
          "«Новосибирская обл.», «г. Москва», «ХМАО — Югра», «Кузбасс», 7 and «Чувашия» are 54, 77, 86, 42, 07, 21")
    check(people.get("person8@mail.ru", {}).get("regionCode") == "16", "a region code stored as a number reads as a code")
    check(people.get("person3@mail.ru", {}).get("patronymic") is None, "an empty cell is an empty field")
    check(first.get("organisation") == "Администрация «Рассвет»", "«Наименование организации» is the organisation")

    again = forum(env, "participants", "import", good, "--sheet", "Участники")
    check(again.returncode == 0 and "без изменений: 60" in again.stdout, "importing the same workbook again changes nothing")

    broken = os.path.join(folder, "вторая.xlsx")
    workbook(broken, 10, broken_row=4)
    refused = forum(env, "participants", "import", broken, "--sheet", "Участники")
    check(refused.returncode == 1, "a workbook with one bad row is refused (exit 1)")
    check("вторая.xlsx:Участники!D5: «Электронная почта»: «broken@»" in refused.stderr, f"the error names the sheet and cell: {refused.stderr.strip()[:200]}")
    check("Строк с ошибками: 1 (строка 5)" in refused.stdout, "the summary names the line")
    total = json.loads(forum(env, "participants", "list", "--json").stdout)["total"]
    check(total == 60, f"nothing of it imported: {total} registered")

    print("openpyxl workbooks: " + ("all held" if not failures else f"{len(failures)} failed"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
