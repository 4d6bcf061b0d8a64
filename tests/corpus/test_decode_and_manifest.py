"""Encodings, unreadable files and the manifest/YAML error messages."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from corpus import BUNDLED_DIR, ConfigError, load_corpus, load_knowledge
from corpus.decode import DecodeError, decode_bytes
from tests.conftest import write

ZH = (BUNDLED_DIR / "002_05264b1b95ebf856.txt").read_text(encoding="utf-8")
AR = (BUNDLED_DIR / "000_f3eee6bc68b515fc.txt").read_text(encoding="utf-8")
RU = (BUNDLED_DIR / "004_2426c03314eb353a.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "encoding", "found"),
    [
        (ZH, "utf-8", "utf-8"),
        (ZH, "utf-8-sig", "utf-8-sig"),
        (ZH, "utf-16", "utf-16"),
        (ZH, "gb18030", "gb18030"),
        (ZH.replace("\xa0", " "), "gbk", "gb18030"),  # GBK is a subset of GB18030
        (AR, "cp1256", "cp1256"),
        (RU, "cp1251", "cp1251"),
        (AR, "utf-16-le", "utf-16-le"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "gb18030", "gbk", "cp1256", "cp1251", "utf16le-no-bom"],
)
def test_real_text_decodes_in_each_encoding(text: str, encoding: str, found: str) -> None:
    data = text.encode(encoding)
    decoded, enc = decode_bytes(data)
    assert decoded.lstrip("\ufeff") == text
    assert enc == found


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (bytes(range(256)) * 40, "binary file"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(random.Random(7).randrange(256) for _ in range(4000)),
            "binary file",
        ),
    ],
    ids=["empty", "whitespace", "all-bytes", "png"],
)
def test_unreadable_bytes_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        decode_bytes(data)


def test_bad_files_are_skipped_named_and_untouched(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Ein guter Titel\n\nShenzhen und Guangzhou arbeiten in der Forschung eng zusammen.")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 8)
    write(tmp_path / "legacy ü name.txt", RU, "cp1251")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    c = load_corpus(tmp_path)
    assert sorted(a.path for a in c.articles) == ["good.txt", "legacy ü name.txt"]
    assert {a.path: a.encoding for a in c.articles}["legacy ü name.txt"] == "cp1251"
    assert sorted((s.path, s.reason.split(" (")[0]) for s in c.skipped) == [
        ("empty.txt", "empty file"),
        ("image.txt", "binary file"),
    ]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    assert after == before


def test_malformed_manifest_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Titel\n\nText.")
    write(tmp_path / "briefing.yaml", "articles:\n  - id: a\n    file: a.txt\n    title: [unclosed\n")
    with pytest.raises(ConfigError) as exc:
        load_corpus(tmp_path)
    assert str(exc.value).startswith(f"{tmp_path / 'briefing.yaml'}:5:")
    assert "malformed YAML" in str(exc.value)


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("articles:\n  - id: a\n    file: a.txt\n    colour: red\n", ":4: unknown key 'colour' in a manifest entry"),
        ("articles:\n  - id: a\n    file: a.txt\n  - id: a\n    file: b.txt\n", ":4: duplicate id 'a'"),
        ("articles:\n  - id: a\n    file: a.txt\n    translations: [zz]\n", ":4: translation 'zz' is not an id"),
        ("articles:\n  - id: a\n    file: ../../etc/passwd\n", ":3: '../../etc/passwd' is outside the corpus folder"),
        ("articles:\n  - id: a\n    file: a.txt\n    date: 17.05.2020\n", ":4: date '17.05.2020' is not a real date"),
        # YAML 1.1 would make these dates, and fail to construct them: a traceback before
        ("articles:\n  - id: a\n    file: a.txt\n    date: 2020-13-45\n", ":4: date '2020-13-45' is not a real date"),
        ("articles:\n  - id: a\n    file: a.txt\n    date: 2020-02-30\n", ":4: date '2020-02-30' is not a real date"),
        (
            "articles:\n  - id: a\n    file: a.txt\n    title: !!timestamp 2020-13-45\n",
            ":4: '2020-13-45' cannot be read as timestamp",
        ),
        ("articles:\n  - id: a\n    file: a.txt\n    lang: klingon\n", ":4: lang 'klingon' is not a language code"),
        (
            "articles:\n  - id: a\n    file: a.txt\n    translations: [a]\n",
            ":4: article 'a' is listed as its own translation",
        ),
        ("articles:\n  - id: ''\n    file: a.txt\n", ":2: manifest entry needs 'id'"),
        ("articles: !!python/object/apply:os.system ['echo hi']\n", ":1:"),
    ],
)
def test_manifest_errors_are_precise(tmp_path: Path, manifest: str, expected: str) -> None:
    write(tmp_path / "a.txt", "Titel\n\nText.")
    write(tmp_path / "b.txt", "Titel\n\nText.")
    write(tmp_path / "briefing.yaml", manifest)
    with pytest.raises(ConfigError) as exc:
        load_corpus(tmp_path)
    assert f"{tmp_path / 'briefing.yaml'}{expected}" in str(exc.value)


def test_corpus_folder_extends_the_gazetteer(tmp_path: Path) -> None:
    write(
        tmp_path / "gazetteer.yaml",
        "cities:\n  - id: ningbo\n    name: Ningbo\n    names: {zh: [宁波], en: [Ningbo]}\n"
        "  - id: shenzhen\n    names: {ar: [شنزن]}\n",
    )
    k = load_knowledge(tmp_path)
    assert k.city("ningbo").names == {"zh": ("宁波",), "en": ("Ningbo",)}
    assert "شنزن" in k.city("shenzhen").names["ar"] and "شنتشن" in k.city("shenzhen").names["ar"]
    write(tmp_path / "t.txt", "宁波新闻\n\n宁波和深圳加强合作。")
    assert load_corpus(tmp_path).articles[0].paragraphs[1].cities == ("ningbo", "shenzhen")


def test_a_million_tiny_paragraphs_is_skipped_with_the_limit_named(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Ein guter Titel\n\nShenzhen und Guangzhou arbeiten zusammen.")
    write(tmp_path / "dump.txt", "\n\n".join(f"p{i}" for i in range(1_000_000)))
    c = load_corpus(tmp_path)
    assert [a.path for a in c.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in c.skipped] == [
        ("dump.txt", "has 1,000,000 paragraphs; the limit is 50,000 per file (split it into several files)")
    ]


def test_ten_megabytes_on_one_line_is_read(tmp_path: Path) -> None:
    words = ["Shenzhen", "Guangzhou", "cooperation", "innovation", "science", "district", "Longgang"]
    rng = random.Random(7)
    line = " ".join(rng.choice(words) for _ in range(1_400_000))[:10_000_000]
    write(tmp_path / "one line.txt", line + " needleword")
    c = load_corpus(tmp_path)
    (article,) = c.articles
    assert len(article.paragraphs) == 1 and len(article.paragraphs[0].text) == 10_000_011
    assert set(article.paragraphs[0].cities) == {"shenzhen", "guangzhou"}  # Longgang rolls up to Shenzhen


def test_symlink_loops_are_not_followed_and_are_named(tmp_path: Path) -> None:
    write(tmp_path / "good.txt", "Titel\n\nShenzhen.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a directory loop
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file that points at itself
    c = load_corpus(tmp_path)
    assert [a.path for a in c.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in c.skipped] == [("self.txt", "cannot read: Too many levels of symbolic links")]


def test_unreadable_files_are_named_and_the_rest_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    write(tmp_path / "good.txt", "Titel\n\nShenzhen.")
    secret = write(tmp_path / "secret.txt", "Geheim\n\nText.")
    secret.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the file system refuse as it would for a user
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self.name == "secret.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    c = load_corpus(tmp_path)
    secret.chmod(0o644)
    assert [a.path for a in c.articles] == ["good.txt"]
    assert [(s.path, s.reason) for s in c.skipped] == [("secret.txt", "cannot read: Permission denied")]


def test_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    write(tmp_path / "Sub dir" / "Отчёт о Шэньчжэне 2026.txt", "Отчёт\n\nШэньчжэнь и Гонконг.")
    write(tmp_path / "深圳 报告.md", "深圳报告\n\n深圳与香港合作。")
    c = load_corpus(tmp_path)
    assert sorted(a.id for a in c.articles) == ["Sub dir/Отчёт о Шэньчжэне 2026", "深圳 报告"]
    assert {a.id: a.paragraphs[1].cities for a in c.articles} == {
        "Sub dir/Отчёт о Шэньчжэне 2026": ("shenzhen", "hong-kong"),
        "深圳 报告": ("shenzhen", "hong-kong"),
    }


def test_a_large_manifest_is_read_in_a_child_process_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From APART_BYTES on, the manifest is read in a child process: the
    same entries, and its errors come back naming file and line."""
    from concurrent.futures.process import _RemoteTraceback

    from corpus import manifest

    here = manifest.load_manifest(BUNDLED_DIR)
    monkeypatch.setattr(manifest, "APART_BYTES", 0)
    assert len(here) == 5 and manifest.load_manifest(BUNDLED_DIR) == here
    write(tmp_path / "briefing.yaml", "articles:\n  - id: a\n    file: a.txt\n  - id: a\n    file: b.txt\n")
    with pytest.raises(ConfigError) as exc:
        manifest.load_manifest(tmp_path)
    assert str(exc.value).startswith(f"{tmp_path / 'briefing.yaml'}:4: duplicate id 'a'")
    assert isinstance(exc.value.__cause__, _RemoteTraceback)  # raised over there


def test_manifest_ids_are_read_as_written(tmp_path: Path) -> None:
    """Unquoted ids stay strings as written: 010 is not the octal 8, 000 is
    not a missing id, 1.10 is not 1.1; lang is lower-cased, no is Norwegian."""
    write(tmp_path / "a.txt", "Titel\n\nText über Shenzhen.")
    write(tmp_path / "b.txt", "Titel\n\nText über Shenzhen.")
    write(tmp_path / "c.txt", "Tittel\n\nTekst om Shenzhen.")
    write(tmp_path / "briefing.yaml", "articles:\n  - id: 010\n    file: a.txt\n    lang: DE\n    translations: [000]\n"
                                      "  - id: 000\n    file: b.txt\n    date: 2020-05-18\n"
                                      "  - id: 1.10\n    file: c.txt\n    lang: no\n    translations: []\n")
    c = load_corpus(tmp_path)
    by_path = {a.path: a for a in c.articles}
    assert [by_path[p].id for p in ("a.txt", "b.txt", "c.txt")] == ["010", "000", "1.10"]
    assert by_path["a.txt"].lang == "de" and by_path["c.txt"].lang == "no"
    assert by_path["a.txt"].translations == ("000",) and by_path["b.txt"].date == "2020-05-18"


@pytest.mark.parametrize(("text", "lang"), [
    ("粤港澳大湾区科技合作", "zh"),
    ("التعاون العلمي والتكنولوجي في منطقة الخليج الكبرى", "ar"),
    ("Чжуншань и Большой залив", "ru"),
    # two or three words, as a query is: fastText reads them where a character-n-gram model guessed
    ("Hafen Kooperation", "de"),
    ("ports cooperating across the bay", "en"),
    ("Trump hält Kundgebung in", "de"),
    ("Дональдом Трампом", "ru"),
    # a paragraph with line breaks (fastText reads one line) and nothing to read
    ("Die Universität\nin Shenzhen\n\nbildet Ingenieure aus.", "de"),
    ("  \n ", "und"),
])
def test_a_text_s_language_is_detected(text: str, lang: str) -> None:
    from corpus.loader import detect_language

    assert detect_language(text) == lang


def test_a_folder_without_a_manifest_reads_each_file_s_language(tmp_path: Path) -> None:
    for path in BUNDLED_DIR.glob("*.txt"):  # the bundled files, without their manifest
        write(tmp_path / path.name[:3] / "article.txt", path.read_text(encoding="utf-8"))
    corpus = load_corpus(tmp_path)
    assert {a.id.split("/")[0]: a.lang for a in corpus.articles} == {
        "000": "ar", "001": "de", "002": "zh", "003": "zh", "004": "ru"}
