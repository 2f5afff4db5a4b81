"""The recursive-descent parser of the analysts' query language (grammar in indexer/query.py).

Grammar::

    query   := or_expr EOF
    or_expr := and_expr ("OR" and_expr)*
    and_expr:= unary (["AND"] unary)*
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or_expr ")" | PHRASE | FIELD ":" (WORD | PHRASE) | WORD ["*"]

Words are normalised here with :func:`indexer.analysis.tokens` (the tokenizer both backends
share), so a :class:`Term` always holds one lower-case token and ``e-ktp`` becomes the phrase
``e ktp``. Every failure is a :class:`QuerySyntaxError` naming the offset and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from indexer.analysis import tokens
from indexer.query import (
    DATE_FIELDS, FIELDS, MATCH_ALL, DateRange, FieldIs, Not, Phrase, Prefix, Query, QuerySyntaxError, Term,
    all_of, any_of,
)

_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
_RELATIVE = re.compile(r"(\d{1,6})(m|h|d|w)")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SPECIAL = '()"'


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "-", "PHRASE", "FIELD", "WORD", "EOF"
    text: str
    pos: int
    value: str = ""  # FIELD: the raw value; PHRASE: the unquoted text
    value_pos: int = 0


def lex(query: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(Token(ch, ch, i))
            i += 1
        elif ch == '"':
            text, end = _quoted(query, i)
            out.append(Token("PHRASE", query[i:end], i, text, i + 1))
            i = end
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] not in ")":
            out.append(Token("-", ch, i))
            i += 1
        else:
            start = i
            field = _FIELD.match(query, i)
            if field:
                name, i = field.group(1), field.end()
                if i < n and query[i] == '"':
                    value, end = _quoted(query, i)
                    out.append(Token("FIELD", name, start, value, i + 1))
                    i = end
                    continue
                vstart = i
                while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                    i += 1
                out.append(Token("FIELD", name, start, query[vstart:i], vstart))
                continue
            while i < n and not query[i].isspace() and query[i] not in _SPECIAL:
                i += 1
            word = query[start:i]
            kind = word if word in ("OR", "AND", "NOT") else "WORD"
            out.append(Token(kind, word, start))
    out.append(Token("EOF", "", n))
    return out


def _quoted(query: str, start: int) -> tuple[str, int]:
    end = query.find('"', start + 1)
    if end < 0:
        raise QuerySyntaxError(query, start, "a closing '\"' for the quote opened here")
    return query[start + 1:end], end + 1


class Parser:
    def __init__(self, query: str, now: datetime, tz: tzinfo) -> None:
        self.query = query
        self.now = now
        self.tz = tz
        self.tokens = lex(query)
        self.i = 0

    def parse(self) -> Query:
        if self._peek().kind == "EOF":
            return MATCH_ALL
        result = self._or()
        token = self._peek()
        if token.kind != "EOF":
            expected = "a matching '(' before this ')'" if token.kind == ")" else "end of query"
            self._fail(token.pos, expected)
        return result

    def _peek(self) -> Token:
        return self.tokens[self.i]

    def _next(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def _fail(self, pos: int, expected: str) -> None:
        raise QuerySyntaxError(self.query, pos, expected)

    def _or(self) -> Query:
        items = [self._and()]
        while self._peek().kind == "OR":
            self._next()
            items.append(self._and())
        return any_of(*items)

    def _and(self) -> Query:
        items = [self._unary()]
        while self._peek().kind not in ("OR", ")", "EOF"):
            if self._peek().kind == "AND":
                self._next()
            items.append(self._unary())
        return all_of(*items)

    def _unary(self) -> Query:
        if self._peek().kind in ("NOT", "-"):
            self._next()
            return Not(self._unary())
        return self._primary()

    def _primary(self) -> Query:
        token = self._next()
        if token.kind == "(":
            if self._peek().kind == ")":
                self._fail(self._peek().pos, "a term inside the parentheses")
            inner = self._or()
            close = self._next()
            if close.kind != ")":
                self._fail(close.pos, f"')' to close the '(' at {token.pos}")
            return inner
        if token.kind == "PHRASE":
            return self._phrase(token.value, token.pos)
        if token.kind == "FIELD":
            return self._field(token)
        if token.kind == "WORD":
            return self._word(token)
        where = "end of query" if token.kind == "EOF" else repr(token.text)
        self._fail(token.pos, f"a word, phrase, field:value or '(' (found {where})")
        raise AssertionError  # unreachable: _fail raises

    def _phrase(self, text: str, pos: int) -> Query:
        words = tokens(text)
        if not words:
            self._fail(pos, "a phrase with at least one letter or digit")
        return Term(words[0]) if len(words) == 1 else Phrase(" ".join(words))

    def _word(self, token: Token) -> Query:
        text = token.text
        if text.endswith("*"):
            words = tokens(text[:-1])
            if len(words) != 1 or "*" in text[:-1]:
                self._fail(token.pos, "one word before '*' (a prefix like jemb*)")
            return Prefix(words[0])
        return self._phrase(text, token.pos)

    def _field(self, token: Token) -> Query:
        name, value = token.text.lower(), token.value
        if name in DATE_FIELDS:
            moment = self._moment(value, token.value_pos, end=name == "until")
            return DateRange(start=moment) if name == "since" else DateRange(end=moment)
        if name not in FIELDS:
            known = ", ".join([*FIELDS, *DATE_FIELDS])
            self._fail(token.pos, f"a known field ({known}), not {name!r}")
        if not value.strip():
            self._fail(token.value_pos, f"a value after '{name}:'")
        allowed = FIELDS[name]
        if allowed is not None:
            value = value.lower()
            if value not in allowed:
                self._fail(token.value_pos, f"one of {', '.join(sorted(allowed))} for {name}")
        return FieldIs(name, value)

    def _moment(self, value: str, pos: int, end: bool) -> datetime:
        """A relative age, a local date or an ISO datetime, as an aware datetime."""
        relative = _RELATIVE.fullmatch(value)
        try:
            if relative:
                amount, unit = int(relative.group(1)), _UNITS[relative.group(2)]
                return self.now - timedelta(**{unit: amount})
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                day = date.fromisoformat(value) + (timedelta(days=1) if end else timedelta())
                return datetime.combine(day, time(), tzinfo=self.tz)
            moment = datetime.fromisoformat(value)
            return moment if moment.utcoffset() is not None else moment.replace(tzinfo=self.tz)
        except (ValueError, OverflowError):
            self._fail(pos, "a date (2025-01-31), an ISO datetime or an age (90m, 24h, 7d, 2w)")
            raise AssertionError  # unreachable: _fail raises
