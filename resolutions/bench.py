"""The resolutions of the national bench (bench/national.py): about 300,000 over ten years,
90 per council, a third of them legal normative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from councilportal.web.text import search_normalise

from .demo import SUBJECTS
from .models import Field, Issuer, Kind, Resolution

FIELD_LABELS = {value: str(label) for value, label in Field.choices}


def register(generator: Callable[..., Any], bulk: Callable[..., int], rng: Any) -> None:
    @generator("resolutions")
    def make(every: list[Any], scale: float) -> int:
        if Resolution.objects.filter(council__code__startswith="N").exists():
            return 0
        per_council = max(1, round(300_000 * scale / len(every)))

        def rows() -> Iterable[Resolution]:
            for council in every:
                numbers: dict[tuple[str, str, int], int] = {}
                for _ in range(per_council):
                    year = rng.randrange(2016, 2026)
                    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
                    field, normative, subject = rng.choice(SUBJECTS)
                    kind = Kind.NORMATIVE if normative else Kind.INDIVIDUAL
                    # Only the council adopts normative resolutions (DOMAIN.md §5).
                    standing = kind == Kind.INDIVIDUAL and rng.random() < 0.05
                    issuer = Issuer.STANDING if standing else Issuer.COUNCIL
                    key = (issuer, kind, year)
                    numbers[key] = numbers.get(key, 0) + 1
                    title = subject.format(y=year, n=year + 1, b=year - 1, p=council.unit_name)
                    res = Resolution(
                        council=council,
                        issuer=issuer,
                        kind=kind,
                        number=numbers[key],
                        year=year,
                        title=title,
                        field=field,
                        adopted_on=day,
                        signed_on=day,
                        effective_from=day + dt.timedelta(days=10 if normative else 0),
                    )
                    res.search_text = search_normalise(
                        f"{res.symbol} {title} {FIELD_LABELS[field]}"
                    )
                    yield res

        return bulk(Resolution, rows())
