"""Make the Serbian Latin catalogue from the Serbian Cyrillic one.

    .venv/bin/python tools/sr_latn_po.py

Reads civicline/locale/sr/LC_MESSAGES/django.po and writes
civicline/locale/sr_Latn/LC_MESSAGES/django.po: every msgstr (plural forms included) goes
through civicline.transliteration.to_latin, the same transliteration the application uses,
and the header says Language: sr_Latn. The sr_Latn catalogue is never edited by hand.

GNU gettext's msgfilter does the .po parsing and writing, so it must be installed (it is
needed for makemessages/compilemessages anyway). Run compilemessages afterwards.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "civicline" / "locale" / "sr" / "LC_MESSAGES" / "django.po"
TARGET = ROOT / "civicline" / "locale" / "sr_Latn" / "LC_MESSAGES" / "django.po"

# msgfilter runs this once per msgstr, with the unescaped text on stdin. Only the
# transliteration module is imported (no Django), so -S keeps each start cheap.
FILTER = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from civicline.transliteration import to_latin; "
    "sys.stdout.write(to_latin(sys.stdin.read()))"
)
LANGUAGE_LINE = re.compile(r'^"Language: [^"\\]*\\n"$', re.MULTILINE)
TEAM_LINE = re.compile(r'^"Language-Team: [^"\\]*\\n"$', re.MULTILINE)


def count(flag: str) -> int:
    """How many entries of the source catalogue msgattrib selects with `flag`."""
    out = subprocess.run(
        ["msgattrib", flag, "--no-obsolete", str(SOURCE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return max(out.count("\nmsgid ") - 1, 0)  # minus the header entry


def main() -> int:
    if shutil.which("msgfilter") is None:
        sys.exit("sr_latn_po: GNU gettext (msgfilter) is not installed")
    if not SOURCE.is_file():
        sys.exit(f"sr_latn_po: {SOURCE} does not exist; run makemessages first")
    for flag, what in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        if n := count(flag):
            print(f"sr_latn_po: warning: {n} {what} entries in {SOURCE.name} (sr)", file=sys.stderr)

    TARGET.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    subprocess.run(
        [
            "msgfilter",
            "--keep-header",
            "--input",
            str(SOURCE),
            "--output-file",
            str(TARGET),
            sys.executable,
            "-S",
            "-c",
            FILTER,
            str(ROOT),
        ],
        check=True,
        env=env,
    )

    text = TARGET.read_text(encoding="utf-8")
    header, sep, body = text.partition("\n\n")
    if not LANGUAGE_LINE.search(header):
        sys.exit(f"sr_latn_po: no Language line in the header of {SOURCE}")
    header = LANGUAGE_LINE.sub(lambda _: '"Language: sr_Latn\\n"', header, count=1)
    header = TEAM_LINE.sub(lambda _: '"Language-Team: Serbian (Latin) <sr@civicline>\\n"', header)
    header = header.replace("civicline user interface, sr.", "civicline user interface, sr_Latn.")
    header = header.replace(
        "#\n", "# Generated from ../../sr/LC_MESSAGES/django.po by tools/sr_latn_po.py.\n#\n", 1
    )
    TARGET.write_text(header + sep + body, encoding="utf-8")
    print(f"sr_latn_po: wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
