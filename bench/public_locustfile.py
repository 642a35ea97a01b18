"""Locust journeys of bench/public.py: anonymous citizens reading the public portal. The
councils and resolutions they read are listed by bench/public.py in PUBLIC_BENCH_IDS (a JSON
file): {"councils": [...], "resolutions": [...]}."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

IDS = json.loads(open(os.environ["PUBLIC_BENCH_IDS"]).read())  # noqa: SIM115


class Citizen(HttpUser):
    wait_time = between(1, 3)

    @task(3)
    def calendar(self) -> None:
        council = random.choice(IDS["councils"])
        self.client.get(f"/cong-khai/hdnd/{council}/", name="calendar /cong-khai/hdnd/<pk>/")

    @task(3)
    def register(self) -> None:
        council = random.choice(IDS["councils"])
        page = random.choice(["", "?page=2", "?year=2024"])
        self.client.get(
            f"/cong-khai/hdnd/{council}/nghi-quyet/{page}",
            name="register /cong-khai/hdnd/<pk>/nghi-quyet/",
        )

    @task(4)
    def resolution(self) -> None:
        pk = random.choice(IDS["resolutions"])
        self.client.get(
            f"/cong-khai/nghi-quyet/{pk}/", name="resolution /cong-khai/nghi-quyet/<pk>/"
        )
