#!/usr/bin/env python3
"""Workbooks made by openpyxl — the library behind many forms' and CRMs' Excel exports — imported
by `forum participants import FILE.xlsx` as an organiser would: Cyrillic text, numbers typed as
numbers (phones, region codes), dates, empty cells, a second sheet, bold header cells; then
forumops' own workbook opened by LibreOffice Calc (`soffice --headless`), and a workbook LibreOffice
saved imported.

Usage: openpyxl_check.py PATH-TO-forum   (run with the tools venv's python: openpyxl)
Exit 0 only if every check holds.
"""
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Support"))
from script_checks import check, verdict  # noqa: E402

FORUM = sys.argv[1]
REGIONS = [16, "Респ. Татарстан", "Новосибирская обл.", "г. Москва", "ХМАО — Югра", "Кузбасс", 7, "Чувашия"]
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

    # forumops' own workbooks, read back by openpyxl as Excel would open them.
    exported = os.path.join(folder, "участники.xlsx")
    export = forum(env, "participants", "export", "--format", "xlsx", "-o", exported)
    check(export.returncode == 0, f"forum participants export --format xlsx (exit {export.returncode}) {export.stderr.strip()[:200]}")
    book = load_workbook(exported)
    sheet = book["Участники"]
    header = [cell.value for cell in sheet[1]]
    check(header[:3] == ["ID forumops", "Фамилия", "Имя"] and header[-1] == "Статус", f"the header: {header[:3]} … {header[-1:]}")
    check(all(cell.font.b for cell in sheet[1]), "the header row is bold")
    check(sheet.freeze_panes == "A2", f"the header row is frozen: {sheet.freeze_panes}")
    check(sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:"), f"an autofilter over the table: {sheet.auto_filter.ref}")
    check(sheet.max_row == 61, f"61 rows (header and 60 people): {sheet.max_row}")
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    check(all(isinstance(value, int) for value in ids) and sorted(ids) == list(range(1, 61)), "ID forumops is a number column")
    phones = [row[header.index("Телефон")].value for row in sheet.iter_rows(min_row=2)]
    check(all(isinstance(value, str) and value.startswith("8 (912)") for value in phones), f"phones stay text: {phones[0]!r}")
    check(book.properties.title == "Всероссийский муниципальный форум «Малая Родина — сила России»", f"the forum's name in the properties: {book.properties.title}")
    check(book.properties.creator == "forumops", "the author in the properties")
    again = forum(env, "participants", "import", exported, "--json")
    check(again.returncode == 0 and json.loads(again.stdout).get("unchanged") == 60, "the exported workbook imports back unchanged")

    regions = os.path.join(folder, "неявка.xlsx")
    report = forum(env, "checkins", "export", "no-shows", "--format", "xlsx", "-o", regions)
    check(report.returncode == 0, f"forum checkins export no-shows --format xlsx (exit {report.returncode}) {report.stderr.strip()[:200]}")
    rows = list(load_workbook(regions).active.iter_rows(values_only=True))
    check(rows[0][:3] == ("Регион", "Код", "Зарегистрированы") and all(isinstance(row[2], int) for row in rows[1:]),
          f"the report's counts are numbers: {rows[1] if len(rows) > 1 else None}")
    check(forum(env, "participants", "export", "--format", "xlsx").returncode == 2, "a workbook is not written to a terminal: -o is required (exit 2)")

    libreoffice(env, folder, good, exported)
    verdict("openpyxl workbooks")


def libreoffice(env, folder, forms, exported):
    """LibreOffice Calc (Debian's, headless) opens forumops' workbook as forumops' own CSV has it,
    and a workbook LibreOffice saved imports as the one it came from."""
    print("the same workbooks through LibreOffice (soffice --headless)")
    soffice = ["soffice", f"-env:UserInstallation=file://{folder}/lo-profile", "--headless"]
    converted = os.path.join(folder, "libreoffice")
    subprocess.run(soffice + ["--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1", "--outdir", converted, exported],
                   capture_output=True, timeout=120)
    as_csv = os.path.join(folder, "участники.csv")
    forum(env, "participants", "export", "-o", as_csv)
    with open(os.path.join(converted, "участники.csv"), encoding="utf-8") as file:
        calc = list(csv.reader(file, delimiter=";"))
    with open(as_csv, encoding="utf-8-sig") as file:
        own = list(csv.reader(file, delimiter=";"))
    check(len(calc) == 61 and calc == own, f"LibreOffice reads forumops' workbook cell for cell as its CSV export ({len(calc)} rows)"
          + ("" if calc == own else f": {next((pair for pair in zip(calc, own) if pair[0] != pair[1]), None)}"))
    subprocess.run(soffice + ["--convert-to", "xlsx", "--outdir", converted, forms], capture_output=True, timeout=120)
    resaved = forum(env, "participants", "import", os.path.join(converted, "анкеты.xlsx"), "--sheet", "Участники", "--json")
    check(resaved.returncode == 0 and json.loads(resaved.stdout or "{}").get("unchanged") == 60,
          f"the forms' workbook saved again by LibreOffice imports unchanged {resaved.stderr.strip()[:200]}")


if __name__ == "__main__":
    main()
