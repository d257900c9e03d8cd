"""A realistic large archive made from CLICK-ID: its vocabulary and its names grow as a real
archive's do, its dates spread over years.

    python -m bench.gen_realistic OUT.jsonl.gz --articles N [--seed S] [--no-measure]

Replicating CLICK-ID (bench.gen_corpus) adds no word, so the term dictionary, the spelling index
and the entity facets never grow. Here:

* **Vocabulary.** Heaps' law V = K·N^β is fitted on CLICK-ID itself (N tokens, V distinct
  lowercased words, Telusur's TOKEN_PATTERN, articles in a seeded random order). Each article is
  a real one (its title, its first paragraph, its length) with some paragraphs swapped for
  paragraphs of other articles of its outlet; after each article a controller compares the
  distinct words written so far with K·N^β and, for the shortfall, rewrites real words into new
  forms of their own root with real Indonesian affixes (me-/ber-/di-/ter-/pe-/ke-/se-,
  -kan/-an/-i/-nya/-lah/-pun/-ku/-mu, reduplication), keeping only forms that Telusur's stemmer
  takes back to that root, so the stemmed field grows no more than a real archive's would. A
  new form is used again later, as new words are.
* **Names.** People (after a title such as "Gubernur", or before/after a verb of saying),
  organisations ("Kementerian X", "Partai X") and places ("Kabupaten X", "Kota X") are found
  with patterns; in each article some are replaced, consistently, by names composed from the
  parts seen (a first name of one person and a last name of another, the head of one place
  and the tail of another), new ones at first and more and more often ones composed before.
* **Dates** run from `--end` back over `--years` (by default one year per 220k articles, 1 to
  10) at CLICK-ID's volume by weekday, growing `--growth` a year, with day-to-day noise;
  articles are written in date order. **Outlets** follow CLICK-ID's shares.

Deterministic for a seed (the gzip header carries no time), streaming (only CLICK-ID and the
pools of new forms and names stay in memory). At the end it prints the fit, the vocabulary it
predicts at 22k, 220k and 2.2M articles, and (unless --no-measure) the vocabulary measured by
reading back what it wrote, which costs about as long again as writing.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import random
import re
import sys
import time
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np

from index_format.analysis import STOPWORDS, TOKEN_PATTERN, stem
from index_format.stemmer import sastrawi_words

NEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news-clickid.jsonl.gz"
# Rewrites of a real word into a new form made before, tried per article: new words recur.
REUSES = 1
# The share of an article's paragraphs (past its first) taken from other articles of its outlet.
MIX = 0.5
# Heaps' law is fitted from this many articles on (and held from there): below, the curve
# is not a power law yet.
FIT_FROM = 1000
# New words written into one article at most (~1 a article is needed at 220k, ~0.5 at 2.2M).
MAX_NEW = 10
ARTICLES_PER_YEAR = 220_000  # CLICK-ID's ~600 articles a day, from nine outlets
TOKEN = re.compile(TOKEN_PATTERN)
# CLICK-ID joins a body's paragraphs with a comma right after the sentence's end.
PARAGRAPH_BREAK = re.compile(r"(?<=[.!?\"”])\s*,(?=[\"“A-Z0-9])")
PARAGRAPH_JOIN = ","

_CAP = r"[A-Z][a-z]+"
_NAME = rf"{_CAP}(?:\s{_CAP}){{0,2}}"
_TITLES = (
    r"Presiden|Wakil Presiden|Menteri|Gubernur|Wakil Gubernur|Bupati|Wakil Bupati|Wali Kota|"
    r"Kapolri|Kapolda|Kapolres|Kapolsek|Ketua|Wakil Ketua|Direktur|Kepala|Sekretaris|Ipda|Iptu|"
    r"AKP|AKBP|Kompol|Kombes|Brigjen|Irjen|Jenderal|Kolonel|Letkol|Mayor|Prof|Dr|Ustaz|Kiai"
)
_SAYING = r"mengatakan|menjelaskan|menuturkan|menegaskan|menyatakan|mengungkapkan|menyebutkan"
PERSON = re.compile(
    rf"\b(?:{_TITLES})\s+({_NAME})|\b(?:kata|ujar|tutur|jelas)\s+({_NAME})"
    rf"|\b({_NAME}),?\s+(?:{_SAYING})\b"
)
PLACE_HEADS = (
    "Kabupaten|Kota|Provinsi|Kecamatan|Desa|Kelurahan|Polres|Polda|Polsek|Pemkab|Pemkot|"
    "Pengadilan Negeri|Kejaksaan Negeri"
)
ORG_HEADS = "Kementerian|Partai|Universitas|Dinas|Badan|Bank|PT|Komisi|Yayasan|Persatuan"
PLACE = re.compile(rf"\b({PLACE_HEADS})\s+({_NAME})")
ORG = re.compile(rf"\b({ORG_HEADS})\s+({_NAME})")

# meN-/peN- take the root's first sound (Sastrawi undoes exactly these).
_NASAL = (("bfv", "m", False), ("p", "m", True), ("dcjz", "n", False), ("t", "n", True))
_NASAL2 = (("ghaiueoq", "ng", False), ("k", "ng", True), ("s", "ny", True))
_PREFIXES = ("", "meN", "ber", "di", "ter", "peN", "ke", "se", "memper", "diper", "per")
_SUFFIXES: tuple[str, ...] = (
    "",
    "kan",
    "an",
    "i",
    "nya",
    "kannya",
    "annya",
    "inya",
    "lah",
    "kah",
    "pun",
    "ku",
)
_SUFFIXES += ("mu", "kanlah", "nyalah", "kanku", "kanmu")
PATTERNS = [(p, s) for p in _PREFIXES for s in _SUFFIXES if p or s] + [("", "-R"), ("ber", "-R")]


def _nasal(head: str, root: str) -> str:
    """me-/pe- with the nasal the root asks for: me+pukul → memukul, pe+tulis → penulis."""
    first = root[0]
    for letters, nasal, drops in (*_NASAL, *_NASAL2):
        if first in letters:
            return head + nasal + (root[1:] if drops else root)
    return head + root  # l m n r w y


def affixed(root: str, prefix: str, suffix: str) -> str:
    """One form of `root` with a prefix and a suffix of PATTERNS."""
    if suffix == "-R":
        word = f"{root}-{root}"
        suffix = ""
    else:
        word = root
    if prefix == "meN":
        word = _nasal("me", word)
    elif prefix == "peN":
        word = _nasal("pe", word)
    elif prefix in ("ber", "ter", "per") and word[0] == "r":
        word = prefix[:2] + word
    else:
        word = prefix + word
    return word + suffix


# -- Heaps' law ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeapsFit:
    k: float
    beta: float
    tokens_per_article: float
    max_residual: float  # largest |log V - log fit| over the fitted points
    from_tokens: int  # the fit's first point: below it Heaps' law is not held (nor fitted)

    def vocabulary(self, tokens: float) -> float:
        return self.k * tokens**self.beta

    def at_articles(self, articles: int) -> float:
        return self.vocabulary(articles * self.tokens_per_article)


def fit_heaps(points: list[tuple[int, int]]) -> tuple[float, float, float]:
    """K, β and the largest relative residual of V = K·N^β, least squares in log-log."""
    n = np.log([p[0] for p in points])
    v = np.log([p[1] for p in points])
    beta, log_k = np.polyfit(n, v, 1)
    residual = float(np.max(np.abs(v - (log_k + beta * n))))
    return float(math.exp(log_k)), float(beta), residual


# -- the corpus, prepared once -----------------------------------------------------------


@dataclass
class Paragraph:
    text: str  # JSON-escaped: articles are written without json.dumps (names and words need none)
    word_ids: np.ndarray  # distinct words (ids into Corpus.words)
    tokens: int
    candidates: list[str]  # lowercased words with a stemmable root, that can take affixes
    names: list[tuple[str, str]]  # (kind, name as written): kind person/place head/org head


@dataclass
class Corpus:
    records: list[dict[str, Any]]
    paragraphs: list[list[int]]  # per record: its paragraphs' indexes; [0] is the title
    units: list[Paragraph]
    words: dict[str, int]
    roots: dict[str, str]  # word → root
    fit: HeapsFit
    by_outlet: dict[str, list[int]]
    meta: list[tuple[str, str, str, str]]  # per record: URL host, URL slug, outlet, category (JSON)
    weekday_share: list[float]
    person_first: list[str] = field(default_factory=list)
    person_last: list[str] = field(default_factory=list)
    place_parts: list[str] = field(default_factory=list)
    org_tails: dict[str, list[str]] = field(default_factory=dict)


def find_names(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in PERSON.finditer(text):
        out.append(("person", m.group(1) or m.group(2) or m.group(3)))
    for rx in (PLACE, ORG):
        for m in rx.finditer(text):
            out.append((m.group(1), m.group(2)))
    return out


def _roots(words: dict[str, int], dictionary: set[str]) -> dict[str, str]:
    """word → its root, for CLICK-ID's words whose stem is a root of Sastrawi's dictionary that
    CLICK-ID also holds (a word whose stem is not in the dictionary takes no affix back)."""
    roots: dict[str, str] = {}
    for w in words:
        if len(w) >= 4 and w.isascii() and w.isalpha() and w not in STOPWORDS:
            r = stem(w)
            if len(r) >= 3 and r in dictionary and r in words:
                roots[w] = r
    return roots


def load_corpus(path: Path = NEWS, seed: int = 0) -> Corpus:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    words: dict[str, int] = {}
    units: list[Paragraph] = []
    paragraphs: list[list[int]] = []
    token_counts: list[int] = []
    article_words: list[set[str]] = []
    unit_words: list[set[str]] = []
    for rec in records:
        texts = [rec.get("title") or ""]
        texts += [p for p in PARAGRAPH_BREAK.split(rec.get("body") or "") if p.strip()]
        mine = []
        mine_words: set[str] = set()
        tokens = 0
        for text in texts:
            toks = TOKEN.findall(text.lower())
            tokens += len(toks)
            distinct = set(toks)
            mine_words |= distinct
            unit_words.append(distinct)
            ids = np.fromiter(
                (words.setdefault(w, len(words)) for w in distinct), np.int32, len(distinct)
            )
            mine.append(len(units))
            esc = json.dumps(text, ensure_ascii=False)[1:-1]
            units.append(Paragraph(esc, ids, len(toks), [], find_names(text)))
        paragraphs.append(mine)
        token_counts.append(tokens)
        article_words.append(mine_words)
    dictionary = set(sastrawi_words())
    roots = _roots(words, dictionary)
    for unit, distinct in zip(units, unit_words, strict=True):
        unit.candidates = sorted(w for w in distinct if w in roots)
    # Heaps' law on CLICK-ID in a seeded random order (the file is grouped by outlet).
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    vocabulary: set[str] = set()
    tokens = 0
    points = []
    for i, r in enumerate(order, 1):
        vocabulary |= article_words[r]
        tokens += token_counts[r]
        if i >= FIT_FROM and (i & (i - 1) == 0 or i % 1000 == 0 or i == len(order)):
            points.append((tokens, len(vocabulary)))
    k, beta, residual = fit_heaps(points)
    fit = HeapsFit(k, beta, tokens / len(records), residual, points[0][0])
    by_outlet: dict[str, list[int]] = defaultdict(list)
    weekdays: Counter[int] = Counter()
    for i, rec in enumerate(records):
        by_outlet[rec.get("outlet") or ""].append(i)
        with contextlib.suppress(ValueError):
            weekdays[date.fromisoformat((rec.get("published") or "")[:10]).weekday()] += 1
    total = sum(weekdays.values()) or 1
    meta = []
    for rec in records:
        url = rec.get("url") or ""
        host = url.split("/")[2] if url.count("/") >= 3 else "arsip.example"
        slug = json.dumps(url.rstrip("/").rsplit("/", 1)[-1], ensure_ascii=False)[1:-1]
        dump = json.dumps
        meta.append((dump(host)[1:-1], slug, dump(rec.get("outlet")), dump(rec.get("category"))))
    corpus = Corpus(
        records,
        paragraphs,
        units,
        words,
        roots,
        fit,
        dict(by_outlet),
        meta,
        [weekdays[d] / total for d in range(7)],
    )
    _name_parts(corpus, dictionary)
    return corpus


def _name_parts(corpus: Corpus, dictionary: set[str]) -> None:
    """The parts new names are made of. A person's part must not be a word of Sastrawi's
    dictionary nor part of a place or organisation: "Menteri Energi", "Wali Kota Pontianak"
    match the person patterns too."""
    first, last, places, others = set(), set(), set(), set()
    orgs: dict[str, set[str]] = defaultdict(set)
    for unit in corpus.units:
        for kind, name in unit.names:
            parts = name.split()
            if kind == "person":
                if len(parts) >= 2:
                    first.add(parts[0])
                    last.add(parts[-1])
            elif PLACE.match(f"{kind} {name}"):
                places.update(parts)
            else:
                orgs[kind].add(name)
                others.update(parts)

    def personal(part: str) -> bool:
        return part.lower() not in dictionary and part not in places and part not in others

    corpus.person_first = sorted(filter(personal, first))
    corpus.person_last = sorted(filter(personal, last))
    corpus.place_parts = sorted(places)
    corpus.org_tails = {k: sorted(v) for k, v in sorted(orgs.items())}


# -- what the generator keeps between articles -------------------------------------------


class NewForms:
    """New affixed forms of real roots, in a per-root order; each is handed out once as new and
    may then be reused."""

    def __init__(self, known: dict[str, int], rng: random.Random) -> None:
        self.known = known
        self.rng = rng
        self.cursor: dict[str, int] = {}
        self.offset: dict[str, int] = {}
        self.recent: dict[str, list[str]] = defaultdict(list)
        self.made = 0

    def new(self, root: str) -> str | None:
        if root not in self.offset:
            self.offset[root] = self.rng.randrange(len(PATTERNS))
            self.cursor[root] = 0
        while self.cursor[root] < len(PATTERNS):
            k = self.cursor[root]
            self.cursor[root] = k + 1
            prefix, suffix = PATTERNS[(self.offset[root] + k) % len(PATTERNS)]
            word = affixed(root, prefix, suffix)
            if word not in self.known and stem(word) == root:
                self.recent[root].append(word)
                self.made += 1
                return word
        return None

    def reuse(self, root: str) -> str | None:
        got = self.recent.get(root)
        return got[int(len(got) * self.rng.random() ** 2)] if got else None


class NewNames:
    """Names composed from the parts CLICK-ID holds; a name made once is reused more and more."""

    def __init__(self, corpus: Corpus, rng: random.Random) -> None:
        self.c = corpus
        self.rng = rng
        self.made: dict[str, list[str]] = defaultdict(list)
        self.distinct: set[str] = set()
        self.new_words = 0  # places written as one new word ("Tanjung" + "pinang")
        self.fresh: list[str] = []  # names made since the generator last looked

    def replacement(self, kind: str, name: str) -> str:
        pool = self.made[kind]
        # New names at first, then mostly those made before: a real archive keeps writing
        # about the same people and places, and meets new ones ever more rarely.
        fresh = 1 / (1 + len(pool) / 2000) ** 0.5
        if pool and self.rng.random() > fresh:
            return pool[int(len(pool) * self.rng.random() ** 3)]
        made = self.compose(kind, name)
        if made not in self.distinct:
            self.distinct.add(made)
            pool.append(made)
            self.fresh.append(made)
        return made

    def compose(self, kind: str, name: str) -> str:
        rng, c = self.rng, self.c
        if kind == "person":
            parts = name.split()
            middle = parts[1:-1] if len(parts) > 2 else []
            return " ".join([rng.choice(c.person_first), *middle, rng.choice(c.person_last)])
        if kind in c.org_tails:
            tails = c.org_tails[kind]
            head, tail = rng.choice(tails).split(), rng.choice(tails).split()
            return " ".join(head[:1] + tail[1:] if len(tail) > 1 else head[:1] + tail)
        one, two = rng.choice(c.place_parts), rng.choice(c.place_parts)
        if rng.random() < 0.7:
            return f"{one} {two}"
        word = one + two.lower()
        if word.lower() not in c.words and word not in self.distinct:
            self.new_words += 1
        return word


def day_counts(
    n: int, end: date, days: int, growth: float, weekday: list[float], rng: random.Random
) -> Iterator[tuple[date, int]]:
    """Articles per day over `days` days up to `end`, summing to n: CLICK-ID's weekday shares,
    growing `growth` a year, with day-to-day noise."""
    days = max(1, days)
    weights = []
    for i in range(days):
        d = end - timedelta(days=days - 1 - i)
        w = (weekday[d.weekday()] or 1 / 7) * (1 + growth) ** (i / 365.25)
        weights.append(w * math.exp(rng.gauss(0, 0.2)))
    scale = n / sum(weights)
    cum, done = 0.0, 0
    for i, w in enumerate(weights):
        cum += w * scale
        count = n - done if i == days - 1 else round(cum) - done
        done += count
        yield end - timedelta(days=days - 1 - i), count


# -- writing ----------------------------------------------------------------------------


@dataclass
class Stats:
    articles: int = 0
    tokens: int = 0
    real_words: int = 0  # distinct CLICK-ID words written (counted per paragraph on first use)
    new_words: int = 0
    reused_words: int = 0
    names_replaced: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the generating thread (compression runs beside it)


class Generator:
    def __init__(self, corpus: Corpus, seed: int) -> None:
        self.c = corpus
        self.rng = random.Random(seed)
        self.forms = NewForms(corpus.words, random.Random(seed + 1))
        self.names = NewNames(corpus, random.Random(seed + 2))
        self.seen = np.zeros(len(corpus.words), dtype=bool)
        self.used = np.zeros(len(corpus.units), dtype=bool)
        self.stats = Stats()
        outlets = sorted(corpus.by_outlet)
        self.outlets = outlets
        self.outlet_cum = list(accumulate(len(corpus.by_outlet[o]) for o in outlets))
        self.cycle: dict[str, list[int]] = {o: [] for o in outlets}
        self.seed = seed

    def _next_base(self, outlet: str) -> int:
        """The outlet's articles in turn, reshuffled at each round (the first round is
        CLICK-ID once)."""
        queue = self.cycle[outlet]
        if not queue:
            queue.extend(self.c.by_outlet[outlet])
            self.rng.shuffle(queue)
        return queue.pop()

    def article(self, i: int, day: date) -> str:
        """Article number i, published on `day`, as a JSON line."""
        c, rnd = self.c, self.rng.random
        outlet = self.outlets[bisect(self.outlet_cum, rnd() * self.outlet_cum[-1])]
        base = self._next_base(outlet)
        own = c.paragraphs[base]
        pool = c.by_outlet[outlet]
        st = self.stats
        # Paragraphs of other articles bring more new words than an article's own (another
        # topic): mix only where the curve holds (past its first point) and the vocabulary is
        # under it.
        have = st.real_words + st.new_words + self.names.new_words
        held = st.tokens >= c.fit.from_tokens
        mix = MIX if held and have < c.fit.vocabulary(st.tokens) else 0.0
        units = own[:2]
        for p in own[2:]:
            if rnd() >= mix:
                units.append(p)
            else:
                other = c.paragraphs[pool[int(rnd() * len(pool))]]
                units.append(other[1 + int(rnd() * (len(other) - 1))] if len(other) > 1 else p)
        paras = [c.units[u] for u in units]
        texts = [unit.text for unit in paras]
        used, seen = self.used, self.seen
        for u, unit in zip(units, paras, strict=True):
            st.tokens += unit.tokens
            if not used[u]:
                used[u] = True
                fresh = unit.word_ids[~seen[unit.word_ids]]
                seen[fresh] = True
                st.real_words += len(fresh)
        # New words for the shortfall against Heaps' law, then a few reuses of new words.
        short = 0
        if st.tokens >= c.fit.from_tokens:
            have = st.real_words + st.new_words + self.names.new_words
            short = int(c.fit.vocabulary(st.tokens)) - have
        for _ in range(min(short, MAX_NEW)):
            if self._mutate(paras, texts, new=True):
                st.new_words += 1
        if st.new_words:
            for _ in range(REUSES):
                if self._mutate(paras, texts, new=False):
                    st.reused_words += 1
        title = texts[0]
        body = PARAGRAPH_JOIN.join(texts[1:])
        names = {n for unit in paras for n in unit.names}
        for kind, name in names:
            if rnd() < 0.5:
                new = self.names.replacement(kind, name)
                old = name if kind == "person" else f"{kind} {name}"
                new = new if kind == "person" else f"{kind} {new}"
                if self.names.fresh:
                    self._count_words(self.names.fresh)
                title = title.replace(old, new)
                body = body.replace(old, new)
                st.names_replaced += 1
        host, slug, outlet_json, category_json = c.meta[base]
        st.articles += 1
        return (
            f'{{"id": "g{self.seed}-{i:08d}", '
            f'"url": "https://{host}/read/{day:%Y/%m/%d}/{self.seed}{i:08d}/{slug}", '
            f'"title": "{title}", "outlet": {outlet_json}, "published": "{day.isoformat()}", '
            f'"category": {category_json}, "body": "{body}"}}'
        )

    def _count_words(self, names: list[str]) -> None:
        """A new name's parts are CLICK-ID words, perhaps not written yet: count them."""
        for name in names:
            for w in TOKEN.findall(name.lower()):
                at = self.c.words.get(w)
                if at is not None and not self.seen[at]:
                    self.seen[at] = True
                    self.stats.real_words += 1
        names.clear()

    def _mutate(self, paras: list[Paragraph], texts: list[str], new: bool) -> bool:
        """Rewrite one real word of the article into a form of its root: a new one (a few
        tries), or one made before (one try: most roots have none)."""
        rnd = self.rng.random
        for _ in range(4 if new else 1):
            j = int(rnd() * len(paras))
            cands = paras[j].candidates
            if not cands:
                continue
            word = cands[int(rnd() * len(cands))]
            root = self.c.roots[word]
            form = self.forms.new(root) if new else self.forms.reuse(root)
            if form is None:
                continue
            text = texts[j]
            at = _find_word(text.lower(), word)
            if at < 0:
                continue
            texts[j] = text[:at] + form + text[at + len(word) :]
            return True
        return False


def _find_word(text: str, word: str) -> int:
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + len(word)] if at + len(word) < len(text) else " "
        if not (before.isalnum() or before in "-'’.\\") and not (after.isalnum() or after in "-'’"):
            return at
        at = text.find(word, at + 1)
    return -1


def generate(
    out: Path,
    articles: int,
    seed: int = 0,
    corpus: Corpus | None = None,
    end: date = date(2026, 10, 31),
    years: int | None = None,
    growth: float = 0.08,
    days: int | None = None,
) -> tuple[Generator, Corpus]:
    """Write `articles` realistic articles to `out` (.jsonl.gz); returns the generator (stats)."""
    corpus = corpus or load_corpus()
    gen = Generator(corpus, seed)
    if years is None:
        years = min(10, max(1, round(articles / ARTICLES_PER_YEAR)))
    t0, cpu0 = time.perf_counter(), time.thread_time()
    i = 0
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz,
        ThreadPoolExecutor(1) as pool,  # zlib lets go of the GIL: compress on the other core
    ):
        pending = None
        batch: list[str] = []
        span = days or round(365.25 * years)
        for day, count in day_counts(
            articles, end, span, growth, corpus.weekday_share, random.Random(seed + 3)
        ):
            for _ in range(count):
                batch.append(gen.article(i, day))
                i += 1
                if len(batch) == 2000:
                    if pending:
                        pending.result()
                    pending = pool.submit(gz.write, ("\n".join(batch) + "\n").encode())
                    batch = []
        if pending:
            pending.result()
        if batch:
            gz.write(("\n".join(batch) + "\n").encode())
    gen.stats.seconds = time.perf_counter() - t0
    gen.stats.cpu_seconds = time.thread_time() - cpu0
    return gen, corpus


def measure_vocabulary(path: Path) -> tuple[int, int, int]:
    """Articles, tokens and distinct lowercased words (TOKEN_PATTERN) of a JSONL archive."""
    distinct: set[str] = set()
    tokens = n = 0
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            toks = TOKEN.findall(f"{rec.get('title') or ''}\n{rec.get('body') or ''}".lower())
            tokens += len(toks)
            distinct.update(toks)
            n += 1
    return n, tokens, len(distinct)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--years", type=int, default=None, help="default: 1 per 220k, 1 to 10")
    ap.add_argument("--end", type=date.fromisoformat, default=date(2026, 10, 31))
    ap.add_argument("--days", type=int, default=None, help="the span in days (overrides --years)")
    ap.add_argument("--growth", type=float, default=0.08, help="yearly growth of the volume")
    ap.add_argument("--no-measure", action="store_true", help="do not read the output back")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    corpus = load_corpus()
    load_s = time.perf_counter() - t0
    fit = corpus.fit
    print(
        f"Heaps' law on CLICK-ID ({len(corpus.records):,} articles, "
        f"{fit.tokens_per_article:.0f} tokens each): V = {fit.k:.2f} · N^{fit.beta:.4f} "
        f"(largest residual {fit.max_residual:.1%})"
    )
    for n in (21_938, 220_000, 2_200_000):
        print(f"  predicted vocabulary at {n:>9,} articles: {fit.at_articles(n):>11,.0f}")
    gen, _ = generate(
        args.out, args.articles, args.seed, corpus, args.end, args.years, args.growth, args.days
    )
    st = gen.stats
    print(
        f"Wrote {st.articles:,} articles to {args.out} in {st.seconds:.1f} s "
        f"({st.articles / st.seconds:,.0f} articles/s; its thread's CPU "
        f"{st.cpu_seconds * 1e6 / st.articles:.0f} µs per article; loading CLICK-ID took "
        f"{load_s:.1f} s)"
    )
    print(
        f"  tokens {st.tokens:,}; vocabulary tracked "
        f"{st.real_words + st.new_words + gen.names.new_words:,} (CLICK-ID words "
        f"{st.real_words:,}, new place names {gen.names.new_words:,}, new affixed forms "
        f"{st.new_words:,}, "
        f"reused {st.reused_words:,}); fit predicts {fit.vocabulary(st.tokens):,.0f}"
    )
    print(
        f"  names replaced {st.names_replaced:,}, distinct composed names "
        f"{len(gen.names.distinct):,}"
    )
    if not args.no_measure:
        t = time.perf_counter()
        n, tokens, vocab = measure_vocabulary(args.out)
        print(
            f"  measured by reading it back: {n:,} articles, {tokens:,} tokens, vocabulary "
            f"{vocab:,} (fit {fit.vocabulary(tokens):,.0f}, "
            f"{vocab / fit.vocabulary(tokens) - 1:+.1%}; {time.perf_counter() - t:.1f} s)"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
