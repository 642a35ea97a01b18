"""Locust journeys of the load test (run by bench/load.py; see its docstring).

Each simulated user logs in as one of the demo personas (CSRF token from the login form) and then,
with a pause of 1–3 s between steps like a person reading, browses register lists with filters
and pagination, opens detail pages picked from those lists, reads the dashboard for several
periods and asks for PDFs (POST to the document request URL, then polls its status the way the
page does, once a second, until it is done, then downloads the file).

Requests are grouped by page ("/resolutions/[id]/") so that the statistics are per page; the
whole PDF journey, from the request to the file being ready, is reported as "PDF request → done".
"""

from __future__ import annotations

import html
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, events, task
from locust.exception import StopUser

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOC_FORM = re.compile(
    r'action="/documents/new/".*?name="kind" value="([^"]+)".*?name="source" value="(\d+)"',
    re.S,
)
DOC_STATUS = re.compile(r'data-status="(\w+)"')
PAGE_LINK = re.compile(r'href="(\?[^"]*page=\d+[^"]*)"')
PDF_TIMEOUT = float(os.environ.get("LOAD_PDF_TIMEOUT", "180"))
# Share of detail pages on which the user also asks for one of the page's PDFs.
PDF_SHARE = float(os.environ.get("LOAD_PDF_SHARE", "0.15"))
# The leader of a national-scale province, made by load.py when the national data is there.
NATIONAL_LEADER = os.environ.get("LOAD_NATIONAL_LEADER", "")
NATIONAL_PASSWORD = os.environ.get("LOAD_NATIONAL_PASSWORD", "")

# (list URL, name in the statistics, pattern of its detail links, filter queries)
REGISTERS: dict[str, tuple[str, str, list[str]]] = {
    "resolutions": (
        "/resolutions/",
        r"/resolutions/\d+/",
        [
            "",
            "?kind=normative",
            "?status=in_force",
            "?q=ngan+sach",
            "?o=-adopted_on",
            "?year=2023",
        ],
    ),
    "submissions": ("/resolutions/submissions/", r"/resolutions/submissions/\d+/", [""]),
    "sessions": ("/sessions/", r"/sessions/\d+/", ["", "?kind=regular_end", "?year=2023"]),
    "meetings": ("/sessions/meetings/", r"/sessions/meetings/\d+/", [""]),
    "delegates": ("/delegates/", r"/delegates/\d+/", ["", "?q=nguyen+van"]),
    "agencies": ("/agencies/", r"/agencies/\d+/", [""]),
    "councils": ("/councils/", r"/councils/\d+/", ["", "?level=commune"]),
    "supervision": ("/supervision/activities/", r"/supervision/activities/\d+/", [""]),
    "supervision-recommendations": (
        "/supervision/recommendations/",
        r"/supervision/recommendations/\d+/",
        [""],
    ),
    "questioning": ("/supervision/questioning/", r"/supervision/questioning/\d+/", [""]),
    "petitions": (
        "/petitions/",
        r"/petitions/\d+/",
        ["", "?kind=complaint", "?channel=post", "?overdue=true", "?year=2024"],
    ),
    "voter-recommendations": (
        "/petitions/recommendations/",
        r"/petitions/recommendations/\d+/",
        [""],
    ),
}


def group_name(path: str) -> str:
    """ "/resolutions/123/?x=1" → "/resolutions/[id]/" (statistics per page, not per record)."""
    path = path.split("?", 1)[0]
    return re.sub(r"/\d+/", "/[id]/", path)


class Persona(HttpUser):
    """A logged-in person of the secretariat; subclasses say who and which registers."""

    abstract = True
    wait_time = between(1, 3)
    username = ""
    password = ""
    registers: tuple[str, ...] = ()
    dashboard_queries: tuple[str, ...] = ("", "?period=quarter", "?period=year")

    def on_start(self) -> None:
        self.details: dict[str, list[str]] = {}
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        if token is None:
            raise StopUser("no CSRF token on the login page")
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": self.password,
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{self.host}/login/"},
            name="/login/ (POST)",
            catch_response=True,
        ) as response:
            if "/login/" in response.url:
                response.failure(f"login refused for {self.username}")
                raise StopUser(self.username)

    # -- pages -------------------------------------------------------------------------------

    def get(self, path: str, **kwargs: Any) -> Any:
        with self.client.get(path, name=group_name(path), catch_response=True, **kwargs) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {r.error or ''}"[:300])
            elif "/login/" in r.url:
                r.failure("logged out")
            return r

    @task(5)
    def browse_list(self) -> None:
        key = random.choice(self.registers)
        url, pattern, queries = REGISTERS[key]
        response = self.get(url + random.choice(queries))
        # Follow the pagination links the page offers (a page past the last one is a 404).
        pages = PAGE_LINK.findall(response.text or "")
        if pages and random.random() < 0.4:
            response = self.get(url + html.unescape(random.choice(pages)))
        links = sorted(set(re.findall(rf'href="({pattern})"', response.text or "")))
        if links:
            self.details[key] = links

    @task(4)
    def open_detail(self) -> None:
        known = [key for key in self.registers if self.details.get(key)]
        if not known:
            self.browse_list()
            return
        key = random.choice(known)
        response = self.get(random.choice(self.details[key]))
        forms = DOC_FORM.findall(response.text or "")
        if forms and random.random() < PDF_SHARE:
            self.request_pdf(response.text, *random.choice(forms))

    @task(2)
    def dashboard(self) -> None:
        self.get("/dashboard/" + random.choice(self.dashboard_queries))

    @task(1)
    def home(self) -> None:
        self.get("/")

    # -- PDFs --------------------------------------------------------------------------------

    def request_pdf(self, page: str, kind: str, source: str) -> None:
        token = CSRF.search(page)
        if token is None:
            return
        started = time.perf_counter()
        with self.client.post(
            "/documents/new/",
            data={"kind": kind, "source": source, "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": self.host + "/"},
            name="/documents/new/ (POST)",
            catch_response=True,
        ) as response:
            found = re.search(r"/documents/(\d+)/", response.url or "")
            if response.status_code != 200 or found is None:
                response.failure(f"HTTP {response.status_code} at {response.url}")
                return
        document = found.group(1)
        status = "queued"
        while status in {"queued", "rendering"}:
            if time.perf_counter() - started > PDF_TIMEOUT:
                self.report_pdf(started, f"{kind} {document} not done in {PDF_TIMEOUT:.0f} s")
                return
            time.sleep(1)
            with self.client.get(
                f"/documents/{document}/",
                headers={"HX-Request": "true"},
                name="/documents/[id]/ (status poll)",
                catch_response=True,
            ) as poll:
                match = DOC_STATUS.search(poll.text or "")
                if poll.status_code != 200 or match is None:
                    poll.failure(f"HTTP {poll.status_code}, no status")
                    return
                status = match.group(1)
        if status != "done":
            self.report_pdf(started, f"{kind} {document} ended {status}")
            return
        self.report_pdf(started, None)
        with self.client.get(
            f"/documents/{document}/download/",
            name="/documents/[id]/download/",
            catch_response=True,
        ) as pdf:
            if pdf.status_code != 200 or not pdf.content.startswith(b"%PDF"):
                pdf.failure(f"HTTP {pdf.status_code}, not a PDF")

    def report_pdf(self, started: float, error: str | None) -> None:
        events.request.fire(
            request_type="PDF",
            name="PDF request → done",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=RuntimeError(error) if error else None,
            context={},
        )


class ProvinceClerk(Persona):
    weight = 4
    username, password = "chuyenvien.tinh", "HungYen@2026"
    registers = (
        "resolutions",
        "submissions",
        "sessions",
        "meetings",
        "delegates",
        "agencies",
        "councils",
        "supervision",
        "supervision-recommendations",
        "questioning",
        "petitions",
        "voter-recommendations",
    )


class CommuneClerk(Persona):
    weight = 2
    username, password = "chuyenvien.xa", "NghiaDan@2026"
    registers = ("resolutions", "sessions", "delegates", "petitions", "voter-recommendations")


class Leader(Persona):
    weight = 2
    username, password = "lanhdao.tinh", "LanhDao@2026"
    registers = ("resolutions", "sessions", "supervision-recommendations", "petitions")
    # A leader reads the whole province with its communes, over several periods.
    dashboard_queries = (
        "",
        "?period=quarter",
        "?period=year&below=on",
        "?period=since_liaison&below=on",
        "?period=custom&date_from=01/01/2023&date_to=31/12/2023&below=on",
    )

    @task(3)
    def dashboard(self) -> None:
        self.get("/dashboard/" + random.choice(self.dashboard_queries))


class Handler(Persona):
    weight = 1
    username, password = "xuly.donthu", "BaoMat@2026"
    registers = ("petitions", "voter-recommendations")


class NationalLeader(Persona):
    """The leader of one province of the national data (about 100 communes, ten years of
    records): the dashboard and registers at national scale. Only when load.py made the login."""

    weight = 1 if NATIONAL_LEADER else 0
    username, password = NATIONAL_LEADER, NATIONAL_PASSWORD
    registers = ("resolutions", "sessions", "petitions", "councils")
    dashboard_queries = ("", "?period=quarter", "?period=year&below=on")

    @task(3)
    def dashboard(self) -> None:
        self.get("/dashboard/" + random.choice(self.dashboard_queries))
