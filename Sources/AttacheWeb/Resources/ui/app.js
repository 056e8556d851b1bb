// The record files page: token, record finder, file list, uploads, previews.
import { ApiError, api, setToken, token, upload } from "./api.js";
import { RESUMABLE_THRESHOLD, resumableUpload } from "./tus.js";
import { bytes, date, kindIcon, previewKind, speed } from "./format.js";

const $ = (id) => document.getElementById(id);
const views = ["token-view", "find-view", "record-view"];
let recentCursor = null;
let filesCursor = null;
let currentRecord = null;

function show(view) {
  for (const id of views) $(id).hidden = id !== view;
  $("sign-out").hidden = view === "token-view";
  $("main").focus();
}

let toastTimer;

/** Shows a short message and reads it to assistive technology. */
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
    route();
    return "The token is not valid (any more). Please sign in again.";
  }
  return error.message;
}

// MARK: Routing

function navigate(path) {
  history.pushState(null, "", path);
  route();
}

function route() {
  if (!token()) {
    $("tenant-label").textContent = "";
    show("token-view");
    $("token-input").focus();
    return;
  }
  refreshUsage();
  const match = location.pathname.match(/^\/ui\/records\/([0-9a-fA-F-]{36})\/?$/);
  if (match) openRecord(match[1]);
  else openFinder();
}

/** Shows what the tenant stores, beside its quota, in the header. */
async function refreshUsage() {
  try {
    const usage = await api("GET", "/usage");
    const stored = usage.maxBytes === null ? bytes(usage.bytes) : `${bytes(usage.bytes)} of ${bytes(usage.maxBytes)}`;
    const files = usage.maxFiles === null ? `${usage.files} files` : `${usage.files} of ${usage.maxFiles} files`;
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
    route();
  } catch (error) {
    setToken(null);
    $("token-error").textContent = error instanceof ApiError && error.status === 401 ? "This token is not valid." : error.message;
  }
});

$("sign-out").addEventListener("click", () => {
  setToken(null);
  navigate("/ui");
});

// MARK: Finder

async function openFinder() {
  show("find-view");
  $("recent").replaceChildren();
  recentCursor = null;
  await loadRecent();
}

async function loadRecent() {
  try {
    const page = await api("GET", `/records?order=newest&limit=20${recentCursor ? `&cursor=${recentCursor}` : ""}`);
    for (const record of page.items) {
      const item = element("li");
      const link = element("a", { href: `/ui/records/${record.uuid}`, "data-nav": "" }, record.title || `${label(record.type)} ${record.reference}`);
      item.append(link, element("span", { class: "muted" }, ` ${label(record.type)} · ref ${record.reference}${record.externalIdentifier ? ` · ${record.externalIdentifier}` : ""}`));
      $("recent").append(item);
    }
    if (!page.items.length && !recentCursor) $("recent").append(element("li", { class: "muted" }, "No records yet."));
    recentCursor = page.nextCursor;
    $("recent-more").hidden = !recentCursor;
  } catch (error) {
    $("find-error").textContent = describe(error);
  }
}

$("recent-more").addEventListener("click", loadRecent);

$("find-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const type = $("find-type").value;
  const by = $("find-by").value;
  const value = $("find-value").value.trim();
  $("find-error").textContent = "";
  try {
    if (by === "uuid") {
      await api("GET", `/records/${encodeURIComponent(value)}`);
      navigate(`/ui/records/${value}`);
      return;
    }
    const query = new URLSearchParams({ [by]: value, limit: "2" });
    if (type) query.set("type", type);
    const page = await api("GET", `/records?${query}`);
    if (page.items.length === 1) navigate(`/ui/records/${page.items[0].uuid}`);
    else $("find-error").textContent = page.items.length ? "Several records match; choose a type." : "No record matches.";
  } catch (error) {
    $("find-error").textContent = error.status === 404 ? "No record matches." : describe(error);
  }
});

function label(type) {
  return type.replace("_", " ").replace(/^./, (c) => c.toUpperCase());
}

// MARK: Record

async function openRecord(uuid) {
  show("record-view");
  $("files").replaceChildren();
  $("upload-list").replaceChildren();
  try {
    currentRecord = await api("GET", `/records/${uuid}`);
  } catch (error) {
    $("record-title").textContent = "Record not found";
    $("record-facts").replaceChildren();
    announce(describe(error));
    return;
  }
  $("record-title").textContent = currentRecord.title || `${label(currentRecord.type)} ${currentRecord.reference}`;
  const facts = [["Type", label(currentRecord.type)], ["Reference", currentRecord.reference],
    ["External identifier", currentRecord.externalIdentifier || "—"], ["UUID", currentRecord.uuid]];
  $("record-facts").replaceChildren(...facts.flatMap(([term, value]) => [element("dt", {}, term), element("dd", {}, value)]));
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

const ACTIONS = {
  "record.create": "Record created", "record.update": "Record changed", "record.delete": "Record deleted",
  "file.upload": "Uploaded", "file.refuse": "Upload refused", "file.download": "Downloaded", "file.delete": "File deleted",
  "file.quarantine": "Quarantined", "attachment.create": "Attached", "attachment.update": "Attachment changed",
  "attachment.delete": "Attachment removed",
};
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
  if (actor === "link") return "a signed link";
  if (actor === "cli") return "an operator";
  if (actor.startsWith("token:")) return `token ${actor.slice(6)}`;
  return actor;
}

function historyItem(event) {
  const item = element("li");
  const when = element("time", { datetime: event.time }, date(event.time));
  const what = [ACTIONS[event.action] || event.action];
  if (event.fileName) what.push(event.fileName);
  if (event.size !== null) what.push(bytes(event.size));
  item.append(when, " ", element("strong", {}, what.join(" · ")), " ", element("span", { class: "muted" }, `by ${actorLabel(event.actor)}`));
  if (event.clientAddress) item.append(element("span", { class: "muted" }, ` from ${event.clientAddress}`));
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
    note.textContent = "Nothing recorded yet.";
  } catch (error) {
    note.hidden = false;
    note.textContent = error instanceof ApiError && error.status === 403
      ? "Only administrators see the history. Ask yours for access if you need it."
      : describe(error);
  }
}

$("history").addEventListener("toggle", () => {
  if ($("history").open && !historyLoaded) loadHistory();
});
$("history-more").addEventListener("click", loadHistory);

function updateEmpty() {
  $("files-empty").hidden = $("files").children.length > 0;
}

function fileRow(attachment) {
  const row = element("tr", { "data-uuid": attachment.uuid });
  const kind = element("td", { class: "kind" });
  kind.innerHTML = kindIcon(attachment.kind);
  const name = element("td", { class: "name" });
  const nameButton = element("button", { type: "button", class: "link", title: "Preview" }, attachment.name);
  nameButton.addEventListener("click", () => openPreview(attachment));
  name.append(nameButton);
  const description = element("td", { class: "description" });
  renderDescription(description, attachment);
  const actions = element("td", { class: "actions" });
  const download = element("a", { href: attachment.downloadUrl, class: "button secondary small" }, "Download");
  const copy = element("button", { type: "button", class: "secondary small" }, "Copy link");
  copy.addEventListener("click", () => copyLink(attachment));
  const remove = element("button", { type: "button", class: "danger small", "aria-label": `Delete ${attachment.name}` }, "Delete");
  remove.addEventListener("click", () => confirmDelete(attachment, row));
  actions.append(download, copy, remove);
  row.append(kind, name, element("td", { class: "size" }, bytes(attachment.size)),
    element("td", { class: "date" }, date(attachment.createdAt)), description, actions);
  return row;
}

function renderDescription(cell, attachment) {
  const text = element("span", { class: attachment.description ? "" : "muted" }, attachment.description || "No description");
  const edit = element("button", { type: "button", class: "link small", "aria-label": `Edit description of ${attachment.name}` }, "Edit");
  edit.addEventListener("click", () => editDescription(cell, attachment));
  cell.replaceChildren(text, " ", edit);
}

function editDescription(cell, attachment) {
  const form = element("form", { class: "inline-edit" });
  const input = element("input", { "aria-label": `Description of ${attachment.name}`, value: attachment.description || "" });
  const save = element("button", { type: "submit", class: "small" }, "Save");
  const cancel = element("button", { type: "button", class: "secondary small" }, "Cancel");
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
      announce("Description saved.");
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
    announce("Share link copied. It works without a token until it expires.");
  } catch {
    window.prompt("Copy this share link:", attachment.downloadUrl);
  }
}

function confirmDelete(attachment, row) {
  const dialog = $("confirm");
  $("confirm-text").textContent = `“${attachment.name}” will be removed from this record.`;
  dialog.returnValue = "";
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "delete") return;
    try {
      await api("DELETE", `/attachments/${attachment.uuid}`);
      row.remove();
      updateEmpty();
      refreshUsage();
      announce(`${attachment.name} deleted.`);
    } catch (error) {
      announce(describe(error));
    }
  }, { once: true });
  dialog.showModal();
}

// MARK: Preview

async function openPreview(attachment) {
  const body = $("preview-body");
  $("preview-title").textContent = attachment.name;
  const kind = previewKind(attachment.mimeType);
  let content;
  if (kind === "image") {
    content = element("img", { src: attachment.streamUrl, alt: attachment.description || attachment.name });
  } else if (kind === "pdf") {
    content = element("iframe", { src: attachment.streamUrl, title: attachment.name });
  } else if (kind === "audio" || kind === "video") {
    content = element(kind, { src: attachment.streamUrl, controls: "", preload: "metadata" });
  } else if (kind === "text") {
    content = element("pre", {}, await (await fetch(attachment.streamUrl)).text());
  } else {
    content = element("p", {}, "This type cannot be shown in the browser. ");
    content.append(element("a", { href: attachment.downloadUrl }, "Download it"));
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

async function uploadOne(file) {
  const item = element("li", { class: "upload" });
  const name = element("span", { class: "upload-name" }, file.name);
  const progress = element("progress", { max: "100", value: "0", "aria-label": `Upload of ${file.name}` });
  const detail = element("span", { class: "upload-detail" }, "Starting…");
  item.append(name, progress, detail);
  $("upload-list").append(item);
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
        })
      : await upload(currentRecord.uuid, file, onProgress);
    progress.value = 100;
    item.classList.add("done");
    detail.textContent = `100% · done`;
    $("files").append(fileRow(attachment));
    updateEmpty();
    refreshUsage();
    announce(`${file.name} uploaded.`);
  } catch (error) {
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
  uploadFiles(event.dataTransfer.files);
});

// MARK: Start

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-nav]");
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href"));
});
window.addEventListener("popstate", route);
route();
