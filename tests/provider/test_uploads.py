"""Evidence documents: the real type is checked, files are kept outside static/ and served only within scope."""
from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.factories import sign_in_as
from tests.provider.conftest import audit_actions, count, event_form
from tracker.models import AuditEntry, EngagementEvent, EvidenceDocument
from tracker.provider import uploads
from tracker.web.extensions import db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 32
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def ooxml(main: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override PartName="/main" ContentType="{main}"/></Types>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ole(stream_name: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + stream_name.encode("utf-16-le") + b"\x00" * 100


@pytest.mark.parametrize("data, kind", [
    (PDF, "pdf"), (PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (ooxml(WORD_MAIN), "docx"),
    (ooxml(EXCEL_MAIN), "xlsx"), (ole("WordDocument"), "doc"), (ole("Workbook"), "xls"),
    (b"MZ\x90\x00" + b"\x00" * 60, None), (b"<html><script>alert(1)</script>", None), (b"", None),
    (ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"), None),
    (ooxml(WORD_MAIN, {"word/vbaProject.bin": b"macro"}), None),
    (ooxml("application/zip"), None), (b"PK\x03\x04 broken zip", None),
])
def test_the_real_type_is_read_from_the_bytes(data, kind) -> None:
    assert uploads.sniff(data) == kind


def post_with_file(client, scene, filename: str, data: bytes, **changes):
    form = event_form(**changes)
    form["evidence_file"] = (io.BytesIO(data), filename)
    return client.post(f"{scene.base}/events/new", data=form, content_type="multipart/form-data")


def stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def clean_uploads(app):
    for path in stored_files(app):
        path.unlink()
    yield
    for path in stored_files(app):
        path.unlink()


@pytest.mark.parametrize("filename, data, content_type", [
    ("minutes.pdf", PDF, "application/pdf"),
    ("notes.docx", ooxml(WORD_MAIN), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("figures.xlsx", ooxml(EXCEL_MAIN), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("old.doc", ole("WordDocument"), "application/msword"),
    ("old.xls", ole("Workbook"), "application/vnd.ms-excel"),
    ("photo.JPG", JPEG, "image/jpeg"),
    ("chart.png", PNG, "image/png"),
])
def test_an_uploaded_document_is_stored_under_a_random_name(client, scene, app, clean_uploads, filename, data,
                                                             content_type) -> None:
    sign_in_as(client, scene.user)
    assert post_with_file(client, scene, filename, data).status_code == 303
    document = db.session.scalars(sa.select(EvidenceDocument)).one()
    assert (document.filename, document.content_type, document.size_bytes) == (filename, content_type, len(data))
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.uploaded_by_id == scene.user.id
    [path] = stored_files(app)
    assert path.name == document.storage_key and len(path.name) == 48 and filename not in path.name
    assert path.read_bytes() == data
    assert "static" not in path.parts
    assert audit_actions() == ["event_recorded", "evidence_uploaded"]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "evidence_uploaded")).one()
    assert entry.after["sha256"] == document.sha256


def test_a_users_path_never_reaches_the_disk(client, scene, app, clean_uploads) -> None:
    sign_in_as(client, scene.user)
    assert post_with_file(client, scene, "../../static/evil.pdf", PDF).status_code == 303
    document = db.session.scalars(sa.select(EvidenceDocument)).one()
    assert document.filename == "static_evil.pdf"
    assert [p.name for p in stored_files(app)] == [document.storage_key]


@pytest.mark.parametrize("filename, data, message", [
    ("minutes.pdf", b"MZ\x90\x00 an executable", "The selected file is not a real PDF file"),
    ("chart.png", b"<html><script>alert(1)</script></html>", "The selected file is not a real PNG image file"),
    ("notes.docx", PDF, "The selected file is not a real Word file"),
    ("notes.docx", ooxml(WORD_MAIN, {"word/vbaProject.bin": b"macro"}), "The selected file is not a real Word file"),
    ("figures.xlsx", ooxml(WORD_MAIN), "The selected file is not a real Excel file"),
    ("old.xls", ole("WordDocument"), "The selected file is not a real Excel file"),
    ("page.html", b"<html></html>", "The selected file must be a PDF, Word, Excel, PNG, JPEG or GIF file"),
    ("setup.exe", b"MZ", "The selected file must be a PDF, Word, Excel, PNG, JPEG or GIF file"),
    ("noextension", PDF, "The selected file must be a PDF, Word, Excel, PNG, JPEG or GIF file"),
    ("empty.pdf", b"", "The selected file is empty"),
])
def test_a_disguised_or_unsupported_file_is_refused_and_nothing_is_recorded(client, scene, app, clean_uploads,
                                                                           filename, data, message) -> None:
    sign_in_as(client, scene.user)
    response = post_with_file(client, scene, filename, data, summary="Kept summary")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html and 'href="#evidence_file"' in html
    assert "Kept summary" in html and "choose the file again" in html
    assert count(EngagementEvent) == 0 and count(EvidenceDocument) == 0 and stored_files(app) == []
    assert audit_actions() == []


def test_a_file_over_the_size_limit_is_refused(client, scene, app, clean_uploads) -> None:
    sign_in_as(client, scene.user)
    too_big = PDF + b"0" * (app.config["UPLOAD_MAX_BYTES"] + 1 - len(PDF))
    # Encoded in memory: the test client would spool a body this size to a temporary file it never closes.
    form = {**event_form(), "evidence_file": FileStorage(io.BytesIO(too_big), "big.pdf")}
    boundary, body = encode_multipart(MultiDict([(k, v) for k, values in form.items()
                                                 for v in (values if isinstance(values, list) else [values])]))
    response = client.post(f"{scene.base}/events/new", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert "The selected file must be smaller than 10 MB" in response.get_data(as_text=True)
    assert count(EngagementEvent) == 0 and stored_files(app) == []


def test_a_request_over_the_server_limit_is_refused(client, scene, app, clean_uploads) -> None:
    sign_in_as(client, scene.user)
    # Sent as raw bytes: the test client would otherwise spool a multipart body this size to a temporary file.
    huge = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"{scene.base}/events/new", data=huge, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413 and "The file is too large" in response.get_data(as_text=True)
    assert count(EngagementEvent) == 0 and stored_files(app) == []


def test_a_document_can_be_added_when_changing_an_event(client, scene, app, clean_uploads) -> None:
    sign_in_as(client, scene.user)
    post_with_file(client, scene, "minutes.pdf", PDF)
    event = db.session.scalars(sa.select(EngagementEvent)).one()
    form = event_form(submission=None)
    form["evidence_file"] = (io.BytesIO(PNG), "slide.png")
    assert client.post(f"/provider/events/{event.ref}/edit", data=form,
                       content_type="multipart/form-data").status_code == 303
    assert sorted(d.filename for d in db.session.scalars(sa.select(EvidenceDocument))) == ["minutes.pdf", "slide.png"]
    assert len(stored_files(app)) == 2


@pytest.fixture
def document(client, scene, clean_uploads) -> tuple[str, int]:
    sign_in_as(client, scene.user)
    assert post_with_file(client, scene, "board minutes.pdf", PDF, others=[]).status_code == 303
    doc = db.session.scalars(sa.select(EvidenceDocument)).one()
    return doc.event.ref, doc.id


def test_the_document_is_served_as_a_download_that_never_runs(client, scene, document) -> None:
    ref, doc_id = document
    page = client.get(f"/provider/events/{ref}").get_data(as_text=True)
    assert f'/provider/events/{ref}/documents/{doc_id}' in page
    with client.get(f"/provider/events/{ref}/documents/{doc_id}") as response:
        assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "board_minutes.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("who, status", [
    ("user", 200), ("hwb_user", 200), ("assurer", 200), ("admin", 200),
    ("partner_user", 404),  # serves the same board, but the event does not name it
    ("stranger_user", 404), ("other_hwb_user", 404), ("regional", 404),
])
def test_only_those_who_may_see_the_event_get_its_document(client, scene, document, who, status) -> None:
    ref, doc_id = document
    sign_in_as(client, getattr(scene, who))
    with client.get(f"/provider/events/{ref}/documents/{doc_id}") as response:
        assert response.status_code == status


def test_a_document_cannot_be_fetched_through_another_events_address(client, scene, document) -> None:
    ref, doc_id = document
    sign_in_as(client, scene.user)
    client.post(f"{scene.base}/events/new", data=event_form(others=[]))
    other = db.session.scalars(sa.select(EngagementEvent).where(EngagementEvent.ref != ref)).one()
    assert client.get(f"/provider/events/{other.ref}/documents/{doc_id}").status_code == 404
    assert client.get(f"/provider/events/{ref}/documents/999999").status_code == 404
    sign_in_as(client, None)
    with client.get(f"/provider/events/{ref}/documents/{doc_id}") as response:
        assert response.status_code == 302
