"""The JSON API, through Starlette's TestClient, on both job backends: the embedded pool of
processes, and RQ on a real redis-server with real `handbill worker` processes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile

import pikepdf
import pytest
import readback
from PIL import Image
from starlette.testclient import TestClient

from handbill.web.app import Settings, create_app
from handbill.web.jobs import PoolJobs, QueueJobs

from .conftest import GAZA_TITLE, wait_done

URL = "https://example.org/statements/gaza"


def _app(backend: str, request, **settings):
    settings = Settings(**{"workers": 2, **settings})
    if backend == "pool":
        jobs = PoolJobs(workers=settings.workers, ttl=settings.ttl, time_limit=settings.time_limit)
    else:
        redis_url = request.getfixturevalue("redis_url")
        request.getfixturevalue("rq_workers")
        jobs = QueueJobs(redis_url, ttl=settings.ttl, time_limit=settings.time_limit)
    return create_app(settings, jobs=jobs)


@pytest.fixture(scope="module", params=["pool", "rq"])
def client(request):
    with TestClient(_app(request.param, request)) as client:
        client.backend = request.param
        yield client


def _build(client, **data) -> dict:
    response = client.post("/api/builds", data=data)
    assert response.status_code == 202, response.text
    return wait_done(client, response.json()["url"])


def test_layouts_lists_every_bundled_layout_with_its_thumbnail(client):
    body = client.get("/api/layouts").json()
    names = [layout["name"] for layout in body["layouts"]]
    assert {"a4-leaflet", "a3-poster", "a3-placard"} <= set(names)
    assert body["kit"] == ["a4-leaflet", "a3-poster"]
    for layout in body["layouts"]:
        thumbnail = client.get(layout["thumbnail"])
        assert thumbnail.status_code == 200 and thumbnail.content.startswith(b"\x89PNG"), layout["name"]


def test_the_gaza_statement_becomes_a_kit_with_previews_and_a_zip(client, gaza_text, tmp_path):
    job = _build(client, text=gaza_text, title=GAZA_TITLE, url=URL)
    assert job["state"] == "done", job["problems"]
    assert [file["name"] for file in job["files"]] == [
        "stop-the-genocide-in-gaza-a4-leaflet.pdf", "stop-the-genocide-in-gaza-a3-poster.pdf"]
    assert not [p for p in job["problems"] if p["severity"] == "error"]
    for file in job["files"]:
        pdf = client.get(file["url"])
        assert pdf.headers["content-type"] == "application/pdf"
        path = tmp_path / file["name"]
        path.write_bytes(pdf.content)
        assert readback.page_count(path) == file["pages"] == len(file["previews"])
        assert readback.squeeze(GAZA_TITLE).casefold() in readback.squeeze(readback.text(path)).casefold()
        png = client.get(file["preview"])
        assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")
    kit = client.get(job["kit"])
    assert kit.status_code == 200
    assert kit.headers["content-disposition"] == 'attachment; filename="stop-the-genocide-in-gaza-kit.zip"'
    with zipfile.ZipFile(io.BytesIO(kit.content)) as archive:
        assert sorted(archive.namelist()) == sorted(file["name"] for file in job["files"])
        with pikepdf.open(io.BytesIO(archive.read(job["files"][0]["name"]))) as pdf:
            assert len(pdf.pages) == 1


def test_the_slogans_at_the_end_of_a_plain_text_are_its_slogans(client, gaza_text):
    job = _build(client, text=gaza_text, url=URL, layouts="a3-placard")  # no title: the first slogan is
    assert job["state"] == "done", job["problems"]
    assert job["files"][0]["name"].startswith("statement-a3-placard")
    assert job["files"][0]["pages"] == 2  # one page per slogan


def test_the_options_choose_layouts_paper_and_printer(client, gaza_text):
    job = _build(client, text=gaza_text, title=GAZA_TITLE, url=URL, layouts=["a4-leaflet-2sided"],
                 page_size="Letter", printer="photocopier")
    assert job["state"] == "done", job["problems"]
    assert job["files"][0]["name"] == "stop-the-genocide-in-gaza-a4-leaflet-2sided-Letter-office-mono.pdf"
    uncoated = _build(client, text="Meet us at the bridge at ten.", title="Homes now!", url=URL,
                      layouts="a6-handbill", stock="uncoated", marks="on")
    assert uncoated["files"][0]["name"] == "homes-now-a6-handbill-uncoated.pdf"


def test_a_statement_file_is_read_like_the_text(client):
    statement = b"---\ntitle: Homes, not rubble\nurl: https://example.org/h\n---\n\nWe meet on the bridge at ten.\n"
    response = client.post("/api/builds", files={"statement": ("river homes.md", statement, "text/markdown")},
                           data={"layouts": "a6-handbill"})
    job = wait_done(client, response.json()["url"])
    assert job["state"] == "done", job["problems"]
    assert job["files"][0]["name"] == "river-homes-a6-handbill.pdf"


def test_a_mistake_in_the_statement_is_a_failed_job_with_the_problem_beside_its_field(client):
    job = _build(client, text="Just a paragraph, with no slogan and no title.", url=URL)
    assert job["state"] == "failed" and job["files"] == []
    [problem] = job["problems"]
    assert problem["severity"] == "error" and problem["where"] == "title"
    assert "/tmp" not in problem["message"] and "--title" not in problem["message"]
    assert "Traceback" not in json.dumps(job)

    too_long = _build(client, text="\n\n".join(["Words that go on and on, " * 40] * 20), title="Long", url=URL,
                      layouts="a5-leaflet")
    assert too_long["state"] == "failed"
    assert too_long["problems"][0]["code"] == "too-long" and too_long["problems"][0]["where"] == "text"


@pytest.mark.parametrize("data, where", [
    ({"text": ""}, "text"),
    ({"text": "x", "title": "T", "layouts": "no-such-layout"}, "layouts"),
    ({"text": "x", "title": "T", "layouts": "../../../etc/passwd"}, "layouts"),
    ({"text": "x", "title": "T", "layouts": "/etc/passwd.toml"}, "layouts"),
    ({"text": "x", "title": "T", "page_size": "A99"}, "page_size"),
    ({"text": "x", "title": "T", "printer": "laser"}, "printer"),
])
def test_a_mistake_in_the_form_is_a_422_with_problems(client, data, where):
    response = client.post("/api/builds", data=data)
    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert set(problem) == {"severity", "code", "where", "message", "fix"}
    assert problem["where"] == where


def test_an_upload_over_its_limit_is_a_413_that_says_the_limit(client):
    big = b"a" * (5 * 1024 * 1024 + 10)
    response = client.post("/api/builds", files={"statement": ("s.txt", big, "text/plain")})
    assert response.status_code == 413
    assert response.json()["problems"][0]["message"] == "the statement file is 5.1 MB; the limit is 5 MB"
    pdf = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024 + 10)
    response = client.post("/api/check", files={"pdf": ("big.pdf", pdf, "application/pdf")})
    assert response.status_code == 413
    assert response.json()["problems"][0]["message"] == "the PDF is 50.1 MB; the limit is 50 MB"
    response = client.post("/api/check", files={"pdf": ("big.pdf", pdf + b"0" * 2 * 1024 * 1024, "application/pdf")})
    assert response.status_code == 413
    assert response.json()["problems"][0]["message"] == "the upload is 52.1 MB; the limit is 50 MB for the PDF"


def test_a_decompression_bomb_for_a_logo_is_a_413(client):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    response = client.post("/api/builds", data={"text": "x", "title": "T"},
                           files={"logo": ("logo.png", buffer.getvalue(), "image/png")})
    assert response.status_code == 413
    [problem] = response.json()["problems"]
    assert problem["where"] == "logo" and "megapixels" in problem["message"]
    response = client.post("/api/builds", data={"text": "x", "title": "T"},
                           files={"logo": ("logo.png", b"not an image", "image/png")})
    assert response.status_code == 422 and response.json()["problems"][0]["where"] == "logo"


def test_a_logo_is_printed(client):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "#c8102e").save(buffer, "PNG")
    response = client.post("/api/builds", data={"text": "We meet at ten.", "title": "Homes now!", "url": URL,
                                                 "organisation": "Urban Poor Alliance", "date": "2024-03-18",
                                                 "layouts": "a4-leaflet"},
                           files={"logo": ("logo.png", buffer.getvalue(), "image/png")})
    job = wait_done(client, response.json()["url"])
    assert job["state"] == "done", job["problems"]


def test_delete_forgets_a_job_at_once(client):
    job = _build(client, text="We meet at ten.", title="Homes now!", url=URL, layouts="a6-handbill")
    base = f"/api/builds/{job['id']}"
    assert client.delete(base).status_code == 204
    for url in (base, job["files"][0]["url"], job["kit"], job["files"][0]["preview"]):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["problems"][0]["code"] == "not-found"
    assert client.delete(base).status_code == 404


def test_an_unknown_id_is_a_404_with_problems(client):
    for url in ("/api/builds/nope", "/api/builds/nope/kit.zip", "/api/builds/nope/files/x.pdf", "/api/batches/nope"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["problems"][0]["code"] == "not-found"
    assert client.get("/api/nothing-here").status_code == 404


def test_job_ids_are_long_and_random(client):
    ids = {client.post("/api/builds", data={"text": "x", "title": "Homes now!", "url": URL,
                                            "layouts": "a7-handbill"}).json()["id"] for _ in range(3)}
    assert len(ids) == 3 and all(len(job_id) >= 32 for job_id in ids)


def test_check_gives_the_same_json_as_handbill_check(client, tmp_path):
    job = _build(client, text="We meet at ten.", title="Homes now!", url=URL, layouts="a6-handbill")
    pdf = tmp_path / "homes.pdf"
    pdf.write_bytes(client.get(job["files"][0]["url"]).content)
    response = client.post("/api/check", files={"pdf": ("homes.pdf", pdf.read_bytes(), "application/pdf")})
    assert response.status_code == 200, response.text
    cli = subprocess.run([sys.executable, "-m", "handbill", "check", str(pdf), "--json"],
                         capture_output=True, text=True, timeout=60)
    expected = json.loads(cli.stdout)
    got = response.json()
    assert got.pop("file") == "homes.pdf"
    expected.pop("file")
    assert got == expected
    status = client.get(f"/api/builds/{response.headers['x-handbill-job']}").json()
    assert client.get(status["files"][0]["preview"]).content.startswith(b"\x89PNG")


def test_check_of_a_bad_pdf_says_what_is_wrong(client):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(400, 400))
    page.setFillColorRGB(1, 0, 0)  # RGB, no bleed, no trim box: a print shop refuses it
    page.rect(0, 0, 400, 400, fill=1)
    page.setFont("Helvetica", 4)  # not embedded, too small
    page.drawString(20, 20, "tiny text")
    page.save()
    response = client.post("/api/check", files={"pdf": ("canva.pdf", buffer.getvalue(), "application/pdf")})
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is False and report["counts"]["error"] >= 1
    for bad in (b"not a pdf at all", b"%PDF-1.7\n1 0 obj << /Type /Catalog"):
        response = client.post("/api/check", files={"pdf": ("bad.pdf", bad, "application/pdf")})
        assert response.status_code == 422, response.text
        assert response.json()["problems"][0]["where"] == "pdf"


def test_a_batch_builds_a_kit_per_row_and_lists_bad_rows_by_line(client, gaza_text):
    events = ("name,date,time,place,note\n"
              "Manila,2024-03-18,10:00,Mendiola,bring banners\n"
              "Cebu,2024-03-18,,,\n"
              "Davao,2024-03-19,16:00,Freedom Park,\n").encode()
    response = client.post("/api/batches", data={"text": gaza_text, "title": GAZA_TITLE, "url": URL,
                                                 "layouts": "a6-handbill"},
                           files={"events": ("rallies.csv", events, "text/csv")})
    assert response.status_code == 202, response.text
    job = wait_done(client, response.json()["url"])
    assert job["state"] == "done", job["problems"]
    assert job["rows"] == 3 and job["failed_rows"] == 1
    [bad] = [p for p in job["problems"] if p["code"] == "bad-row"]
    assert bad["where"] == "line 3" and "place" in bad["message"]
    assert sorted(file["name"] for file in job["files"]) == [
        "stop-the-genocide-in-gaza-davao-a6-handbill.pdf", "stop-the-genocide-in-gaza-manila-a6-handbill.pdf"]
    with zipfile.ZipFile(io.BytesIO(client.get(job["kit"]).content)) as archive:
        assert len(archive.namelist()) == 2
    assert job["progress"] == {"done": 2, "total": 2}
    response = client.post("/api/batches", data={"text": gaza_text, "title": GAZA_TITLE})
    assert response.status_code == 422 and response.json()["problems"][0]["where"] == "events"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["backend"] == client.backend


def test_every_answer_has_the_content_security_policy(client):
    for url in ("/", "/check", "/batch", "/api/layouts", "/api/builds/x", "/static/handbill.css"):
        assert client.get(url).headers["content-security-policy"].startswith("default-src 'self'")
    assert client.get("/api/layouts").headers["cache-control"] == "no-store"


# --- time to live and time limit, in both backends ------------------------------------------

@pytest.mark.parametrize("backend", ["pool", "rq"])
def test_nothing_outlives_its_time_to_live(backend, request):
    # long enough for a cold worker on a loaded machine to finish the job inside it
    with TestClient(_app(backend, request, ttl=6)) as client:
        job = _build(client, text="We meet at ten.", title="Homes now!", url=URL, layouts="a7-handbill")
        assert job["state"] == "done", job["problems"]
        assert client.get(job["files"][0]["url"]).status_code == 200
        time.sleep(6.6)
        for url in (f"/api/builds/{job['id']}", job["files"][0]["url"], job["kit"]):
            assert client.get(url).status_code == 404, url
        if backend == "rq":  # nothing of it is left in Redis either
            import redis

            connection = redis.Redis.from_url(request.getfixturevalue("redis_url"))
            assert not [key for key in connection.scan_iter(f"*{job['id']}*")]


@pytest.mark.parametrize("backend", ["pool", "rq"])
def test_a_job_past_its_time_limit_fails_saying_so(backend, request, gaza_text):
    with TestClient(_app(backend, request, time_limit=0.01)) as client:
        job = _build(client, text=gaza_text, title=GAZA_TITLE, url=URL)
        assert job["state"] == "failed"
        [problem] = job["problems"]
        assert problem["code"] == "time-limit" and "0.01 s" in problem["message"]


def test_the_queue_never_holds_the_statement_in_what_rq_logs(request, gaza_text):
    redis_url = request.getfixturevalue("redis_url")
    jobs = QueueJobs(redis_url, ttl=60, time_limit=30)
    from rq.job import Job

    job_id = jobs.submit({"kind": "build", "text": gaza_text, "fields": {"title": GAZA_TITLE}})
    job = Job.fetch(job_id, connection=jobs._redis)
    assert job.description == "handbill job"
    jobs.delete(job_id)
    jobs.close()


def test_a_status_request_can_wait_for_the_job_to_move_on(client):
    response = client.post("/api/builds", data={"text": "We meet at ten.", "title": "Homes now!", "url": URL,
                                                "layouts": "a7-handbill"})
    url = response.json()["url"]
    for _ in range(5):  # queued -> running -> done: each answer comes when the state changes
        body = client.get(url + "?wait=10").json()
        if body["state"] == "done":
            break
    assert body["state"] == "done"
    assert client.get(url + "?wait=nonsense").json()["state"] == "done"


@pytest.mark.parametrize("front, where", [
    ("logo: /etc/hosts.png", "logo"),  # a path from the request is never opened
    ("logo: ../../../usr/share/pixmaps/debian-logo.png", "logo"),
    ("title: [unclosed", "text"),
])
def test_the_texts_own_front_matter_cannot_open_a_file_or_break_the_job(client, front, where):
    job = _build(client, text=f"---\n{front}\n---\n\nWe meet at ten.\n", title="Homes now!", url=URL,
                 layouts="a6-handbill")
    assert job["state"] == "failed"
    [problem] = job["problems"]
    assert problem["where"] == where and problem["code"] != "job-crashed", problem
    assert "the '---' lines at the top of the text" in problem["message"] and "front matter" not in problem["message"]


def test_without_javascript_a_form_leads_to_a_page_that_reloads_until_done(client):
    page = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a browser's form post asks for
    response = client.post("/api/builds", headers=page, follow_redirects=False,
                           data={"text": "We meet at ten.", "title": "Homes now!", "url": URL, "layouts": "a6-handbill"})
    assert response.status_code == 303
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        html = client.get(response.headers["location"], headers=page).text
        if 'http-equiv="refresh"' not in html:
            break
        time.sleep(0.2)
    assert "homes-now-a6-handbill.pdf" in html and "/kit.zip" in html and "<img" in html
    refused = client.post("/api/builds", headers=page, data={"text": ""})
    assert refused.status_code == 422 and "the statement is empty" in refused.text and "<html" in refused.text
    assert client.get("/jobs/no-such-job", headers=page).status_code == 404


@pytest.mark.parametrize("fields, where, code", [
    # the codes are the library's (problems.py); the field is the form's
    ({"url": "notaurl"}, "url", "url"),
    ({"url": ""}, "url", "nothing-for-block"),  # the leaflet's QR code needs one
    ({"date": "2024-13-45"}, "date", "statement"),
    ({"lang": "zz-!!"}, "lang", "statement"),
])
def test_each_fields_mistake_is_said_beside_that_field(client, fields, where, code):
    job = _build(client, text="We meet at ten.", title="Homes now!", **{"url": URL, **fields})
    assert job["state"] == "failed"
    [problem] = job["problems"]
    assert (problem["where"], problem["code"]) == (where, code), problem
    assert "--" not in problem["message"] and "/tmp" not in problem["message"]


def test_the_librarys_words_are_said_as_the_form_says_them(client, gaza_text):
    """The organiser filled in a form: no file name the page made, no "front matter", no
    "--url", no "block 10 (qr)" or "size.min"; and the too-long body names the 2-sided leaflet."""
    jobs = {
        "no url": _build(client, text=gaza_text, title=GAZA_TITLE, layouts="a4-leaflet"),
        "too long": _build(client, text=gaza_text + "\n\n" + gaza_text, title=GAZA_TITLE, url=URL, layouts="a4-leaflet"),
        "no slogans": _build(client, text="Just a paragraph.", title="Homes now", url=URL, layouts="a3-placard"),
        "no title": _build(client, text="Just a paragraph, with no slogan and no title.", url=URL),
        "bad url": _build(client, text="We meet at ten.", title="Homes now!", url="example dot org"),
        "notes": _build(client, text=gaza_text, title=GAZA_TITLE, url=URL),
    }
    for name, job in jobs.items():
        assert job["problems"], name
        for problem in job["problems"]:
            said = problem["message"] + " " + problem["fix"]
            for jargon in (".md", "front matter", "--", " block ", "size.min", "optional = true", ".txt"):
                assert jargon not in said, (name, said)
    [no_url] = jobs["no url"]["problems"]
    assert no_url["where"] == "url" and "fill in the URL field" in no_url["message"], no_url
    [too_long] = jobs["too long"]["problems"]
    assert too_long["where"] == "text" and "choose a4-leaflet-2sided" in too_long["message"], too_long
    assert "slogans field" in jobs["no slogans"]["problems"][0]["message"]
    assert jobs["no title"]["problems"][0]["where"] == "title"
    assert "in the statement has a space" in jobs["bad url"]["problems"][0]["message"]
    assert any("a4-leaflet's footer" in p["message"] for p in jobs["notes"]["problems"])


def test_a_statement_typed_or_opened_on_the_page_over_its_limit_says_its_size(client):
    """The page reads an opened file into the text box: what it sends is `text`, and the 413
    says how big it is, beside the text box."""
    response = client.post("/api/builds", data={"text": "a" * (6 * 1024 * 1024), "title": "T"})
    assert response.status_code == 413
    [problem] = response.json()["problems"]
    assert problem["where"] == "text" and problem["message"] == "the statement is 6 MB; the limit is 5 MB"


def test_a_job_deleted_while_it_runs_on_the_queue_keeps_nothing(request, gaza_text):
    """RQ's delete() does not stop a running job, and the work horse saved its result (and
    the job, with the statement) again for an hour: deleted means gone, running or not."""
    import redis

    with TestClient(_app("rq", request)) as client:
        response = client.post("/api/builds", data={"text": gaza_text, "title": GAZA_TITLE, "url": URL,
                                                    "layouts": ["a4-leaflet", "a3-poster", "a5-leaflet", "a6-handbill"]})
        job_id = response.json()["id"]
        deadline = time.monotonic() + 30
        while client.get(f"/api/builds/{job_id}").json()["state"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert client.delete(f"/api/builds/{job_id}").status_code == 204
        connection = redis.Redis.from_url(request.getfixturevalue("redis_url"))
        # from the delete on, no answer for it; when its work horse ends, nothing of the job
        # is left in Redis (before: the job, the statement in its arguments, and its PDFs,
        # saved again and served for an hour)
        while leftover := [key for key in connection.scan_iter(f"rq:*{job_id}*")]:
            assert time.monotonic() < deadline, leftover
            assert client.get(f"/api/builds/{job_id}").status_code == 404
            time.sleep(0.05)
        time.sleep(0.5)
        assert [key for key in connection.scan_iter(f"rq:*{job_id}*")] == []
        assert client.get(f"/api/builds/{job_id}").status_code == 404


@pytest.mark.parametrize("ttl, said", [(3600, "one hour"), (1800, "30 minutes"), (7200, "2 hours")])
def test_the_page_says_how_long_this_server_keeps_things(ttl, said):
    """`handbill serve --ttl 7200` keeps results two hours: the page must not promise one."""
    with TestClient(create_app(Settings(workers=1, ttl=ttl))) as client:
        page = client.get("/").text
        page = page[:page.index('<script type="application/json"')] + page[page.index("</script>") + 9:]  # not the catalogue
        assert f"Nothing you type is kept after {said}." in page
        assert f"Kept on the server for {said}, then deleted." in page
        if said != "one hour":
            assert "one hour" not in page
