"""Write a synthetic, deterministic factcheck workspace of any size for the benchmark.

Real desks keep thousands of disputes that quote a few hundred archived documents, and
validation time depends on exactly that shape: how many claim files there are, how big
they are, how many passages each quotes, and how long the documents are. The generator
reproduces it with made-up words, so nothing real is attributed to anyone:

- ``M`` sources, each a document of about 40 sentences (4-5 KB) catalogued in
  ``seeds/sources.yaml`` with its sha256, a party and, for some, ``based_on``;
- parties on four sides plus observers recorded with ``side: none`` (outsiders, whose word
  counts when an outsider's document relays it);
- ``N`` claim files of about 1.9 KB, each with a claim and a counter-claim whose passages
  quote the documents verbatim (typographic quotes, line wrapping and elisions included),
  whose recorded corroboration is what the evidence shows and whose verdict it allows.

Every ``--broken-every``-th dispute carries one misquoted word, so a run also reports a
few FC203 findings, as a real archive would. The same arguments always give the same
bytes (``random.Random(seed)``), so a measurement can be reproduced exactly.

Usage: ``python benchmarks/generate.py DIR --disputes 10000 --sources 200``
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from factcheck.rules.independence import allowed_verdicts, corroboration_status

SIDES = {
    "north": "The government of the northern state and its institutions",
    "south": "The government of the southern state and its institutions",
    "east": "The eastern provincial authorities",
    "west": "The western coalition and its armed wing",
}
SIDE_PARTY_KINDS = (
    ("ministry", "government", "Ministry of Defence"),
    ("army", "military", "Army press office"),
    ("tv", "media", "State television"),
    ("police", "government", "Provincial police"),
)
UNALIGNED = 24
TOPICS = (
    "border-raid",
    "bomber-origin",
    "camp-strike",
    "aid-convoy",
    "dam-sabotage",
    "pass-closure",
    "envoy-talks",
    "refugee-count",
)


def words(text: str) -> tuple[str, ...]:
    """A vocabulary written as one string, for readability."""
    return tuple(text.split())


WORDS = words(
    "officials analysts border district province ministry army police convoy attack "
    "militants camp report statement investigation evidence witnesses villagers elders "
    "commander spokesman journalists briefing security operation strike raid checkpoint "
    "valley river bridge market mosque school hospital road highway crossing supply route "
    "network cell leader funding training weapons explosives vehicle motorcycle night dawn "
    "week month spring winter summer autumn morning evening capital city town village "
    "mountain pass plateau desert region frontier agreement talks ceasefire delegation "
    "mediator envoy council assembly committee inquiry tribunal court verdict sentence "
    "detainees prisoners refugees families casualties wounded survivors rescuers doctors "
    "nurses teachers students farmers traders drivers pilots engineers workers contractors "
    "satellite images photographs videos documents records logs messages calls intercepts "
    "sources accounts claims denials allegations accusations rumours findings estimates "
    "figures numbers dozens hundreds thousands several many few most some"
)
VERBS = words(
    "said confirmed denied reported claimed stated alleged insisted acknowledged "
    "suggested warned announced disclosed recalled noted argued estimated"
)
LINKS = words("that whether because although while after before since unless until")


@dataclass(frozen=True)
class Party:
    """A generated party: its id, display name, side (or none) and kind."""

    id: str
    name: str
    side: str | None
    kind: str


@dataclass
class Document:
    """A generated source document and the sentences a quote may be taken from."""

    id: str
    file: str
    party: str
    sentences: list[str]
    text: str = ""


def make_parties() -> list[Party]:
    """Four parties per side and a pool of outsiders (``side: none``) whose word counts."""
    parties = [
        Party(f"{side}-{short}", f"{label} of the {side}", side, kind)
        for side in SIDES
        for short, kind, label in SIDE_PARTY_KINDS
    ]
    kinds = ("person", "organisation", "media")
    for index in range(UNALIGNED):
        kind = kinds[index % len(kinds)]
        parties.append(Party(f"observer-{index:02d}", f"Observer {index:02d}", None, kind))
    return parties


def sentence(rng: random.Random, speaker: str) -> str:
    """One sentence of reported speech: '<speaker> said that <clause>, <link> <clause>.'"""
    first = " ".join(rng.choices(WORDS, k=rng.randint(7, 11)))
    second = " ".join(rng.choices(WORDS, k=rng.randint(6, 10)))
    verb = rng.choice(VERBS)
    link = rng.choice(LINKS)
    if rng.random() < 0.25:
        return f"{speaker} {verb} the {first} were \u201c{second}\u201d."
    if rng.random() < 0.2:
        return f"{speaker}\u2019s office {verb} that {first} \u2014 {link} {second}."
    return f"{speaker} {verb} that {first}, {link} {second}."


def make_documents(rng: random.Random, count: int, parties: list[Party]) -> list[Document]:
    """Source documents of about 40 sentences, each speaking for one party."""
    documents = []
    for index in range(count):
        party = parties[index % len(parties)]
        speakers = [p.name for p in rng.sample(parties, 4)]
        sentences = [sentence(rng, rng.choice(speakers)) for _ in range(40)]
        document = Document(f"report-{index:04d}", f"doc-{index:04d}.txt", party.id, sentences)
        paragraphs = [" ".join(sentences[at : at + 4]) for at in range(0, len(sentences), 4)]
        document.text = f"Report {index}\n\n" + "\n\n".join(paragraphs) + "\n"
        documents.append(document)
    return documents


def quote_from(rng: random.Random, document: Document, broken: bool = False) -> str:
    """A verbatim stretch of one sentence, sometimes with an elision, as a desk would type it."""
    words = document.sentences[rng.randrange(len(document.sentences))].split()
    start = rng.randint(0, max(len(words) - 12, 0))
    chosen = words[start : start + rng.randint(9, 14)]
    if len(chosen) > 10 and rng.random() < 0.15:
        chosen = [*chosen[:4], "...", *chosen[6:]]
    if broken:
        at = rng.randrange(len(chosen))
        chosen[at] = "misquoted" if chosen[at] != "misquoted" else "altered"
    text = " ".join(chosen)
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")


def block(text: str, indent: int) -> str:
    """A folded block scalar (``>-``) wrapped at 88 columns, as a desk would write it."""
    pad = " " * indent
    lines = textwrap.wrap(text, width=88 - indent, break_long_words=False)
    return ">-\n" + "\n".join(pad + line for line in lines)


def passage(rng: random.Random, documents: list[Document], indent: int, **fields: str) -> str:
    """One passage as YAML lines; ``broken`` misquotes it."""
    broken = fields.pop("broken", "") == "yes"
    document = documents[int(fields.pop("document"))]
    pad = " " * indent
    lines = [
        f"{pad}- source: {document.id}",
        f"{pad}  quote: {block(quote_from(rng, document, broken), indent + 4)}",
    ]
    lines += [f"{pad}  {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines)


def position(
    rng: random.Random,
    party: Party,
    parties: list[Party],
    documents: list[Document],
    indent: int,
    *,
    counter: bool,
    first_document: int,
    broken: bool,
) -> str:
    """One position whose recorded corroboration and verdict the evidence allows."""
    pad = " " * indent
    unaligned = [p for p in parties if p.side is None]
    outsider_ids = {p.id for p in unaligned}
    allies = [p for p in parties if p.side == party.side and p.id != party.id]
    statement = " ".join(rng.choices(WORDS, k=rng.randint(14, 20))).capitalize() + "."
    asserted = [
        passage(
            rng,
            documents,
            indent + 2,
            document=str(first_document),
            broken="yes" if broken else "",
        )
    ]
    # an outsider's word counts only when the document relaying it is an outsider's too
    relayed_by_outsiders = [
        index for index, document in enumerate(documents) if document.party in outsider_ids
    ]
    evidence = []
    supporting: set[str] = set()
    refuting: set[str] = set()
    has_context = False
    for _ in range(rng.randint(1, 2)):
        roll = rng.random()
        document = rng.randrange(len(documents))
        if roll < 0.2:
            speaker, stance = rng.choice(allies), "supports"
        else:
            speaker = rng.choice(unaligned)
            stance = "context" if roll > 0.9 else ("supports" if roll < 0.75 else "refutes")
        if stance == "context":
            has_context = True
        elif speaker.side is None:
            (supporting if stance == "supports" else refuting).add(speaker.id)
            document = rng.choice(relayed_by_outsiders)
        evidence.append(
            passage(
                rng,
                documents,
                indent + 2,
                document=str(document),
                stance=stance,
                speaker=speaker.id,
                credibility=f'"{rng.randint(1, 6)}"',
            )
        )
    status = corroboration_status(len(supporting), len(refuting), 2)
    verdicts = [
        verdict
        for verdict in allowed_verdicts(status, has_context)
        if not (counter and verdict == "supported")
    ]
    verdict = rng.choice(verdicts)
    rationale = (
        f"The evidence on file is {status}: "
        + " ".join(rng.choices(WORDS, k=rng.randint(10, 16)))
        + "."
    )
    lines = [
        f"{pad}party: {party.id}",
        f"{pad}statement: {block(statement, indent + 2)}",
        f"{pad}asserted_in:",
        *asserted,
        f"{pad}evidence:",
        *evidence,
        f"{pad}corroboration: {status}",
        f"{pad}verdict: {verdict}",
        f"{pad}rationale: {block(rationale, indent + 2)}",
    ]
    return "\n".join(lines)


def dispute(
    rng: random.Random,
    index: int,
    parties: list[Party],
    documents: list[Document],
    broken: bool,
) -> tuple[str, str]:
    """The file name and YAML text of one dispute between two sides."""
    topic = TOPICS[index % len(TOPICS)]
    side_a, side_b = rng.sample(sorted(SIDES), 2)
    claimant = rng.choice([p for p in parties if p.side == side_a])
    opponent = rng.choice([p for p in parties if p.side == side_b])
    title = f"Did the {' '.join(rng.choices(WORDS, k=6))} happen as the {side_a} says?"
    text = "\n".join(
        [
            f"# Dispute {index}: generated for the benchmark.",
            f"title: {block(title, 2)}",
            f"date: 20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"tags: [{topic}, {side_a}-{side_b}]",
            "claim:",
            position(
                rng,
                claimant,
                parties,
                documents,
                2,
                counter=False,
                first_document=index % len(documents),
                broken=broken,
            ),
            "counter_claims:",
            "  - "
            + position(
                rng,
                opponent,
                parties,
                documents,
                4,
                counter=True,
                first_document=rng.randrange(len(documents)),
                broken=False,
            ).lstrip(),
        ]
    )
    return f"{topic}-{index:06d}.yaml", text + "\n"


def parties_yaml(parties: list[Party]) -> str:
    """The parties catalogue."""
    lines = ["sides:"] + [f"  {side}: {text}" for side, text in SIDES.items()] + ["parties:"]
    for party in parties:
        lines += [f"  {party.id}:", f"    name: {party.name}"]
        lines.append(f"    side: {party.side or 'none'}")
        lines.append(f"    kind: {party.kind}")
        if party.side is None:
            lines.append("    description: An observer the desk found aligned with no side")
    return "\n".join(lines) + "\n"


def sources_yaml(rng: random.Random, documents: list[Document]) -> str:
    """The sources catalogue with each document's sha256."""
    lines = ["sources:"]
    for index, document in enumerate(documents):
        digest = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
        lines += [
            f"  {document.id}:",
            f"    file: {document.file}",
            f"    sha256: {digest}",
            f'    title: "Synthetic report {index}"',
            f"    author: Author {index % 37}",
            "    publisher: null",
            f"    published: 2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
            "    url: null",
            f"    party: {document.party}",
        ]
        if index and rng.random() < 0.1:
            lines.append(f"    based_on: [{documents[rng.randrange(index)].id}]")
        lines.append(f"    reliability: {'ABCDEF'[index % 6]}")
    return "\n".join(lines) + "\n"


SETTINGS = """\
min_independent_origins: 2
publisher:
  name: Synthetic Desk
  url: https://desk.example.org/
site_url: https://desk.example.org/checks/
"""
"""A desk that publishes: its site's dispute pages embed their ClaimReview, as a real
desk's do."""


def generate(
    root: Path, disputes: int = 10_000, sources: int = 200, broken_every: int = 250, seed: int = 1
) -> None:
    """Write the workspace into ``root`` (replacing ``claims/`` and ``seeds/`` there)."""
    rng = random.Random(seed)
    parties = make_parties()
    documents = make_documents(rng, sources, parties)
    for name in ("claims", "seeds"):
        shutil.rmtree(root / name, ignore_errors=True)
        (root / name).mkdir(parents=True)
    (root / "factcheck.yaml").write_text(SETTINGS, encoding="utf-8")
    for document in documents:
        (root / "seeds" / document.file).write_text(document.text, encoding="utf-8")
    (root / "seeds" / "parties.yaml").write_text(parties_yaml(parties), encoding="utf-8")
    (root / "seeds" / "sources.yaml").write_text(sources_yaml(rng, documents), encoding="utf-8")
    for index in range(disputes):
        broken = broken_every > 0 and index % broken_every == broken_every - 1
        name, text = dispute(rng, index, parties, documents, broken)
        (root / "claims" / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and write the workspace."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="where to write the workspace")
    parser.add_argument("--disputes", "-n", type=int, default=10_000, help="claim files (N)")
    parser.add_argument("--sources", "-m", type=int, default=200, help="source documents (M)")
    parser.add_argument(
        "--broken-every", type=int, default=250, help="misquote every k-th dispute (0: none)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    generate(args.directory, args.disputes, args.sources, args.broken_every, args.seed)
    print(f"wrote {args.disputes} disputes quoting {args.sources} sources to {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
