#!/usr/bin/env python3
"""Drives the web page in headless Chromium (Debian's chromium and chromium-driver, Selenium) against
a real `attache serve`: token, finder, two uploads with progress, a refused file, thumbnails drawn by
the server, image preview, a PDF's first-page preview,
description edit, delete with confirmation, deep link, the history panel, share and drop links used
from a fresh profile without a token, and a large upload that goes
through tus and survives the browser going offline in the middle (DevTools network conditions).
With ATTACHE_DATABASE_URL and ATTACHE_S3_ENDPOINT (scripts/test.sh sets both), only that large
upload, across two nodes on PostgreSQL + S3 behind a proxy: while the browser is offline, node A is
killed and the proxy sends everything to node B, where the upload resumes and completes.
Saves screenshots under test-output/.
Usage: scripts/browser-test.py [path/to/attache]
"""
import hashlib
import json
import os
import re
import time
import struct
import sys
import tempfile
import urllib.request
import zlib

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from attache_process import AttacheProcess, Checks, TCPProxy

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "attache")
OUTPUT = os.path.join(ROOT, "test-output")
checks = Checks("browser")
MINIMAL_PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 42>>stream
BT /F1 24 Tf 40 100 Td (Signed lease) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF
"""


expect = checks.expect


def png(width, height):
    raw = b"".join(b"\x00" + b"".join(bytes([(x * 7) % 256, (y * 5) % 256, 160]) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def api(base, token, method, path, body=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


def make_browser():
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def across_nodes():
    """The large upload starts on node A; while the browser is offline node A dies and the proxy (the
    load balancer) sends everything to node B, which continues the upload from the shared stores."""
    os.environ.setdefault("ATTACHE_S3_BUCKET", f"browser-{os.getpid()}")
    os.environ.setdefault("ATTACHE_S3_ACCESS_KEY_ID", "test")
    os.environ.setdefault("ATTACHE_S3_SECRET_ACCESS_KEY", "test")
    os.makedirs(OUTPUT, exist_ok=True)
    files = tempfile.mkdtemp()
    node_a, node_b = AttacheProcess(BIN), AttacheProcess(BIN)
    node_a.cli("tenant", "create", "browser", "--name", "Across nodes")
    token = node_a.cli("token", "create", "--tenant", "browser")[-1]
    admin = node_a.cli("token", "create", "--tenant", "browser", "--scope", "admin")[-1]
    def run(browser):
        with node_a, node_b:
            proxy = TCPProxy(node_a.port)
            record = api(proxy.base, token, "POST", "/v1/records", {"type": "property", "externalIdentifier": "PR-12", "title": "Keizersgracht 12"})
            browser.get(proxy.base + "/ui")

            def move_to_node_b():
                node_a.server.kill()
                node_a.server.wait()
                proxy.switch(node_b.port)
                time.sleep(1)

            resumable(browser, proxy.base, token, admin, record, os.path.join(files, "walkthrough.mp4"), while_offline=move_to_node_b)

    return drive(run, "ui-nodes-failure.png")


def drive(run, failure_screenshot):
    """Runs `run(browser)` in a new headless Chromium; a timeout is a failed check with a screenshot."""
    browser = make_browser()
    try:
        run(browser)
    except TimeoutException as error:
        expect("no timeout", False, repr(error))
        browser.save_screenshot(os.path.join(OUTPUT, failure_screenshot))
    finally:
        browser.quit()
    return checks.summary()


def main():
    if os.environ.get("ATTACHE_DATABASE_URL") and os.environ.get("ATTACHE_S3_ENDPOINT"):
        return across_nodes()
    os.makedirs(OUTPUT, exist_ok=True)
    files = tempfile.mkdtemp()
    # One-request uploads up to 1 MiB, resumable ones (the page's files of 8 MiB and more) up to 100 MiB.
    attache = AttacheProcess(BIN, serve_args=["--max-file-size", "1MiB", "--max-resumable-size", "100MiB"])
    attache.cli("tenant", "create", "acme", "--name", "Acme Estates")
    token = attache.cli("token", "create", "--tenant", "acme")[-1]
    admin = attache.cli("token", "create", "--tenant", "acme", "--scope", "admin")[-1]
    reader = attache.cli("token", "create", "--tenant", "acme", "--scope", "read")[-1]
    photo, lease, bad = (os.path.join(files, name) for name in ("living-room.png", "lease.pdf", "invoice.pdf"))
    with open(photo, "wb") as handle:
        handle.write(png(320, 200))
    with open(lease, "wb") as handle:
        handle.write(MINIMAL_PDF)
    with open(bad, "wb") as handle:
        handle.write(b"\x7fELF\x02\x01\x01" + bytes(200))

    def run(browser):
        wait = WebDriverWait(browser, 20)
        with attache:
            record = api(attache.base, token, "POST", "/v1/records", {"type": "property", "externalIdentifier": "PR-12", "title": "Keizersgracht 12"})
            scenario(browser, wait, attache.base, token, record, photo, lease, bad)
            history(browser, wait, attache.base, token, admin, record)
            sharing(browser, wait, attache.base, token, record, files)
            everyday(browser, wait, attache.base, token, admin, reader, record, files)
            resumable(browser, attache.base, token, admin, record, os.path.join(files, "walkthrough.mp4"))

    return drive(run, "ui-failure.png")


def scenario(browser, wait, base, token, record, photo, lease, bad):
    browser.get(base + "/ui")
    field = wait.until(lambda b: b.find_element(By.ID, "token-input"))
    expect("token form shown", field.is_displayed())
    field.send_keys(token, Keys.ENTER)
    wait.until(lambda b: b.find_element(By.ID, "find-view").is_displayed())
    expect("token kept in session storage", browser.execute_script("return sessionStorage.getItem('attache.token')") == token)
    expect("token not in the URL", token not in browser.current_url)
    wait.until(lambda b: "Keizersgracht 12" in b.find_element(By.ID, "recent").text)
    expect("recent records list the record", True)

    browser.find_element(By.ID, "find-by").send_keys("External identifier")
    browser.find_element(By.ID, "find-value").send_keys("PR-12", Keys.ENTER)
    wait.until(lambda b: b.find_element(By.ID, "record-view").is_displayed() and b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    expect("finder opens the record by external identifier", browser.current_url.endswith(f"/ui/records/{record['uuid']}"))

    browser.find_element(By.ID, "file-input").send_keys(f"{photo}\n{lease}")
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#files tr")) == 2)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#upload-list li.done")) == 2)
    values = [p.get_attribute("value") for p in browser.find_elements(By.CSS_SELECTOR, "#upload-list progress")]
    expect("both progress bars finished", values == ["100", "100"], values)
    details = [d.text for d in browser.find_elements(By.CSS_SELECTOR, "#upload-list .upload-detail")]
    expect("progress shows percent", all(text.startswith("100%") for text in details), details)
    names = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#files td.name")]
    expect("rows show both files", sorted(names) == ["lease.pdf", "living-room.png"], names)
    sizes = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#files td.size")]
    expect("sizes are human readable", sorted(size.split(" ")[1] for size in sizes) == ["B", "KB"], sizes)
    wait.until(lambda b: b.find_element(By.ID, "tenant-label").text.endswith("· 2 files"))
    expect("the header shows the tenant's usage", "KB" in browser.find_element(By.ID, "tenant-label").text, browser.find_element(By.ID, "tenant-label").text)

    browser.find_element(By.ID, "file-input").send_keys(bad)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#upload-list li.failed")) == 1)
    failure = browser.find_element(By.CSS_SELECTOR, "#upload-list li.failed .upload-detail").text
    expect("a disguised file shows the server's reason", "executable" in failure, failure)
    expect("other files stay listed", len(browser.find_elements(By.CSS_SELECTOR, "#files tr")) == 2)

    row = lambda name: next(r for r in browser.find_elements(By.CSS_SELECTOR, "#files tr") if r.find_element(By.CSS_SELECTOR, "td.name").text == name)
    # The server draws preview images in the background; the list shows them in place of the icons
    # once they are made (the page asks again while the server answers 202).
    thumbnail_of = lambda name: row(name).find_elements(By.CSS_SELECTOR, "td.kind img.thumbnail")
    loaded = lambda element: browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", element)
    WebDriverWait(browser, 30).until(lambda b: all(thumbnail_of(name) and loaded(thumbnail_of(name)[0]) for name in ("living-room.png", "lease.pdf")))
    photo_thumbnail = thumbnail_of("living-room.png")[0]
    expect("the photo's thumbnail is its signed small preview, 256 wide", "/thumbnail?" in photo_thumbnail.get_attribute("src")
           and "size=small" in photo_thumbnail.get_attribute("src") and loaded(photo_thumbnail) == 256, photo_thumbnail.get_attribute("src"))
    expect("the PDF's thumbnail is drawn from its first page", 0 < loaded(thumbnail_of("lease.pdf")[0]) <= 256)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", photo_thumbnail)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-thumbnails.png"))
    row("living-room.png").find_element(By.CSS_SELECTOR, "td.name button").click()
    image = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#preview[open] img"))
    wait.until(lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image) == 320)
    expect("image preview loaded through the signed stream URL", "/stream?" in image.get_attribute("src") and "signature=" in image.get_attribute("src"))
    browser.save_screenshot(os.path.join(OUTPUT, "ui-preview.png"))
    browser.find_element(By.CSS_SELECTOR, "#preview [data-close]").click()
    wait.until(lambda b: not b.find_element(By.ID, "preview").get_attribute("open"))

    row("lease.pdf").find_element(By.CSS_SELECTOR, "td.name button").click()
    page = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#preview[open] .page-preview img"))
    wait.until(lambda b: loaded(page))
    expect("a PDF opens as its first page's large preview", "size=large" in page.get_attribute("src") and loaded(page) == 1280, page.get_attribute("src"))
    browser.find_element(By.CSS_SELECTOR, "#preview [data-action=open-pdf]").click()
    frame = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#preview[open] iframe"))
    expect("the whole PDF opens on request, by the signed stream URL in a frame", "/stream?" in frame.get_attribute("src"))
    browser.find_element(By.CSS_SELECTOR, "#preview [data-close]").click()
    wait.until(lambda b: not b.find_element(By.ID, "preview").get_attribute("open"))

    row("lease.pdf").find_element(By.CSS_SELECTOR, "td.description button").click()
    editor = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "td.description input"))
    editor.send_keys("Signed lease", Keys.ENTER)
    wait.until(lambda b: "Signed lease" in row("lease.pdf").find_element(By.CSS_SELECTOR, "td.description").text)
    saved = api(base, token, "GET", f"/v1/records/{record['uuid']}/attachments")["items"]
    expect("description saved on the server", [a["description"] for a in saved if a["name"] == "lease.pdf"] == ["Signed lease"])

    row("living-room.png").find_element(By.CSS_SELECTOR, "td.actions button.danger").click()
    wait.until(lambda b: b.find_element(By.ID, "confirm").get_attribute("open"))
    browser.find_element(By.CSS_SELECTOR, "#confirm button[value=delete]").click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#files tr")) == 1)
    remaining = api(base, token, "GET", f"/v1/records/{record['uuid']}/attachments")["items"]
    expect("delete removed the file on the server", [a["name"] for a in remaining] == ["lease.pdf"])
    expect("no 'show more' button for one page", not browser.find_element(By.ID, "files-more").is_displayed())
    browser.save_screenshot(os.path.join(OUTPUT, "ui.png"))

    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12" and len(b.find_elements(By.CSS_SELECTOR, "#files tr")) == 1)
    expect("deep link opens the record", True)
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "invoice.pdf" not in entry["message"] and "415" not in entry["message"]]
    expect("no console errors (CSP violations included)", not errors, errors)


def history(browser, wait, base, token, admin, record):
    """The record's History panel: admin tokens see the trail of everything done above; others a note."""
    browser.find_element(By.CSS_SELECTOR, "#history summary").click()
    wait.until(lambda b: b.find_element(By.ID, "history-note").is_displayed())
    note = browser.find_element(By.ID, "history-note").text
    expect("a write token is told to ask an administrator for the history", "Ask yours for access" in note and "attache" not in note, note)

    browser.execute_script("sessionStorage.setItem('attache.token', arguments[0])", admin)
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    browser.find_element(By.CSS_SELECTOR, "#history summary").click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#history-list li")) >= 6)
    items = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#history-list li")]
    for label in ("Record created", "Uploaded", "Downloaded", "Attachment changed", "Attachment removed", "File deleted"):
        expect(f"history shows '{label}'", any(label in item for item in items), items)
    expect("history is newest first, ending with the record's creation", "Record created" in items[-1], items)
    expect("the preview's download is by a signed link", any("Downloaded" in item and "signed link" in item for item in items), items)
    times = [element.get_attribute("datetime") for element in browser.find_elements(By.CSS_SELECTOR, "#history-list time")]
    expect("history times are machine readable", all(time.endswith("Z") for time in times), times)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-history.png"))
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "/audit" not in entry["message"]]
    expect("no console errors in the history", not errors, errors)


def sharing(browser, wait, base, token, record, files):
    """Share and drop links from the record page, used in a fresh browser profile with no token: a
    password asked for (a wrong one, then the right one), the files and the ZIP, an expired link, a file
    dropped that appears in the record, and a revoked link that stops at once."""
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    archive = browser.find_element(By.ID, "record-download-all").get_attribute("href")
    expect("'Download all' is the record's signed ZIP", "/archive?" in archive and "signature=" in archive, archive)

    def make_link(button, password=None, limit=None):
        browser.find_element(By.ID, button).click()
        wait.until(lambda b: b.find_element(By.ID, "share").get_attribute("open"))
        if password:
            browser.find_element(By.ID, "share-password").send_keys(password)
        if limit:
            browser.find_element(By.ID, "share-limit").send_keys(str(limit))
        browser.find_element(By.CSS_SELECTOR, "#share-form button[type=submit]").click()
        wait.until(lambda b: b.find_element(By.ID, "share-made").is_displayed())
        url = browser.find_element(By.ID, "share-url").get_attribute("value")
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#share-list li")) >= 1)
        return url

    url = make_link("record-share", password="open sesame", limit=5)
    expect("the dialog shows the new link", re.fullmatch(re.escape(base) + r"/s/shr_[A-Za-z0-9_-]{32}", url) is not None, url)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-share.png"))
    browser.find_element(By.CSS_SELECTOR, "#share [data-close]").click()

    outsider = make_browser()
    try:
        look = WebDriverWait(outsider, 20)
        outsider.get(url)
        look.until(lambda b: b.find_element(By.ID, "password"))
        expect("a fresh browser has no token", outsider.execute_script("return sessionStorage.getItem('attache.token')") is None)
        outsider.find_element(By.ID, "password").send_keys("guess", Keys.ENTER)
        look.until(lambda b: b.find_elements(By.CSS_SELECTOR, "p.error"))
        expect("a wrong password is refused on the page", "not right" in outsider.find_element(By.CSS_SELECTOR, "p.error").text)
        outsider.find_element(By.ID, "password").send_keys("open sesame", Keys.ENTER)
        look.until(lambda b: b.find_elements(By.CSS_SELECTOR, "ul.files li"))
        names = [item.find_element(By.CSS_SELECTOR, ".name").text for item in outsider.find_elements(By.CSS_SELECTOR, "ul.files li")]
        expect("the right password shows the record's files", names == ["lease.pdf"], names)
        expect("the page offers the ZIP", any("archive.zip" in (a.get_attribute("href") or "") for a in outsider.find_elements(By.CSS_SELECTOR, "a.button")))
        expect("the page holds no API token", token not in outsider.page_source)
        outsider.save_screenshot(os.path.join(OUTPUT, "share-page.png"))

        soon = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
        expiring = api(base, token, "POST", f"/v1/records/{record['uuid']}/shares", {"expiresAt": soon})["url"]
        deadline = time.time() + 15
        while time.time() < deadline:
            outsider.get(expiring)
            if "does not work" in outsider.find_element(By.TAG_NAME, "h1").text:
                break
            time.sleep(0.5)
        expect("an expired link says it does not work", "does not work" in outsider.find_element(By.TAG_NAME, "h1").text)

        drop = make_link("record-request", limit=3)
        outsider.get(drop)
        chooser = look.until(lambda b: b.find_element(By.ID, "files"))
        scan = os.path.join(files, "passport-scan.pdf")
        with open(scan, "wb") as handle:
            handle.write(MINIMAL_PDF.replace(b"Signed lease", b"Passport"))
        chooser.send_keys(scan)
        outsider.find_element(By.CSS_SELECTOR, "form.drop button[type=submit]").click()
        look.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#progress li.sent"))
        expect("the drop page says the file was received", "received" in outsider.find_element(By.CSS_SELECTOR, "#progress li").text)
        left = outsider.find_element(By.ID, "files-left").text
        expect("the drop page says what the link still takes", left == "2 more files can be sent.", left)
        # A large file goes in pieces (tus through the link, no token), and counts like any other.
        video = os.path.join(files, "site-visit.mp4")
        with open(video, "wb") as handle:
            handle.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(9 * 1024 * 1024))
        outsider.find_element(By.ID, "files").send_keys(video)
        outsider.find_element(By.CSS_SELECTOR, "form.drop button[type=submit]").click()
        look.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#progress li.sent")) == 2 or b.find_elements(By.CSS_SELECTOR, "#progress li.error"))
        states = [item.text for item in outsider.find_elements(By.CSS_SELECTOR, "#progress li")]
        expect("a large file is received through the drop page, resumably", len(outsider.find_elements(By.CSS_SELECTOR, "#progress li.sent")) == 2, states)
        left = outsider.find_element(By.ID, "files-left").text
        expect("the page counts the large file too", left == "1 more file can be sent.", left)
        outsider.save_screenshot(os.path.join(OUTPUT, "drop-page.png"))
        errors = [entry for entry in outsider.get_log("browser") if entry["level"] == "SEVERE" and "/s/shr_" not in entry["message"]]
        expect("no console errors on the share pages (CSP included)", not errors, errors)
        names = [a["name"] for a in api(base, token, "GET", f"/v1/records/{record['uuid']}/attachments")["items"]]
        expect("the dropped files are in the record", "passport-scan.pdf" in names and "site-visit.mp4" in names, names)
        shares = api(base, token, "GET", f"/v1/shares?record={record['uuid']}")["items"]
        counted = [(s["filesReceived"], s["bytesReceived"]) for s in shares if s["kind"] == "upload"]
        expect("the link counted both", counted == [(2, os.path.getsize(scan) + os.path.getsize(video))], counted)
        browser.get(base + f"/ui/records/{record['uuid']}")
        wait.until(lambda b: any(cell.text == "passport-scan.pdf" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
        expect("the dropped file appears on the record page", True)

        browser.find_element(By.ID, "record-share").click()
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#share-list li button.danger"))
        browser.find_element(By.CSS_SELECTOR, "#share-list li button.danger").click()
        wait.until(lambda b: "revoked" in b.find_element(By.ID, "share-list").text)
        browser.find_element(By.CSS_SELECTOR, "#share [data-close]").click()
        outsider.get(url)
        expect("a revoked link stops at once", "does not work" in outsider.find_element(By.TAG_NAME, "h1").text)
    finally:
        outsider.quit()


def everyday(browser, wait, base, token, admin, reader, record, files):
    """What an office worker does besides: the tenant's name in the header, a file too large refused
    before it is sent, finished uploads that clear, a cancelled upload, finding by title, a new record,
    moving a file, deleting a selection, a read-only token's page, and the page in Dutch."""
    # Rows come and go while a condition reads them: a stale row is read again.
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))

    def write(name, content):
        path = os.path.join(files, name)
        with open(path, "wb") as handle:
            handle.write(content)
        return path

    def attachments(uuid):
        return api(base, token, "GET", f"/v1/records/{uuid}/attachments")["items"]

    browser.execute_script("sessionStorage.setItem('attache.token', arguments[0])", token)
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    expect("the header shows the tenant's name", browser.find_element(By.ID, "tenant-name").text == "Acme Estates", browser.find_element(By.ID, "tenant-name").text)
    expect("the drop zone states the largest file", "100 MB" in browser.find_element(By.ID, "drop-limit").text, browser.find_element(By.ID, "drop-limit").text)

    # Too large for a one-request upload: refused on the page, nothing sent.
    before = len(attachments(record["uuid"]))
    browser.find_element(By.ID, "file-input").send_keys(write("scan.pdf", b"%PDF-1.7\n" + os.urandom(2 * 1024 * 1024)))
    failed = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#upload-list li.failed .upload-detail"))
    expect("a file over the limit is refused before it is sent", "Larger than 1.0 MB" in failed.text, failed.text)
    trail = api(base, token, "GET", "/v1/me")
    expect("nothing of it reached the server", len(attachments(record["uuid"])) == before and trail["limits"]["maxFileSize"] == 1024 * 1024)

    # A finished upload leaves the list; the file is in the table.
    browser.find_element(By.ID, "file-input").send_keys(write("notes.txt", b"Meter readings: 1234\n"))
    wait.until(lambda b: any("notes.txt" in cell.text for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    WebDriverWait(browser, 15).until(lambda b: not b.find_elements(By.CSS_SELECTOR, "#upload-list li.done"))
    expect("a finished upload clears from the list", True)

    # Cancel a large upload in the middle: no file, the server's upload terminated.
    browser.set_network_conditions(offline=False, latency=5, download_throughput=50 * 1024 * 1024, upload_throughput=1024 * 1024)
    browser.find_element(By.ID, "file-input").send_keys(write("survey.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(9 * 1024 * 1024)))
    item = lambda b: next((li for li in b.find_elements(By.CSS_SELECTOR, "#upload-list li") if "survey.mp4" in li.text), None)
    wait.until(lambda b: item(b) is not None and int(item(b).find_element(By.TAG_NAME, "progress").get_attribute("value") or 0) >= 5)
    item(browser).find_element(By.TAG_NAME, "button").click()
    wait.until(lambda b: "cancelled" in (item(b).get_attribute("class") or ""))
    expect("a cancelled upload says so", "Cancelled" in item(browser).text, item(browser).text)
    browser.delete_network_conditions()
    # What the cancelled request had in flight ends on the server: no upload is in flight any more.
    in_flight = lambda: re.search(r"^attache_uploads_in_flight (\S+)$", urllib.request.urlopen(base + "/metrics", timeout=10).read().decode(), re.M)
    WebDriverWait(browser, 30).until(lambda _: (m := in_flight()) is not None and float(m.group(1)) == 0)
    expect("a cancelled upload stores nothing", not [a for a in attachments(record["uuid"]) if a["name"] == "survey.mp4"])

    # Search across the tenant's documents: the word found is marked, and the hit opens its record.
    browser.get(base + "/ui")
    wait.until(lambda b: b.find_element(By.ID, "find-view").is_displayed())
    browser.find_element(By.ID, "search-value").send_keys("NOTES", Keys.ENTER)
    hit = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "#search-results li"))
    marks = [mark.text for mark in hit.find_elements(By.CSS_SELECTOR, "mark")]
    expect("a search finds a file by a word of its name, the word marked", marks == ["notes"] and "notes.txt" in hit.text, (marks, hit.text))
    hit.find_element(By.CSS_SELECTOR, "a.hit-name").click()
    wait.until(lambda b: b.find_element(By.ID, "record-view").is_displayed() and b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    expect("a hit opens its record", True)

    # Find by title (accents and case folded), create a record, move a file to it.
    browser.get(base + "/ui")
    wait.until(lambda b: b.find_element(By.ID, "find-view").is_displayed())
    browser.find_element(By.ID, "find-value").send_keys("KEIZERS", Keys.ENTER)
    wait.until(lambda b: b.find_element(By.ID, "record-view").is_displayed() and b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    expect("the finder opens a record by the start of its title", True)
    browser.get(base + "/ui")
    wait.until(lambda b: b.find_element(By.ID, "find-view").is_displayed())
    browser.find_element(By.CSS_SELECTOR, "#create summary").click()
    browser.find_element(By.ID, "create-type").send_keys("Person")
    browser.find_element(By.ID, "create-title").send_keys("Jörg Jansen")
    browser.find_element(By.ID, "create-external").send_keys("CRM-77", Keys.ENTER)
    wait.until(lambda b: b.find_element(By.ID, "record-view").is_displayed() and b.find_element(By.ID, "record-title").text == "Jörg Jansen")
    jorg = api(base, token, "GET", "/v1/records?externalIdentifier=CRM-77")["items"]
    expect("a record is created from the page", [r["type"] for r in jorg] == ["person"], jorg)

    browser.get(base + f"/ui/records/{record['uuid']}")
    row = lambda name: next(r for r in browser.find_elements(By.CSS_SELECTOR, "#files tr") if r.find_element(By.CSS_SELECTOR, "td.name").text == name)
    wait.until(lambda b: any("notes.txt" in cell.text for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    row("notes.txt").find_element(By.CSS_SELECTOR, "button[data-action=move]").click()
    wait.until(lambda b: b.find_element(By.ID, "move").get_attribute("open"))
    browser.find_element(By.ID, "move-search").send_keys("jorg")
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#move-results button"))
    browser.find_element(By.CSS_SELECTOR, "#move-results button").click()
    wait.until(lambda b: not any("notes.txt" in cell.text for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    expect("a file moves to another record", [a["name"] for a in attachments(jorg[0]["uuid"])] == ["notes.txt"])

    # A file's versions: a second one arrives through the API, the page lists both, and restores the first.
    browser.find_element(By.ID, "file-input").send_keys(write("plan.txt", b"floor plan, first draft\n"))
    wait.until(lambda b: any(cell.text == "plan.txt" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    plan = next(a for a in attachments(record["uuid"]) if a["name"] == "plan.txt")
    head = urllib.request.urlopen(urllib.request.Request(base + f"/v1/attachments/{plan['uuid']}", headers={"Authorization": f"Bearer {token}"}), timeout=30)
    second = urllib.request.Request(
        base + f"/v1/attachments/{plan['uuid']}/versions?filename=plan.txt", data=b"floor plan, corrected\n", method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream", "If-Match": head.headers["ETag"]},
    )
    expect("a second version is stored", urllib.request.urlopen(second, timeout=30).status == 201)
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: any(cell.text == "plan.txt" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    versions_button = row("plan.txt").find_element(By.CSS_SELECTOR, "button[data-action=versions]")
    expect("the row says the file has versions", versions_button.text == "Versions (2)", versions_button.text)
    versions_button.click()
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#versions-list li[data-version]")) == 2)
    listed = [item.get_attribute("data-version") for item in browser.find_elements(By.CSS_SELECTOR, "#versions-list li[data-version]")]
    expect("the versions are listed newest first, the current one marked", listed == ["2", "1"] and "(current)" in browser.find_element(By.CSS_SELECTOR, "#versions-list li").text, listed)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-versions.png"))
    browser.find_element(By.CSS_SELECTOR, "#versions-list li[data-version='1'] button[data-action=restore]").click()
    wait.until(lambda b: not b.find_element(By.ID, "versions").get_attribute("open"))
    restored = next(a for a in attachments(record["uuid"]) if a["name"] == "plan.txt")
    content = urllib.request.urlopen(urllib.request.Request(restored["downloadUrl"]), timeout=30).read()
    expect("restoring makes the first version's content current again, as version 3", restored["version"] == 3 and content == b"floor plan, first draft\n", restored)
    wait.until(lambda b: row("plan.txt").find_element(By.CSS_SELECTOR, "button[data-action=versions]").text == "Versions (3)")

    # A file's category and tags show under its description.
    api(base, admin, "POST", "/v1/categories", {"name": "floor-plan"})
    api(base, token, "PATCH", f"/v1/attachments/{plan['uuid']}", {"category": "floor-plan", "tags": ["ground floor", "2026"]})
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: any(cell.text == "plan.txt" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    labels = [label.text for label in row("plan.txt").find_elements(By.CSS_SELECTOR, "td.description .label")]
    expect("a file's category and tags are shown", labels == ["floor-plan", "2026", "ground floor"], labels)
    # A category with a retention rule: the file says when it is deleted; a legal hold says it keeps it.
    api(base, admin, "PATCH", "/v1/categories/floor-plan", {"retention": {"days": 30, "from": "upload"}})
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: any(cell.text == "plan.txt" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    due = next(a for a in attachments(record["uuid"]) if a["name"] == "plan.txt")["deletesAt"]
    shown = browser.execute_script("return import('/ui/assets/format.js').then((format) => format.date(arguments[0]))", due)
    scheduled = [label.text for label in row("plan.txt").find_elements(By.CSS_SELECTOR, "td.description .label.retention")]
    expect("a file's scheduled deletion is shown", due is not None and scheduled == [f"Deleted on {shown}"], (due, scheduled, shown))
    api(base, token, "PATCH", f"/v1/attachments/{plan['uuid']}", {"legalHold": True})
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: any(cell.text == "plan.txt" for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    held = [label.text for label in row("plan.txt").find_elements(By.CSS_SELECTOR, "td.description .label")]
    expect("a legal hold replaces the scheduled deletion", held == ["floor-plan", "2026", "ground floor", "Legal hold"], held)
    api(base, token, "PATCH", f"/v1/attachments/{plan['uuid']}", {"legalHold": False})

    # Select several files and delete them at once.
    browser.find_element(By.ID, "file-input").send_keys(write("a.txt", b"first\n") + "\n" + write("b.txt", b"second\n"))
    wait.until(lambda b: sum(cell.text in ("a.txt", "b.txt") for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")) == 2)
    for name in ("a.txt", "b.txt"):
        row(name).find_element(By.CSS_SELECTOR, "td.pick input").click()
    expect("the selection is counted", browser.find_element(By.ID, "bulk-count").text == "2 selected", browser.find_element(By.ID, "bulk-count").text)
    browser.find_element(By.ID, "bulk-delete").click()
    wait.until(lambda b: b.find_element(By.ID, "confirm").get_attribute("open"))
    browser.find_element(By.CSS_SELECTOR, "#confirm button[value=delete]").click()
    wait.until(lambda b: not any(cell.text in ("a.txt", "b.txt") for cell in b.find_elements(By.CSS_SELECTOR, "#files td.name")))
    expect("a selection is deleted at once", not [a for a in attachments(record["uuid"]) if a["name"] in ("a.txt", "b.txt")])
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "scan.pdf" not in entry["message"]]
    expect("no console errors in everyday use", not errors, errors)

    # A read-only token sees no control that would write.
    browser.execute_script("sessionStorage.setItem('attache.token', arguments[0])", reader)
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12" and b.find_elements(By.CSS_SELECTOR, "#files tr"))
    wait.until(lambda b: b.find_element(By.ID, "read-only-note").is_displayed())
    visible = lambda selector: [node for node in browser.find_elements(By.CSS_SELECTOR, selector) if node.is_displayed()]
    expect("read-only: no drop zone", not visible("#drop-zone"))
    expect("read-only: no delete, move or edit", not visible("#files button.danger") and not visible("#files button[data-action=move]") and not visible("#files td.description button"))
    expect("read-only: downloads stay", len(visible("#files td.actions a")) >= 1)
    browser.get(base + "/ui")
    wait.until(lambda b: b.find_element(By.ID, "find-view").is_displayed())
    expect("read-only: no new record form", not visible("#create"))
    browser.save_screenshot(os.path.join(OUTPUT, "ui-read-only.png"))

    # The page in Dutch: words, dates and sizes; the choice is kept and can be undone.
    browser.execute_script("sessionStorage.setItem('attache.token', arguments[0])", token)
    browser.execute_script("localStorage.setItem('attache.language', 'nl')")
    browser.get(base + f"/ui/records/{jorg[0]['uuid']}")
    wait.until(lambda b: b.find_element(By.ID, "files-title").text == "Bestanden" and b.find_elements(By.CSS_SELECTOR, "#files tr"))
    expect("Dutch: the page says so", browser.execute_script("return document.documentElement.lang") == "nl")
    expect("Dutch: record facts", "Soort" in browser.find_element(By.ID, "record-facts").text, browser.find_element(By.ID, "record-facts").text)
    expect("Dutch: record types", "Persoon" in browser.find_element(By.ID, "record-facts").text)
    expect("Dutch: the usage", "bestanden" in browser.find_element(By.ID, "tenant-label").text, browser.find_element(By.ID, "tenant-label").text)
    dates = [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "#files td.date")]
    expect("Dutch: dates in Dutch", all("dec" in text or "jan" in text or any(m in text for m in ("feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov")) for text in dates), dates)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-nl.png"))
    browser.find_element(By.ID, "language").send_keys("English")
    wait.until(lambda b: b.find_element(By.ID, "files-title").text == "Files")
    expect("the language can be switched back", browser.execute_script("return localStorage.getItem('attache.language')") == "en")


def resumable(browser, base, token, admin, record, video, while_offline=lambda: time.sleep(2)):
    """A file above the page's threshold goes in tus chunks; offline for a while (`while_offline`), it
    waits, then resumes where the server says it is, and the stored file is the whole file."""
    content = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(24 * 1024 * 1024)
    with open(video, "wb") as handle:
        handle.write(content)
    browser.execute_script("sessionStorage.setItem('attache.token', arguments[0])", token)
    browser.get(base + f"/ui/records/{record['uuid']}")
    wait = WebDriverWait(browser, 120, poll_frequency=0.1)
    wait.until(lambda b: b.find_element(By.ID, "record-title").text == "Keizersgracht 12")
    # A slow uplink (2 MB/s), so the upload is still going when the network drops.
    browser.set_network_conditions(offline=False, latency=5, download_throughput=50 * 1024 * 1024, upload_throughput=2 * 1024 * 1024)
    browser.find_element(By.ID, "file-input").send_keys(video)
    item = lambda b: next((li for li in b.find_elements(By.CSS_SELECTOR, "#upload-list li") if "walkthrough.mp4" in li.text), None)
    wait.until(lambda b: item(b) is not None and int(item(b).find_element(By.TAG_NAME, "progress").get_attribute("value") or 0) >= 25)
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    offline = WebDriverWait(browser, 30, poll_frequency=0.1).until(lambda b: item(b).get_attribute("data-status") or None)
    expect("offline, the page says it waits for the network", "Offline" in offline or "Connection lost" in offline, offline)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-resumable-offline.png"))
    while_offline()
    browser.set_network_conditions(offline=False, latency=5, download_throughput=50 * 1024 * 1024, upload_throughput=8 * 1024 * 1024)
    wait.until(lambda b: "done" in (item(b).get_attribute("class") or "") or "failed" in (item(b).get_attribute("class") or ""))
    status = item(browser).get_attribute("data-status") or ""
    expect("back online, the upload resumes and finishes", "done" in item(browser).get_attribute("class") and status.startswith("Resumed"), status)
    browser.save_screenshot(os.path.join(OUTPUT, "ui-resumable.png"))
    browser.delete_network_conditions()
    stored = [a for a in api(base, token, "GET", f"/v1/records/{record['uuid']}/attachments")["items"] if a["name"] == "walkthrough.mp4"]
    expect("the resumed upload is one attachment with the file's SHA-256",
           [a["sha256"] for a in stored] == [hashlib.sha256(content).hexdigest()], stored)
    trail = api(base, admin, "GET", f"/v1/audit?record={record['uuid']}&action=file.upload")["items"]
    expect("it is audited as one upload", len([event for event in trail if event.get("size") == len(content)]) == 1, trail)


if __name__ == "__main__":
    sys.exit(main())
