"""Property-based fuzzing of every declared function, with requests built from its declaration.

For each function of the registry the request dataclass is walked (``xml(path, Kind, required=,
many=, struct=)``) and hypothesis draws bodies from it: valid values, boundary values, wrong types,
empty, missing and repeated elements, unknown elements and random unicode. Ids come from a pool
of objects seeded in the account and in a second one. Each body goes through the real app as the
account's owner, and every answer must be:

* HTTP 200, a well-formed ``<response>`` with ``status`` ok or error;
* for errors, a code the function declares, a parameter code (0009 0015 0016 0017 0019 0021) or,
  for a function without a handler, 0018;
* never the generic failure (a logged traceback answered 0103), never a word of the other
  account's data.

``PLANFIX_FUZZ_EXAMPLES`` sets the examples per function (default 20, derandomized so the normal
suite is repeatable); any other value also draws new random cases on each run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import string
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree
from starlette.testclient import TestClient

from planfix_server.api import errors
from planfix_server.api.registry import REGISTRY, MethodSpec, load_domains
from planfix_server.app import ERROR_STATUS, Answer, Server
from planfix_server.domain.tasks.periodicity import DAY_TYPES, END_TYPES, KINDS, PeriodicityKind
from planfix_server.domain.tasks.requests import EmptyElement
from planfix_server.pipeline.exchange import Exchange
from planfix_server.settings import Settings
from planfix_server.wire.fields import Bool01, Date, DateTime, Enum, Id, Int, Kind, Str, XmlField
from tests.domain.contacts.helpers import make_contact
from tests.domain.projects.helpers import make_group, make_project, make_task
from tests.domain.users.helpers import add_group
from tests.support import Api, Tenant, add_user, basic, provision

load_domains()

EXAMPLES_ENV = "PLANFIX_FUZZ_EXAMPLES"
DEFAULT_EXAMPLES = 20
EXAMPLES = int(os.environ.get(EXAMPLES_ENV, DEFAULT_EXAMPLES))
FOREIGN = "FOREIGN-CANARY"
PARAMETER_CODES = frozenset(
    cls.code for cls in errors.ERRORS_BY_CODE.values() if issubclass(cls, errors.ParameterError)
)
NOT_IMPLEMENTED = errors.NotImplementedFunction.code

FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=EXAMPLES == DEFAULT_EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# -- text ------------------------------------------------------------------------------------------

# Everything XML 1.0 can carry: no C0 controls but tab, LF, CR; no surrogates; no U+FFFE/U+FFFF.
_XML_CHARS = st.characters(
    exclude_categories=("Cs",),
    exclude_characters="".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\ufffe\uffff",
)
UNICODE = st.text(_XML_CHARS, max_size=40)
WRONG = st.sampled_from(
    [
        "",
        " ",
        "\t\n",
        "abc",
        "-1",
        "0",
        "1.5",
        "1e3",
        "0x10",
        "+7",
        " 7 ",
        "１２",  # fullwidth digits
        "٣",  # Arabic-Indic three
        "𝟘",
        "NaN",
        "null",
        "true",
        "99999999999999999999",
        "-9223372036854775809",
        "<&>\"'",
        "]]>",
        "\u202euser",
        "31-12-2030",
        "31-12-2030 23:59",
        "12:30",
    ]
)
ANY_TEXT = st.one_of(WRONG, UNICODE)
IDS_TEXT = st.sampled_from(["0", "1", "2", "3", "2147483647", "2147483648", "9223372036854775807", "-1"])


def _number(value: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(value), f" {value} ", f"+{value}" if value >= 0 else str(value)])


def _int_text(kind: Int) -> st.SearchStrategy[str]:
    edges = [0, 1, -1, 10**18 - 1, 10**18, -(10**18)]
    for bound in (kind.minimum, kind.maximum):
        if bound is not None:
            edges += [bound - 1, bound, bound + 1]
    low = kind.minimum if kind.minimum is not None else -1000
    high = kind.maximum if kind.maximum is not None else 100000
    return st.one_of(
        st.sampled_from(edges).flatmap(_number),
        st.integers(low, max(low, high)).map(str),
        ANY_TEXT,
    )


def _date_text(with_time: bool) -> st.SearchStrategy[str]:
    day = st.sampled_from([0, 1, 28, 29, 30, 31, 32])
    month = st.sampled_from([0, 1, 2, 12, 13])
    year = st.sampled_from([0, 1, 1900, 1970, 2000, 2024, 2100, 9999])
    separator = st.sampled_from(["-", ".", "/"])
    date = st.builds(lambda d, m, y, s: f"{d:02d}{s}{m:02d}{s}{y:04d}", day, month, year, separator)
    if not with_time:
        return st.one_of(date, ANY_TEXT)
    clock = st.builds(
        lambda h, m, s: f" {h:02d}:{m:02d}" + ("" if s is None else f":{s:02d}"),
        st.sampled_from([0, 12, 23, 24, 99]),
        st.sampled_from([0, 30, 59, 60]),
        st.sampled_from([None, 0, 59, 60]),
    )
    return st.one_of(st.builds(lambda d, t: d + t, date, clock), date, ANY_TEXT)


def _str_text(kind: Str) -> st.SearchStrategy[str]:
    parts: list[st.SearchStrategy[str]] = [UNICODE, WRONG]
    if kind.max_length is not None:
        size = kind.max_length
        parts.append(st.sampled_from(["x" * size, "x" * (size + 1), "𝟘" * size, "я" * (size + 1)]))
    return st.one_of(*parts)


def text_for(kind: Kind, ids: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid, boundary and wrong values for one kind (the order matters: Id is an Int)."""
    if isinstance(kind, Id):
        return st.one_of(ids, IDS_TEXT, _int_text(kind))
    if isinstance(kind, Int):
        return _int_text(kind)
    if isinstance(kind, DateTime):
        return _date_text(with_time=True)
    if isinstance(kind, Date):
        return _date_text(with_time=False)
    if isinstance(kind, Bool01):
        return st.one_of(st.sampled_from(["0", "1", "true", "false", "TRUE", " 1 ", "yes", "2"]), ANY_TEXT)
    if isinstance(kind, Enum):
        choices = list(kind.choices)
        return st.one_of(
            st.sampled_from(choices),
            st.sampled_from(choices).map(str.lower),
            st.sampled_from(choices).map(lambda c: f" {c} "),
            ANY_TEXT,
        )
    if isinstance(kind, Str):
        return _str_text(kind)
    return st.one_of(ANY_TEXT, _date_text(with_time=True), ids)


# -- trees ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    tag: str
    text: str | None = None
    children: tuple[Node, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()


# Unknown elements; the envelope's own (a <sid> switches to session mode and answers 0005) excluded.
ENVELOPE_TAGS = frozenset({"account", "sid", "signature"})
TAG = st.text(string.ascii_letters, min_size=1, max_size=8).filter(lambda tag: tag not in ENVELOPE_TAGS)
PERIODICITY_WORDS = [
    *KINDS,
    "type",
    "shift",
    "days",
    "month",
    "day",
    "dayType",
    "endCondition",
    "repeatCount",
    "date",
    "notify",
    "startDate",
    "EVERY",
    "EVERY_WORKING",
    "EXACT",
    "AFTER_COMPLETE",
    *DAY_TYPES,
    *END_TYPES,
]


def _subtree(words: Sequence[str], ids: st.SearchStrategy[str]) -> st.SearchStrategy[Node]:
    """Random small trees whose tags and texts come from ``words`` (for kinds that read children)."""
    leaf_text = st.one_of(st.sampled_from(list(words)), ids, _date_text(with_time=True), ANY_TEXT)
    leaf = st.builds(Node, st.sampled_from(list(words)), leaf_text)
    return st.recursive(
        leaf,
        lambda inner: st.builds(
            Node, st.sampled_from(list(words)), st.none(), st.lists(inner, max_size=4).map(tuple)
        ),
        max_leaves=10,
    )


def unknown_element(ids: st.SearchStrategy[str]) -> st.SearchStrategy[Node]:
    return st.builds(Node, TAG, st.one_of(st.none(), ANY_TEXT, ids))


def value_nodes(tag: str, spec: XmlField, ids: st.SearchStrategy[str]) -> st.SearchStrategy[Node]:
    """One element ``tag`` holding a value of ``spec`` (or something wrong in its place)."""
    if spec.struct is not None:
        return st.one_of(
            struct_children(spec.struct, ids).map(lambda children: Node(tag, None, tuple(children))),
            st.just(Node(tag)),
            st.builds(Node, st.just(tag), ANY_TEXT),
        )
    kind = spec.kind
    if isinstance(kind, PeriodicityKind):
        return st.one_of(
            st.builds(
                lambda children, unset: Node(tag, None, tuple(children), unset),
                st.lists(_subtree(PERIODICITY_WORDS, ids), max_size=4),
                st.sampled_from([(), (("unset", "1"),), (("unset", "0"),)]),
            ),
            st.just(Node(tag)),
        )
    if isinstance(kind, EmptyElement):
        return st.one_of(st.just(Node(tag)), st.builds(Node, st.just(tag), ANY_TEXT))
    assert kind is not None
    return st.one_of(
        st.builds(Node, st.just(tag), text_for(kind, ids)),
        st.just(Node(tag)),
        st.builds(
            Node, st.just(tag), st.none(), st.lists(unknown_element(ids), min_size=1, max_size=2).map(tuple)
        ),
    )


def _wrap(steps: Sequence[str], leaves: Sequence[Node]) -> list[Node]:
    """Put ``leaves`` (elements named steps[-1]) under the elements of the earlier steps."""
    nodes = list(leaves)
    for step in reversed(steps[:-1]):
        nodes = [Node(step, None, tuple(nodes))]
    return nodes


def field_nodes(spec: XmlField, ids: st.SearchStrategy[str]) -> st.SearchStrategy[list[Node]]:
    """The elements one field puts in its parent: absent, once, repeated; lists of 0 to 4 items."""
    steps = spec.steps
    if spec.many is not None:
        item = value_nodes(spec.many, spec, ids)
        junk = unknown_element(ids)
        container = st.lists(st.one_of(item, item, junk), max_size=4).map(
            lambda items: Node(steps[-1], None, tuple(items))
        )
        return st.one_of(
            st.just([]),
            st.lists(container, min_size=1, max_size=2).map(lambda made: _wrap(steps, made)),
        )
    single = value_nodes(steps[-1], spec, ids)
    return st.one_of(
        st.just([]),
        single.map(lambda node: _wrap(steps, [node])),
        st.lists(single, min_size=2, max_size=3).map(lambda nodes: _wrap(steps, nodes)),
    )


def struct_children(cls: type, ids: st.SearchStrategy[str]) -> st.SearchStrategy[list[Node]]:
    parts = [field_nodes(item.metadata["xml"], ids) for item in dataclasses.fields(cls)]
    extra = st.lists(unknown_element(ids), max_size=2)
    return st.tuples(*parts, extra).map(lambda groups: [node for group in groups for node in group])


def request_children(spec: MethodSpec, ids: st.SearchStrategy[str]) -> st.SearchStrategy[list[Node]]:
    if spec.request is None:
        return st.lists(
            st.one_of(unknown_element(ids), _subtree(["id", "task", "user", "project"], ids)), max_size=4
        )
    return struct_children(spec.request, ids)


def _build(parent: etree._Element, node: Node) -> None:
    """Add ``node`` (and its subtree) under ``parent``."""
    element = etree.SubElement(parent, node.tag)
    if node.text is not None:
        element.text = node.text
    for name, value in node.attributes:
        element.set(name, value)
    for child in _merged(node.children):
        _build(element, child)


def body_of(method: str, account: str, children: Sequence[Node]) -> bytes:
    root = etree.Element("request", method=method)
    etree.SubElement(root, "account").text = account
    for node in _merged(children):
        _build(root, node)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _merged(nodes: Sequence[Node]) -> list[Node]:
    """Fields sharing a path step (``task/title``, ``task/owner/id``) go into one element.

    Only the first element of a tag is merged into; it is where the decoder looks, and the
    repeated ones a field drew stay as extra siblings after it.
    """
    merged: list[Node] = []
    first: dict[str, int] = {}
    for node in nodes:
        at = first.get(node.tag)
        if at is None or node.text is not None or merged[at].text is not None or not node.children:
            if at is None:
                first[node.tag] = len(merged)
            merged.append(node)
            continue
        host = merged[at]
        merged[at] = Node(host.tag, None, tuple(_merged([*host.children, *node.children])), host.attributes)
    return merged


# -- the account and its neighbour ------------------------------------------------------------------


def seed(server: Server, tenant: Tenant, label: str) -> list[int]:
    """A few objects of each kind, so that drawn ids often name something real."""
    worker, _ = add_user(server, tenant, f"worker-{tenant.name}", name=f"{label} worker")
    project = make_project(server, tenant, f"{label} project")
    made = [
        tenant.owner_id,
        worker,
        project,
        make_group(server, tenant, f"{label} project group"),
        add_group(server, tenant, f"{label} user group", (worker,)),
        make_task(server, tenant, f"{label} task", project_id=project, people=(("worker", "user", worker),)),
    ]
    contact = make_contact(server, tenant, f"{label} contact")
    return [*made, contact.id, contact.user_id, contact.general]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # No daily quota: long runs send more requests than a plan allows.
    return settings.replace(plan_quotas={})


@dataclass
class Outcomes:
    cases: Counter[str]
    codes: Counter[str]
    runs: int = 0


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest) -> Iterator[Outcomes]:
    made = Outcomes(Counter(), Counter())
    yield made
    line = (
        f"fuzz: {sum(made.cases.values())} requests over {made.runs} runs of {len(made.cases)} functions "
        f"({EXAMPLES} examples per function per backend); answers: "
        + ", ".join(f"{code} x{count}" for code, count in made.codes.most_common())
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture is not None else contextlib.nullcontext():
        print(f"\n{line}")


class _Tracebacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(self.format(record))


FUNCTIONS = sorted(REGISTRY)


def allowed_codes(spec: MethodSpec) -> frozenset[str]:
    if not spec.implemented:
        return frozenset({NOT_IMPLEMENTED})
    return PARAMETER_CODES | set(spec.errors)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_fuzzed_requests_get_a_declared_answer(
    name: str, server: Server, client: TestClient, api: Api, outcomes: Outcomes
) -> None:
    spec = REGISTRY[name]
    own = seed(server, api.tenant, "Own")
    foreign = seed(server, provision(server, "other"), FOREIGN)
    ids = st.sampled_from(sorted({*own, *foreign})).map(str)
    answered: list[Answer] = []

    def record(_exchange: Exchange, answer: Answer) -> None:
        answered.append(answer)

    server.after_answer.append(record)
    tracebacks = _Tracebacks()
    requests_log = logging.getLogger("planfix_server.requests")
    requests_log.addHandler(tracebacks)
    authorization = basic(api.tenant.api_key, api.tenant.token)

    @FUZZ
    @given(children=request_children(spec, ids))
    def one_request(children: list[Node]) -> None:
        body = body_of(name, api.tenant.name, children)
        answered.clear()
        tracebacks.seen.clear()
        response = client.post(
            "/xml/", content=body, headers={"Authorization": authorization}, follow_redirects=False
        )
        outcomes.cases[name] += 1
        where = f"{name} {body[:2000]!r}"
        assert not tracebacks.seen, f"{where}\n" + "\n".join(tracebacks.seen)
        assert [answer.code for answer in answered if answer.code == "error"] == [], where
        if response.headers.get("content-disposition", "").startswith("attachment"):
            assert name == "file.download" and response.status_code == 200, where  # a file, not XML
            outcomes.codes["ok"] += 1
            return
        if response.status_code == 302:  # an internet file: the link, not XML
            assert name == "file.download" and response.headers.get("location"), where
            outcomes.codes["ok"] += 1
            return
        root = etree.fromstring(response.content)
        assert root.tag == "response", where
        status = root.get("status")
        assert status in {"ok", "error"}, where
        code = (root.findtext("code") or "") if status == "error" else "ok"
        # file.download answers 9001 with HTTP 403 and 9002 with HTTP 404; everything else is 200.
        assert response.status_code == ERROR_STATUS.get((name, code), 200), where
        outcomes.codes[code] += 1
        if status == "error":
            assert code in allowed_codes(spec), (
                f"{where} answered {code}, declared {sorted(allowed_codes(spec))}"
            )
        assert FOREIGN.encode() not in response.content, (
            f"{where} shows the other account: {response.content!r}"
        )

    outcomes.runs += 1
    try:
        one_request()
    finally:
        requests_log.removeHandler(tracebacks)
        server.after_answer.remove(record)
