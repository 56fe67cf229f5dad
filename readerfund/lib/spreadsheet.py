"""CSV cells that a spreadsheet opens as text, never as a formula.

A donor types their name; staff open the ledger export in a spreadsheet. A cell that starts
with =, +, -, @ (or a tab or carriage return, which some programs skip before one) would be
run as a formula (CSV injection): such a cell gets a leading apostrophe, which spreadsheets
show as nothing and read as "this is text". Plain numbers, negative ones included, stay
numbers.
"""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(values) -> list[str]:
    return [safe_cell(value) for value in values]
