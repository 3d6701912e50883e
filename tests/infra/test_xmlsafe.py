"""The hardened XML parser: files from outside can never make us read a file, fetch a URL or
expand entities, and every refusal is one clean line naming the file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from lxml import etree

from pipeline.formats.tmx import read_tmx
from pipeline.formats.xliff import read_xliff
from pipeline.infra import xmlsafe
from pipeline.model.errors import InputError

SECRET = "TOP-SECRET-MARKER-4711"

#: Root elements of the formats we read, so each attack is tried in each dress.
ROOTS = {
    "xliff": '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="de">'
             '<file id="f"><unit id="u"><segment><source>{body}</source></segment></unit>'
             "</file></xliff>",
    "tmx": '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
           'segtype="sentence" o-tmf="x" adminlang="en" srclang="de" datatype="plaintext"/>'
           '<body><tu><tuv xml:lang="de"><seg>{body}</seg></tuv></tu></body></tmx>',
    "tbx": '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" '
           'xml:lang="de"><text><body><conceptEntry id="c1"><langSec xml:lang="de">'
           "<termSec><term>{body}</term></termSec></langSec></conceptEntry></body></text></tbx>",
}


def _bomb(levels: int) -> tuple[str, str]:
    """The classic billion laughs: each level refers to the one below ten times."""
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return "\n".join(lines), f"&lol{levels};"


def _attacks(secret_file: Path) -> dict[str, tuple[str, str]]:
    """name → (DOCTYPE internal subset or external id, body) for a root named ROOT."""
    big_bomb, big_ref = _bomb(9)
    small_bomb, small_ref = _bomb(3)
    return {
        "xxe-passwd": ('[<!ENTITY e SYSTEM "file:///etc/passwd">]', "&e;"),
        "xxe-local": (f'[<!ENTITY e SYSTEM "{secret_file.as_uri()}">]', "&e;"),
        "xxe-parameter": ('[<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]', "x"),
        "billion-laughs": (f"[\n{big_bomb}\n]", big_ref),
        "small-laughs": (f"[\n{small_bomb}\n]", small_ref),
        "external-dtd-file": (f'SYSTEM "{secret_file.as_uri()}"', "x"),
        "external-dtd-abspath": (f'SYSTEM "{secret_file}"', "x"),
    }


class RecordingResolver(etree.Resolver):
    """Sees every external load libxml2 would make through this parser."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def resolve(self, system_url, public_id, context):
        self.calls.append(system_url)
        return None


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> RecordingResolver:
    """Every parser xmlsafe makes gets the recording resolver attached."""
    recorder = RecordingResolver()
    original = xmlsafe.make_parser

    def recording_parser() -> etree.XMLParser:
        parser = original()
        parser.resolvers.add(recorder)
        return parser

    monkeypatch.setattr(xmlsafe, "make_parser", recording_parser)
    return recorder


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def _write_attack(tmp_path: Path, fmt: str, doctype: str, body: str) -> Path:
    xml = ROOTS[fmt].format(body=body)
    path = tmp_path / f"attack.{fmt}"
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {fmt} {doctype}>\n{xml}\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("fmt", sorted(ROOTS))
@pytest.mark.parametrize("attack", sorted(_attacks(Path("/x"))))
def test_attacks_are_refused(tmp_path, secret_file, resolver, fmt, attack):
    doctype, body = _attacks(secret_file)[attack]
    path = _write_attack(tmp_path, fmt, doctype, body)
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        xmlsafe.parse_file(path)
    assert time.perf_counter() - started < 1.0
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    assert "refused" in message
    assert SECRET not in message and "root:" not in message
    assert resolver.calls == []


@pytest.mark.parametrize("doctype", [
    'SYSTEM "http://www.lisa.org/tmx/tmx14.dtd"',
    'PUBLIC "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN" '
    '"http://127.0.0.1:9/tmx14.dtd"',
])
def test_dtd_urls_of_older_tools_are_accepted_and_never_loaded(tmp_path, resolver, doctype):
    path = _write_attack(tmp_path, "tmx", doctype, "x")
    assert xmlsafe.parse_file(path).getroot() is not None
    assert resolver.calls == []


@pytest.mark.parametrize("attack", ["xxe-passwd", "xxe-local", "billion-laughs",
                                    "external-dtd-file"])
def test_readers_use_the_hardened_parser(tmp_path, secret_file, resolver, attack):
    doctype, body = _attacks(secret_file)[attack]
    for fmt, reader in (("xliff", read_xliff), ("tmx", read_tmx)):
        path = _write_attack(tmp_path, fmt, doctype, body)
        with pytest.raises(InputError, match="refused"):
            reader(path)
    assert resolver.calls == []


def test_entity_declaration_is_refused_even_when_harmless(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text('<!DOCTYPE x [<!ENTITY e "hi">]>\n<x>&e;</x>', encoding="utf-8")
    with pytest.raises(InputError, match=r"declares entities \(e\)") as caught:
        xmlsafe.parse_file(path)
    assert caught.value.line == 1


def test_bare_dtd_name_is_accepted_and_not_loaded(tmp_path, resolver):
    """TMX writers put ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">`` in every file; that must read."""
    (tmp_path / "tmx14.dtd").write_text('<!ENTITY x SYSTEM "file:///etc/passwd">')
    path = tmp_path / "ok.tmx"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE tmx PUBLIC '
                    '"-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN" '
                    '"tmx14.dtd">\n<tmx version="1.4"/>\n', encoding="utf-8")
    tree = xmlsafe.parse_file(path)
    assert tree.getroot().tag == "tmx"
    assert tree.docinfo.system_url == "tmx14.dtd"
    assert resolver.calls == []


def test_undefined_entity_from_unloaded_dtd_is_refused(tmp_path):
    path = tmp_path / "x.tmx"
    path.write_text('<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx>\n<seg>a&nbsp;b</seg></tmx>',
                    encoding="utf-8")
    with pytest.raises(InputError, match="undefined entity &nbsp;") as caught:
        xmlsafe.parse_file(path)
    assert caught.value.line == 3


@pytest.mark.parametrize(("xml", "line", "fragment"), [
    (b'<?xml version="1.0"?>\n<a>\n  <b>\n</a>\n', 4, "mismatch"),
    (b"<a>\n\n\n<b attr=unquoted/></a>", 4, "AttValue"),
    (b"<a>\n<b>x &amp y</b></a>", 2, "EntityRef"),
    (b"", 1, "empty"),
    (b"<a>\n\xff\xfe</a>", 2, "encoding"),
])
def test_malformed_xml_names_file_and_line(tmp_path, xml, line, fragment):
    path = tmp_path / "broken.xlf"
    path.write_bytes(xml)
    with pytest.raises(InputError) as caught:
        xmlsafe.parse_file(path)
    error = caught.value
    assert error.path == path
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: not well-formed XML")
    assert fragment in str(error)
    assert "\n" not in str(error)


def test_error_is_this_files_not_an_earlier_one(tmp_path):
    """lxml's exception log keeps older errors; the message must be about this file."""
    first = tmp_path / "first.xml"
    first.write_bytes(b"<a>\n<b></a>")
    second = tmp_path / "second.xml"
    second.write_bytes(b"")
    for path in (first, second):
        with pytest.raises(InputError):
            xmlsafe.parse_file(path)
    with pytest.raises(InputError, match="Document is empty"):
        xmlsafe.parse_file(second)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        xmlsafe.parse_file(tmp_path / "nope.xlf")
    with pytest.raises(InputError, match="directory"):
        xmlsafe.parse_file(tmp_path)


def test_encodings_come_from_the_declaration():
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<a>Größe</a>'.encode("utf-16")
    assert xmlsafe.parse_bytes(data, path="x.xml").getroot().text == "Größe"
    data = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>Größe</a>'.encode("latin-1")
    assert xmlsafe.parse_bytes(data, path="x.xml").getroot().text == "Größe"


def test_cdata_becomes_text():
    root = xmlsafe.parse_bytes(b"<a><![CDATA[x < y & z]]></a>", path="x.xml").getroot()
    assert root.text == "x < y & z"
