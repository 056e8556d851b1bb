// The record files page: token, record finder and creation, file list with selection, uploads
// (cancellable, checked against the server's limits first), previews, moves and the history.
import { ApiError, api, setToken, token, upload } from "./api.js";
import { RESUMABLE_THRESHOLD, resumableUpload } from "./tus.js";
import { bytes, date, kindIcon, previewKind, speed } from "./format.js";
import { LANGUAGES, chooseLanguage, language, t, translatePage } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const views = ["token-view", "find-view", "record-view"];
const RECORD_TYPES = ["person", "organisation", "owner", "supplier", "estate_agent", "contact", "property", "opportunity", "case"];
/** How long a finished upload stays in the list. */
const FINISHED_UPLOAD_SECONDS = 4;
let recentCursor = null;
let filesCursor = null;
let currentRecord = null;
/** `GET /v1/me`: tenant, scope and upload limits; null until known. */
let caller = null;
const selected = new Map();

function show(view) {
  for (const id of views) $(id).hidden = id !== view;
  $("sign-out").hidden = view === "token-view";
  $("read-only-note").hidden = view === "token-view" || !readOnly();
  $("main").focus();
}

function readOnly() {
  return caller?.scope === "read";
}

let toastTimer;

/** Shows a short message under the header (never over the list) and reads it to assistive technology. */
function announce(message) {
  const status = $("status");
  status.textContent = message;
  status.classList.add("visible");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => status.classList.remove("visible"), 4000);
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function describe(error) {
  if (error instanceof ApiError && error.status === 401) {
    setToken(null);
    caller = null;
    route();
    return t("token.expired");
  }
  return error.message;
}

function typeLabel(type) {
  return t(`type.${type}`);
}

function recordName(record) {
  return record.title || `${typeLabel(record.type)} ${record.reference}`;
}

// MARK: Routing

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

async function route() {
  if (!token()) {
    $("tenant-name").textContent = "";
    $("tenant-label").textContent = "";
    show("token-view");
    $("token-input").focus();
    return;
  }
  if (!caller) await loadCaller();
  refreshUsage();
  const match = location.pathname.match(/^\/ui\/records\/([0-9a-fA-F-]{36})\/?$/);
  if (match) openRecord(match[1]);
  else openFinder();
}

/** Who the token speaks for: the header shows the tenant's name; a read-only token sees no controls that write. */
async function loadCaller() {
  try {
    caller = await api("GET", "/me");
  } catch (error) {
    caller = null;
    announce(describe(error));
    return;
  }
  $("tenant-name").textContent = caller.tenant.name;
  document.body.classList.toggle("read-only", readOnly());
  for (const node of document.querySelectorAll("[data-writes]")) node.hidden = readOnly();
  $("drop-limit").textContent = t("drop.limit", { size: bytes(largestFile(Infinity)) });
}

/** The largest file the server takes on the path a file of `size` bytes would take (resumable from
 * 8 MiB on); with no size, the largest on any path. */
function largestFile(size) {
  if (!caller) return Infinity;
  const { maxFileSize, maxResumableSize } = caller.limits;
  if (size === Infinity) return Math.max(maxFileSize, maxResumableSize);
  return size >= RESUMABLE_THRESHOLD ? maxResumableSize : maxFileSize;
}

/** Shows what the tenant stores, beside its quota, in the header. */
async function refreshUsage() {
  try {
    const usage = await api("GET", "/usage");
    const stored = usage.maxBytes === null ? t("usage.stored", { stored: bytes(usage.bytes) }) : t("usage.storedOf", { stored: bytes(usage.bytes), max: bytes(usage.maxBytes) });
    const files = usage.maxFiles === null ? t("usage.files", { count: usage.files }) : t("usage.filesOf", { count: usage.files, max: usage.maxFiles });
    $("tenant-label").textContent = `${stored} · ${files}`;
  } catch {
    $("tenant-label").textContent = "";
  }
}

// MARK: Token

$("token-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  setToken($("token-input").value.trim());
  try {
    await api("GET", "/records?limit=1");
    $("token-input").value = "";
    $("token-error").textContent = "";
    caller = null;
    route();
  } catch (error) {
    setToken(null);
    $("token-error").textContent = error instanceof ApiError && error.status === 401 ? t("token.invalid") : error.message;
  }
});

$("sign-out").addEventListener("click", () => {
  setToken(null);
  caller = null;
  navigate("/ui");
});

// MARK: Finder and new records

async function openFinder() {
  show("find-view");
  $("recent").replaceChildren();
  $("matches").hidden = true;
  recentCursor = null;
  await loadRecent();
}

function recordItem(record) {
  const item = element("li");
  const link = element("a", { href: `/ui/records/${record.uuid}`, "data-nav": "" }, recordName(record));
  const facts = [typeLabel(record.type), t("record.ref", { reference: record.reference }), record.externalIdentifier].filter(Boolean);
  item.append(link, element("span", { class: "muted" }, ` ${facts.join(" · ")}`));
  return item;
}

async function loadRecent() {
  try {
    const page = await api("GET", `/records?order=newest&limit=20${recentCursor ? `&cursor=${recentCursor}` : ""}`);
    for (const record of page.items) $("recent").append(recordItem(record));
    if (!page.items.length && !recentCursor) $("recent").append(element("li", { class: "muted" }, t("find.noRecords")));
    recentCursor = page.nextCursor;
    $("recent-more").hidden = !recentCursor;
  } catch (error) {
    $("find-error").textContent = describe(error);
  }
}

$("recent-more").addEventListener("click", loadRecent);

// MARK: Search across the tenant's documents

let searchQuery = null;
let searchCursor = null;

/** A hit: the file (opening its record), its record, and the snippet with the words found marked. */
function hitItem(hit) {
  const item = element("li");
  const link = element("a", { href: `/ui/records/${hit.record.uuid}`, "data-nav": "", class: "hit-name" }, hit.attachment.name);
  const snippet = element("span", { class: "snippet" });
  for (const part of hit.snippet) snippet.append(part.match ? element("mark", {}, part.text) : document.createTextNode(part.text));
  const record = [hit.record.title || t("record.ref", { reference: hit.record.reference }), typeLabel(hit.record.type)].join(" · ");
  item.append(link, element("span", { class: "muted" }, ` ${record}`), element("br"), snippet);
  return item;
}

async function loadHits() {
  const query = new URLSearchParams({ q: searchQuery, limit: "20" });
  if (searchCursor) query.set("cursor", searchCursor);
  try {
    const page = await api("GET", `/search?${query}`);
    $("search-results").append(...page.items.map(hitItem));
    if (!page.items.length && !searchCursor) $("search-error").textContent = t("search.none");
    $("search-results").hidden = !$("search-results").children.length;
    searchCursor = page.nextCursor;
    $("search-more").hidden = !searchCursor;
  } catch (error) {
    $("search-error").textContent = describe(error);
  }
}

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  searchQuery = $("search-value").value.trim();
  searchCursor = null;
  $("search-error").textContent = "";
  $("search-results").replaceChildren();
  await loadHits();
});

$("search-more").addEventListener("click", loadHits);

$("find-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const type = $("find-type").value;
  const by = $("find-by").value;
  const value = $("find-value").value.trim();
  $("find-error").textContent = "";
  $("matches").hidden = true;
  try {
    if (by === "uuid") {
      await api("GET", `/records/${encodeURIComponent(value)}`);
      navigate(`/ui/records/${value}`);
      return;
    }
    const query = new URLSearchParams({ [by]: value, limit: "20" });
    if (type) query.set("type", type);
    const page = await api("GET", `/records?${query}`);
    if (page.items.length === 1) {
      navigate(`/ui/records/${page.items[0].uuid}`);
    } else if (page.items.length === 0) {
      $("find-error").textContent = t("find.none");
    } else {
      $("find-error").textContent = t("find.several");
      $("matches").replaceChildren(...page.items.map(recordItem));
      $("matches").hidden = false;
    }
  } catch (error) {
    $("find-error").textContent = error.status === 404 ? t("find.none") : describe(error);
  }
});

$("create-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("create-error").textContent = "";
  const body = { type: $("create-type").value, title: $("create-title").value.trim() };
  const external = $("create-external").value.trim();
  if (external) body.externalIdentifier = external;
  try {
    const record = await api("POST", "/records", body);
    $("create-form").reset();
    announce(t("create.done"));
    navigate(`/ui/records/${record.uuid}`);
  } catch (error) {
    $("create-error").textContent = describe(error);
  }
});

// MARK: Record

async function openRecord(uuid) {
  show("record-view");
  $("files").replaceChildren();
  $("upload-list").replaceChildren();
  clearSelection();
  try {
    currentRecord = await api("GET", `/records/${uuid}`);
  } catch (error) {
    $("record-title").textContent = t("record.notFound");
    $("record-facts").replaceChildren();
    announce(describe(error));
    return;
  }
  $("record-title").textContent = recordName(currentRecord);
  const facts = [[t("record.type"), typeLabel(currentRecord.type)], [t("record.reference"), currentRecord.reference],
    [t("record.externalIdentifier"), currentRecord.externalIdentifier || "—"], [t("record.uuid"), currentRecord.uuid]];
  $("record-facts").replaceChildren(...facts.flatMap(([term, value]) => [element("dt", {}, term), element("dd", {}, value)]));
  $("record-download-all").href = currentRecord.archiveUrl;
  filesCursor = null;
  resetHistory();
  await loadFiles();
}

async function loadFiles() {
  try {
    const page = await api("GET", `/records/${currentRecord.uuid}/attachments?limit=25${filesCursor ? `&cursor=${filesCursor}` : ""}`);
    for (const attachment of page.items) $("files").append(fileRow(attachment));
    filesCursor = page.nextCursor;
    $("files-more").hidden = !filesCursor;
    updateEmpty();
  } catch (error) {
    announce(describe(error));
  }
}

$("files-more").addEventListener("click", loadFiles);

// MARK: History (the record's audit trail; admin tokens only)

let historyCursor = null;
let historyLoaded = false;

function resetHistory() {
  $("history").open = false;
  $("history-list").replaceChildren();
  $("history-note").hidden = true;
  $("history-more").hidden = true;
  historyCursor = null;
  historyLoaded = false;
}

function actorLabel(actor) {
  if (actor === "link") return t("actor.link");
  if (actor.startsWith("share:")) return t("actor.share");
  if (actor === "cli") return t("actor.cli");
  if (actor.startsWith("token:")) return t("actor.token", { id: actor.slice(6) });
  return actor;
}

function historyItem(event) {
  const item = element("li");
  const when = element("time", { datetime: event.time }, date(event.time));
  const key = `action.${event.action}`;
  const what = [t(key) === key ? event.action : t(key)];
  if (event.fileName) what.push(event.fileName);
  if (event.size !== null) what.push(bytes(event.size));
  item.append(when, " ", element("strong", {}, what.join(" · ")), " ", element("span", { class: "muted" }, t("history.by", { actor: actorLabel(event.actor) })));
  if (event.clientAddress) item.append(element("span", { class: "muted" }, t("history.from", { address: event.clientAddress })));
  if (event.detail) item.append(element("div", { class: "muted detail" }, event.detail));
  return item;
}

async function loadHistory() {
  historyLoaded = true;
  const note = $("history-note");
  try {
    const page = await api("GET", `/audit?record=${currentRecord.uuid}&order=newest&limit=25${historyCursor ? `&cursor=${historyCursor}` : ""}`);
    for (const event of page.items) $("history-list").append(historyItem(event));
    historyCursor = page.nextCursor;
    $("history-more").hidden = !historyCursor;
    note.hidden = $("history-list").children.length > 0;
    note.textContent = t("history.nothing");
  } catch (error) {
    note.hidden = false;
    note.textContent = error instanceof ApiError && error.status === 403 ? t("history.adminOnly") : describe(error);
  }
}

$("history").addEventListener("toggle", () => {
  if ($("history").open && !historyLoaded) loadHistory();
});
$("history-more").addEventListener("click", loadHistory);

// MARK: Files

function updateEmpty() {
  $("files-empty").hidden = $("files").children.length > 0;
}

function fileRow(attachment) {
  const row = element("tr", { "data-uuid": attachment.uuid });
  const pick = element("td", { class: "pick" });
  const box = element("input", { type: "checkbox", "aria-label": t("files.select", { name: attachment.name }) });
  box.addEventListener("change", () => select(attachment, row, box.checked));
  pick.append(box);
  const kind = element("td", { class: "kind" });
  kind.innerHTML = kindIcon(attachment.kind);
  if (attachment.thumbnailUrl) showThumbnail(kind, attachment);
  const name = element("td", { class: "name" });
  const nameButton = element("button", { type: "button", class: "link", title: t("file.preview") }, attachment.name);
  nameButton.addEventListener("click", () => openPreview(attachment));
  name.append(nameButton);
  const description = element("td", { class: "description" });
  renderDescription(description, attachment);
  const actions = element("td", { class: "actions" });
  const download = element("a", { href: attachment.downloadUrl, class: "button secondary small" }, t("file.download"));
  const copy = element("button", { type: "button", class: "secondary small" }, t("file.copyLink"));
  copy.addEventListener("click", () => copyLink(attachment));
  const history = element("button", { type: "button", class: "secondary small", "data-action": "versions" },
    attachment.version > 1 ? t("file.versionsCount", { count: attachment.version }) : t("file.versions"));
  history.addEventListener("click", () => openVersions(attachment, row));
  actions.append(download, copy, history);
  if (!readOnly()) {
    const share = element("button", { type: "button", class: "secondary small", "data-action": "share" }, t("file.share"));
    share.addEventListener("click", () => openShare({ kind: "download", path: `/attachments/${attachment.uuid}/shares`, query: `attachment=${attachment.uuid}`, name: attachment.name }));
    actions.append(share);
    const move = element("button", { type: "button", class: "secondary small", "data-action": "move" }, t("file.move"));
    move.addEventListener("click", () => openMove(attachment, row));
    const remove = element("button", { type: "button", class: "danger small", "aria-label": t("file.deleteLabel", { name: attachment.name }) }, t("file.delete"));
    remove.addEventListener("click", () => confirmDelete([{ attachment, row }]));
    actions.append(move, remove);
  }
  row.append(pick, kind, name, element("td", { class: "size" }, bytes(attachment.size)),
    element("td", { class: "date" }, date(attachment.createdAt)), description, actions);
  return row;
}

function renderDescription(cell, attachment) {
  const text = element("span", { class: attachment.description ? "" : "muted" }, attachment.description || t("file.noDescription"));
  cell.replaceChildren(text);
  // Its category and tags, under the description, and when retention deletes it (or that a legal hold keeps it).
  const labels = [attachment.category && element("span", { class: "label category", title: t("file.category") }, attachment.category),
    ...(attachment.tags || []).map((tag) => element("span", { class: "label", title: t("file.tag") }, tag)),
    attachment.deletesAt && element("span", { class: "label retention", title: t("file.retentionTitle") },
      t("file.deletesOn", { date: date(attachment.deletesAt) })),
    attachment.legalHold && element("span", { class: "label hold", title: t("file.legalHoldTitle") }, t("file.legalHold"))].filter(Boolean);
  if (labels.length) {
    const box = element("div", { class: "labels" });
    box.append(...labels);
    cell.append(box);
  }
  if (readOnly()) return;
  const edit = element("button", { type: "button", class: "link small", "aria-label": t("file.editLabel", { name: attachment.name }) }, t("file.edit"));
  edit.addEventListener("click", () => editDescription(cell, attachment));
  cell.append(" ", edit);
}

function editDescription(cell, attachment) {
  const form = element("form", { class: "inline-edit" });
  const input = element("input", { "aria-label": t("file.descriptionLabel", { name: attachment.name }), value: attachment.description || "" });
  const save = element("button", { type: "submit", class: "small" }, t("file.save"));
  const cancel = element("button", { type: "button", class: "secondary small" }, t("file.cancel"));
  cancel.addEventListener("click", () => renderDescription(cell, attachment));
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") renderDescription(cell, attachment);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const value = input.value.trim();
      const updated = await api("PATCH", `/attachments/${attachment.uuid}`, { description: value || null });
      Object.assign(attachment, updated);
      renderDescription(cell, attachment);
      announce(t("file.descriptionSaved"));
    } catch (error) {
      announce(describe(error));
    }
  });
  form.append(input, save, cancel);
  cell.replaceChildren(form);
  input.focus();
}

async function copyLink(attachment) {
  try {
    await navigator.clipboard.writeText(attachment.downloadUrl);
    announce(t("file.linkCopied"));
  } catch {
    window.prompt(t("file.copyPrompt"), attachment.downloadUrl);
  }
}

/** Asks once, then deletes every one of `items` ({attachment, row}). */
function confirmDelete(items) {
  const dialog = $("confirm");
  const names = items.map(({ attachment }) => `“${attachment.name}”`);
  $("confirm-title").textContent = items.length === 1 ? t("confirm.title") : t("confirm.titleMany", { count: items.length });
  $("confirm-text").textContent = items.length === 1 ? t("confirm.text", { name: items[0].attachment.name }) : t("confirm.textMany", { names: names.join(", ") });
  dialog.returnValue = "";
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "delete") return;
    let deleted = 0;
    for (const { attachment, row } of items) {
      try {
        await api("DELETE", `/attachments/${attachment.uuid}`);
        row.remove();
        selected.delete(attachment.uuid);
        deleted += 1;
      } catch (error) {
        announce(describe(error));
      }
    }
    updateSelection();
    updateEmpty();
    refreshUsage();
    if (deleted) announce(items.length === 1 ? t("file.deleted", { name: items[0].attachment.name }) : t("file.deletedMany", { count: deleted }));
  }, { once: true });
  dialog.showModal();
}

// MARK: Share and drop links

/** What the share dialog makes links for: `{kind, path, query, name}`. */
let shareTarget = null;

function openShare(target) {
  shareTarget = target;
  const drop = target.kind === "upload";
  $("share-title").textContent = drop ? t("share.dropTitle") : t("share.title");
  $("share-what").textContent = drop ? t("share.dropWhat", { name: target.name }) : t("share.what", { name: target.name });
  $("share-limit-label").textContent = drop ? t("share.maxFiles") : t("share.maxDownloads");
  $("share-form").reset();
  $("share-made").hidden = true;
  $("share-error").textContent = "";
  $("share").showModal();
  loadShares();
}

function shareItem(share) {
  const item = element("li", { "data-share": share.id });
  const what = [share.label || (share.kind === "upload" ? t("share.kindUpload") : t("share.kindDownload")), t(`share.status.${share.status}`)];
  if (share.expiresAt) what.push(t("share.until", { date: date(share.expiresAt) }));
  what.push(share.kind === "upload"
    ? t("share.received", { count: share.filesReceived, max: share.maxFiles ?? "∞" })
    : t("share.downloads", { count: share.downloads, max: share.maxDownloads ?? "∞" }));
  if (share.hasPassword) what.push(t("share.withPassword"));
  item.append(element("span", {}, what.join(" · ")));
  if (share.status === "active" || share.status === "exhausted") {
    const revoke = element("button", { type: "button", class: "danger small" }, t("share.revoke"));
    revoke.addEventListener("click", async () => {
      try {
        await api("DELETE", `/shares/${share.id}`);
        announce(t("share.revoked"));
        loadShares();
      } catch (error) {
        $("share-error").textContent = describe(error);
      }
    });
    item.append(" ", revoke);
  }
  return item;
}

async function loadShares() {
  try {
    const page = await api("GET", `/shares?${shareTarget.query}&limit=200`);
    // A record's list holds its attachments' shares too: the dialog shows the ones it makes.
    const shown = page.items.filter((share) => shareTarget.query.startsWith("attachment=") || (share.target === "record" && share.kind === shareTarget.kind));
    $("share-list").replaceChildren(...shown.map(shareItem));
    $("share-none").hidden = shown.length > 0;
  } catch (error) {
    $("share-error").textContent = describe(error);
  }
}

$("share-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { kind: shareTarget.kind };
  const expires = $("share-expires").value;
  if (expires) body.expiresAt = new Date(`${expires}T23:59:59`).toISOString();
  if ($("share-password").value) body.password = $("share-password").value;
  const limit = $("share-limit").value;
  if (limit) body[shareTarget.kind === "upload" ? "maxFiles" : "maxDownloads"] = Number(limit);
  const label = $("share-label").value.trim();
  if (label) body.label = label;
  $("share-error").textContent = "";
  try {
    const made = await api("POST", shareTarget.path, body);
    $("share-url").value = made.url;
    $("share-made").hidden = false;
    $("share-form").reset();
    $("share-url").select();
    loadShares();
  } catch (error) {
    $("share-error").textContent = describe(error);
  }
});

$("share-copy").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText($("share-url").value);
    announce(t("file.linkCopied"));
  } catch {
    $("share-url").select();
  }
});

$("record-share").addEventListener("click", () => openShare({ kind: "download", path: `/records/${currentRecord.uuid}/shares`, query: `record=${currentRecord.uuid}`, name: recordName(currentRecord) }));
$("record-request").addEventListener("click", () => openShare({ kind: "upload", path: `/records/${currentRecord.uuid}/shares`, query: `record=${currentRecord.uuid}`, name: recordName(currentRecord) }));

// MARK: Selection

function select(attachment, row, checked) {
  if (checked) selected.set(attachment.uuid, { attachment, row });
  else selected.delete(attachment.uuid);
  row.classList.toggle("selected", checked);
  updateSelection();
}

function clearSelection() {
  selected.clear();
  updateSelection();
}

function updateSelection() {
  $("bulk").hidden = selected.size === 0;
  $("bulk-count").textContent = t("files.selected", { count: selected.size });
  const boxes = $("files").querySelectorAll("td.pick input");
  $("select-all").checked = boxes.length > 0 && selected.size === boxes.length;
}

$("select-all").addEventListener("change", (event) => {
  for (const box of $("files").querySelectorAll("td.pick input")) {
    if (box.checked !== event.target.checked) {
      box.checked = event.target.checked;
      box.dispatchEvent(new Event("change"));
    }
  }
});

$("bulk-delete").addEventListener("click", () => confirmDelete([...selected.values()]));

// Each selected file through its signed download link, one after the other (browsers allow a
// page's consecutive downloads once the person agrees).
$("bulk-download").addEventListener("click", async () => {
  for (const { attachment } of selected.values()) {
    const link = element("a", { href: attachment.downloadUrl, download: attachment.name, hidden: "" });
    document.body.append(link);
    link.click();
    link.remove();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
});

// MARK: Versions

/** Lists an attachment's versions, newest first, each downloadable; earlier ones can be made current again. */
async function openVersions(attachment, row) {
  const dialog = $("versions");
  $("versions-title").textContent = t("versions.title", { name: attachment.name });
  $("versions-list").replaceChildren(element("li", { class: "muted" }, t("versions.loading")));
  dialog.showModal();
  try {
    const { items } = await api("GET", `/attachments/${attachment.uuid}/versions`);
    $("versions-list").replaceChildren(...items.map((version) => versionItem(version, attachment, row)));
  } catch (error) {
    $("versions-list").replaceChildren(element("li", { class: "muted" }, describe(error)));
  }
}

function versionItem(version, attachment, row) {
  const item = element("li", { "data-version": String(version.number) });
  const label = t(version.current ? "versions.current" : "versions.number", { number: version.number });
  const by = version.author ? ` · ${actorLabel(version.author)}` : "";
  item.append(element("span", {}, `${label} `), element("span", { class: "muted" }, `${version.name} · ${bytes(version.size)} · ${date(version.createdAt)}${by} `));
  item.append(element("a", { href: version.downloadUrl, class: "button secondary small" }, t("file.download")));
  if (!version.current && !readOnly()) {
    const restore = element("button", { type: "button", class: "small", "data-action": "restore" }, t("versions.restore"));
    restore.addEventListener("click", async () => {
      try {
        const restored = await api("POST", `/attachments/${attachment.uuid}/versions/${version.number}/restore`);
        $("versions").close();
        row.replaceWith(fileRow(restored));
        announce(t("versions.restored", { number: version.number, name: restored.name }));
      } catch (error) {
        announce(describe(error));
      }
    });
    item.append(" ", restore);
  }
  return item;
}

// MARK: Moving a file to another record

function openMove(attachment, row) {
  const dialog = $("move");
  $("move-title").textContent = t("move.title", { name: attachment.name });
  $("move-search").value = "";
  $("move-results").replaceChildren();
  let searching = 0;
  $("move-search").oninput = async () => {
    const value = $("move-search").value.trim();
    const turn = ++searching;
    if (!value) return $("move-results").replaceChildren();
    try {
      const page = await api("GET", `/records?${new URLSearchParams({ title: value, limit: "10" })}`);
      if (turn !== searching) return;
      const others = page.items.filter((record) => record.uuid !== currentRecord.uuid);
      $("move-results").replaceChildren(...(others.length ? others.map((record) => moveTarget(record, attachment, row)) : [element("li", { class: "muted" }, t("move.none"))]));
    } catch (error) {
      announce(describe(error));
    }
  };
  dialog.showModal();
  $("move-search").focus();
}

function moveTarget(record, attachment, row) {
  const item = element("li");
  const button = element("button", { type: "button", class: "small" }, t("move.to"));
  button.addEventListener("click", async () => {
    try {
      await api("PATCH", `/attachments/${attachment.uuid}`, { record: record.uuid });
      $("move").close();
      row.remove();
      selected.delete(attachment.uuid);
      updateSelection();
      updateEmpty();
      announce(t("move.done", { name: attachment.name, record: recordName(record) }));
    } catch (error) {
      announce(describe(error));
    }
  });
  item.append(element("span", {}, `${recordName(record)} `), element("span", { class: "muted" }, `${typeLabel(record.type)} · ${t("record.ref", { reference: record.reference })} `), button);
  return item;
}

// MARK: Preview

/**
 * The URL of an attachment's preview image in `size` once it is made, or null when there is none.
 * While it is being made the server answers 202 with Retry-After: asked again until `patience` runs out.
 */
async function previewImageURL(attachment, size, patience) {
  const url = attachment.thumbnailUrl.replace(/([?&]size=)small\b/, `$1${size}`);
  const giveUp = Date.now() + patience;
  for (;;) {
    let response;
    try {
      response = await fetch(url);
    } catch {
      return null;
    }
    if (response.status === 200) return url;
    if (response.status !== 202) return null;
    const wait = Math.min(Math.max(Number(response.headers.get("Retry-After")) || 2, 1), 30) * 1000;
    if (Date.now() + wait > giveUp) return null;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Puts the small preview image in place of the kind's icon once it is made (the icon stays otherwise). */
async function showThumbnail(cell, attachment) {
  const url = await previewImageURL(attachment, "small", 120_000);
  if (!url || !cell.isConnected) return;
  // Not lazy: the image is put in the page once it has loaded (from the cache the check filled).
  const image = element("img", { src: url, alt: "", class: "thumbnail", "data-thumbnail": attachment.uuid });
  image.addEventListener("error", () => image.remove());
  image.addEventListener("load", () => cell.replaceChildren(image));
}

async function openPreview(attachment) {
  const body = $("preview-body");
  $("preview-title").textContent = attachment.name;
  const kind = previewKind(attachment.mimeType);
  let content;
  // A PDF shows its first page's image; the document itself opens on request.
  const pageImage = kind === "pdf" && attachment.thumbnailUrl ? await previewImageURL(attachment, "large", 10_000) : null;
  if (kind === "image") {
    content = element("img", { src: attachment.streamUrl, alt: attachment.description || attachment.name });
  } else if (pageImage) {
    content = element("div", { class: "page-preview" });
    const open = element("button", { type: "button", class: "secondary small", "data-action": "open-pdf" }, t("file.openPdf"));
    open.addEventListener("click", () => content.replaceChildren(element("iframe", { src: attachment.streamUrl, title: attachment.name })));
    content.append(element("img", { src: pageImage, alt: t("file.firstPage", { name: attachment.name }) }), open);
  } else if (kind === "pdf") {
    content = element("iframe", { src: attachment.streamUrl, title: attachment.name });
  } else if (kind === "audio" || kind === "video") {
    content = element(kind, { src: attachment.streamUrl, controls: "", preload: "metadata" });
  } else if (kind === "text") {
    content = element("pre", {}, await (await fetch(attachment.streamUrl)).text());
  } else {
    content = element("p", {}, t("file.cannotPreview"));
    content.append(element("a", { href: attachment.downloadUrl }, t("file.downloadIt")));
  }
  body.replaceChildren(content);
  $("preview").showModal();
}

$("preview").addEventListener("close", () => $("preview-body").replaceChildren());
for (const button of document.querySelectorAll("[data-close]")) {
  button.addEventListener("click", () => button.closest("dialog").close());
}

// MARK: Uploads

function uploadFiles(files) {
  for (const file of files) uploadOne(file);
}

/** Why the server would refuse `file` before a byte is sent, or null. */
function refusalBefore(file) {
  if (!caller) return null;
  const limit = largestFile(file.size);
  if (file.size > limit) return t("upload.tooLarge", { size: bytes(limit) });
  const dot = file.name.lastIndexOf(".");
  const extension = dot > 0 ? file.name.slice(dot + 1).toLowerCase() : null;
  if (extension && !caller.limits.allowedExtensions.includes(extension)) return t("upload.notAllowed", { extension });
  return null;
}

async function uploadOne(file) {
  const item = element("li", { class: "upload" });
  const name = element("span", { class: "upload-name" }, file.name);
  const progress = element("progress", { max: "100", value: "0", "aria-label": t("upload.label", { name: file.name }) });
  const detail = element("span", { class: "upload-detail" }, t("upload.starting"));
  const cancel = element("button", { type: "button", class: "secondary small", "aria-label": t("upload.cancelLabel", { name: file.name }) }, t("upload.cancel"));
  const controller = new AbortController();
  cancel.addEventListener("click", () => controller.abort(new DOMException("cancelled", "AbortError")));
  item.append(name, progress, detail, cancel);
  $("upload-list").append(item);
  const refusal = refusalBefore(file);
  if (refusal) {
    cancel.remove();
    item.classList.add("failed");
    detail.textContent = refusal;
    detail.setAttribute("role", "alert");
    return;
  }
  const started = performance.now();
  try {
    let status = "";
    const onProgress = (loaded, total) => {
      const percent = Math.round((loaded / total) * 100);
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      progress.value = percent;
      detail.textContent = [`${percent}%`, speed(loaded / seconds), status].filter(Boolean).join(" · ");
    };
    // Large files go in resumable chunks (tus): a dropped connection or a reload resumes where it was.
    const attachment = file.size >= RESUMABLE_THRESHOLD
      ? await resumableUpload(currentRecord.uuid, file, onProgress, (text) => {
          status = text;
          item.dataset.status = text;
          detail.textContent = `${progress.value}% · ${text}`;
        }, controller.signal)
      : await upload(currentRecord.uuid, file, onProgress, controller.signal);
    cancel.remove();
    progress.value = 100;
    item.classList.add("done");
    detail.textContent = `100% · ${t("upload.done")}`;
    $("files").append(fileRow(attachment));
    updateEmpty();
    refreshUsage();
    announce(t("upload.uploaded", { name: file.name }));
    // Finished uploads leave the list; the file is in the table below.
    setTimeout(() => item.remove(), FINISHED_UPLOAD_SECONDS * 1000);
  } catch (error) {
    cancel.remove();
    if (controller.signal.aborted) {
      item.classList.add("cancelled");
      detail.textContent = t("upload.cancelled");
      setTimeout(() => item.remove(), FINISHED_UPLOAD_SECONDS * 1000);
      return;
    }
    item.classList.add("failed");
    detail.textContent = describe(error);
    detail.setAttribute("role", "alert");
  }
}

$("file-input").addEventListener("change", (event) => {
  uploadFiles(event.target.files);
  event.target.value = "";
});

const zone = $("drop-zone");
zone.addEventListener("dragover", (event) => {
  event.preventDefault();
  zone.classList.add("over");
});
zone.addEventListener("dragleave", () => zone.classList.remove("over"));
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  zone.classList.remove("over");
  if (!readOnly()) uploadFiles(event.dataTransfer.files);
});

// MARK: Start

function fillRecordTypes() {
  for (const select of document.querySelectorAll("[data-record-types]")) {
    const options = select.dataset.recordTypes === "any" ? [element("option", { value: "" }, t("find.anyType"))] : [];
    for (const type of RECORD_TYPES) options.push(element("option", { value: type }, typeLabel(type)));
    select.replaceChildren(...options);
  }
}

function fillLanguages() {
  const select = $("language");
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => element("option", { value: code }, name)));
  select.value = language;
  select.addEventListener("change", () => chooseLanguage(select.value));
}

translatePage();
fillRecordTypes();
fillLanguages();
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-nav]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", route);
route();
